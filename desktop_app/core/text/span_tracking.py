"""Codings follow text edits: map span ends through edits, splits and merges of segments.

A coding's ends are ``TextPosition(segment_id, offset)``, code points, end exclusive. Rules for an edit at
``p`` removing ``r`` characters and inserting ``n``: text inserted strictly inside a span extends it;
text inserted exactly at a span's start or end stays outside; deleting inside shrinks it; deleting across
an end clips it; an end inside replaced text moves proportionally through the replacement. A span left
with no characters is flagged ``needs_review`` and kept, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from enum import Enum
from itertools import accumulate

from desktop_app.core.coding import Coding, TextPosition
from desktop_app.core.text.text_anchoring import has_no_space_chars, word_char_spans
from desktop_app.core.transcript import Segment

_DIFF_TOKEN = re.compile(r"\s+|\w+|.", re.DOTALL)


class Side(Enum):
    """Which end of a span a position is: it decides where it goes when text is inserted right at it."""

    START = "start"
    END = "end"


@dataclass(frozen=True)
class TextEdit:
    """Replace ``removed`` code points at ``position`` (in the text before the edit) with ``inserted``."""

    position: int
    removed: int
    inserted: str = ""


def _diff_tokens(text: str) -> list[str]:
    """Words, whitespace runs and single other characters; space-less scripts one character at a time."""
    tokens: list[str] = []
    for token in _DIFF_TOKEN.findall(text):
        if has_no_space_chars(token):
            tokens.extend(token)
        else:
            tokens.append(token)
    return tokens


def edits_between(old: str, new: str) -> list[TextEdit]:
    """The edits turning ``old`` into ``new``: ascending, non-overlapping, in ``old``'s positions.

    One contiguous change (a keystroke, a pasted word) gives one edit; the rest is diffed by words, so a
    replaced word is one replacement rather than letters matched by chance.
    """
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    old_mid, new_mid = old[prefix : len(old) - suffix], new[prefix : len(new) - suffix]
    if not old_mid and not new_mid:
        return []
    if not old_mid or not new_mid:
        return [TextEdit(prefix, len(old_mid), new_mid)]
    old_tokens, new_tokens = _diff_tokens(old_mid), _diff_tokens(new_mid)
    old_starts = list(accumulate((len(t) for t in old_tokens), initial=prefix))
    new_starts = list(accumulate((len(t) for t in new_tokens), initial=0))
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    return [
        TextEdit(old_starts[i1], old_starts[i2] - old_starts[i1], new_mid[new_starts[j1] : new_starts[j2]])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def apply_edits(text: str, edits: Sequence[TextEdit]) -> str:
    """``text`` with ascending, non-overlapping ``edits`` applied."""
    parts: list[str] = []
    cursor = 0
    for edit in edits:
        parts += [text[cursor : edit.position], edit.inserted]
        cursor = edit.position + edit.removed
    parts.append(text[cursor:])
    return "".join(parts)


def map_offset(offset: int, edits: Sequence[TextEdit], side: Side) -> int:
    """Where ``offset`` (one end of a span) lands after ``edits``, given by :func:`edits_between`."""
    shift = 0
    for edit in edits:
        start, stop, added = edit.position, edit.position + edit.removed, len(edit.inserted)
        if offset < start:
            break
        if edit.removed == 0 and offset == start:
            return offset + shift + (added if side is Side.START else 0)
        if offset <= stop and edit.removed > 0:
            inside = offset - start
            return start + shift + (inside * added + edit.removed // 2) // edit.removed
        shift += added - edit.removed
    return offset + shift


@dataclass(frozen=True)
class DocumentLayout:
    """A document's segment ids in order with their text lengths, to measure spans across segments."""

    segment_ids: tuple[int, ...]
    lengths: Mapping[int, int]

    def covered_length(self, start: TextPosition, end: TextPosition) -> int:
        """Characters between ``start`` and ``end`` (0 when empty or reversed)."""
        if start.segment_id == end.segment_id:
            return max(0, end.offset - start.offset)
        order = {segment_id: index for index, segment_id in enumerate(self.segment_ids)}
        first, last = order.get(start.segment_id), order.get(end.segment_id)
        if first is None or last is None or first > last:
            return 0
        middle = sum(self.lengths.get(i, 0) for i in self.segment_ids[first + 1 : last])
        return max(0, self.lengths.get(start.segment_id, 0) - start.offset) + middle + end.offset


def is_empty_span(coding: Coding, layout: DocumentLayout | None = None) -> bool:
    """True when the span holds no characters (spans across segments need ``layout`` to tell)."""
    if coding.start.segment_id == coding.end.segment_id:
        return coding.end.offset <= coding.start.offset
    return layout is not None and layout.covered_length(coding.start, coding.end) == 0


