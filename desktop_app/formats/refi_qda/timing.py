"""Imported text + sync points -> timed segments and words (the reverse of the transcript export).

Exact times come from the sync points that no selection refers to (selections carry their own);
interpolation uses every timed point, so a transcript whose only points are its codings' ends
(QualCoder writes them so) still gets times between them. Several
points at one position keep their file order: a segment's start is the first point at its line
start (else its text start), its end the last at its text end; a word's start is the last point at
its first character, its end the first at its end. Where no point sits exactly, times are
interpolated by position between the neighbouring points, and such words are marked ``edited``.
A text with no sync points gives segments without words or times. Lines stamped ``[hh:mm:ss]``
take their start (and the next stamp as their end) from the stamp.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from desktop_app.core.text.text_anchoring import spread_times, tokenize
from desktop_app.core.transcript import Segment, Word
from desktop_app.formats.refi_qda.layout import ParsedLine


@dataclass(frozen=True)
class SyncPoint:
    guid: str
    position: int
    ms: int | None


class Timing:
    """Look-ups of times by document position."""

    def __init__(self, points: Sequence[SyncPoint], referenced: Collection[str] = ()) -> None:
        timed = [p for p in points if p.ms is not None]
        own = [p for p in timed if p.guid not in referenced]
        chosen = own or timed
        self._at: dict[int, list[float]] = {}
        for point in chosen:
            self._at.setdefault(point.position, []).append((point.ms or 0) / 1000)
        exact = {p.position for p in chosen}
        anchors = chosen + [p for p in timed if p.position not in exact]
        ordered = sorted(anchors, key=lambda p: p.position)
        self._positions = [p.position for p in ordered]
        self._times = [(p.ms or 0) / 1000 for p in ordered]

    def __bool__(self) -> bool:
        return bool(self._positions)

    def first(self, position: int) -> float | None:
        found = self._at.get(position)
        return found[0] if found else None

    def last(self, position: int) -> float | None:
        found = self._at.get(position)
        return found[-1] if found else None

    def interpolate(self, position: int) -> float:
        """Time at ``position`` by linear interpolation (held flat before the first and after the last)."""
        if not self._positions:
            return 0.0
        right = bisect.bisect_left(self._positions, position)
        if right >= len(self._positions):
            return self._times[-1]
        if self._positions[right] == position or right == 0:
            return self._times[right]
        p0, p1 = self._positions[right - 1], self._positions[right]
        t0, t1 = self._times[right - 1], self._times[right]
        return t0 + (t1 - t0) * (position - p0) / (p1 - p0)


def _words(text: str, text_start: int, timing: Timing) -> list[Word]:
    words = []
    for token in tokenize(text):
        start, end = timing.last(text_start + token.start), timing.first(text_start + token.end)
        exact = start is not None and end is not None
        start = start if start is not None else timing.interpolate(text_start + token.start)
        end = end if end is not None else timing.interpolate(text_start + token.end)
        words.append(Word(start, max(start, end), token.text, edited=not exact))
    return words


@dataclass
class SegmentSource:
    """Where an imported document's lines come from: the full text, its lines and speaker labels."""

    text: str
    lines: list[ParsedLine]
    speaker_labels: dict[str, str]


def build_segments(source: SegmentSource, timing: Timing, first_id: int) -> list[Segment]:
    """One segment per line, ids from ``first_id``; words and times only when ``timing`` has points."""
    segments = []
    for number, parsed in enumerate(source.lines):
        line = parsed.layout
        text = source.text[line.text_start : line.text_end]
        speaker = source.speaker_labels.get(parsed.speaker) if parsed.speaker else None
        segment = Segment(0.0, 0.0, text, speaker, id=first_id + number)
        if timing:
            found = timing.first(line.line_start)
            start = found if found is not None else timing.first(line.text_start)
            start = start if start is not None else timing.interpolate(line.text_start)
            end = timing.last(line.text_end)
            end = end if end is not None else timing.interpolate(line.text_end)
            segment.start, segment.end = start, max(start, end)
            segment.words = _words(text, line.text_start, timing)
            for word in segment.words:
                word.speaker = speaker
        segments.append(segment)
    _apply_line_stamps(source.lines, segments)
    return segments


def _apply_line_stamps(lines: list[ParsedLine], segments: list[Segment]) -> None:
    """A line stamped ``[hh:mm:ss]`` starts then and lasts until the next stamped line (the last one keeps
    its own end when later, else ends where it starts); its words share that time by length."""
    stamps: list[tuple[int, float]] = [(i, p.start_time) for i, p in enumerate(lines) if p.start_time is not None]
    for number, (index, start) in enumerate(stamps):
        segment = segments[index]
        end = stamps[number + 1][1] if number + 1 < len(stamps) else max(segment.end, start)
        segment.start, segment.end = start, max(end, start)
        spans = spread_times(segment.start, segment.end, [len(w.text) + 1 for w in segment.words])
        for word, (low, high) in zip(segment.words, spans, strict=True):
            word.start, word.end, word.edited = low, high, True
