"""Stretches of a recording at its own sample rate, for audio clips of coded extracts; and the bleep.

Unlike :mod:`audio_decode` (16 kHz mono for the speech model) a clip keeps the recording's rate
and its mono or stereo sound, as 16-bit samples. One reader serves many excerpts from one open
container, seeking to each, so a hundred clips from an hour-long recording decode only the
stretches they need. The source may be a stream (an embedded recording read from the study), so
no plain audio is written anywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
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
BLOCK_SECONDS = 30.0  # what one step of a clip export holds in memory
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
        """Samples from ``start`` to ``end`` seconds (cut to the recording's end), in one piece."""
        blocks = list(self.stream(start, end))
        first = round(max(0.0, start) * self.sample_rate)
        samples = np.concatenate([b.samples for b in blocks]) if blocks else np.zeros((0, self.channels), np.int16)
        return Excerpt(samples, self.sample_rate, first / self.sample_rate)

    def stream(self, start: float, end: float, block_seconds: float = BLOCK_SECONDS) -> Iterator[Excerpt]:
        """The same samples in consecutive blocks, so that a long extract never sits in memory whole."""
        start = max(0.0, start)
        first, last = round(start * self.sample_rate), round(max(start, end) * self.sample_rate)
        block_len = max(1, round(block_seconds * self.sample_rate))
        try:
            self._container.seek(int(max(0.0, start - PREROLL_SECONDS) * av.time_base), backward=True, any_frame=False)
            pending: list[np.ndarray] = []
            pending_len, emitted = 0, first  # samples waiting; index of the next sample to hand out
            for piece in self._pieces(first, last):
                pending.append(piece)
                pending_len += piece.shape[0]
                while pending_len >= block_len:
                    data = _join(pending, self.channels)  # the rest stays as decoded, converted when handed out
                    pending, pending_len = [data[block_len:]], pending_len - block_len
                    yield Excerpt(
                        _as_int16([data[:block_len]], self.channels), self.sample_rate, emitted / self.sample_rate
                    )
                    emitted += block_len
        except av.error.FFmpegError as exc:
            raise MediaError(self.label, f"is damaged: decoding stopped near {start:.1f} s ({exc})") from exc
        if pending_len:
            yield Excerpt(_as_int16(pending, self.channels), self.sample_rate, emitted / self.sample_rate)

    def _pieces(self, first: int, last: int) -> Iterator[np.ndarray]:
        """Decoded samples from index ``first`` up to ``last``; silence where the stream starts later."""
        resampler = av.AudioResampler(format="s16", layout=self._layout, rate=self.sample_rate)
        position: int | None = None  # index of the next decoded sample
        for frame in self._container.decode(self._stream):
            lead = 0
            if position is None:
                position = round((frame.time or 0.0) * self.sample_rate)
                lead = min(position, last) - first  # > 0: the stream starts after ``first`` (an MP3's encoder delay)
            for block in _frame_blocks(frame, self.channels, resampler):
                if lead > 0:
                    yield np.zeros((lead, self.channels), dtype=block.dtype)
                    lead = 0
                low, high = max(first - position, 0), min(block.shape[0], last - position)
                if high > low:
                    yield block[low:high]
                position += block.shape[0]
            if position >= last:
                return


_PLANAR: dict[str, type[np.generic]] = {"s16p": np.int16, "fltp": np.float32}
_PACKED: dict[str, type[np.generic]] = {"s16": np.int16, "flt": np.float32}


def _frame_blocks(frame: av.AudioFrame, channels: int, resampler: av.AudioResampler) -> list[np.ndarray]:
    """A frame's samples (frames x channels), read straight from its buffers for the usual sample formats.

    int16 as it is, float32 still to be converted (see :func:`_as_int16`, once per excerpt). Going
    through FFmpeg's resampler and ``to_ndarray`` instead costs about 0.3 ms a frame, most of the
    time for an AAC recording (1024 samples a frame). Other formats, and more than two channels
    (which need a down-mix), still go through the resampler, which gives int16.
    """
    name, count = frame.format.name, frame.samples
    if len(frame.layout.channels) != channels or (name not in _PACKED and name not in _PLANAR):
        return [out.to_ndarray().reshape(-1, channels) for out in resampler.resample(frame)]
    if name in _PACKED:
        data = np.frombuffer(memoryview(frame.planes[0]), dtype=_PACKED[name], count=count * channels)
        return [data.reshape(count, channels)]
    planes = [np.frombuffer(memoryview(frame.planes[i]), dtype=_PLANAR[name], count=count) for i in range(channels)]
    return [planes[0].reshape(count, 1) if channels == 1 else np.stack(planes, axis=1)]


def _join(pieces: list[np.ndarray], channels: int) -> np.ndarray:
    """The pieces as one array, in their own sample type when they share one (else as int16)."""
    if len({p.dtype for p in pieces}) == 1:
        return np.concatenate(pieces)
    return _as_int16(pieces, channels)


def _as_int16(pieces: list[np.ndarray], channels: int) -> np.ndarray:
    """The pieces joined as int16; float samples rounded and clipped as libswresample does (``lrintf(x * 32768)``)."""
    if not pieces:
        return np.zeros((0, channels), dtype=np.int16)
    if len({p.dtype for p in pieces}) > 1:  # a stream that changed its sample format part-way
        return np.concatenate([_as_int16([p], channels) for p in pieces])
    data = pieces[0] if len(pieces) == 1 else np.concatenate(pieces)
    if data.dtype == np.int16:
        return data
    return np.clip(np.rint(data * np.float32(32768.0)), -32768, 32767).astype(np.int16)


def bleep(excerpt: Excerpt, spans: list[tuple[float, float]], *, margin: float = 0.05) -> Excerpt:
    """``excerpt`` with each span (seconds into the recording, widened by ``margin``) replaced by a tone.

    The tone cross-fades in and out over :data:`BLEEP_FADE_SECONDS` inside the widened span, so
    the spoken word itself is pure tone whenever ``margin`` is at least the fade; samples outside
    every widened span are left exactly as they were. Tone and fades follow the recording's sample
    index, so consecutive blocks of one clip, bleeped one by one, join without a seam.
    """
    samples = excerpt.samples.copy()
    rate, total = excerpt.sample_rate, excerpt.samples.shape[0]
    offset = round(excerpt.start * rate)  # the recording's index of the first sample
    fade = max(1, round(BLEEP_FADE_SECONDS * rate))
    for span_start, span_end in spans:
        low, high = round((span_start - margin) * rate), round((span_end + margin) * rate)
        inside = np.arange(max(low, offset), min(high, offset + total))
        if inside.size == 0:
            continue
        tone = BLEEP_LEVEL * 32767.0 * np.sin(2 * np.pi * BLEEP_HZ * inside / rate)
        ramp = np.minimum(1.0, np.minimum(inside - low + 1, high - inside) / fade)
        rows = inside - offset
        mixed = samples[rows].astype(np.float64) * (1.0 - ramp)[:, None] + (tone * ramp)[:, None]
        samples[rows] = np.clip(np.round(mixed), -32768, 32767).astype(np.int16)
    return Excerpt(samples, rate, excerpt.start)
