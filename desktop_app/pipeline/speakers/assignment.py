"""From labelled windows to a speaker timeline, words with speakers, and turns.

Windows are first labelled along each speech region by ``resegment`` (best speakers overall, each
change inside a region paying a small cost), so a voice that dips towards a similar one for a
second does not become a turn. Time is cut into 10 ms frames. Each window paints its owned span with its speaker; inside each VAD
region a majority filter (0.75 s) removes flicker and runs shorter than the minimum turn (0.5 s)
join a neighbour, so one stray window never splits a turn. A region that is one short run on its
own (a "Yes." between pauses) is kept. Each word takes the speaker holding most of its frames; a
change between words then moves to the strongest boundary nearby (a pause, a sentence end), so
the first words of a turn do not stay with the previous speaker. Finally the words' speakers are
painted back, so the timeline (RTTM) and the words agree, and the timeline keeps only what the VAD
heard tightly, with short pauses inside one speaker's talk bridged (``keep_heard``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop_app.core.transcript import Word

FRAME = 0.01  # seconds
NO_SPEECH = -1
SWITCH_COST = 0.06  # cosine similarity a change of speaker inside a region must earn


@dataclass(frozen=True)
class AssignmentOptions:
    majority_seconds: float = 0.75
    min_turn_seconds: float = 0.5
    snap_seconds: float = 1.0  # how far a change between words may move to a pause or sentence end
    snap_words: int = 3
    uncertain_margin: float = 0.05  # windows this close to a second speaker are uncertain
    switch_cost: float = SWITCH_COST
    bridge_seconds: float = 0.6  # a pause this short inside one speaker's talk stays theirs (RTTM convention)


@dataclass(frozen=True)
class Timeline:
    labels: np.ndarray  # (frames,) speaker index per 10 ms frame, NO_SPEECH where nobody speaks
    uncertain: np.ndarray  # (frames,) bool: overlapping or ambiguous speech

    def turns(self) -> list[tuple[float, float, int]]:
        """Contiguous runs of one speaker: (start, end, speaker index), in time order."""
        labels = self.labels
        change = np.flatnonzero(np.diff(labels)) + 1
        bounds = np.concatenate([[0], change, [len(labels)]])
        return [
            (round(a * FRAME, 3), round(b * FRAME, 3), int(labels[a]))
            for a, b in zip(bounds[:-1], bounds[1:], strict=True)
            if labels[a] != NO_SPEECH
        ]


def _frame(seconds: float | np.ndarray) -> np.ndarray:
    return np.asarray(np.round(np.asarray(seconds) / FRAME), dtype=np.int64)


def paint_windows(owned: np.ndarray, labels: np.ndarray, margins: np.ndarray, n_frames: int, margin: float) -> Timeline:
    """The raw timeline: each window's owned span gets its label; low-margin windows are uncertain."""
    frames = np.full(n_frames, NO_SPEECH, dtype=np.int16)
    uncertain = np.zeros(n_frames, dtype=bool)
    spans = np.clip(_frame(owned), 0, n_frames)
    for (a, b), label, m in zip(spans, labels, margins, strict=True):
        frames[a:b] = label
        uncertain[a:b] = m < margin
    return Timeline(frames, uncertain)


def _majority(labels: np.ndarray, width: int, n_speakers: int) -> np.ndarray:
    """Most frequent label in a centred window of ``width`` frames (ties keep the lower index)."""
    if width <= 1 or n_speakers <= 1 or len(labels) == 0:
        return labels
    counts = np.zeros((n_speakers, len(labels) + 1), dtype=np.int32)
    for k in range(n_speakers):
        np.cumsum(labels == k, out=counts[k, 1:])
    half = width // 2
    lo = np.clip(np.arange(len(labels)) - half, 0, len(labels))
    hi = np.clip(np.arange(len(labels)) + half + 1, 0, len(labels))
    return np.asarray((counts[:, hi] - counts[:, lo]).argmax(axis=0), dtype=labels.dtype)


