"""Words get speakers from the speaker timeline; words spoken while someone else talks are marked.

Each word takes the speaker active during most of its frames; when nobody is (the model missed a
quiet word Whisper heard), the nearest speaker in time. A word during which another speaker is
active for at least ``overlap_share`` of its time is overlapping talk. A change of speaker between
words then moves to the strongest boundary nearby (a pause, a sentence end: ``snap_changes``), so
a turn's first word does not stay with the previous speaker. The turns (RTTM) are the timeline's,
plus the words' own time where the timeline has nobody under them, so no transcribed word is
left outside every turn.
"""

from __future__ import annotations

import numpy as np

from desktop_app.core.transcript import Word
from desktop_app.pipeline.speakers.assignment import AssignmentOptions, snap_changes
from desktop_app.pipeline.speakers.overlap import OVERLAP_SHARE
from desktop_app.pipeline.speakers.reconstruction import SpeakerActivity

_JOIN_SECONDS = 0.5  # words of one speaker this close form one turn where the timeline has none


def _word_frames(activity: SpeakerActivity, word: Word) -> tuple[int, int]:
    n = len(activity.active)
    a = int(np.clip(activity.frame(word.start), 0, max(0, n - 1)))
    b = int(np.clip(activity.frame(word.end), a + 1, max(a + 1, n)))
    return a, b


def words_with_speakers(words: list[Word], activity: SpeakerActivity) -> tuple[np.ndarray, np.ndarray]:
    """(speaker index per word, overlapping flag per word); -1 for every word when nobody was heard."""
    speakers = np.full(len(words), -1, dtype=np.int64)
    overlapping = np.zeros(len(words), dtype=bool)
    active = activity.active
    if not words or active.size == 0 or not active.any():
        return speakers, overlapping
    speaking = np.flatnonzero(active.any(axis=1))
    for i, word in enumerate(words):
        a, b = _word_frames(activity, word)
        counts = active[a:b].sum(axis=0)
        if counts.max() > 0:
            speakers[i] = int(counts.argmax())
            others = np.delete(counts, speakers[i])
            overlapping[i] = bool(len(others) and others.max() >= OVERLAP_SHARE * (b - a))
        else:
            middle = (a + b) // 2
            at = int(np.searchsorted(speaking, middle))
            candidates = speaking[max(0, at - 1) : at + 1]
            nearest = int(candidates[np.abs(candidates - middle).argmin()])
            speakers[i] = int(active[nearest].argmax())
    snapped = snap_changes(words, speakers, AssignmentOptions())
    return np.asarray(snapped, dtype=np.int64), overlapping


def speaker_turns(activity: SpeakerActivity, words: list[Word], speakers: np.ndarray) -> list[tuple[float, float, int]]:
    """(start, end, speaker) turns: the timeline's, and the words' own time where it has nobody."""
    turns = activity.turns()
    active = activity.active
    loose: list[list[float]] = []
    for word, speaker in zip(words, speakers, strict=True):
        a, b = _word_frames(activity, word)
        if speaker < 0 or (active.size and active[a:b].any()):
            continue
        if loose and loose[-1][2] == speaker and word.start - loose[-1][1] < _JOIN_SECONDS:
            loose[-1][1] = max(loose[-1][1], word.end)
        else:
            loose.append([word.start, word.end, int(speaker)])
    turns += [(round(a, 3), round(b, 3), int(k)) for a, b, k in loose if b > a]
    return sorted(turns)
