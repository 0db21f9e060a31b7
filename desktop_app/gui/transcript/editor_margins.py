"""The editor's margins: who speaks and when on the left, the codings as labelled stripes on the right.

Left, beside each turn's first line: ▶ (plays the turn), its start time and the speaker's name in the
speaker's colour. They are painted, not text, so the cursor never lands in them and typing cannot
change them. Right, MAXQDA style: a coloured stripe beside the lines each coding covers (a coding
across turns is one stripe), labelled with the code's name; hovering shows the code, the coded words
and the memo; clicking a stripe or its label selects the coded words in the text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPolygonF,
    QTextBlock,
)
from PySide6.QtWidgets import QToolTip, QWidget

from desktop_app.gui.coding.coding_highlights import CodingMark, tooltip
from desktop_app.gui.transcript.editor_painting import span_rects
from desktop_app.gui.transcript.editor_view import EditorView
from desktop_app.gui.transcript.transcript_table_model import SPEAKER, TIME

PLAY_WIDTH = 18
STRIPE, LANE = 4, 8
MAX_LANES = 5
REVIEW = QColor("#9e9e9e")  # a coding whose words were all deleted


class SpeakerGutter(QWidget):
    def __init__(self, editor: EditorView, parent: QWidget) -> None:
        """Draws for ``editor``; ``parent`` is the editor's widget, beside whose viewport it sits."""
        super().__init__(parent)
        self.editor = editor
        self.setMouseTracking(True)

    def preferred_width(self) -> int:
        metrics = QFontMetrics(self.editor.font())
        return PLAY_WIDTH + metrics.horizontalAdvance("00:00:00 ") + metrics.horizontalAdvance("M") * 7 + 8

    def _first_line(self, block: QTextBlock) -> QRectF:
        """The turn's first text line, in this margin's coordinates (the speaker sits level with it)."""
        layout = block.layout()
        line = layout.lineAt(0)
        top = layout.position().y() + (line.y() if line.isValid() else 0) - self.editor.verticalScrollBar().value()
        return QRectF(0, top, self.width(), line.height() if line.isValid() else self.fontMetrics().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        model = self.editor.model
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor("#f6f6f4"))
        if model is None:
            return
        painter.setFont(self.editor.font())
        bold = QFont(self.editor.font())
        bold.setBold(True)
        metrics = QFontMetrics(self.editor.font())
        time_width = metrics.horizontalAdvance("00:00:00 ")
        for row, block, _top, _bottom in self.editor.visible_rows():
            if row >= model.rowCount():
                break
            line = self._first_line(block)
            painter.setPen(QColor("#9a9a9a"))
            painter.setBrush(QColor("#9a9a9a"))
            mid = line.center().y()
            painter.drawPolygon(QPolygonF([QPointF(5, mid - 5), QPointF(5, mid + 5), QPointF(13, mid)]))
            painter.setPen(QColor("#777777"))
            painter.drawText(
                line.adjusted(PLAY_WIDTH, 0, 0, 0),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                model.index(row, TIME).data(),
            )
            name = str(model.index(row, SPEAKER).data() or "")
            brush = model.index(row, SPEAKER).data(Qt.ItemDataRole.ForegroundRole)
            painter.setFont(bold)
            painter.setPen(brush.color() if brush is not None else QColor("#333333"))
            room = int(self.width() - PLAY_WIDTH - time_width - 6)
            elided = QFontMetrics(bold).elidedText(name, Qt.TextElideMode.ElideRight, room)
            painter.drawText(
                line.adjusted(PLAY_WIDTH + time_width, 0, -6, 0),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                elided,
            )
            painter.setFont(self.editor.font())
        painter.end()

    def row_at(self, y: float) -> int:
        return next((row for row, _b, top, bottom in self.editor.visible_rows() if top <= y < bottom), -1)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        row = self.row_at(event.position().y())
        if row < 0 or row >= len(self.editor.segments):
            return
        if event.position().x() < PLAY_WIDTH:
            self.editor.word_clicked.emit(self.editor.segments[row].start)
        else:
            self.editor.place_cursor(row, 0)
            self.editor.setFocus()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent) and self.editor.model is not None:
            row = self.row_at(event.pos().y())
            if row >= 0:
                model = self.editor.model
                speaker = model.index(row, SPEAKER).data()
                tip = model.index(row, TIME).data(Qt.ItemDataRole.ToolTipRole)
                QToolTip.showText(event.globalPos(), f"{speaker} · {tip}")
            return True
        return super().event(event)


