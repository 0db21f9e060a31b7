"""Stretches of a recording at its own sample rate, for audio clips of coded extracts; and the bleep.

Unlike :mod:`audio_decode` (16 kHz mono for the speech model) a clip keeps the recording's rate
and its mono or stereo sound, as 16-bit samples. One reader serves many excerpts from one open
container, seeking to each, so a hundred clips from an hour-long recording decode only the
stretches they need. The source may be a stream (an embedded recording read from the study), so
no plain audio is written anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import av
import numpy as np

from desktop_app.core.errors import MediaError

# Decoding starts this much before an excerpt: after a seek, MP3 (bit reservoir) and Opus/Vorbis
# (overlapped windows) need a few frames before their output matches a decode from the start.
PREROLL_SECONDS = 0.3
BLEEP_HZ = 1000.0
BLEEP_LEVEL = 0.2  # of full scale (about -14 dBFS): clearly a bleep, not a shock in headphones
BLEEP_FADE_SECONDS = 0.005  # a cross-fade at each edge, so the tone starts and stops without a click


@dataclass(frozen=True)
class Excerpt:
    samples: np.ndarray  # int16, shape (frames, channels)
    sample_rate: int
    start: float  # seconds into the recording of the first sample

    @property
    def channels(self) -> int:
        return int(self.samples.shape[1])

    @property
    def duration(self) -> float:
        return float(self.samples.shape[0] / self.sample_rate)


class ExcerptReader:
    """An open recording (file or seekable stream) that hands out excerpts by time."""

    def __init__(self, source: Path | BinaryIO, *, name: str | None = None, owns: BinaryIO | None = None) -> None:
        """``owns``: a stream to close with the reader (the source, when the caller opened it for us)."""
        self.label = name or (str(source) if isinstance(source, Path) else "recording")
        self._owned = owns
        try:
            self._container = av.open(str(source) if isinstance(source, Path) else source, mode="r")
        except (av.error.FFmpegError, ValueError) as exc:
            raise MediaError(self.label, "is not an audio or video file that Verbatim can read") from exc
        if not self._container.streams.audio:
            self._container.close()
            raise MediaError(self.label, "has no audio track")
        self._stream = self._container.streams.audio[0]
        self.sample_rate = int(self._stream.codec_context.sample_rate)
        self.channels = 1 if self._stream.codec_context.channels == 1 else 2
        self._layout = "mono" if self.channels == 1 else "stereo"

    def __enter__(self) -> ExcerptReader:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._container.close()
        if self._owned is not None:
            self._owned.close()

    def read(self, start: float, end: float) -> Excerpt:
        """Samples from ``start`` to ``end`` seconds (cut to the recording's end)."""
        start = max(0.0, start)
        first, last = round(start * self.sample_rate), round(max(start, end) * self.sample_rate)
        try:
            self._container.seek(int(max(0.0, start - PREROLL_SECONDS) * av.time_base), backward=True, any_frame=False)
            pieces, position = self._decode_from(first, last)
        except av.error.FFmpegError as exc:
            raise MediaError(self.label, f"is damaged: decoding stopped near {start:.1f} s ({exc})") from exc
        data = np.concatenate(pieces) if pieces else np.zeros((0, self.channels), dtype=np.int16)
        if position is None or position > first:  # the stream began after ``start`` (or was empty): pad
            lead = (position or first) - first
            data = np.concatenate([np.zeros((lead, self.channels), dtype=np.int16), data])
            position = first
        data = data[first - position : last - position]
        return Excerpt(np.ascontiguousarray(data), self.sample_rate, first / self.sample_rate)

    def _decode_from(self, first: int, last: int) -> tuple[list[np.ndarray], int | None]:
        """Decoded blocks from the seek point up to sample ``last``, and the index of their first sample."""
        resampler = av.AudioResampler(format="s16", layout=self._layout, rate=self.sample_rate)
        pieces: list[np.ndarray] = []
        position: int | None = None
        decoded = 0
        for frame in self._container.decode(self._stream):
            if position is None:
                stamp = frame.time if frame.time is not None else 0.0
                position = round(stamp * self.sample_rate)
            for block in _int16_blocks(frame, self.channels, resampler):
                if position + decoded + block.shape[0] > first:
                    pieces.append(block)
                    decoded += block.shape[0]
                else:
                    position += block.shape[0]  # wholly before the excerpt: drop it
            if position + decoded >= last:
                break
        return pieces, position


_PLANAR: dict[str, type[np.generic]] = {"s16p": np.int16, "fltp": np.float32}
_PACKED: dict[str, type[np.generic]] = {"s16": np.int16, "flt": np.float32}


def _int16_blocks(frame: av.AudioFrame, channels: int, resampler: av.AudioResampler) -> list[np.ndarray]:
    """A frame as int16 (frames x channels), straight from its buffers for the usual sample formats.

    Going through FFmpeg's resampler and ``to_ndarray`` costs about 0.3 ms a frame, which is most of
    the time for an AAC recording (a frame is 1024 samples); the direct conversion rounds and clips
    exactly as libswresample does (``lrintf(x * 32768)``, saturated). Other formats, and more than
    two channels (which need a down-mix), still go through the resampler.
    """
    name, count = frame.format.name, frame.samples
    if len(frame.layout.channels) == channels and (name in _PACKED or name in _PLANAR):
        if name in _PACKED:
            data = np.frombuffer(memoryview(frame.planes[0]), dtype=_PACKED[name], count=count * channels).reshape(
                count, channels
            )
        else:
            planes = [
                np.frombuffer(memoryview(frame.planes[i]), dtype=_PLANAR[name], count=count) for i in range(channels)
            ]
            data = planes[0].reshape(count, 1) if channels == 1 else np.stack(planes, axis=1)
        if data.dtype == np.int16:
            return [data.copy()]  # a view of the decoder's buffer would otherwise keep the frame alive
        return [np.clip(np.rint(data * np.float32(32768.0)), -32768, 32767).astype(np.int16)]
    return [out.to_ndarray().reshape(-1, channels) for out in resampler.resample(frame)]


def bleep(excerpt: Excerpt, spans: list[tuple[float, float]], *, margin: float = 0.05) -> Excerpt:
    """``excerpt`` with each span (seconds into the recording, widened by ``margin``) replaced by a tone.

    The tone cross-fades in and out over :data:`BLEEP_FADE_SECONDS` inside the widened span, so
    the spoken word itself is pure tone whenever ``margin`` is at least the fade; samples outside
    every widened span are left exactly as they were.
    """
    samples = excerpt.samples.copy()
    rate, total = excerpt.sample_rate, excerpt.samples.shape[0]
    fade = max(1, round(BLEEP_FADE_SECONDS * rate))
    for span_start, span_end in spans:
        low = max(0, round((span_start - margin - excerpt.start) * rate))
        high = min(total, round((span_end + margin - excerpt.start) * rate))
        if high <= low:
            continue
        index = np.arange(low, high)
        tone = BLEEP_LEVEL * 32767.0 * np.sin(2 * np.pi * BLEEP_HZ * index / rate)
        ramp = np.minimum(1.0, np.minimum(index - low + 1, high - index) / fade)
        original = samples[low:high].astype(np.float64)
        mixed = original * (1.0 - ramp)[:, None] + (tone * ramp)[:, None]
        samples[low:high] = np.clip(np.round(mixed), -32768, 32767).astype(np.int16)
    return Excerpt(samples, rate, excerpt.start)
