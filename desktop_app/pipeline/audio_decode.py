"""Stream any audio or video as 16 kHz mono float32 blocks, so long recordings need little memory."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import BinaryIO

import av
import numpy as np

SAMPLE_RATE = 16000
AudioBlock = tuple[float, np.ndarray]  # (start seconds, samples)


def stream_audio(
    source: Path | BinaryIO, *, start: float = 0.0, block_seconds: float = 300.0, name: str | None = None
) -> Iterator[AudioBlock]:
    """Yield ``(start_seconds, samples)`` blocks of ``block_seconds`` (the last may be shorter)."""
    from desktop_app.core.errors import MediaError

    label = name or (str(source) if isinstance(source, Path) else "recording")
    block_len = int(block_seconds * SAMPLE_RATE)
    try:
        container = av.open(str(source) if isinstance(source, Path) else source, mode="r")
    except (av.error.FFmpegError, ValueError) as exc:
        raise MediaError(label, "is not an audio or video file that Verbatim can read") from exc
    with container:
        if not container.streams.audio:
            raise MediaError(label, "has no audio track")
        stream = container.streams.audio[0]
        if start > 0:
            container.seek(int(start * av.time_base), any_frame=False, backward=True)
        pending: list[np.ndarray] = []
        pending_len = 0
        position = 0  # samples from the start of the file, of the first pending sample
        try:
            for samples, first in _resampled(container, stream):
                if position == 0 and not pending:
                    position = first
                pending.append(samples)
                pending_len += samples.size
                while pending_len >= block_len + _skip(start, position):
                    block, pending, pending_len, position = _take(pending, block_len, start, position)
                    yield block
        except av.error.FFmpegError as exc:
            raise MediaError(label, f"is damaged: decoding stopped ({exc})") from exc
        while pending_len > _skip(start, position):
            block, pending, pending_len, position = _take(pending, block_len, start, position)
            yield block


def _skip(start: float, position: int) -> int:
    return max(0, int(start * SAMPLE_RATE) - position)


def _take(
    pending: list[np.ndarray], block_len: int, start: float, position: int
) -> tuple[AudioBlock, list[np.ndarray], int, int]:
    data = np.concatenate(pending)
    skip = _skip(start, position)
    data, position = data[skip:], position + skip
    block, rest = data[:block_len], data[block_len:]
    return (position / SAMPLE_RATE, block), ([rest] if rest.size else []), rest.size, position + block.size


def _resampled(
    container: av.container.InputContainer, stream: av.audio.AudioStream
) -> Iterator[tuple[np.ndarray, int]]:
    """Decoded frames as mono 16 kHz float32, each with its first sample's index in the file.

    Resampled exactly as faster-whisper's ``decode_audio`` does (s16 mono, scaled), so our chunked
    path feeds the model the same samples as a whole-file run.
    """
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    first: int | None = None
    for frame in container.decode(stream):
        if first is None:
            stamp = frame.pts * frame.time_base if frame.pts is not None and frame.time_base is not None else 0
            first = int(round(float(stamp) * SAMPLE_RATE))
            first = max(first, 0)
        for out in resampler.resample(frame):
            yield _to_float(out), first
    for out in resampler.resample(None):
        yield _to_float(out), first or 0


def _to_float(frame: av.AudioFrame) -> np.ndarray:
    return frame.to_ndarray().reshape(-1).astype(np.float32) / 32768.0


def decode_all(source: Path | BinaryIO, *, start: float = 0.0) -> np.ndarray:
    """The whole recording (from ``start``) as one array; for short files and tests."""
    blocks = [b for _, b in stream_audio(source, start=start)]
    return np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)


def recording_blocks(
    path: Path, opener: Callable[[], BinaryIO] | None, *, start: float = 0.0, block_seconds: float = 300.0
) -> Generator[AudioBlock, None, None]:
    """A recording as decoded blocks from ``start``: from the file at ``path``, or from the stream ``opener``
    gives (a recording embedded in the study, decrypted in memory), named by ``path`` in messages."""
    if opener is None:
        yield from stream_audio(path, start=start, block_seconds=block_seconds)
        return
    with opener() as source:
        yield from stream_audio(source, start=start, block_seconds=block_seconds, name=str(path))
