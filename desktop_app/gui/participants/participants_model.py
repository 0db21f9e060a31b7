"""Participants as a table: one row per participant, its label then one column per attribute.

Edits go through :mod:`participant_service` (validated, journaled); a rejected value is shown with
``show_error`` and the cell keeps its stored value. Category and yes/no cells edit with a combo box.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop_app.core.coding import Attribute, AttributeType, Participant
from desktop_app.core.errors import VerbatimError
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.services.participants import participant_service
from desktop_app.services.study.project_service import ProjectStore

Index = QModelIndex | QPersistentModelIndex
TYPE_NAMES = {
    AttributeType.TEXT: "text",
    AttributeType.INTEGER: "whole number",
    AttributeType.DECIMAL: "number",
    AttributeType.DATE: "date YYYY-MM-DD",
    AttributeType.BOOLEAN: "yes/no",
    AttributeType.CATEGORY: "category",
}


class ParticipantsModel(QAbstractTableModel):
    """Column 0 is the participant's label; column ``n`` the ``n``-th attribute."""

    def __init__(self, store: ProjectStore, error_parent: QWidget | None = None) -> None:
        super().__init__()
        self.store = store
        self.error_parent = error_parent
        self.attributes: list[Attribute] = []
        self.participants: list[Participant] = []
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self.attributes = participant_service.attributes(self.store)
        self.participants = participant_service.participants(self.store)
        self.endResetModel()

    def attribute(self, column: int) -> Attribute | None:
        return self.attributes[column - 1] if 1 <= column <= len(self.attributes) else None

    def row_of(self, label: str) -> int:
        return next((r for r, p in enumerate(self.participants) if p.label.casefold() == label.casefold()), -1)

    # ----- Qt model -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.participants)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + len(self.attributes)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        attribute = self.attribute(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return "Label" if attribute is None else attribute.name
        if role == Qt.ItemDataRole.ToolTipRole and attribute is not None:
            choices = f": {', '.join(attribute.choices)}" if attribute.choices else ""
            return f"{TYPE_NAMES[attribute.type]}{choices}"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        participant = self.participants[index.row()]
        attribute = self.attribute(index.column())
        return participant.label if attribute is None else participant.values.get(attribute.name, "")

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        text = "" if value is None else str(value)
        if text == self.data(index):
            return False
        participant = self.participants[index.row()]
        attribute = self.attribute(index.column())
        try:
            if attribute is None:
                participant_service.rename_participant(self.store, participant.label, text)
            else:
                participant_service.set_value(self.store, participant.label, attribute.name, text)
        except VerbatimError as exc:
            show_error(self.error_parent, exc, title="Participants")
            return False
        self._reload_row(index.row(), participant.id)
        return True

    def _reload_row(self, row: int, participant_id: int) -> None:
        fresh = {p.id: p for p in participant_service.participants(self.store)}
        if participant_id in fresh:
            self.participants[row] = fresh[participant_id]
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box (with an empty entry to clear) for category and yes/no columns; text editing elsewhere."""

    def __init__(self, model: ParticipantsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model

    def choices(self, column: int) -> list[str] | None:
        attribute = self.model.attribute(column)
        if attribute is None:
            return None
        if attribute.type is AttributeType.CATEGORY:
            return ["", *attribute.choices]
        if attribute.type is AttributeType.BOOLEAN:
            return ["", "yes", "no"]
        return None

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        choices = self.choices(index.column())
        if choices is None:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.addItems(choices)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findText(str(index.data(Qt.ItemDataRole.EditRole) or ""))))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractTableModel, index: Index) -> None:  # type: ignore[override]
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)
