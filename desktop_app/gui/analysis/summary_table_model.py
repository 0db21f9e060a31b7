"""A read-only Qt model over a service's :class:`SummaryTable` (plain text cells), with numbers right
aligned, indented theme rows in bold and an optional per-cell colour, plus the table view setup and
the Export… step every analysis table shares (DOCX, XLSX or CSV through report_service)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QHeaderView, QTableView, QWidget

from desktop_app.core.errors import VerbatimError
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.common.export_notice import announce_export
from desktop_app.services.analysis import report_service
from desktop_app.services.analysis.analysis_tables import SummaryTable

Index = QModelIndex | QPersistentModelIndex
CellColor = Callable[[int, int, str], QColor | None]  # row, column, text -> background
HEADING_WIDTH = 18  # characters per line of a column heading
FORMATS = "Excel (*.xlsx);;CSV (*.csv);;Word (*.docx)"
_BY_FILTER = {"Excel (*.xlsx)": "xlsx", "CSV (*.csv)": "csv", "Word (*.docx)": "docx"}


def is_number(text: str) -> bool:
    return bool(text) and text.replace("%", "").replace(".", "", 1).replace("-", "", 1).strip().isdigit()


class SummaryTableModel(QAbstractTableModel):
    def __init__(self, cell_color: CellColor | None = None) -> None:
        super().__init__()
        self.table = SummaryTable("", [], [])
        self.cell_color = cell_color
        self.bold_rows: set[int] = set()
        self.vertical = Qt.AlignmentFlag.AlignVCenter  # AlignTop where cells wrap into several lines

    def set_table(self, table: SummaryTable, bold_rows: set[int] | None = None) -> None:
        self.beginResetModel()
        self.table = table
        self.bold_rows = set(bold_rows or ())
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.table.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:  # long headings (document titles) on two or three lines
            return textwrap.fill(self.table.headers[section], HEADING_WIDTH, max_lines=3, placeholder="…")
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.table.headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:  # over numbers, the heading sits right too
            numbers = self.table.rows and is_number(self.table.rows[0][section])
            return int(
                (Qt.AlignmentFlag.AlignRight if numbers else Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter
            )
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        text = self.table.rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if is_number(text) else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | self.vertical)
        if role == Qt.ItemDataRole.ForegroundRole and text == "0":
            return QColor("#9a9a9a")
        if role == Qt.ItemDataRole.FontRole and index.row() in self.bold_rows:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and self.cell_color is not None:
            return self.cell_color(index.row(), index.column(), text)
        return None


def make_table_view(model: SummaryTableModel, *, wrap: bool = False) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(wrap)
    view.verticalHeader().hide()
    if wrap:
        model.vertical = Qt.AlignmentFlag.AlignTop
        view.setShowGrid(True)  # wrapped paragraphs side by side need a line between them
        view.setStyleSheet("QTableView { gridline-color: #dedede; }")
    else:
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(wrap)
    view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return view


def fit_columns(view: QTableView, first: int = 260, others: int = 150) -> None:
    """Columns as wide as their text, the first (names) up to ``first`` pixels, the rest (counts, whose
    long headings elide and show whole in a tooltip) up to ``others``."""
    view.resizeColumnsToContents()
    for column in range(view.model().columnCount()):
        view.setColumnWidth(column, min(first if column == 0 else others, view.columnWidth(column) + 12))


def export_table(parent: QWidget, table: SummaryTable, suggested: str) -> Path | None:
    """Ask where, then write ``table`` as XLSX, CSV or DOCX; the path written, or None."""
    path, chosen = QFileDialog.getSaveFileName(parent, f"Export {table.title}", suggested, FORMATS)
    if not path:
        return None
    target = Path(path)
    fmt = target.suffix.lstrip(".").lower() or _BY_FILTER.get(chosen, "xlsx")
    if not target.suffix:
        target = target.with_suffix(f".{fmt}")
    try:
        written = report_service.write_table(table, target, fmt)
    except VerbatimError as exc:
        show_error(parent, exc, title="Export")
        return None
    announce_export(parent, written)
    return written
