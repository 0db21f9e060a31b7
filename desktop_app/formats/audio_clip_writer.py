"""Write an audio clip (16-bit samples) as WAV, with the standard library, or FLAC, with PyAV.

A clip is written block by block, so a long extract never has to sit in memory whole, into a
temporary name beside the target (:func:`atomic_output`): a cancelled or failed export never
leaves a half-written clip under its real name.
"""

from __future__ import annotations

import wave
from contextlib import ExitStack
from fractions import Fraction
from pathlib import Path
from types import TracebackType

import av
import numpy as np

from desktop_app.core.errors import ExportError
from desktop_app.formats.transcript_bundle import atomic_output

CLIP_FORMATS = ("wav", "flac")


class ClipWriter:
    """``with ClipWriter(path, rate, channels) as clip: clip.write(block)`` for each block of int16 samples."""

    def __init__(self, path: Path, sample_rate: int, channels: int, fmt: str = "wav") -> None:
        if fmt not in CLIP_FORMATS:
            raise ExportError(path, f"unknown clip format {fmt!r} (use {', '.join(CLIP_FORMATS)})")
        self.path, self.sample_rate, self.channels, self.fmt = Path(path), sample_rate, channels, fmt
        self.frames = 0
        self._stack = ExitStack()
        self._wav: wave.Wave_write | None = None
        self._flac: tuple[av.container.OutputContainer, av.audio.AudioStream] | None = None

    @property
    def seconds(self) -> float:
        return self.frames / self.sample_rate

    def __enter__(self) -> ClipWriter:
        with ExitStack() as stack:
            tmp = stack.enter_context(atomic_output(self.path))
            if self.fmt == "wav":
                self._wav = stack.enter_context(wave.open(str(tmp), "wb"))
                self._wav.setnchannels(self.channels)
                self._wav.setsampwidth(2)
                self._wav.setframerate(self.sample_rate)
            else:
                try:
                    container = stack.enter_context(av.open(str(tmp), "w", format="flac"))
                except av.error.FFmpegError as exc:
                    raise ExportError(self.path, f"cannot be written as FLAC ({exc})") from exc
                stream = container.add_stream("flac", rate=self.sample_rate, layout=self._layout, format="s16")
                self._flac = (container, stream)
                stack.callback(self._flush_flac)  # runs before the container closes
            self._stack = stack.pop_all()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._stack.__exit__(kind, error, tb)

    @property
    def _layout(self) -> str:
        return "mono" if self.channels == 1 else "stereo"

    def write(self, samples: np.ndarray) -> None:
        """Append ``samples`` (int16, frames x channels)."""
        if samples.shape[0] == 0:
            return
        if self._wav is not None:
            self._wav.writeframes(np.ascontiguousarray(samples, dtype="<i2").data)  # no copy on little-endian
        elif self._flac is not None:
            container, stream = self._flac
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples).reshape(1, -1), "s16", self._layout)
            frame.sample_rate, frame.pts, frame.time_base = self.sample_rate, self.frames, Fraction(1, self.sample_rate)
            try:
                for packet in stream.encode(frame):
                    container.mux(packet)
            except av.error.FFmpegError as exc:
                raise ExportError(self.path, f"cannot be encoded as FLAC ({exc})") from exc
        self.frames += samples.shape[0]

    def _flush_flac(self) -> None:
        if self._flac is not None:
            container, stream = self._flac
            for packet in stream.encode(None):
                container.mux(packet)
