"""The Participants tab: the participants-by-attributes table, a toolbar and the quote label template."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.coding import AttributeType
from desktop_app.core.errors import VerbatimError
from desktop_app.gui.error_dialogs import show_error
from desktop_app.gui.participants_model import TYPE_NAMES, ChoiceDelegate, ParticipantsModel
from desktop_app.services import participant_service
from desktop_app.services.project_service import ProjectStore

CSV_FILTER = "CSV files (*.csv *.tsv *.txt);;All files (*)"


class AttributeDialog(QDialog):
    """Name, type and (for a category) the comma-separated list of choices of a new attribute."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add attribute")
        self.name_edit = QLineEdit()
        self.type_combo = QComboBox()
        for kind, name in TYPE_NAMES.items():
            self.type_combo.addItem(name, kind.value)
        self.choices_edit = QLineEdit()
        self.choices_edit.setPlaceholderText("e.g. manager, peer support worker, nurse")
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Name", self.name_edit)
        form.addRow("Type", self.type_combo)
        form.addRow("Choices", self.choices_edit)
        form.addRow(buttons)
        self._type_changed()

    @property
    def kind(self) -> AttributeType:
        return AttributeType(self.type_combo.currentData())

    @property
    def choices(self) -> list[str]:
        return [c.strip() for c in self.choices_edit.text().split(",") if c.strip()]

    def _type_changed(self) -> None:
        self.choices_edit.setEnabled(self.kind is AttributeType.CATEGORY)


class ParticipantsPanel(QWidget):
    changed = Signal()  # after any change written to the study

    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.model = ParticipantsModel(store, error_parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(ChoiceDelegate(self.model, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_participant_button = QPushButton("Add participant…")
        self.add_participant_button.clicked.connect(self.ask_add_participant)
        self.add_attribute_button = QPushButton("Add attribute…")
        self.add_attribute_button.clicked.connect(self.ask_add_attribute)
        self.import_button = QPushButton("Import CSV…")
        self.import_button.setToolTip("A header row: label, then one column per attribute")
        self.import_button.clicked.connect(self.ask_import_csv)
        self.template_edit = QLineEdit()
        self.template_edit.setPlaceholderText("{group} {number}")
        self.template_edit.setToolTip("How quotes name participants: attribute names in braces, or {label}")
        self.template_edit.editingFinished.connect(self.save_template)
        self.preview_label = QLabel()
        self.preview_label.setObjectName("labelPreview")
        self.model.modelReset.connect(self._show_preview)
        self.model.dataChanged.connect(self._show_preview)
        self._build_layout()
        self.refresh()

    def _build_layout(self) -> None:
        toolbar = QHBoxLayout()
        for button in (self.add_participant_button, self.add_attribute_button, self.import_button):
            toolbar.addWidget(button)
        toolbar.addStretch()
        template = QFormLayout()
        template.addRow("Quote label", self.template_edit)
        template.addRow("", self.preview_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(toolbar)
        layout.addWidget(self.table, 1)
        layout.addLayout(template)

    # ----- showing ------------------------------------------------------------------------
    def refresh(self) -> None:
        self.model.refresh()
        self.template_edit.setText(participant_service.label_template(self.store))
        self.table.resizeColumnsToContents()
        self._show_preview()

    def _show_preview(self) -> None:
        people = self.model.participants
        if not people:
            self.preview_label.setText("")
            return
        template = participant_service.label_template(self.store)
        example = participant_service.render_label(template, people[0])
        self.preview_label.setText(f"e.g. “…” — {example}")

    # ----- changing -----------------------------------------------------------------------
    def _apply(self, change: Callable[[], object]) -> bool:
        try:
            change()
        except VerbatimError as exc:
            show_error(self, exc, title="Participants")
            return False
        self.refresh()
        self.changed.emit()
        return True

    def add_participant(self, label: str) -> bool:
        return self._apply(lambda: participant_service.add_participant(self.store, label))

    def add_attribute(self, name: str, kind: AttributeType, choices: list[str]) -> bool:
        return self._apply(lambda: participant_service.add_attribute(self.store, name, kind, choices))

    def import_csv(self, path: Path) -> bool:
        return self._apply(lambda: participant_service.import_csv(self.store, path))

    def save_template(self) -> None:
        text = self.template_edit.text().strip()
        stored = participant_service.label_template(self.store)
        if text != stored and not self._apply(lambda: participant_service.set_label_template(self.store, text)):
            self.template_edit.setText(stored)  # the field shows what quotes will use

    def ask_add_participant(self) -> None:
        label, ok = QInputDialog.getText(self, "Add participant", "Label (e.g. P5):")
        if ok and label.strip():
            self.add_participant(label)

    def ask_add_attribute(self) -> None:
        dialog = AttributeDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_attribute(dialog.name_edit.text(), dialog.kind, dialog.choices)

    def ask_import_csv(self) -> None:
        source, _ = QFileDialog.getOpenFileName(self, "Import participants", str(self.store.path.parent), CSV_FILTER)
        if source:
            self.import_csv(Path(source))
