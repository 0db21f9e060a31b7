"""A horizontal bar chart painted with QPainter: one labelled row per item, optional stacked parts,
group headings, a value axis with gridlines and a legend.

QtCharts' category axis elides or drops long labels and cannot scroll, and a study has up to a
hundred codes or participants to show; rows of a fixed height in a scroll area stay readable at
any count, and each row knows its own tooltip.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

ROW, HEADING, BAR = 26, 30, 15
AXIS, PAD = 24, 10
LEGEND_ROW, LEGEND_GAP = 22, 36
GRID, AXIS_TEXT = QColor("#e4e4e4"), QColor("#6b6b6b")
# Tableau 10 without its grey: distinct hues for groups, readable on white and in print.
CATEGORY_COLORS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f")


@dataclass(frozen=True)
class Bar:
    """One row: a label, stacked (value, colour) parts, the text after the bar and a tooltip.
    A heading row (a group's name and total) has no bar."""

    label: str
    parts: list[tuple[float, str]] = field(default_factory=list)
    text: str = ""
    tooltip: str = ""
    heading: bool = False

    @property
    def total(self) -> float:
        return sum(v for v, _c in self.parts)


def nice_step(largest: float, ticks: int = 5) -> float:
    """A round tick interval (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` ticks."""
    if largest <= 0:
        return 1.0
    raw = largest / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    return float(next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw))


def tick_label(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


class BarChart(QWidget):
    """Rows of bars; tall content grows the widget, so put it in a resizable QScrollArea."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.legend: list[tuple[str, str]] = []
        self.axis_title = ""
        self.empty_text = "Nothing to show"
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_bars(self, bars: list[Bar], axis_title: str = "", legend: list[tuple[str, str]] | None = None) -> None:
        self.bars, self.axis_title, self.legend = list(bars), axis_title, list(legend or [])
        self.setMinimumHeight(self._content_height())
        self.updateGeometry()
        self.update()

    # ----- geometry -----------------------------------------------------------------------
    def _legend_lines(self, width: int) -> list[list[tuple[str, str]]]:
        metrics = self.fontMetrics()
        lines: list[list[tuple[str, str]]] = [[]]
        used = 0
        for name, color in self.legend:
            size = LEGEND_GAP + metrics.horizontalAdvance(name)
            if used and used + size > width - 2 * PAD:
                lines.append([])
                used = 0
            lines[-1].append((name, color))
            used += size
        return lines if self.legend else []

    def _legend_height(self) -> int:
        return len(self._legend_lines(max(self.width(), 400))) * LEGEND_ROW

    def _content_height(self) -> int:
        rows = sum(HEADING if b.heading else ROW for b in self.bars)
        return self._legend_height() + AXIS + rows + 2 * PAD

    def sizeHint(self) -> QSize:
        return QSize(560, max(self._content_height(), 120))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.setMinimumHeight(self._content_height())  # the legend may wrap onto more lines
        super().resizeEvent(event)

    def _columns(self) -> tuple[int, int, int]:
        """x where bars start, x where they may end, and the label column's width."""
        metrics = self.fontMetrics()
        labels = max((metrics.horizontalAdvance(b.label) for b in self.bars if not b.heading), default=0)
        label_width = min(labels + 2 * PAD + 6, int(self.width() * 0.38))  # a few pixels spare: no needless elision
        texts = max((metrics.horizontalAdvance(b.text) for b in self.bars if not b.heading), default=0)
        return label_width, max(label_width + 40, self.width() - texts - 2 * PAD), label_width

    def _rows_top(self) -> int:
        return PAD + self._legend_height() + AXIS

    def _row_at(self, y: float) -> Bar | None:
        top = self._rows_top()
        for bar in self.bars:
            height = HEADING if bar.heading else ROW
            if top <= y < top + height:
                return bar
            top += height
        return None

    # ----- painting -----------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        if not self.bars:
            painter.setPen(AXIS_TEXT)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        left, right, label_width = self._columns()
        largest = max((b.total for b in self.bars if not b.heading), default=0.0)
        step = nice_step(largest)
        scale_end = max(step, math.ceil(largest / step) * step)
        self._paint_legend(painter, PAD)
        top = self._rows_top()
        rows_height = sum(HEADING if b.heading else ROW for b in self.bars)
        self._paint_axis(painter, (left, right, top), step, scale_end, rows_height)
        for bar in self.bars:
            if bar.heading:
                self._paint_heading(painter, bar, top)
                top += HEADING
            else:
                self._paint_bar(painter, bar, top, (left, right, label_width), scale_end)
                top += ROW
        painter.end()

    def _paint_axis(self, painter: QPainter, place: tuple[int, int, int], step: float, end: float, height: int) -> None:
        left, right, top = place
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        painter.setFont(small)
        ticks = int(round(end / step))
        for i in range(ticks + 1):
            x = left + (right - left) * i / ticks
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(int(x), top - 4, int(x), top + height)
            painter.setPen(AXIS_TEXT)
            label = QRectF(x - 40, top - AXIS, 80, AXIS - 6)
            painter.drawText(label, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, tick_label(i * step))
        if self.axis_title:
            title = QRectF(PAD, top - AXIS, left - 2 * PAD, AXIS - 6)
            painter.drawText(title, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, self.axis_title)
        painter.setFont(self.font())

    def _paint_heading(self, painter: QPainter, bar: Bar, top: int) -> None:
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(self.palette().text().color())
        rect = QRectF(PAD, top + 6, self.width() - 2 * PAD, HEADING - 8)
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, bar.label)
        painter.setPen(AXIS_TEXT)
        painter.setFont(self.font())
        painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, bar.text)
        painter.setPen(QPen(GRID, 1))
        painter.drawLine(PAD, top + HEADING - 1, self.width() - PAD, top + HEADING - 1)

    def _paint_bar(self, painter: QPainter, bar: Bar, top: int, columns: tuple[int, int, int], end: float) -> None:
        left, right, label_width = columns
        metrics = QFontMetrics(self.font())
        painter.setPen(self.palette().text().color())
        label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 2 * PAD)
        align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRectF(PAD, top, label_width - 2 * PAD, ROW), align, label)
        x = float(left)
        y = top + (ROW - BAR) / 2
        painter.setPen(Qt.PenStyle.NoPen)
        for value, color in bar.parts:
            width = (right - left) * value / end if end else 0.0
            if width > 0:
                painter.setBrush(QColor(color))
                painter.drawRect(QRectF(x, y, max(width, 1.5), BAR))
            x += width
        painter.setPen(AXIS_TEXT)
        painter.drawText(QRectF(x + 6, top, self.width() - x, ROW), Qt.AlignmentFlag.AlignVCenter, bar.text)

    def _paint_legend(self, painter: QPainter, top: int) -> None:
        metrics = self.fontMetrics()
        for line in self._legend_lines(self.width()):
            x = PAD
            for name, color in line:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(color))
                painter.drawRoundedRect(QRectF(x, top + (LEGEND_ROW - 12) / 2, 12, 12), 2, 2)
                painter.setPen(self.palette().text().color())
                width = metrics.horizontalAdvance(name) + 4
                painter.drawText(QRectF(x + 17, top, width, LEGEND_ROW), Qt.AlignmentFlag.AlignVCenter, name)
                x += LEGEND_GAP + metrics.horizontalAdvance(name)
            top += LEGEND_ROW

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            bar = self._row_at(event.pos().y())
            if bar is not None and bar.tooltip:
                QToolTip.showText(event.globalPos(), bar.tooltip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
