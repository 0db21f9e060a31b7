"""Codings shown in the transcript: a subtle highlight behind coded text and coloured bars in a margin.

Each turn gets the pieces of the codings that touch it (a coding across turns gives a piece to each).
The delegate paints them with :func:`paint_marks` on the same text layout it draws the text with.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QTextDocument

from desktop_app.core.coding import Code, Coding
from desktop_app.core.text_offsets import codepoint_to_utf16
from desktop_app.core.transcript import Segment

CODING_MARGIN = 30  # pixels at the right of the text column, for the bars
BAR_WIDTH, BAR_GAP = 4, 2
HIGHLIGHT_ALPHA = 46
MAX_LANES = (CODING_MARGIN - 6) // (BAR_WIDTH + BAR_GAP)


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


def lanes(marks: list[CodingMark]) -> dict[int, int]:
    """A margin lane per code in the turn (same code, same lane), in order of first appearance."""
    found: dict[int, int] = {}
    for mark in sorted(marks, key=lambda m: (m.start, m.coding_id)):
        found.setdefault(mark.code_id, len(found))
    return found


def _line_rects(doc: QTextDocument, start: int, end: int) -> list[QRectF]:
    """Rectangles (document coordinates) covering UTF-16 positions ``[start, end)``, one per line."""
    rects = []
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        origin = layout.position()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            low = max(start, block.position() + line.textStart())
            high = min(end, block.position() + line.textStart() + line.textLength())
            if low < high:
                x1 = float(line.cursorToX(low - block.position())[0])  # type: ignore[index]  # (x, position) at run time
                x2 = float(line.cursorToX(high - block.position())[0])  # type: ignore[index]
                rects.append(QRectF(origin.x() + x1, origin.y() + line.y(), x2 - x1, line.height()))
        block = block.next()
    return rects


def paint_marks(painter: QPainter, doc: QTextDocument, marks: list[CodingMark], width: int) -> None:
    """Highlights behind the coded text and a bar per code in the right margin (painter at the cell's origin)."""
    if not marks:
        return
    doc.documentLayout().documentSize()  # lays the text out, so lines exist
    text = doc.toPlainText()
    lane_of = lanes(marks)
    painter.save()
    painter.setPen(QColor(0, 0, 0, 0))
    for mark in marks:
        rects = _line_rects(doc, codepoint_to_utf16(text, mark.start), codepoint_to_utf16(text, mark.end))
        fill = QColor(mark.color)
        fill.setAlpha(HIGHLIGHT_ALPHA)
        for rect in rects:
            painter.fillRect(rect, fill)
        lane = lane_of[mark.code_id]
        if rects and lane < MAX_LANES:
            x = width - CODING_MARGIN + 4 + lane * (BAR_WIDTH + BAR_GAP)
            top, bottom = rects[0].top() + 2, rects[-1].bottom() - 2
            bar = QColor(mark.color) if not mark.needs_review else QColor("#9e9e9e")
            painter.setBrush(bar)
            painter.drawRoundedRect(QRectF(x, top, BAR_WIDTH, max(4.0, bottom - top)), 1.5, 1.5)
    painter.restore()


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