@dataclass
class Stripe:
    """One coding's stripe in view: its pieces' marks and the vertical extent they cover."""

    first: CodingMark
    row: int
    top: float
    bottom: float
    text: str  # the coded words in view, across its turns
    lane: int = 0
    label: QRectF | None = None


class CodingStripes(QWidget):
    def __init__(self, editor: EditorView, parent: QWidget) -> None:
        """Draws for ``editor``; ``parent`` is the editor's widget, beside whose viewport it sits."""
        super().__init__(parent)
        self.editor = editor
        self.stripes: list[Stripe] = []
        self.setMouseTracking(True)

    def preferred_width(self) -> int:
        return MAX_LANES * LANE + QFontMetrics(self.editor.font()).horizontalAdvance("M") * 9 + 12

    def collect(self) -> list[Stripe]:
        """The codings in view, one stripe each, in lanes so that overlapping ones sit side by side."""
        model = self.editor.model
        found: dict[int, Stripe] = {}
        if model is None:
            return []
        for row, _block, _top, _bottom in self.editor.visible_rows():
            if row >= len(model.segments):
                break
            segment = model.segments[row]
            for mark in model.coding_marks.get(segment.id or 0, []):
                rects = span_rects(self.editor, row, mark.start, mark.end)
                if not rects:
                    continue
                stripe = found.get(mark.coding_id)
                words = segment.text[mark.start : mark.end]
                if stripe is None:
                    found[mark.coding_id] = Stripe(mark, row, rects[0].top(), rects[-1].bottom(), words)
                else:
                    stripe.bottom = max(stripe.bottom, rects[-1].bottom())
                    stripe.text = f"{stripe.text} {words}"
        stripes = sorted(found.values(), key=lambda s: (s.top, s.first.start - s.first.end))
        ends: list[float] = []
        for stripe in stripes:
            lane = next((i for i, end in enumerate(ends) if end < stripe.top), len(ends))
            ends[lane : lane + 1] = [stripe.bottom + 2]
            stripe.lane = lane
        return stripes

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor("#fbfbfa"))
        font = QFont(self.editor.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() - 1.5))
        painter.setFont(font)
        metrics = QFontMetrics(font)
        self.stripes = self.collect()
        label_x = MAX_LANES * LANE + 6
        free_y = -1e9
        for stripe in self.stripes:
            mark = stripe.first
            color = QColor(mark.color) if not mark.needs_review else REVIEW
            if stripe.lane < MAX_LANES:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(color)
                x = 4 + stripe.lane * LANE
                painter.drawRoundedRect(
                    QRectF(x, stripe.top + 2, STRIPE, max(4.0, stripe.bottom - stripe.top - 4)), 2, 2
                )
            y = max(stripe.top, free_y)
            name = metrics.elidedText(mark.name, Qt.TextElideMode.ElideRight, self.width() - label_x - 4)
            stripe.label = QRectF(label_x, y, metrics.horizontalAdvance(name) + 2, metrics.height())
            painter.setPen(color.darker(130))
            painter.drawText(stripe.label, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
            free_y = y + metrics.height()
        painter.end()

    def stripe_at(self, point: QPointF) -> Stripe | None:
        for stripe in reversed(self.stripes):
            band = QRectF(2 + stripe.lane * LANE, stripe.top, LANE, stripe.bottom - stripe.top)
            if (stripe.lane < MAX_LANES and band.contains(point)) or (stripe.label and stripe.label.contains(point)):
                return stripe
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        stripe = self.stripe_at(event.position())
        if stripe is not None:
            self.editor.select_coding(stripe.first.coding_id)
            self.editor.setFocus()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self.stripe_at(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.ArrowCursor)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            stripe = self.stripe_at(QPointF(event.pos()))
            if stripe is not None:
                whole = replace(stripe.first, start=0, end=len(stripe.text))  # the words of every turn it covers
                QToolTip.showText(event.globalPos(), tooltip([whole], stripe.text), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