def _settled(coding: Coding, start: TextPosition, end: TextPosition, layout: DocumentLayout | None) -> Coding:
    if start.segment_id == end.segment_id and end.offset < start.offset:
        start = TextPosition(end.segment_id, end.offset)
    moved = replace(coding, start=start, end=end)
    if is_empty_span(moved, layout):
        moved.needs_review = True
    return moved


def track_text_edit(
    codings: Iterable[Coding],
    segment_id: int,
    edits: Sequence[TextEdit],
    layout: DocumentLayout | None = None,
) -> list[Coding]:
    """Codings, in the same order, after ``edits`` to segment ``segment_id``'s text.

    Codings with no end in the segment come back as the same objects (unless ``layout``, the lengths after
    the edit, shows that a span across segments was emptied: then it is a flagged copy).
    """
    result: list[Coding] = []
    for coding in codings:
        start, end = coding.start, coding.end
        if segment_id not in (start.segment_id, end.segment_id):
            emptied = layout is not None and not coding.needs_review and is_empty_span(coding, layout)
            result.append(replace(coding, needs_review=True) if emptied else coding)
            continue
        if start.segment_id == segment_id:
            start = TextPosition(segment_id, map_offset(start.offset, edits, Side.START))
        if end.segment_id == segment_id:
            end = TextPosition(segment_id, map_offset(end.offset, edits, Side.END))
        result.append(_settled(coding, start, end, layout))
    return result


@dataclass(frozen=True)
class PieceLayout:
    """Where each piece of a split segment came from: ascending ``[start, end)`` ranges of the old text.

    Characters between ranges (whitespace dropped at a split) belong to no piece.
    """

    ranges: tuple[tuple[int, int], ...]

    def locate(self, offset: int, side: Side) -> tuple[int, int]:
        """``(piece index, offset in that piece)`` for an old-text offset."""
        if side is Side.START:
            for index, (start, end) in enumerate(self.ranges):
                if offset < end:
                    return index, max(0, offset - start)
            last_start, last_end = self.ranges[-1]
            return len(self.ranges) - 1, last_end - last_start
        for index in range(len(self.ranges) - 1, -1, -1):
            start, end = self.ranges[index]
            if offset > start:
                return index, min(offset, end) - start
        return 0, 0


def track_split(
    codings: Iterable[Coding],
    segment_id: int,
    piece_ids: Sequence[int],
    pieces: PieceLayout,
    layout: DocumentLayout | None = None,
) -> list[Coding]:
    """Codings after segment ``segment_id`` was cut into pieces, stored under ``piece_ids`` in order."""
    if len(piece_ids) != len(pieces.ranges):
        raise ValueError("one id is needed per piece")

    def moved(position: TextPosition, side: Side) -> TextPosition:
        if position.segment_id != segment_id:
            return position
        index, offset = pieces.locate(position.offset, side)
        return TextPosition(piece_ids[index], offset)

    return [_settled(c, moved(c.start, Side.START), moved(c.end, Side.END), layout) for c in codings]


def track_merge(codings: Iterable[Coding], first_id: int, second_id: int, shift: int) -> list[Coding]:
    """Codings after segment ``second_id`` was appended to ``first_id``; ``shift`` = len(first) + len(separator)."""

    def moved(position: TextPosition) -> TextPosition:
        if position.segment_id != second_id:
            return position
        return TextPosition(first_id, position.offset + shift)

    return [_settled(c, moved(c.start), moved(c.end), None) for c in codings]


def _words_time(segment: Segment, low: int, high: int) -> tuple[float, float] | None:
    """Time range of the words of ``segment`` overlapping characters ``[low, high)``."""
    spans = word_char_spans(segment.text, segment.words)
    hits = [w for w, span in zip(segment.words, spans, strict=True) if span and span[0] < high and span[1] > low]
    return (hits[0].start, max(w.end for w in hits)) if hits else None


def _char_time(segment: Segment, offset: int) -> float:
    fraction = min(max(offset, 0), len(segment.text)) / max(1, len(segment.text))
    return segment.start + (segment.end - segment.start) * fraction


def span_time_range(segments: Sequence[Segment], start: TextPosition, end: TextPosition) -> tuple[float, float] | None:
    """Audio time of a span, from the words it touches (else estimated from its place in the turns).

    ``segments`` are the document's segments in order; None if an end's segment is not among them.
    """
    index = {s.id: i for i, s in enumerate(segments) if s.id is not None}
    first, last = index.get(start.segment_id), index.get(end.segment_id)
    if first is None or last is None or first > last:
        return None
    times: list[tuple[float, float]] = []
    for i in range(first, last + 1):
        segment = segments[i]
        low = start.offset if i == first else 0
        high = end.offset if i == last else len(segment.text)
        found = _words_time(segment, low, high)
        if found is not None:
            times.append(found)
    if not times:
        return _char_time(segments[first], start.offset), _char_time(segments[last], end.offset)
    return times[0][0], max(t[1] for t in times)
