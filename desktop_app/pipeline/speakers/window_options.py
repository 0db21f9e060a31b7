"""How speech is cut into windows for speaker embeddings: the settings both the window cutter
(``windows``) and the speech heard while transcribing (``heard_speech``) read.

They live apart from the cutting code so that ``HeardSpeech`` can name its VAD settings without the
windows module, which itself takes a ``HeardSpeech`` (one direction of import, no cycle).
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.pipeline.speakers.voices.encoder import DEFAULT_BATCH_SIZE, HOP_SAMPLES, SAMPLE_RATE

FRAMES_PER_SECOND = SAMPLE_RATE // HOP_SAMPLES


@dataclass(frozen=True)
class WindowOptions:
    window_seconds: float = 1.5
    hop_seconds: float = 0.75  # the coarse grid over all speech
    fine_hop_seconds: float = 0.375  # the grid inside zones refined at a change: one window halfway
    refine_below: float = 0.85  # neighbouring windows less alike than this (cosine) keep a zone
    vad_threshold: float = 0.35
    vad_min_silence_ms: int = 500  # the regions windows are cut from: short pauses bridged, padded
    vad_speech_pad_ms: int = 100
    heard_min_silence_ms: int = 100  # what is heard as speech (the timeline, RTTM): tight around the voice
    heard_pad_ms: int = 15
    normalise_volume: bool = True  # raise quiet windows to -30 dBFS, as Resemblyzer's preprocessing
    batch_size: int = DEFAULT_BATCH_SIZE
    block_seconds: float = 120.0  # audio buffered per VAD pass; its windows form one batch
    max_carry_seconds: float = 30.0

    @property
    def window_frames(self) -> int:
        return max(1, round(self.window_seconds * FRAMES_PER_SECOND))

    @property
    def hop_frames(self) -> int:
        return max(1, round(self.hop_seconds * FRAMES_PER_SECOND))

    @property
    def fine_hop_frames(self) -> int:
        return max(1, min(self.hop_frames, round(self.fine_hop_seconds * FRAMES_PER_SECOND)))


__all__ = ["FRAMES_PER_SECOND", "WindowOptions"]
