"""What the editor paints on its text without writing it into the document.

Behind the words: a faint tint in each code's colour where the text is coded. Under them: a dotted
amber line for words the recogniser was unsure of (until corrected) and a wavy blue line for words in
overlapping talk. Painting, not character formats, so nothing here can move the cursor or mark a turn
as edited, and typing never inherits an underline from the word before.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from desktop_app.core.text.span_tracking import Side
from desktop_app.gui.coding.coding_highlights import HIGHLIGHT_ALPHA, block_rects
from desktop_app.gui.transcript.editor_view import EditorView
from desktop_app.gui.transcript.transcript_table_model import OVERLAP_ROLE, TEXT, UNCERTAIN_ROLE

UNCERTAIN = QColor("#b07a00")
OVERLAP = QColor("#5b8bd6")


def span_rects(editor: EditorView, row: int, low: int, high: int) -> list[QRectF]:
    """Viewport rectangles of stored offsets ``[low, high)`` of turn ``row``, one per line."""
    block = editor.block(row)
    start, end = editor.position_of(row, low), editor.position_of(row, high, Side.END)
    shift = QPointF(editor.horizontalScrollBar().value(), editor.verticalScrollBar().value())
    return [rect.translated(-shift) for rect in block_rects(block, start, end)]


def paint_text_marks(editor: EditorView, area: QRect) -> None:
    model = editor.model
    if model is None:
        return
    painter = QPainter(editor.viewport())
    painter.setClipRect(area)
    for row, _block, top, bottom in editor.visible_rows():
        if bottom < area.top() or top > area.bottom() or row >= len(model.segments):
            continue
        for mark in model.coding_marks.get(model.segments[row].id or 0, []):
            fill = QColor(mark.color)
            fill.setAlpha(HIGHLIGHT_ALPHA)
            for rect in span_rects(editor, row, mark.start, mark.end):
                painter.fillRect(rect, fill)
        index = model.index(row, TEXT)
        for low, high in index.data(UNCERTAIN_ROLE) or []:
            for rect in span_rects(editor, row, low, high):
                painter.setPen(QPen(UNCERTAIN, 1, Qt.PenStyle.DotLine))
                painter.drawLine(QPointF(rect.left(), rect.bottom() - 1), QPointF(rect.right(), rect.bottom() - 1))
        for low, high in index.data(OVERLAP_ROLE) or []:
            for rect in span_rects(editor, row, low, high):
                _wave(painter, rect)
    painter.end()


def _wave(painter: QPainter, rect: QRectF) -> None:
    path = QPainterPath(QPointF(rect.left(), rect.bottom() - 1))
    x, up = rect.left(), True
    while x < rect.right():
        x = min(rect.right(), x + 2)
        path.lineTo(x, rect.bottom() - (3 if up else 1))
        up = not up
    painter.setPen(QPen(OVERLAP, 1))
    painter.drawPath(path)
