"""One Silero VAD pass per block of audio, however many questions are asked of it.

faster-whisper's ``get_speech_timestamps`` runs the Silero model over the whole array it is given
and then turns the per-frame speech probabilities into speech stretches with the options it is
given. A block of audio is asked several questions: where faster-whisper's batched pipeline should
look for speech, which speech no word covers afterwards (``missed_speech``), and where speech is
heard at the diarization threshold. The probabilities are the same each time, so the model that
``get_speech_timestamps`` fetches (``faster_whisper.vad.get_vad_model``) is wrapped to remember
the probabilities of the last array it saw: each block costs one Silero pass, not three. A test
counts the passes, so a faster-whisper release that fetches the model another way fails it.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

_lock = threading.Lock()
_installed: RememberingSilero | None = None


class RememberingSilero:
    """Silero's model, answering a repeated array from memory (the last one it saw)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.passes = 0  # arrays actually run through the model
        self._last: tuple[np.ndarray, Any] | None = None

    def __call__(self, audio: np.ndarray, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return self.model(audio, *args, **kwargs)
        last = self._last
        if last is not None and _same(last[0], audio):
            return last[1]
        seen = audio.copy()  # the model zeroes the last 64 samples of its input in place
        probabilities = self.model(audio)
        self.passes += 1
        self._last = (seen, probabilities)
        return probabilities


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a is b or (a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b)))


def install() -> RememberingSilero:
    """Make every ``get_speech_timestamps`` call in this process share one remembering model."""
    global _installed
    import faster_whisper.vad as fw_vad

    with _lock:
        if _installed is None:
            model = RememberingSilero(fw_vad.get_vad_model())
            fw_vad.get_vad_model = lambda: model
            _installed = model
        return _installed
