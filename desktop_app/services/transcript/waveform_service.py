"""Waveform overviews for the player: peak levels per short bucket, computed by streaming the audio."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from desktop_app.pipeline.audio_decode import SAMPLE_RATE, stream_audio

PEAKS_PER_SECOND = 20


def compute_peaks(media: Path, peaks_per_second: int = PEAKS_PER_SECOND) -> np.ndarray:
    """Peak absolute level (0..1) of each 1/``peaks_per_second`` s of the recording."""
    bucket = SAMPLE_RATE // peaks_per_second
    parts: list[np.ndarray] = []
    carry = np.zeros(0, dtype=np.float32)
    for _start, block in stream_audio(media, block_seconds=60.0):
        data = np.concatenate([carry, block]) if carry.size else block
        whole = data.size - data.size % bucket
        if whole:
            parts.append(np.abs(data[:whole]).reshape(-1, bucket).max(axis=1))
        carry = data[whole:]
    if carry.size:
        parts.append(np.array([np.abs(carry).max()], dtype=np.float32))
    peaks = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
    return np.clip(peaks, 0.0, 1.0).astype(np.float32)
