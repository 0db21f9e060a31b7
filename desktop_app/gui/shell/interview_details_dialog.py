"""Interview details: who interviewed, when, where and how — what a COREQ-style methods section reports.

Saved as one undoable step (``document_service.set_details``); the DOCX export prints them in its title
block. A date that is not YYYY-MM-DD is refused with the reason, and the dialog stays open.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from desktop_app.core.document import DocumentInfo
from desktop_app.core.errors import VerbatimError
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.services.study import document_service
from desktop_app.services.study.project_service import ProjectStore

FORMATS = ["in person", "telephone", "video call", "focus group (in person)", "focus group (online)"]


def describe(document: DocumentInfo) -> str:
    """One line for the Details tab: "A. Berg · 2024-03-05 · ward office · in person" (or a hint)."""
    parts = [document.interviewer, document.recorded_date, document.setting, document.interview_format]
    return " · ".join(p for p in parts if p) or "Not recorded yet"


class InterviewDetailsDialog(QDialog):
    def __init__(self, store: ProjectStore, document: DocumentInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Interview details — {document.title}")
        self.store = store
        self.document = document
        self.interviewer = QLineEdit(document.interviewer or "")
        self.interviewer.setPlaceholderText("who conducted the interview")
        self.date = QLineEdit(document.recorded_date or "")
        self.date.setPlaceholderText("YYYY-MM-DD")
        self.setting = QLineEdit(document.setting or "")
        self.setting.setPlaceholderText("e.g. participant's home, ward office")
        self.format = QComboBox()
        self.format.setEditable(True)
        self.format.addItems(["", *FORMATS])
        self.format.setCurrentText(document.interview_format or "")
        form = QFormLayout(self)
        form.addRow("Interviewer", self.interviewer)
        form.addRow("Date", self.date)
        form.addRow("Setting", self.setting)
        form.addRow("Format", self.format)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(420)

    def accept(self) -> None:
        try:
            self.document = document_service.set_details(
                self.store,
                self.document.id,
                interviewer=self.interviewer.text(),
                recorded_date=self.date.text(),
                setting=self.setting.text(),
                interview_format=self.format.currentText(),
            )
        except VerbatimError as exc:
            show_error(self, exc)
            return
        super().accept()
