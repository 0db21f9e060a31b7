"""Transcription on a Dask cluster: chunks cut at silences, worker-side tasks, in-order joining.

The study never leaves the client: it decodes each recording, ships the audio of each chunk in
memory to a worker, and writes the words that come back. Workers only run the engine.
"""
