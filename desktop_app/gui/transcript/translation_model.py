"""A document's turns beside their English, as a Qt model: the original (read-only) and the English (editable).

Rows are the transcript's turns in the same order as the editor's, so a row number means the same
turn in both; a turn without English shows an empty, typable cell. Typing is handed out through
``english_edited`` and stored by the pane as one undoable edit.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from desktop_app.core.timecode import format_hms
from desktop_app.core.transcript import Segment

Index = QModelIndex | QPersistentModelIndex
ORIGINAL, ENGLISH = 0, 1
HEADERS = ("Original", "English")
CORRECTED = QColor("#1b5e20")  # English the researcher corrected: kept when translating again
STALE = QColor("#b45309")  # the original was corrected after it was translated: the English may be off


class TranslationModel(QAbstractTableModel):
    english_edited = Signal(int, str)  # segment id, the English typed

    def __init__(self) -> None:
        super().__init__()
        self.segments: list[Segment] = []
        self.english: dict[int, str] = {}
        self.corrected: set[int] = set()
        self.stale: set[int] = set()  # turns whose original changed since their English was made
        self.writable = True

    def set_turns(
        self, segments: list[Segment], english: dict[int, str], corrected: set[int], stale: set[int] | None = None
    ) -> None:
        self.beginResetModel()
        self.segments, self.english, self.corrected = list(segments), dict(english), set(corrected)
        self.stale = set(stale or ())
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.segments)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return format_hms(self.segments[section].start) if 0 <= section < len(self.segments) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        segment = self.segments[index.row()]
        english = self.english.get(segment.id or -1, "")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return segment.text if index.column() == ORIGINAL else english
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == ENGLISH:
            if segment.id in self.stale and segment.id not in self.corrected:
                return "The original was corrected after this was translated: check the English"
            if segment.id in self.corrected:
                return "Corrected by you: translating again keeps it unless you choose to replace it"
            return "Double-click to correct the English" if english else "No English for this turn yet"
        if role == Qt.ItemDataRole.ForegroundRole:
            if index.column() == ORIGINAL:
                return QBrush(QColor("#666666"))
            if segment.id in self.corrected:
                return QBrush(CORRECTED)
            if segment.id in self.stale:
                return QBrush(STALE)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and index.column() == ENGLISH and self.writable:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != ENGLISH:
            return False
        segment_id = self.segments[index.row()].id
        text = " ".join(str(value).split())
        if segment_id is None or text == self.english.get(segment_id, ""):
            return False
        self.english[segment_id] = text  # shown at once; the pane reads the stored state back after storing
        self.corrected.add(segment_id)
        self.dataChanged.emit(index, index)
        self.english_edited.emit(segment_id, text)
        return True
