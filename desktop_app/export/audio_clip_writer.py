"""Write an audio clip (16-bit samples) as WAV, with the standard library, or FLAC, with PyAV.

Each clip goes through :func:`atomic_output`: a cancelled or failed export never leaves a
half-written clip under its real name.
"""

from __future__ import annotations

import wave
from pathlib import Path

import av
import numpy as np

from desktop_app.core.errors import ExportError
from desktop_app.export.transcript_bundle import atomic_output

CLIP_FORMATS = ("wav", "flac")


def write_clip(path: Path, samples: np.ndarray, sample_rate: int, fmt: str = "wav") -> Path:
    """Write ``samples`` (int16, shape frames x channels) to ``path``; errors name the file."""
    if fmt not in CLIP_FORMATS:
        raise ExportError(path, f"unknown clip format {fmt!r} (use {', '.join(CLIP_FORMATS)})")
    with atomic_output(path) as tmp:
        if fmt == "wav":
            _write_wav(tmp, samples, sample_rate)
        else:
            try:
                _write_flac(tmp, samples, sample_rate)
            except av.error.FFmpegError as exc:
                raise ExportError(path, f"cannot be encoded as FLAC ({exc})") from exc
    return path


def _write_wav(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(samples.shape[1])
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(samples.astype("<i2").tobytes())


def _write_flac(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    layout = "mono" if samples.shape[1] == 1 else "stereo"
    with av.open(str(path), "w", format="flac") as out:
        stream = out.add_stream("flac", rate=sample_rate, layout=layout, format="s16")
        if samples.shape[0]:
            frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout=layout)
            frame.sample_rate = sample_rate
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