def _runs(labels: np.ndarray) -> list[list[int]]:
    """[label, start, length] per run of equal labels."""
    change = np.flatnonzero(np.diff(labels)) + 1
    bounds = np.concatenate([[0], change, [len(labels)]])
    return [[int(labels[a]), int(a), int(b - a)] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _absorb_short_runs(labels: np.ndarray, min_frames: int) -> np.ndarray:
    """Give runs shorter than ``min_frames`` to a neighbour (the same one on both sides, else the longer)."""
    runs = _runs(labels)
    while len(runs) > 1:
        i = min(range(len(runs)), key=lambda r: runs[r][2])
        if runs[i][2] >= min_frames:
            break
        left = runs[i - 1] if i > 0 else None
        right = runs[i + 1] if i + 1 < len(runs) else None
        target = left if right is None or (left is not None and left[2] >= right[2]) else right
        assert target is not None
        target[2] += runs[i][2]
        target[1] = min(target[1], runs[i][1])
        del runs[i]
        j = runs.index(target)
        if j + 1 < len(runs) and runs[j + 1][0] == target[0]:  # now touching a run of the same speaker
            target[2] += runs[j + 1][2]
            del runs[j + 1]
    out = np.empty_like(labels)
    for label, start, length in runs:
        out[start : start + length] = label
    return out


def smooth(
    timeline: Timeline, regions: list[tuple[float, float]], n_speakers: int, options: AssignmentOptions
) -> Timeline:
    """Majority filter and minimum turn length inside each VAD region."""
    labels = timeline.labels.copy()
    width = max(1, round(options.majority_seconds / FRAME))
    min_frames = max(1, round(options.min_turn_seconds / FRAME))
    for a, b in np.clip(_frame(np.asarray(regions).reshape(-1, 2)), 0, len(labels)):
        span = labels[a:b]
        speech = span != NO_SPEECH
        if not speech.any():
            continue
        voiced = _majority(span[speech], width, n_speakers)
        span[speech] = _absorb_short_runs(voiced, min_frames)
    return Timeline(labels, timeline.uncertain)


def word_speakers(words: list[Word], timeline: Timeline) -> tuple[np.ndarray, np.ndarray]:
    """Speaker index per word (most frames under it; the nearest speech if none) and an uncertain flag."""
    speech = np.flatnonzero(timeline.labels != NO_SPEECH)
    speakers = np.zeros(len(words), dtype=np.int64)
    uncertain = np.zeros(len(words), dtype=bool)
    if len(speech) == 0:
        return speakers, uncertain
    n = len(timeline.labels)
    for i, word in enumerate(words):
        a = int(np.clip(_frame(word.start), 0, n - 1))
        b = int(np.clip(_frame(word.end), a + 1, n))
        under = timeline.labels[a:b]
        under = under[under != NO_SPEECH]
        if len(under):
            counts = np.bincount(under)
            speakers[i] = int(counts.argmax())
            mixed = counts.max() < 0.75 * len(under)
            uncertain[i] = mixed or bool(timeline.uncertain[a:b].mean() > 0.5)
        else:
            middle = (a + b) // 2
            nearest = speech[min(int(np.searchsorted(speech, middle)), len(speech) - 1)]
            before = speech[max(0, int(np.searchsorted(speech, middle)) - 1)]
            speakers[i] = timeline.labels[before if middle - before < nearest - middle else nearest]
    return speakers, uncertain


def _boundary_strength(words: list[Word], b: int) -> float:
    """How good a place word ``b`` is to start a turn: the pause before it, plus a sentence end."""
    gap = max(0.0, words[b].start - words[b - 1].end)
    sentence_end = words[b - 1].text.rstrip("\"'”’)").endswith((".", "?", "!"))
    return gap + (0.3 if sentence_end else 0.0)


def _candidates(words: list[Word], speakers: np.ndarray, b: int, options: AssignmentOptions) -> range:
    """Boundaries near change ``b`` that only move words between its two speakers."""
    before, after, t = speakers[b - 1], speakers[b], words[b].start
    lo = b
    while (  # the previous speaker keeps at least one word before the new boundary
        lo - 2 >= 0
        and speakers[lo - 1] == before
        and speakers[lo - 2] == before
        and b - (lo - 1) <= options.snap_words
        and t - words[lo - 1].start <= options.snap_seconds
    ):
        lo -= 1
    hi = b
    while (
        hi + 1 < len(words)
        and speakers[hi] == after
        and speakers[hi + 1] == after
        and hi + 1 - b <= options.snap_words
        and words[hi + 1].start - t <= options.snap_seconds
    ):
        hi += 1
    return range(lo, hi + 1)


def snap_changes(words: list[Word], speakers: np.ndarray, options: AssignmentOptions) -> np.ndarray:
    """Move each change of speaker between words to the strongest nearby boundary."""
    speakers = speakers.copy()
    snapped = -1
    for b in range(1, len(words)):
        if speakers[b] == speakers[b - 1] or b == snapped:
            continue
        best = max(_candidates(words, speakers, b, options), key=lambda c: (_boundary_strength(words, c), -abs(c - b)))
        if _boundary_strength(words, best) > _boundary_strength(words, b) + 0.1:
            before, after = speakers[b - 1], speakers[b]
            speakers[min(b, best) : max(b, best)] = after if best < b else before
            snapped = best
    return speakers


def paint_words(timeline: Timeline, words: list[Word], speakers: np.ndarray) -> Timeline:
    """Make the timeline agree with the words: speech frames under a word take the word's speaker."""
    labels = timeline.labels.copy()
    for word, speaker in zip(words, speakers, strict=True):
        a, b = int(_frame(word.start)), int(_frame(word.end))
        span = labels[max(0, a) : max(0, b)]
        span[span != NO_SPEECH] = speaker
    return Timeline(labels, timeline.uncertain)


def keep_heard(timeline: Timeline, heard: list[tuple[float, float]], bridge_seconds: float) -> Timeline:
    """Speech only where the voice is heard; a pause shorter than ``bridge_seconds`` between one speaker's words stays speech.

    Windows are labelled over regions padded and bridged for the encoder; who spoke when is told
    tighter: the pause between two speakers is nobody's, the breath inside one speaker's turn is
    theirs.
    """
    labels = timeline.labels.copy()
    audible = np.zeros(len(labels), dtype=bool)
    for start, end in heard:
        audible[max(0, int(_frame(start))) : max(0, int(_frame(end)))] = True
    labels[~audible] = NO_SPEECH
    spoken = np.flatnonzero(labels != NO_SPEECH)
    for k in np.flatnonzero(np.diff(spoken) > 1):
        a, b = spoken[k], spoken[k + 1]
        if labels[a] == labels[b] and (b - a - 1) * FRAME < bridge_seconds:
            labels[a + 1 : b] = labels[a]
    return Timeline(labels, timeline.uncertain)


def resegment(similarity: np.ndarray, region_of: np.ndarray, switch_cost: float) -> np.ndarray:
    """Speaker per window (Viterbi): most similar speakers overall, each change inside a region costing ``switch_cost``.

    ``similarity`` (n, k) is each window's cosine similarity to each speaker's centroid, windows in
    time order; ``region_of`` (n,) their speech region. A run of windows leaning only slightly to
    another speaker (a voice dipping towards a similar one for a second) costs two changes and is
    dropped, while a real turn, whose windows lean clearly, pays for its changes; across a pause a
    change is free.
    """
    n, k = similarity.shape
    labels = np.zeros(n, dtype=np.int64)
    if n == 0 or k < 2:
        return labels
    back = np.zeros((n, k), dtype=np.int64)
    score = similarity[0].astype(np.float64)
    for i in range(1, n):
        cost = 0.0 if region_of[i] != region_of[i - 1] else switch_cost
        stay = score
        best = int(np.argmax(score))
        switch = score[best] - cost
        back[i] = np.where(stay >= switch, np.arange(k), best)
        score = np.maximum(stay, switch) + similarity[i]
    labels[-1] = int(np.argmax(score))
    for i in range(n - 1, 0, -1):
        labels[i - 1] = back[i, labels[i]]
    return labels
