"""Codings shown in the transcript: a subtle tint behind coded text and labelled stripes in a margin.

Each turn gets the pieces of the codings that touch it (a coding across turns gives a piece to each);
the editor paints them on the lines its text is laid out in (:func:`block_rects`).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import cast

from PySide6.QtCore import QRectF
from PySide6.QtGui import QTextBlock, QTextLine

from desktop_app.core.coding import Code, Coding
from desktop_app.core.transcript import Segment

HIGHLIGHT_ALPHA = 46  # the tint behind coded words


@dataclass(frozen=True)
class CodingMark:
    """The part of one coding inside one turn (code points, end exclusive)."""

    coding_id: int
    code_id: int
    name: str
    color: str
    start: int
    end: int
    memo: str = ""
    needs_review: bool = False


def marks_by_segment(
    codings: list[Coding], codes: dict[int, Code], segments: list[Segment]
) -> dict[int, list[CodingMark]]:
    """Each segment id's coding pieces, widest first so short codings stay visible on top."""
    order = {s.id: i for i, s in enumerate(segments) if s.id is not None}
    result: dict[int, list[CodingMark]] = {}
    for coding in codings:
        first, last = order.get(coding.start.segment_id), order.get(coding.end.segment_id)
        code = codes.get(coding.code_id)
        if first is None or last is None or code is None:
            continue
        for row in range(first, last + 1):
            segment = segments[row]
            low = coding.start.offset if row == first else 0
            high = coding.end.offset if row == last else len(segment.text)
            mark = CodingMark(coding.id, code.id, code.name, code.color, low, high, coding.memo, coding.needs_review)
            result.setdefault(segment.id or 0, []).append(mark)
    for marks in result.values():
        marks.sort(key=lambda m: (m.start - m.end, m.start, m.coding_id))
    return result


def _x(line: QTextLine, position: int) -> float:
    """The x of a cursor at ``position`` on ``line`` (PySide gives (x, position) where C++ has an out-param)."""
    found = cast(tuple[float, int], line.cursorToX(position))
    return found[0]


def block_rects(block: QTextBlock, start: int, end: int) -> list[QRectF]:
    """Rectangles (document coordinates) covering document positions ``[start, end)`` of ``block``, one per line."""
    rects = []
    layout = block.layout()
    origin = layout.position()
    for i in range(layout.lineCount()):
        line = layout.lineAt(i)
        low = max(start, block.position() + line.textStart())
        high = min(end, block.position() + line.textStart() + line.textLength())
        if low < high:
            x1 = _x(line, low - block.position())
            x2 = _x(line, high - block.position())
            rects.append(QRectF(origin.x() + x1, origin.y() + line.y(), x2 - x1, line.height()))
    return rects


def tooltip(marks: list[CodingMark], text: str) -> str:
    """Rich-text tooltip listing a turn's codings: colour, code, coded words and memo."""
    if not marks:
        return ""
    rows = []
    for mark in sorted(marks, key=lambda m: (m.start, m.coding_id)):
        words = text[mark.start : mark.end]
        words = words if len(words) <= 80 else words[:77] + "…"
        memo = f"<br><i>Memo:</i> {escape(mark.memo)}" if mark.memo else ""
        review = " <span style='color:#b00'>(text deleted: review)</span>" if mark.needs_review else ""
        rows.append(
            f"<p style='margin:2px 0'><span style='color:{mark.color}'>■</span> <b>{escape(mark.name)}</b>{review}"
            f"<br><span style='color:#555'>“{escape(words)}”</span>{memo}</p>"
        )
    return "".join(rows)
