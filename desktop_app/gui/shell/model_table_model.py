"""The Models page's table: one row per Whisper model, installed or not, over the service's catalogue."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from desktop_app.services.model_service import CatalogueRow

COLUMNS = ("Model", "Languages", "Size", "RAM", "Published accuracy", "Speed here", "State")
Index = QModelIndex | QPersistentModelIndex


def _size(count: int) -> str:
    return f"{count / 1e9:.2f} GB" if count >= 1e9 else f"{count / 1e6:.0f} MB"


class ModelTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CatalogueRow] = []

    def set_rows(self, rows: list[CatalogueRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_named(self, name: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.name == name), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 6 and row.state == "HASH MISMATCH":
            return QColor("#b00020")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (2, 3, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(row: CatalogueRow, column: int) -> str:
        if column == 0:
            return row.name
        if column == 1:
            return row.languages
        if column == 2:
            return _size(row.size_bytes) if row.size_bytes else "-"
        if column == 3:
            return f"{row.ram_gb:.1f} GB" if row.ram_gb else "-"
        if column == 4:
            return row.accuracy or "-"
        if column == 5:
            return f"{row.speed:.1f}× real time" if row.speed else "-"
        if row.partial_bytes and row.installed is None:
            return f"partly downloaded ({_size(row.partial_bytes)})"
        return row.state

    @staticmethod
    def _tooltip(row: CatalogueRow, column: int) -> str:
        if column == 4 and row.accuracy_source:
            return f"Source: {row.accuracy_source}. Lower word error rate (WER) is better."
        if column == 5:
            return "Measured on this computer on the bundled sample (Measure speed). Above 1× is faster than real time."
        if column == 6 and row.installed is not None:
            return f"{row.origin}\n{row.installed.path}"
        return row.description
