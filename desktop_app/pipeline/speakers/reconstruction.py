"""From chunks' local speakers, matched across chunks, back to one speaker timeline with overlap.

As pyannote.audio's ``reconstruct`` and ``to_diarization``: each chunk's activity is re-labelled
with the recording's speakers (a speaker two local speakers were matched to takes the union), the
chunks are laid on one grid of 16.875 ms frames and averaged where they overlap, and so is the
number of people each chunk hears at once. In every frame the ``count`` speakers with the highest
average activity are speaking: overlap where the model heard two voices, nobody where it heard
none. Short gaps inside one speaker's talk are then bridged and blips shorter than
``min_on_seconds`` dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop_app.pipeline.speakers.segmentation import FRAME_DURATION, FRAME_STEP, FRAMES_PER_CHUNK
from desktop_app.pipeline.speakers.voices.embedding import Piece


@dataclass(frozen=True)
class ReconstructionOptions:
    min_on_seconds: float = 0.1  # a speaker's run shorter than this is dropped
    bridge_seconds: float = 0.25  # a pause this short inside one speaker's talk stays theirs
    # two local speakers heard at once under one speaker are split only if each voice is at least this
    # alike (cosine) to the speaker it is given; below, the model more likely heard one voice twice
    separate_above: float = 0.25


@dataclass(frozen=True)
class SpeakerActivity:
    """(frames, speakers) bool on a grid of ``FRAME_STEP`` from time 0 (frame i's centre at i * step + 31 ms)."""

    active: np.ndarray

    @property
    def speakers(self) -> int:
        return int(self.active.shape[1])

    def time(self, frame: int | np.ndarray) -> np.ndarray:
        """Start time of frame(s): the frame spans [time, time + step) around its centre."""
        return np.asarray(np.asarray(frame) * FRAME_STEP + FRAME_DURATION / 2 - FRAME_STEP / 2)

    def frame(self, seconds: float | np.ndarray) -> np.ndarray:
        return np.asarray(np.rint((np.asarray(seconds) - FRAME_DURATION / 2) / FRAME_STEP), dtype=np.int64)

    def turns(self) -> list[tuple[float, float, int]]:
        """(start, end, speaker) of every run of each speaker, by start; runs of two speakers may overlap."""
        out = []
        for speaker in range(self.speakers):
            padded = np.concatenate([[False], self.active[:, speaker], [False]])
            edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
            for a, b in zip(edges[::2], edges[1::2], strict=True):
                out.append((round(float(self.time(a)), 3), round(float(self.time(b)), 3), speaker))
        return sorted(out)


def reconstruct(
    starts: np.ndarray,
    active: np.ndarray,
    pieces: list[tuple[int, Piece]],
    labels: np.ndarray,
    speakers: int,
    duration: float,
    options: ReconstructionOptions | None = None,
    similarity: np.ndarray | None = None,
) -> SpeakerActivity:
    """The recording's speaker activity from chunks at ``starts`` (s) with ``active`` (n, frames, locals),
    the ``pieces`` of their local speakers' talk and each piece's speaker in ``labels`` (negative: none).

    ``similarity`` (pieces, speakers): how alike each piece's voice is to each speaker (NaN where
    not embedded). Two local speakers of one chunk heard at once are two people: where both
    pieces went to the same speaker, the pair is given the two most alike distinct speakers
    (pyannote.audio's constrained assignment, per frame of overlap), so overlapping talk is not
    folded into one voice.
    """
    options = options or ReconstructionOptions()
    n_frames = max(1, int(np.ceil(duration / FRAME_STEP)))
    if not speakers:
        return SpeakerActivity(np.zeros((n_frames, 0), dtype=bool))
    alike = _alike(labels, speakers, similarity)
    frame_labels = np.full((len(starts), FRAMES_PER_CHUNK, active.shape[2]), -1, dtype=np.int32)
    frame_piece = np.full(frame_labels.shape, -1, dtype=np.int32)
    for index, ((chunk, piece), speaker) in enumerate(zip(pieces, labels, strict=True)):
        if speaker >= 0:
            on = active[chunk, piece.start : piece.end, piece.local]
            frame_labels[chunk, piece.start : piece.end, piece.local] = np.where(on, speaker, -1)
            frame_piece[chunk, piece.start : piece.end, piece.local] = index
    if speakers > 1:
        _separate_overlap(frame_labels, frame_piece, alike, options.separate_above)
    clustered = np.stack([(frame_labels == speaker).any(axis=2) for speaker in range(speakers)], axis=-1)
    score = np.zeros((n_frames + FRAMES_PER_CHUNK, speakers))
    count = np.zeros(n_frames + FRAMES_PER_CHUNK)
    covered = np.zeros(n_frames + FRAMES_PER_CHUNK)
    for start, chunk_active, chunk_clustered in zip(starts, active, clustered, strict=True):
        rows = slice(int(round(start / FRAME_STEP)), int(round(start / FRAME_STEP)) + FRAMES_PER_CHUNK)
        covered[rows] += 1
        count[rows] += chunk_active.sum(axis=1)
        score[rows] += chunk_clustered
    score, count, covered = score[:n_frames], count[:n_frames], covered[:n_frames]
    safe = np.maximum(covered, 1)
    heard = np.rint(count / safe).astype(np.int64)
    return SpeakerActivity(_tidy(_top(score / safe[:, None], np.minimum(heard, speakers)), options))


def inherit_labels(
    starts: np.ndarray, active: np.ndarray, pieces: list[tuple[int, Piece]], labels: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Labels for the pieces without one: the speaker of the labelled piece whose track agrees most with
    theirs; and for every piece, the piece its label came from (itself when labelled, -1 for none).

    A piece outside its chunk's middle was not embedded because the neighbouring chunk embeds that
    time; there, one of its local speakers is the same voice, and it is the one active in the same
    frames (the chunks' local speakers are matched by their activity, as pyannote.audio 2 did).
    A piece with no such partner (too short to embed, or cut from the rest of a short remark by a
    cell border) takes the speaker of the nearest labelled piece of its own local speaker in its
    chunk (the segmentation model keeps one voice on one local speaker within a chunk); one with
    neither stays unassigned.
    """
    labels = labels.copy()
    source = np.where(labels >= 0, np.arange(len(labels)), -1)
    offsets = np.rint(starts / FRAME_STEP).astype(np.int64)
    by_chunk: dict[int, list[int]] = {}
    for index, (chunk, _) in enumerate(pieces):
        by_chunk.setdefault(chunk, []).append(index)
    lenders: dict[int, list[int]] = {}  # per chunk: the labelled pieces of the chunks sharing frames with it
    for chunk in by_chunk:
        near = np.flatnonzero(np.abs(offsets - offsets[chunk]) < FRAMES_PER_CHUNK)
        lenders[chunk] = [j for c in near if c != chunk for j in by_chunk.get(int(c), []) if labels[j] >= 0]
    for i in np.flatnonzero(labels < 0):
        chunk, piece = pieces[i]
        first, last = offsets[chunk] + piece.start, offsets[chunk] + piece.end
        mine = active[chunk, piece.start : piece.end, piece.local]
        best, agreement = -1, 0
        for j in lenders[chunk]:
            other_chunk, other = pieces[j]
            a = max(first, offsets[other_chunk] + other.start)
            b = min(last, offsets[other_chunk] + other.end)
            if b <= a:
                continue
            theirs = active[other_chunk, a - offsets[other_chunk] : b - offsets[other_chunk], other.local]
            both = int((mine[a - first : b - first] & theirs).sum())
            if both > agreement:
                best, agreement = j, both
        if best >= 0:
            labels[i], source[i] = labels[best], best
    for i in np.flatnonzero(labels < 0):  # the same local speaker of the same chunk is the same person
        chunk, piece = pieces[i]
        mates = [(abs(pieces[j][1].start - piece.start), j) for j in by_chunk[chunk] if labels[j] >= 0]
        mates = [(gap, j) for gap, j in mates if pieces[j][1].local == piece.local]
        if mates:
            j = min(mates)[1]
            labels[i], source[i] = labels[j], source[j]
    return labels, source


def _alike(labels: np.ndarray, speakers: int, similarity: np.ndarray | None) -> np.ndarray:
    """(pieces, speakers) similarity to each speaker; a piece labelled without one knows only its own."""
    alike = np.full((len(labels), speakers), np.nan) if similarity is None else np.array(similarity, dtype=float)
    unknown = np.isnan(alike).all(axis=1)
    alike = np.nan_to_num(alike, nan=-1.0)
    rows = np.flatnonzero(unknown & (labels >= 0))
    alike[rows, labels[rows]] = 1.0
    return np.asarray(alike, dtype=float)


def _separate_overlap(labels: np.ndarray, pieces: np.ndarray, alike: np.ndarray, floor: float) -> None:
    """In place: where two local speakers of a chunk talk at once under one speaker, the best distinct pair."""
    heard = labels >= 0
    high = np.where(heard, labels, -1).max(axis=2)
    low = np.where(heard, labels, alike.shape[1]).min(axis=2)
    for c, f in zip(*np.nonzero((heard.sum(axis=2) == 2) & (high == low)), strict=True):
        first, second = np.flatnonzero(heard[c, f])
        pair = alike[pieces[c, f, first]][:, None] + alike[pieces[c, f, second]][None, :]
        np.fill_diagonal(pair, -np.inf)
        a, b = np.unravel_index(int(pair.argmax()), pair.shape)
        if min(alike[pieces[c, f, first], a], alike[pieces[c, f, second], b]) >= floor:
            labels[c, f, first], labels[c, f, second] = a, b


def _top(score: np.ndarray, count: np.ndarray) -> np.ndarray:
    """(frames, speakers) bool: in each frame the ``count`` speakers with the highest positive score."""
    order = np.argsort(-score, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(score.shape[1])[None, :].repeat(len(score), axis=0), axis=1)
    return (rank < count[:, None]) & (score > 0)


def _tidy(active: np.ndarray, options: ReconstructionOptions) -> np.ndarray:
    """Bridge short pauses in each speaker's talk, then drop runs shorter than the minimum."""
    out = active.copy()
    bridge = int(round(options.bridge_seconds / FRAME_STEP))
    shortest = int(round(options.min_on_seconds / FRAME_STEP))
    for speaker in range(out.shape[1]):
        track = out[:, speaker]
        for value, limit in ((False, bridge), (True, shortest)):
            padded = np.concatenate([[not value], track == value, [not value]]).astype(np.int8)
            edges = np.flatnonzero(np.diff(padded))
            for a, b in zip(edges[::2], edges[1::2], strict=True):
                inside = a > 0 and b < len(track) if not value else True
                if b - a < limit and inside:
                    track[a:b] = not value
    return out
