"""The code co-occurrence matrix as a heat map: a table view whose cells are coloured by how often
two codes' codings overlap, with code names down the side and rotated along the top.

A QTableView (over a Qt model, as everywhere in the app) gives scrolling with frozen headers,
keyboard navigation and per-cell tooltips for a hundred codes; only the colour scale, the
rotated header and the legend are painted by hand.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QLinearGradient, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop_app.core.coding import Code
from desktop_app.gui.coding.codebook_model import swatch
from desktop_app.services.analysis.analysis_service import CooccurrenceMatrix

Index = QModelIndex | QPersistentModelIndex
# ColorBrewer "Blues": a sequential scale that prints well and reads in grey.
SCALE = ("#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")
EMPTY, DIAGONAL, SELECTED = QColor("#fbfbfb"), QColor("#e9e9e9"), QColor("#e15759")
CELL_WIDTH, CELL_HEIGHT = 30, 24
MAX_LABEL = 220  # pixels of a code name before it is elided (the tooltip has the full path)


def heat_color(count: int, largest: int) -> QColor:
    """Any overlap gets a visible tint; the darkest blue is the largest off-diagonal count."""
    if count <= 0 or largest <= 0:
        return QColor(EMPTY)
    if largest == 1:
        return QColor(SCALE[-1])
    share = (min(count, largest) - 1) / (largest - 1)
    return QColor(SCALE[round(share * (len(SCALE) - 1))])


def text_color(background: QColor) -> QColor:
    return QColor("white") if background.lightnessF() < 0.55 else QColor("#1d1d1d")


class CooccurrenceModel(QAbstractTableModel):
    """``counts[i][j]``: overlapping codings of codes i and j; the diagonal: codings of code i."""

    def __init__(self) -> None:
        super().__init__()
        self.codes: list[Code] = []
        self.counts: list[list[int]] = []
        self.paths: dict[int, str] = {}
        self.largest = 0
        self._styles: dict[tuple[int, bool], tuple[QColor, QColor]] = {}

    def set_matrix(self, matrix: CooccurrenceMatrix, paths: dict[int, str] | None = None) -> None:
        self.beginResetModel()
        self.codes, self.counts = list(matrix.codes), [list(r) for r in matrix.counts]
        self.paths = dict(paths or {})
        n = len(self.codes)
        self.largest = max((self.counts[i][j] for i in range(n) for j in range(n) if i != j), default=0)
        self._styles = {}
        self.endResetModel()

    def style(self, row: int, column: int) -> tuple[QColor, QColor]:
        """A cell's background and text colours (one pair per distinct count, made once)."""
        key = (self.counts[row][column], row == column)
        if key not in self._styles:
            background = QColor(DIAGONAL) if key[1] else heat_color(key[0], self.largest)
            self._styles[key] = (background, QColor("#707070") if key[1] else text_color(background))
        return self._styles[key]

    def pair(self, index: Index) -> tuple[Code, Code] | None:
        if not index.isValid():
            return None
        return self.codes[index.row()], self.codes[index.column()]

    def count(self, first: int, second: int) -> int:
        """The cell of two code ids (0 when either is not in the matrix)."""
        ids = [c.id for c in self.codes]
        if first not in ids or second not in ids:
            return 0
        return self.counts[ids.index(first)][ids.index(second)]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.codes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.codes)

    def _path(self, code: Code) -> str:
        return self.paths.get(code.id, code.name)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not 0 <= section < len(self.codes):
            return None
        code = self.codes[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return code.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self._path(code)}: {self.counts[section][section]} codings"
        if role == Qt.ItemDataRole.DecorationRole and orientation == Qt.Orientation.Vertical:
            return swatch(code.color)
        if role == Qt.ItemDataRole.UserRole:
            return code.color
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        count = self.counts[row][column]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(count) if count else ""
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(self.style(row, column)[0])
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.style(row, column)[1]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column, count)
        return None

    def _tooltip(self, row: int, column: int, count: int) -> str:
        first, second = self.codes[row], self.codes[column]
        if row == column:
            return f"{self._path(first)}\n{count} coding{'s' if count != 1 else ''} (click to read them)"
        pairs = f"{count} overlapping pair{'s' if count != 1 else ''} of codings"
        hint = "click to read the extracts" if count else "no extracts overlap"
        return f"{self._path(first)}\n× {self._path(second)}\n{pairs} ({hint})"


