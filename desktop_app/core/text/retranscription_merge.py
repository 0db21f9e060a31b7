"""Putting a fresh transcription next to a researcher's work, without losing any of it.

Two ways, both pure functions over segments and words (the service stores the result as one
undoable step):

- *keep corrections*: the turns the researcher touched are kept exactly; the engine's words that
  fall between them fill the stretches in between, as new turns that never cross a kept one;
- *replace all*: every turn is new, and each coding is placed again on the same words in the new
  text near its old time, or reported when those words are no longer there.

New words take the speaker of the old turn they replace (by time), so a re-transcribed stretch
keeps the speaker turns found earlier.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from desktop_app.core.coding import Coding, TextPosition
from desktop_app.core.transcript import Segment, Word

_TOKEN = re.compile(r"[\w']+")
TIME_SLACK_SECONDS = 3.0  # how far from its old time a coded passage may be found again


def stretches_between(
    kept: Sequence[tuple[float, float]], duration: float, pad: float = 0.5, shortest: float = 0.3
) -> list[tuple[float, float]]:
    """The stretches of a recording outside the kept turns (``(start, end)`` seconds), each widened by
    ``pad`` so a word at its edge is heard whole (words inside a kept turn are dropped afterwards);
    gaps shorter than ``shortest`` hold no word and are left out."""
    edges = sorted(kept)
    bounds = [0.0, *(t for turn in edges for t in turn), max(duration, edges[-1][1] if edges else 0.0)]
    spans: list[tuple[float, float]] = []
    for a, b in zip(bounds[::2], bounds[1::2], strict=True):
        if b - a < shortest:
            continue
        start, end = max(0.0, a - pad), min(bounds[-1], b + pad)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _inside(t: float, segment: Segment) -> bool:
    return segment.start <= t <= segment.end


def words_between_kept(new_words: Sequence[Word], kept: Sequence[Segment]) -> dict[int, list[Word]]:
    """The new words outside every kept turn (in document order), by how many kept turns come before them."""
    ordered = list(kept)
    starts = [s.start for s in ordered]
    groups: dict[int, list[Word]] = {}
    for word in new_words:
        middle = (word.start + word.end) / 2
        place = bisect.bisect_right(starts, middle)  # kept turns before the word
        if place and _inside(middle, ordered[place - 1]):
            continue
        if any(_inside(middle, s) for s in ordered[place : place + 1]):
            continue
        groups.setdefault(place, []).append(word)
    return groups


def carry_speakers(new_words: Sequence[Word], old: Sequence[Segment]) -> list[Word]:
    """Each new word with the speaker of the old turn at its time (the nearest one between turns)."""
    spoken = sorted((s for s in old if s.speaker), key=lambda s: s.start)
    if not spoken:
        return list(new_words)
    starts = [s.start for s in spoken]
    carried = []
    for word in new_words:
        middle = (word.start + word.end) / 2
        i = bisect.bisect_right(starts, middle)
        near = [s for s in spoken[max(0, i - 1) : i + 1]]
        best = min(near, key=lambda s: 0.0 if _inside(middle, s) else min(abs(middle - s.start), abs(middle - s.end)))
        carried.append(replace(word, speaker=best.speaker))
    return carried


@dataclass(frozen=True)
class PlacedCoding:
    coding: Coding
    start: TextPosition | None  # None: the coded words are not in the new transcript
    end: TextPosition | None
    text: str  # the coded text, as it was


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _positions(segments: Sequence[Segment]) -> list[tuple[str, int, TextPosition, TextPosition]]:
    """Every word token of ``segments`` in order: (token, segment index, where it starts, where it ends)."""
    found = []
    for index, segment in enumerate(segments):
        assert segment.id is not None
        for token, a, b in _tokens(segment.text):
            found.append((token, index, TextPosition(segment.id, a), TextPosition(segment.id, b)))
    return found


def _matches(found: list[str], wanted: list[str]) -> bool:
    """Whole words inside; the ends may be parts of words (a coding may start or end mid-word)."""
    if len(wanted) == 1:
        return wanted[0] in found[0]
    inner = found[1:-1] == wanted[1:-1]
    return inner and found[0].endswith(wanted[0]) and found[-1].startswith(wanted[-1])


def place_coding(coding: Coding, coded_text: str, new: Sequence[Segment]) -> PlacedCoding:
    """Find the coded words (case and punctuation aside) in the new turns near the coding's old time."""
    wanted = [t for t, _, _ in _tokens(coded_text)]
    low = (coding.start_time if coding.start_time is not None else float("-inf")) - TIME_SLACK_SECONDS
    high = (coding.end_time if coding.end_time is not None else float("inf")) + TIME_SLACK_SECONDS
    tokens = _positions([s for s in new if s.end >= low and s.start <= high])
    names = [t[0] for t in tokens]
    n = len(wanted)
    for i in range(len(names) - n + 1) if wanted else ():
        if _matches(names[i : i + n], wanted):
            first, last = tokens[i], tokens[i + n - 1]
            lead = names[i].find(wanted[0]) if n == 1 else len(names[i]) - len(wanted[0])
            start = TextPosition(first[2].segment_id, first[2].offset + lead)
            end = TextPosition(last[2].segment_id, (start.offset if n == 1 else last[2].offset) + len(wanted[-1]))
            return PlacedCoding(coding, start, end, coded_text)
    return PlacedCoding(coding, None, None, coded_text)


def interleave(kept: Sequence[Segment], new: dict[int, list[Segment]]) -> list[Segment]:
    """The document's turns in order: each stretch's new turns, then the kept turn after it."""
    turns: list[Segment] = []
    for place in range(len(kept) + 1):
        turns.extend(new.get(place, []))
        if place < len(kept):
            turns.append(kept[place])
    return turns
