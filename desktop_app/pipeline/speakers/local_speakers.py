"""The first pass over a recording: local speakers of every 10 s chunk, and their voices, streamed.

Audio is fed in blocks as it is decoded (``feed``); whenever a whole chunk is there, it is
segmented (``segmentation``) and, with an embedder, the stretches of its local speakers' talk
embedded on their own frames (``embedding``). Only the audio from the next chunk's start is kept,
so a two-hour recording needs a few seconds of samples in memory, plus per chunk 589 x 3 activity
flags (1.8 KB) and a 192-float embedding per stretch of talk. A chunk in which the engine heard no speech at all (``HeardSpeech``, when the
transcription run passed it on) is not run through the models: it stays silent, which is what the
model says of silence, at no cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from desktop_app.pipeline.speakers.heard_speech import HeardSpeech
from desktop_app.pipeline.speakers.segmentation import (
    CHUNK_SAMPLES,
    CHUNK_SECONDS,
    FRAME_STEP,
    FRAMES_PER_CHUNK,
    LOCAL_SPEAKERS,
    SAMPLE_RATE,
    SpeakerSegmenter,
    cut_chunks,
)
from desktop_app.pipeline.speakers.voices.embedding import EMBEDDING_SIZE, Piece, VoiceEmbedder

_SILENT_PEAK = 1e-4  # a chunk whose samples never reach this is digital silence


@dataclass
class LocalSpeakers:
    """Every chunk's local speakers; times in seconds."""

    starts: np.ndarray = field(default_factory=lambda: np.empty(0))  # (n,) chunk starts
    active: np.ndarray = field(default_factory=lambda: np.zeros((0, FRAMES_PER_CHUNK, LOCAL_SPEAKERS), dtype=bool))
    pieces: list[tuple[int, Piece]] = field(default_factory=list)  # (chunk index, piece), embedded or not
    duration: float = 0.0

    def talk(self) -> np.ndarray:
        """(chunks, locals) seconds each local speaker of each chunk talks."""
        return np.asarray(self.active.sum(axis=1) * FRAME_STEP)

    def most_at_once(self, min_seconds: float) -> int:
        """The most local speakers one chunk holds with at least ``min_seconds`` of talk each."""
        if not len(self.starts):
            return 0
        return int((self.talk() >= min_seconds).sum(axis=1).max())

    def heard_apart(self, min_seconds: float) -> np.ndarray:
        """(pairs, 2) indices of embedded pieces of two local speakers of one chunk who each talk at least
        ``min_seconds`` in it: two people, as far as the segmentation model can tell."""
        talk = self.talk()
        by_chunk: dict[int, list[tuple[int, int]]] = {}
        for index, (chunk, piece) in enumerate(self.pieces):
            if piece.embedding is not None and talk[chunk, piece.local] >= min_seconds:
                by_chunk.setdefault(chunk, []).append((index, piece.local))
        pairs = [(i, j) for found in by_chunk.values() for i, a in found for j, b in found if i < j and a != b]
        return np.array(pairs, dtype=np.int64).reshape(-1, 2)

    def embeddings(self) -> np.ndarray:
        """(pieces, 192) float32, NaN rows for pieces without an embedding."""
        out = np.full((len(self.pieces), EMBEDDING_SIZE), np.nan, dtype=np.float32)
        for row, (_, piece) in zip(out, self.pieces, strict=True):
            if piece.embedding is not None:
                row[:] = piece.embedding
        return out

    def __len__(self) -> int:
        return len(self.starts)


def cell_borders(step_seconds: float) -> np.ndarray:
    """Frames of a chunk where the recording's grid of ``step_seconds`` cells falls (chunks start every step).

    The middle cell is the one the chunk embeds; the others are the middles of its neighbours. A
    local speaker's talk cut at these borders lines up with the pieces the neighbours embed, so
    each piece a chunk leaves to a neighbour has a counterpart there to take its speaker from.
    """
    margin = (CHUNK_SECONDS - step_seconds) / 2
    cells = np.arange(-np.ceil(margin / step_seconds), np.ceil(CHUNK_SECONDS / step_seconds) + 1)
    frames = np.unique(np.rint((margin + step_seconds * cells) / FRAME_STEP).astype(np.int64))
    return frames[(frames > 0) & (frames < FRAMES_PER_CHUNK)]


