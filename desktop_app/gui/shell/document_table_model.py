"""The study's documents as a Qt table model (title, duration, status, language)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop_app.core.document import DocumentInfo
from desktop_app.core.languages import language_name
from desktop_app.core.timecode import format_hms

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Title", "Duration", "Status", "Language")


class DocumentTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._documents: list[DocumentInfo] = []

    def set_documents(self, documents: list[DocumentInfo]) -> None:
        self.beginResetModel()
        self._documents = list(documents)
        self.endResetModel()

    def document(self, row: int) -> DocumentInfo:
        return self._documents[row]

    def row_of(self, document_id: int) -> int:
        for row, doc in enumerate(self._documents):
            if doc.id == document_id:
                return row
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._documents)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        doc = self._documents[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(doc, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return doc.media_path or doc.title
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return doc.id
        return None

    @staticmethod
    def _display(doc: DocumentInfo, column: int) -> str:
        if column == 0:
            return doc.title
        if column == 1:
            return format_hms(doc.duration) if doc.duration is not None else ""
        if column == 2:
            return doc.status.value.capitalize()
        return language_name(doc.language)  # "German", not "de"
