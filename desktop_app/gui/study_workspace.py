"""A study open in the window: the documents explorer and the selected document's details."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, QThread, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QStatusBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import VerbatimError
from desktop_app.core.timecode import format_hms
from desktop_app.gui.document_table_model import DocumentTableModel
from desktop_app.gui.error_dialogs import show_error
from desktop_app.gui.import_worker import ImportWorker, start_import
from desktop_app.gui.settings import AppSettings
from desktop_app.services import document_service, project_service
from desktop_app.services.project_service import ProjectStore

NOTES_SAVE_DELAY_MS = 600


class StudyWorkspace(QWidget):
    def __init__(self, store: ProjectStore, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self._threads: list[QThread] = []
        self._workers: list[ImportWorker] = []
        self._current_id: int | None = None
        self.documents = DocumentTableModel()
        self.table = QTableView()
        self.table.setModel(self.documents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.details = self._build_details()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setSizes([520, 680])
        self.status = QStatusBar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self._notes_timer = QTimer(self, singleShot=True, interval=NOTES_SAVE_DELAY_MS)
        self._notes_timer.timeout.connect(self._save_notes)
        self.refresh()

    def _build_details(self) -> QWidget:
        panel = QWidget()
        form = QFormLayout(panel)
        self.title_label = QLabel("Select a document, or import recordings (File › Import, or drop files here).")
        self.title_label.setWordWrap(True)
        self.media_label = QLabel()
        self.media_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlaceholderText("Field notes for this interview: setting, interruptions, impressions…")
        self.notes_edit.setEnabled(False)
        self.notes_edit.textChanged.connect(lambda: self._notes_timer.start())
        form.addRow(self.title_label)
        form.addRow("Recording", self.media_label)
        form.addRow("Status", self.status_label)
        form.addRow("Field notes", self.notes_edit)
        return panel

    def refresh(self) -> None:
        keep = self._current_id
        self.documents.set_documents(project_service.list_documents(self.store))
        if keep is not None and (row := self.documents.row_of(keep)) >= 0:
            self.table.selectRow(row)
        count = self.documents.rowCount()
        total = sum(self.documents.document(r).duration or 0 for r in range(count))
        self.status.showMessage(f"{count} documents · {format_hms(total)} of recordings")

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._save_notes()
        indexes = selected.indexes()
        if not indexes:
            self._current_id = None
            self.notes_edit.setEnabled(False)
            return
        doc = self.documents.document(indexes[0].row())
        self._current_id = doc.id
        self.title_label.setText(f"<b>{doc.title}</b>")
        self.media_label.setText(doc.media_path or "")
        self.status_label.setText(f"{doc.status.value.capitalize()} · {format_hms(doc.duration or 0)}")
        self.notes_edit.blockSignals(True)
        self.notes_edit.setPlainText(doc.field_notes)
        self.notes_edit.blockSignals(False)
        self.notes_edit.setEnabled(True)

    def _save_notes(self) -> None:
        self._notes_timer.stop()
        if self._current_id is None or not self.notes_edit.isEnabled():
            return
        try:
            current = document_service.get_document(self.store, self._current_id)
            if current.field_notes != self.notes_edit.toPlainText():
                document_service.set_field_notes(self.store, self._current_id, self.notes_edit.toPlainText())
        except VerbatimError as exc:
            show_error(self, exc)

    def import_files(self, files: list[Path]) -> None:
        if not files:
            return
        thread, worker = start_import(self, self.store.path, files)
        worker.progress.connect(lambda name, i, n: self.status.showMessage(f"Importing {name} ({i + 1} of {n})…"))
        worker.finished.connect(self._import_finished)
        self._threads.append(thread)
        self._workers.append(worker)

    def _import_finished(self, imported: int, skipped: list[str], errors: list[str]) -> None:
        self.refresh()
        self.status.showMessage(f"Imported {imported} recording(s)", 5000)
        problems = skipped + errors
        if problems:
            QMessageBox.warning(self, "Import", "\n".join(problems))

    def shutdown(self) -> None:
        self._save_notes()
        for thread in self._threads:
            thread.quit()
            thread.wait(5000)
