"""The Participants tab: the participants-by-attributes table, a toolbar and the quote label template."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.coding import AttributeType
from desktop_app.core.errors import VerbatimError
from desktop_app.core.text.plural import plural
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.common.flow_layout import flow_row
from desktop_app.gui.participants.participants_model import TYPE_NAMES, ChoiceDelegate, ParticipantsModel
from desktop_app.services.participants import participant_import, participant_service
from desktop_app.services.study.project_service import ProjectStore

CSV_FILTER = "CSV files (*.csv *.tsv *.txt);;All files (*)"
UNDO_HINT = "Edit › Undo (Ctrl+Z) brings it back."


def _confirm(parent: QWidget, title: str, question: str) -> bool:
    answer = QMessageBox.question(parent, title, question)
    return answer == QMessageBox.StandardButton.Yes


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
        self.confirm: Callable[[QWidget, str, str], bool] = _confirm  # replaceable in tests
        self.model = ParticipantsModel(store, error_parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(ChoiceDelegate(self.model, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        header = self.table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.add_participant_button = QPushButton("Add participant…")
        self.add_participant_button.clicked.connect(self.ask_add_participant)
        self.add_attribute_button = QPushButton("Add attribute…")
        self.add_attribute_button.clicked.connect(self.ask_add_attribute)
        self.import_button = QPushButton("Import CSV…")
        self.import_button.setToolTip("A header row: label, then one column per attribute")
        self.import_button.clicked.connect(self.ask_import_csv)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected participant, or the attribute of the selected column")
        self.remove_menu = QMenu(self.remove_button)
        self.remove_menu.aboutToShow.connect(self._fill_remove_menu)
        self.remove_button.setMenu(self.remove_menu)
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
        toolbar = flow_row(  # wraps in a narrow panel instead of widening the window
            self.add_participant_button, self.add_attribute_button, self.import_button, self.remove_button
        )
        template = QFormLayout()
        template.addRow("Quote label", self.template_edit)
        template.addRow("", self.preview_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(toolbar)
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
        return self._apply(lambda: participant_import.import_participants_csv(self.store, path))

    def remove_participant(self, label: str) -> bool:
        """Ask, saying what goes with it, then remove the participant (speakers are unlinked, not deleted)."""
        try:
            impact = participant_service.participant_removal_impact(self.store, label)
        except VerbatimError as exc:
            show_error(self, exc, title="Participants")
            return False
        lost = [f"its {plural(impact.values, 'attribute value')} are deleted"] if impact.values else []
        if impact.speakers:
            linked = plural(impact.speakers, "speaker")
            lost.append(f"{linked} linked to it {'is' if impact.speakers == 1 else 'are'} unlinked (turns stay)")
        said = " and ".join(lost)
        said = f"{said[:1].upper()}{said[1:]}.\n" if said else ""
        question = f"Remove participant {label}?\n\n{said}{UNDO_HINT}"
        if not self.confirm(self, "Remove participant", question):
            return False
        return self._apply(lambda: participant_service.remove_participant(self.store, label))

    def remove_attribute(self, name: str) -> bool:
        """Ask, saying how many values go with it, then remove the attribute from every participant."""
        try:
            impact = participant_service.attribute_removal_impact(self.store, name)
        except VerbatimError as exc:
            show_error(self, exc, title="Participants")
            return False
        lines = [f"Remove attribute {name!r}?\n"]
        if impact.values:
            lines.append(f"The values of {plural(impact.values, 'participant')} are deleted.")
        if impact.in_template:
            lines.append(f"The quote label uses {{{name}}}: quotes fall back to participants' labels.")
        if not self.confirm(self, "Remove attribute", "\n".join([*lines, UNDO_HINT])):
            return False
        return self._apply(lambda: participant_service.remove_attribute(self.store, name))

    def _current_targets(self, row: int, column: int) -> tuple[str | None, str | None]:
        """The participant of ``row`` and the attribute of ``column`` (None where there is none)."""
        label = self.model.participants[row].label if 0 <= row < len(self.model.participants) else None
        attribute = self.model.attribute(column)
        return label, attribute.name if attribute else None

    def _fill_remove_menu(self) -> None:
        index = self.table.currentIndex()
        self._fill_menu(self.remove_menu, *self._current_targets(index.row(), index.column()))

    def _fill_menu(self, menu: QMenu, label: str | None, attribute: str | None) -> None:
        menu.clear()
        participant = menu.addAction(f"Remove participant {label}…" if label else "Remove participant…")
        participant.setEnabled(label is not None)
        if label is not None:
            participant.triggered.connect(lambda _=False, who=label: self.remove_participant(who))
        column = menu.addAction(f"Remove attribute {attribute!r}…" if attribute else "Remove attribute…")
        column.setEnabled(attribute is not None)
        if attribute is not None:
            column.triggered.connect(lambda _=False, name=attribute: self.remove_attribute(name))

    def _table_menu(self, point: QPoint) -> None:
        index = self.table.indexAt(point)
        menu = QMenu(self)
        self._fill_menu(menu, *self._current_targets(index.row(), index.column()))
        menu.popup(self.table.viewport().mapToGlobal(point))

    def _header_menu(self, point: QPoint) -> None:
        menu = QMenu(self)
        attribute = self.model.attribute(self.table.horizontalHeader().logicalIndexAt(point))
        self._fill_menu(menu, None, attribute.name if attribute else None)
        menu.popup(self.table.horizontalHeader().mapToGlobal(point))

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
