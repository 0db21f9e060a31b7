"""Recordings cut into chunks at silences, and chunk results joined back in order.

The chunks are the engine's own blocks: decoded ``block_seconds`` at a time and re-cut at the
last silence near each block's end (``asr_engine.cut_at_silences``), so no word is split and,
with the same ``block_seconds``, a cluster run hears exactly the audio a single-machine run
hears. Chunks are always cut from the start of the recording, even when a run resumes: the chunk
that holds the resume point is transcribed whole and the words already stored are dropped, so a
resumed document ends identical to one never interrupted.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from desktop_app.core.transcript import Segment, Word
from desktop_app.pipeline.asr_engine import cut_at_silences
from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.pipeline.audio_decode import AudioBlock
from desktop_app.pipeline.segment_builder import SegmentBuilder
from desktop_app.pipeline.speakers.heard_speech import HeardSpeech


@dataclass(frozen=True)
class Chunk:
    """Audio a worker transcribes in one task (samples in memory, never a file)."""

    index: int
    offset: float  # seconds into the recording
    audio: np.ndarray = field(repr=False)
    done: float  # seconds of the recording covered once this chunk is transcribed


@dataclass(frozen=True)
class ChunkResult:
    """What a worker sends back: words with times in the recording, the speech it heard, who did it."""

    words: list[Word]
    heard: HeardSpeech
    device: str
    worker: str
    wall_seconds: float


def recording_chunks(blocks: Iterable[AudioBlock], options: TranscriptionOptions) -> Iterator[Chunk]:
    """Chunks cut at silences, in order (the engine's blocks)."""
    for index, (offset, audio, done) in enumerate(cut_at_silences(blocks, options)):
        yield Chunk(index, offset, audio, done)


@dataclass(frozen=True)
class JoinedPart:
    """Segments finished once a chunk's words were added in order, and how far the recording is done."""

    done: float
    segments: list[Segment]
    heard: HeardSpeech


class ChunkJoiner:
    """Results arrive in any order; words come out in recording order, once, after ``resume_from``.

    Segments are built across chunk edges by one ``SegmentBuilder``, as the single-machine engine
    builds them across its blocks. A word that ends at or before ``resume_from`` is already stored.
    """

    def __init__(self, resume_from: float = 0.0) -> None:
        self.resume_from = resume_from
        self._order: deque[tuple[int, float]] = deque()  # (index, done) of chunks sent, in order
        self._results: dict[int, ChunkResult] = {}
        self._builder = SegmentBuilder()
        self._closed = False

    def sent(self, chunk: Chunk) -> None:
        self._order.append((chunk.index, chunk.done))

    def close(self) -> None:
        """Every chunk of the recording has been sent."""
        self._closed = True

    @property
    def complete(self) -> bool:
        return self._closed and not self._order

    def add(self, index: int, result: ChunkResult) -> None:
        self._results[index] = result

    def ready(self) -> Iterator[JoinedPart]:
        """The parts that can be written now (the next chunks in order whose results are in)."""
        while self._order and self._order[0][0] in self._results:
            index, done = self._order.popleft()
            result = self._results.pop(index)
            words = [w for w in result.words if w.end > self.resume_from]
            segments = self._builder.add(words)
            if self.complete:
                segments += self._builder.flush()
            yield JoinedPart(done, segments, result.heard)

    def finish(self) -> list[Segment]:
        """The last segment, once every chunk is in (empty if ``ready`` already flushed it)."""
        return self._builder.flush() if self.complete else []
