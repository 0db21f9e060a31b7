"""Writing 16 kHz mono float audio as a 16-bit PCM WAV file, for the benches that build recordings."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16_000


def write_wav(path: Path, audio: np.ndarray) -> Path:
    """``audio`` (16 kHz mono float, -1..1; clipped beyond) written to ``path``; returns ``path``."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes())
    return path
