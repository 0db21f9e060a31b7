"""Pseudonyms: the study's identifier -> pseudonym table, suggestions, every hit with keep/skip, the key.

Each change goes through the study's journal, so Undo takes it back. The transcripts themselves
are never changed: pseudonyms apply when text leaves the study.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import VerbatimError
from desktop_app.core.pseudonymise import Suggestion
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.common.export_notice import announce_export
from desktop_app.services.participants import pseudonym_service
from desktop_app.services.participants.pseudonym_service import DocumentHit
from desktop_app.services.study import document_service
from desktop_app.services.study.project_service import ProjectStore, list_documents

REASONS = {"introduction": "introduced", "speaker": "speaker name", "capitalised": "capitalised"}
KEY_FILTER = "CSV (*.csv)"
KEPT_COLOR = "#8a8a8a"  # a hit kept as spoken


def _item(text: str, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    item.setToolTip(tooltip or text)
    return item


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    return table


class PseudonymsPanel(QWidget):
    """Emits ``changed`` after every change it makes to the study."""

    changed = Signal()

    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.hits: list[DocumentHit] = []
        self.suggestions: list[Suggestion] = []
        self._build_table()
        self._build_suggestions()
        self._build_hits()
        self._build_layout()
        self.refresh()

    # ----- widgets ------------------------------------------------------------------------
    def _build_table(self) -> None:
        self.table = _table(["Identifier", "Pseudonym"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.identifier_edit = QLineEdit()
        self.identifier_edit.setPlaceholderText("Name or place, e.g. Anna Svensson")
        self.pseudonym_edit = QLineEdit()
        self.pseudonym_edit.setPlaceholderText("e.g. [P1]")
        self.pseudonym_edit.returnPressed.connect(self.add_from_fields)
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self.add_from_fields)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._fill_fields)

    def _build_suggestions(self) -> None:
        self.suggest_button = QPushButton("Suggest from transcripts")
        self.suggest_button.clicked.connect(self.load_suggestions)
        self.suggestion_list = QListWidget()
        self.suggestion_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.add_suggested_button = QPushButton("Add selected")
        self.add_suggested_button.clicked.connect(self.add_selected_suggestions)

    def _build_hits(self) -> None:
        self.hit_table = _table(["Pseudonymise", "Document", "Found", "Becomes", "Context"])
        header = self.hit_table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.hit_table.itemChanged.connect(self._hit_toggled)
        self.hit_summary = QLabel()
        self.hit_summary.setObjectName("hitSummary")
        self.undo_button = QPushButton("Undo")
        self.undo_button.clicked.connect(self.undo)
        self.export_key_button = QPushButton("Export the key…")
        self.export_key_button.setToolTip("The identifier → pseudonym table as CSV; keep it apart from the exports")
        self.export_key_button.clicked.connect(self.ask_export_key)

    def _build_layout(self) -> None:
        fields = QHBoxLayout()
        for widget in (self.identifier_edit, self.pseudonym_edit, self.add_button, self.remove_button):
            fields.addWidget(widget)
        fields.setStretch(0, 3)
        fields.setStretch(1, 2)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self._heading("Identifiers and their pseudonyms"))
        left_column.addWidget(self.table, 1)
        left_column.addLayout(fields)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self._heading("Suggestions"))
        right_column.addWidget(self.suggest_button)
        right_column.addWidget(self.suggestion_list, 1)
        right_column.addWidget(self.add_suggested_button)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(left)
        top.addWidget(right)
        top.setSizes([560, 300])
        bottom = QWidget()
        bottom_column = QVBoxLayout(bottom)
        bottom_column.setContentsMargins(0, 0, 0, 0)
        bottom_column.addWidget(self._heading("Every hit in the transcripts (untick to keep as spoken)"))
        bottom_column.addWidget(self.hit_table, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.hit_summary)
        footer.addStretch()
        footer.addWidget(self.undo_button)
        footer.addWidget(self.export_key_button)
        bottom_column.addLayout(footer)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([300, 360])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    @staticmethod
    def _heading(text: str) -> QLabel:
        label = QLabel(text)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        return label

    # ----- showing ------------------------------------------------------------------------
    def refresh(self) -> None:
        entries = pseudonym_service.list_pseudonyms(self.store)
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            self.table.setItem(row, 0, _item(entry.identifier))
            self.table.setItem(row, 1, _item(entry.pseudonym))
        self._show_hits()
        self.remove_button.setEnabled(bool(entries))
        self.export_key_button.setEnabled(bool(entries))

    def _show_hits(self) -> None:
        titles = {d.id: d.title for d in list_documents(self.store)}
        self.hits = pseudonym_service.preview_hits(self.store)
        self.hit_table.blockSignals(True)
        self.hit_table.setRowCount(len(self.hits))
        for row, hit in enumerate(self.hits):
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            check.setCheckState(Qt.CheckState.Unchecked if hit.skipped else Qt.CheckState.Checked)
            self.hit_table.setItem(row, 0, check)
            cells = [titles.get(hit.document_id, ""), hit.hit.text]
            cells += [hit.hit.text if hit.skipped else hit.hit.replacement, " ".join(hit.context.split())]
            for column, text in enumerate(cells, start=1):
                item = _item(text)
                if column == 2:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if hit.skipped:
                    item.setForeground(QColor(KEPT_COLOR))
                self.hit_table.setItem(row, column, item)
        self.hit_table.blockSignals(False)
        kept = sum(h.skipped for h in self.hits)
        self.hit_summary.setText(f"{len(self.hits)} hits · {len(self.hits) - kept} pseudonymised · {kept} kept")

    def _fill_fields(self) -> None:
        row = self.table.currentRow()
        identifier, pseudonym = (self.table.item(row, 0), self.table.item(row, 1)) if row >= 0 else (None, None)
        if identifier is not None and pseudonym is not None:
            self.identifier_edit.setText(identifier.text())
            self.pseudonym_edit.setText(pseudonym.text())

    # ----- changing -----------------------------------------------------------------------
    def _apply(self, change: object) -> bool:
        try:
            change()  # type: ignore[operator]
        except VerbatimError as exc:
            show_error(self, exc, title="Pseudonyms")
            return False
        self.refresh()
        self.changed.emit()
        return True

    def add(self, identifier: str, pseudonym: str) -> bool:
        return self._apply(lambda: pseudonym_service.add_pseudonym(self.store, identifier, pseudonym))

    def add_from_fields(self) -> None:
        if self.add(self.identifier_edit.text(), self.pseudonym_edit.text()):
            self.identifier_edit.clear()
            self.pseudonym_edit.clear()
            self.identifier_edit.setFocus()

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        identifiers = [item.text() for row in rows if (item := self.table.item(row, 0)) is not None]
        for identifier in identifiers:
            self._apply(lambda name=identifier: pseudonym_service.remove_pseudonym(self.store, name))

    def set_hit_pseudonymised(self, row: int, pseudonymised: bool) -> None:
        hit = self.hits[row]
        self._apply(lambda: pseudonym_service.set_hit_skipped(self.store, hit, not pseudonymised))

    def _hit_toggled(self, item: QTableWidgetItem) -> None:
        if item.column() == 0:
            self.set_hit_pseudonymised(item.row(), item.checkState() == Qt.CheckState.Checked)

    def load_suggestions(self) -> None:
        self.suggestions = pseudonym_service.suggest(self.store)
        self.suggestion_list.clear()
        for suggestion in self.suggestions:
            reason = REASONS.get(suggestion.reason, suggestion.reason)
            item = QListWidgetItem(f"{suggestion.identifier}   ({reason}, {suggestion.count}×)")
            item.setToolTip(suggestion.example or suggestion.identifier)
            item.setData(Qt.ItemDataRole.UserRole, suggestion.identifier)
            self.suggestion_list.addItem(item)
        if not self.suggestions:
            self.suggestion_list.addItem(QListWidgetItem("No new names found"))

    def add_selected_suggestions(self) -> None:
        """Add the selected suggestions with pseudonyms [P1], [P2], … not used yet."""
        used = {e.pseudonym for e in pseudonym_service.list_pseudonyms(self.store)}
        number = 1
        for item in self.suggestion_list.selectedItems():
            identifier = item.data(Qt.ItemDataRole.UserRole)
            if not identifier:
                continue
            while f"[P{number}]" in used:
                number += 1
            used.add(f"[P{number}]")
            self.add(str(identifier), f"[P{number}]")
            self.suggestion_list.takeItem(self.suggestion_list.row(item))

    def undo(self) -> None:
        self._apply(lambda: document_service.undo(self.store))

    def ask_export_key(self) -> None:
        suggested = str(self.store.path.with_name(f"{self.store.path.stem} pseudonym key.csv"))
        target, _ = QFileDialog.getSaveFileName(self, "Export the pseudonym key", suggested, KEY_FILTER)
        if target and self._apply(lambda: pseudonym_service.export_key(self.store, Path(target))):
            announce_export(self, Path(target), "keep the key apart from the transcripts")


class PseudonymsDialog(QDialog):
    """The panel in a window of its own, left open beside the transcript."""

    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Pseudonyms")
        self.panel = PseudonymsPanel(store)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.panel)
        self.resize(900, 640)