class RotatedHeader(QHeaderView):
    """Column labels written bottom-to-top, each under a strip of its code's colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setDefaultSectionSize(CELL_WIDTH)
        self.setMaximumHeight(MAX_LABEL + 16)
        self.setSectionsClickable(False)

    def sectionSizeFromContents(self, logical_index: int) -> QSize:
        text = str(self.model().headerData(logical_index, self.orientation()) or "") if self.model() else ""
        return QSize(CELL_WIDTH, min(MAX_LABEL, self.fontMetrics().horizontalAdvance(text)) + 16)

    def paintSection(self, painter: QPainter, rect: QRect, logical_index: int) -> None:
        if not rect.isValid() or self.model() is None:
            return
        painter.save()
        painter.fillRect(rect, self.palette().window())
        painter.setPen(QPen(QColor("#d4d4d4"), 1))
        painter.drawLine(rect.topRight(), rect.bottomRight())
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        color = self.model().headerData(logical_index, self.orientation(), Qt.ItemDataRole.UserRole)
        painter.fillRect(QRect(rect.left() + 9, rect.bottom() - 6, rect.width() - 18, 4), QColor(color or "#999999"))
        text = str(self.model().headerData(logical_index, self.orientation()) or "")
        room = rect.height() - 16
        elided = self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, room)
        painter.translate(rect.left() + rect.width() / 2, rect.bottom() - 10)
        painter.rotate(-90)
        painter.setPen(self.palette().text().color())
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRectF(0, -rect.width() / 2, room, rect.width()), align, elided)
        painter.restore()


class HeatCellDelegate(QStyledItemDelegate):
    """Paints a cell from the model's cached colours: one call per visible cell, where the standard
    delegate asks the model for a dozen roles per cell (a 100-code matrix repaints ~5x faster)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model = index.model()
        if not isinstance(model, CooccurrenceModel):
            return
        row, column = index.row(), index.column()
        background, foreground = model.style(row, column)
        rect = option.rect
        painter.fillRect(rect, background)
        count = model.counts[row][column]
        if count:
            painter.setPen(foreground)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(count))
        if option.state & QStyle.StateFlag.State_Selected:
            painter.setPen(QPen(SELECTED, 2))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))


class CooccurrenceHeatmap(QTableView):
    """The matrix view: fixed square-ish cells, names elided at MAX_LABEL, a cell per click."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heat = CooccurrenceModel()
        self.setHorizontalHeader(RotatedHeader(self))
        self.setModel(self.heat)
        self.setItemDelegate(HeatCellDelegate(self))
        small = QFont(self.font())
        small.setPointSizeF(max(7.5, small.pointSizeF() - 0.5))
        self.setFont(small)
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(CELL_HEIGHT)
        rows.setMaximumWidth(MAX_LABEL + 30)
        rows.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        rows.setSectionsClickable(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setGridStyle(Qt.PenStyle.SolidLine)
        self.setStyleSheet("QTableView { gridline-color: #ffffff; }")
        self.setCornerButtonEnabled(False)

    def cell_rect(self, first: int, second: int) -> QRect:
        """Where the cell of two code ids is on the viewport (for tests and screenshots)."""
        ids = [c.id for c in self.heat.codes]
        return self.visualRect(self.heat.index(ids.index(first), ids.index(second)))


class HeatLegend(QWidget):
    """The colour scale from one overlap to the largest, and what the grey diagonal means."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.largest = 0
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(34)

    def set_largest(self, largest: int) -> None:
        self.largest = largest
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(520, 34)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = self.fontMetrics()
        align = Qt.AlignmentFlag.AlignVCenter
        x = 0
        title = "Overlapping codings:"
        painter.setPen(self.palette().text().color())
        painter.drawText(QRectF(x, 0, metrics.horizontalAdvance(title) + 4, 34), align, title)
        x += metrics.horizontalAdvance(title) + 10
        low, high = "1", str(max(1, self.largest))
        painter.drawText(QRectF(x, 0, metrics.horizontalAdvance(low) + 2, 34), align, low)
        x += metrics.horizontalAdvance(low) + 6
        gradient = QLinearGradient(x, 0, x + 160, 0)
        for i, color in enumerate(SCALE):
            gradient.setColorAt(i / (len(SCALE) - 1), QColor(color))
        painter.fillRect(QRectF(x, 10, 160, 14), gradient)
        x += 166
        painter.drawText(QRectF(x, 0, metrics.horizontalAdvance(high) + 2, 34), align, high)
        x += metrics.horizontalAdvance(high) + 24
        painter.fillRect(QRectF(x, 10, 14, 14), DIAGONAL)
        note = "diagonal: codings of the code"
        painter.drawText(QRectF(x + 20, 0, metrics.horizontalAdvance(note) + 4, 34), align, note)
        painter.end()