class LocalSpeakerPass:
    """Feed 16 kHz blocks in time order, then ``finish()``. Chunks start every ``step_seconds``.

    Without an ``embedder`` only the segmentation runs (who is heard when, and how many at once).
    """

    def __init__(
        self,
        segmenter: SpeakerSegmenter,
        embedder: VoiceEmbedder | None,
        step_seconds: float = 5.0,
        heard: HeardSpeech | None = None,
    ) -> None:
        self.segmenter, self.embedder, self.heard = segmenter, embedder, heard
        self.step = round(step_seconds * SAMPLE_RATE)
        self._buffer = np.zeros(0, dtype=np.float32)
        self._buffer_start = 0  # absolute sample of the buffer's first sample (the next chunk's start)
        self._end = 0  # absolute sample after the last one fed
        self._covered = 0  # absolute sample after the last chunk segmented
        self._starts: list[int] = []
        self._active: list[np.ndarray] = []
        self._pieces: list[tuple[int, Piece]] = []
        self._cells = cell_borders(step_seconds)

    def feed(self, start_seconds: float, samples: np.ndarray) -> None:
        start = round(start_seconds * SAMPLE_RATE)
        if not len(self._buffer) and not self._starts:
            self._buffer_start = self._covered = start
        elif start > self._end + 1:  # a gap: silence in between, as far as who spoke is concerned
            self._append(np.zeros(start - self._end, dtype=np.float32))
        self._append(np.asarray(samples, dtype=np.float32).reshape(-1))
        self._run(final=False)

    def finish(self) -> LocalSpeakers:
        self._run(final=True)
        if not self._starts:
            return LocalSpeakers(duration=self._end / SAMPLE_RATE)
        return LocalSpeakers(
            starts=np.array(self._starts) / SAMPLE_RATE,
            active=np.stack(self._active),
            pieces=self._pieces,
            duration=self._end / SAMPLE_RATE,
        )

    def _append(self, samples: np.ndarray) -> None:
        self._buffer = np.concatenate([self._buffer, samples]) if len(self._buffer) else samples
        self._end = self._buffer_start + len(self._buffer)

    def _run(self, final: bool) -> None:
        """Segment and embed every chunk the buffer holds whole (at the end, the padded last one too)."""
        offsets = list(range(0, len(self._buffer) - CHUNK_SAMPLES + 1, self.step))
        covered = self._buffer_start + offsets[-1] + CHUNK_SAMPLES if offsets else self._covered
        next_offset = offsets[-1] + self.step if offsets else 0
        if final and self._end > covered and next_offset < len(self._buffer):
            offsets.append(next_offset)  # the last, zero-padded chunk reaches the end
        if not offsets:
            return
        self._process(np.array(offsets), last=final)
        self._covered = self._buffer_start + offsets[-1] + CHUNK_SAMPLES
        drop = min(offsets[-1] + self.step, len(self._buffer))
        self._buffer = self._buffer[drop:]
        self._buffer_start += drop

    def _process(self, offsets: np.ndarray, last: bool) -> None:
        chunks = cut_chunks(self._buffer, offsets)
        starts = offsets + self._buffer_start
        spoken = np.array([self._may_hold_speech(int(s), c) for s, c in zip(starts, chunks, strict=True)], dtype=bool)
        active = np.zeros((len(chunks), FRAMES_PER_CHUNK, LOCAL_SPEAKERS), dtype=bool)
        if spoken.any():
            active[spoken] = self.segmenter.activity(chunks[spoken])
        heard = []  # the chunks with talk are embedded together, side by side
        for i, (start, chunk, chunk_active) in enumerate(zip(starts, chunks, active, strict=True)):
            owned = self._owned(first=not self._starts, last=last and i == len(starts) - 1)
            if chunk_active.any():
                heard.append((len(self._starts), (chunk, chunk_active, owned)))
            self._starts.append(int(start))
            self._active.append(chunk_active)
        if heard and self.embedder is not None:
            found = self.embedder.embed_chunks([chunk for _, chunk in heard], self._cells)
            self._pieces += [(index, p) for (index, _), pieces in zip(heard, found, strict=True) for p in pieces]

    def _owned(self, first: bool, last: bool) -> tuple[int, int]:
        """The frames of a chunk whose talk it embeds: its middle ``step`` (the first and last reach out)."""
        margin = (CHUNK_SAMPLES - self.step) / 2 / SAMPLE_RATE
        low = 0 if first else round(margin / FRAME_STEP)
        high = FRAMES_PER_CHUNK if last else round((CHUNK_SAMPLES / SAMPLE_RATE - margin) / FRAME_STEP)
        return low, high

    def _may_hold_speech(self, start: int, chunk: np.ndarray) -> bool:
        if float(np.abs(chunk).max(initial=0.0)) < _SILENT_PEAK:
            return False
        if self.heard is None:
            return True
        spans = self.heard.within(start, min(CHUNK_SAMPLES, self._end - start))
        return spans is None or bool(spans)  # not covered by what the engine heard: ask the model
