"""Details tab ▸ Interview ▸ Edit…: interviewer, date, setting and format, saved (undoably) into the study."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.gui.documents.document_explorer import DocumentExplorer
from desktop_app.gui.shell.interview_details_dialog import InterviewDetailsDialog
from desktop_app.services.study import document_service
from tests.fixtures.coding_study import make_coding_study

SCREENSHOTS = Path(os.environ["VERBATIM_SCREENSHOTS"]) if os.environ.get("VERBATIM_SCREENSHOTS") else None


def test_edit_interview_details(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errors: list[str]
) -> None:
    study = make_coding_study(tmp_path)
    explorer = DocumentExplorer(study.store)
    qtbot.addWidget(explorer)
    document_id = explorer.current_id
    assert document_id is not None and explorer.interview_label.text() == "Not recorded yet"
    answers: list[int] = []

    def fill_in(dialog: InterviewDetailsDialog) -> int:
        dialog.interviewer.setText("A. Berg")
        dialog.date.setText("5/3/2024")
        dialog.setting.setText("ward office")
        dialog.format.setCurrentText("video call")
        dialog.accept()  # refused: the date is not YYYY-MM-DD, and the dialog stays open
        answers.append(dialog.result())
        dialog.date.setText("2024-03-05")
        dialog.accept()
        answers.append(dialog.result())
        return dialog.result()

    monkeypatch.setattr(InterviewDetailsDialog, "exec", fill_in)
    explorer.interview_button.click()
    assert errors == [f"{study.store.path}: '5/3/2024' is not a date written YYYY-MM-DD"]
    assert answers == [0, 1]
    document = document_service.get_document(study.store, document_id)
    saved = (document.interviewer, document.recorded_date, document.setting, document.interview_format)
    assert saved == ("A. Berg", "2024-03-05", "ward office", "video call")
    assert explorer.interview_label.text() == "A. Berg · 2024-03-05 · ward office · video call"
    document_service.undo(study.store)
    assert document_service.get_document(study.store, document_id).interviewer is None


def test_the_dialog_shows_what_is_stored(qtbot: QtBot, tmp_path: Path) -> None:
    study = make_coding_study(tmp_path)
    document_id = study.documents[0]
    document = document_service.set_details(
        study.store, document_id, interviewer="C. Diaz", interview_format="telephone"
    )
    dialog = InterviewDetailsDialog(study.store, document)
    qtbot.addWidget(dialog)
    assert (dialog.interviewer.text(), dialog.date.text(), dialog.format.currentText()) == ("C. Diaz", "", "telephone")
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(SCREENSHOTS / "interview_details_dialog.png"))
