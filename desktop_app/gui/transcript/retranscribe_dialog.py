"""Asking before transcribing a document again, when that would touch the researcher's work.

Hours of corrections, codings and memos must never vanish behind one click on Transcribe: the
question names what there is, and offers to keep it (only the stretches without corrections are
transcribed again) or to replace everything as one step that Undo takes back.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.services.study.project_service import ProjectStore
from desktop_app.services.transcription.transcription_service import (
    ExistingWork,
    RetranscribeMode,
    TranscriptionOptions,
    work_at_risk,
)

KEEP_TEXT = "Transcribe only the uncorrected stretches"
REPLACE_TEXT = "Replace all"


class RetranscribeDialog(QMessageBox):
    """Keep corrections (the default), replace all, or cancel."""

    def __init__(self, title: str, work: ExistingWork, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle("Transcribe again")
        self.setText(f"“{title}” has {work.describe()}.")
        self.setInformativeText(
            "Transcribing it again can keep them: corrected, coded and annotated turns stay exactly as they "
            "are, and only the stretches between them are transcribed again from the recording.\n\n"
            "Replace all transcribes everything anew; codings move to the same words in the new text, and any "
            "whose words are gone are listed. Edit ▸ Undo brings the present transcript back either way."
        )
        self.keep_button = self.addButton(KEEP_TEXT, QMessageBox.ButtonRole.AcceptRole)
        self.replace_button = self.addButton(REPLACE_TEXT, QMessageBox.ButtonRole.DestructiveRole)
        self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.keep_button)

    def chosen(self) -> RetranscribeMode | None:
        clicked = self.clickedButton()
        if clicked is self.keep_button:
            return RetranscribeMode.KEEP_CORRECTIONS
        if clicked is self.replace_button:
            return RetranscribeMode.REPLACE
        return None


def ask_how_to_transcribe_again(
    parent: QWidget, store: ProjectStore, document_id: int, title: str, options: TranscriptionOptions
) -> tuple[bool, RetranscribeMode | None]:
    """(go ahead?, how): asks only when transcribing would replace corrections, codings or memos."""
    work = work_at_risk(store, document_id, options)
    if work is None:
        return True, None
    dialog = RetranscribeDialog(title, work, parent)
    dialog.exec()
    mode = dialog.chosen()
    return mode is not None, mode


def show_report(parent: QWidget, summary: str, removed: list[str]) -> None:
    """After transcribing again, what changed; codings whose words are gone are listed, never dropped silently."""
    box = QMessageBox.warning if removed else QMessageBox.information
    box(parent, "Transcribed again", summary)
