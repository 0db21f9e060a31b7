"""The study's documents, with the selected one's recording, status and field notes."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import VerbatimError
from desktop_app.core.languages import language_name
from desktop_app.core.timecode import format_hms
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.documents.document_table_model import DocumentTableModel
from desktop_app.gui.documents.import_drop_area import ImportDropArea
from desktop_app.gui.shell.interview_details_dialog import InterviewDetailsDialog, describe
from desktop_app.services.study import document_service, project_service
from desktop_app.services.study.project_service import ProjectStore

NOTES_SAVE_DELAY_MS = 600


class DocumentExplorer(QWidget):
    document_selected = Signal(int)  # -1 when none
    import_requested = Signal(list)  # list[Path]: files dropped on, or chosen from, the empty study's import area

    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.current_id: int | None = None
        self.documents = DocumentTableModel()
        self.table = self._document_table()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._details_tab(), "Details")
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.drop_area = ImportDropArea()  # an empty study: the one next step, large
        self.drop_area.files_chosen.connect(self.import_requested.emit)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.drop_area)
        splitter.addWidget(self.list_stack)
        splitter.addWidget(self.tabs)
        splitter.setSizes([360, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.refresh()

    def _document_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.documents)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # the title gets what is left
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.selectionModel().selectionChanged.connect(self._selection_changed)
        return table

    def _details_tab(self) -> QWidget:
        """The selected document's recording, status, interview details and field notes."""
        self.title_label = QLabel("Import recordings: File › Import, or drop files on the window.")
        self.title_label.setWordWrap(True)
        self.media_label = QLabel()
        self.media_label.setWordWrap(True)
        self.media_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.interview_label = QLabel()
        self.interview_label.setWordWrap(True)
        self.interview_button = QPushButton("Edit…")
        self.interview_button.setToolTip("Interviewer, date, setting and format (shown in the DOCX export)")
        self.interview_button.setEnabled(False)
        self.interview_button.clicked.connect(self.edit_interview_details)
        interview = QHBoxLayout()
        interview.addWidget(self.interview_label, 1)
        interview.addWidget(self.interview_button)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlaceholderText("Field notes for this interview: setting, interruptions, impressions…")
        self.notes_edit.setEnabled(False)
        self._notes_timer = QTimer(self, singleShot=True, interval=NOTES_SAVE_DELAY_MS)
        self._notes_timer.timeout.connect(self.save_notes)
        self.notes_edit.textChanged.connect(lambda: self._notes_timer.start())
        details = QWidget()
        form = QFormLayout(details)
        form.addRow(self.title_label)
        form.addRow("Recording", self.media_label)
        form.addRow("Status", self.status_label)
        form.addRow("Interview", interview)
        form.addRow(QLabel("Field notes"))
        form.addRow(self.notes_edit)
        return details

    def refresh(self) -> None:
        """Reload the list, keeping the selection; with none, the first document is selected and shown."""
        keep = self.current_id
        self.documents.set_documents(project_service.list_documents(self.store))
        empty = self.documents.rowCount() == 0
        self.list_stack.setCurrentWidget(self.drop_area if empty else self.table)
        if keep is not None and (row := self.documents.row_of(keep)) >= 0:
            self.table.selectRow(row)
        elif not empty:  # after opening, importing into an empty study, or removing the one shown
            self.table.selectRow(0)
        elif keep is not None:
            self.current_id = None
            self.document_selected.emit(-1)

    def select(self, document_id: int) -> None:
        row = self.documents.row_of(document_id)
        if row >= 0:
            self.table.selectRow(row)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.save_notes()
        indexes = selected.indexes()
        if not indexes:
            self.current_id = None
            self.notes_edit.setEnabled(False)
            self.interview_label.clear()
            self.interview_button.setEnabled(False)
            self.document_selected.emit(-1)
            return
        doc = self.documents.document(indexes[0].row())
        changed = doc.id != self.current_id
        self.current_id = doc.id
        self.title_label.setText(f"<b>{doc.title}</b>")
        self.media_label.setText(doc.media_path or "")
        language = f" · {language_name(doc.language)}" if doc.language else ""
        self.status_label.setText(f"{doc.status.value.capitalize()} · {format_hms(doc.duration or 0)}{language}")
        self.notes_edit.blockSignals(True)
        self.notes_edit.setPlainText(doc.field_notes)
        self.notes_edit.blockSignals(False)
        self.notes_edit.setEnabled(True)
        self.interview_label.setText(describe(doc))
        self.interview_button.setEnabled(True)
        if changed:
            self.document_selected.emit(doc.id)

    def edit_interview_details(self) -> None:
        if self.current_id is None:
            return
        try:
            document = document_service.get_document(self.store, self.current_id)
        except VerbatimError as exc:
            show_error(self, exc)
            return
        dialog = InterviewDetailsDialog(self.store, document, self)
        if dialog.exec():
            self.interview_label.setText(describe(dialog.document))
            self.refresh()

    def save_notes(self) -> None:
        self._notes_timer.stop()
        if self.current_id is None or not self.notes_edit.isEnabled():
            return
        try:
            current = document_service.get_document(self.store, self.current_id)
            if current.field_notes != self.notes_edit.toPlainText():
                document_service.set_field_notes(self.store, self.current_id, self.notes_edit.toPlainText())
        except VerbatimError as exc:
            show_error(self, exc)
