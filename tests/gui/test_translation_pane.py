"""English beside the transcript in the window: Add English translation (the real base model on the shared
German clip, in the background), correct a turn's English by typing in its cell, undo and redo it,
and translate again keeping the correction."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.core.transcript import Segment
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.gui.shell.study_workspace import StudyWorkspace
from desktop_app.gui.transcript.translation_model import ENGLISH
from desktop_app.services.study import import_service, project_service
from desktop_app.services.transcript import edit_service
from desktop_app.services.transcription import translation_layer
from desktop_app.storage.transcripts import transcript_repository

pytestmark = pytest.mark.slow
GERMAN = "Der hinter diesem Portal liegende Raum wurde als Leichenhalle genutzt."
SCREENSHOTS = Path(os.environ["VERBATIM_SCREENSHOTS"]) if os.environ.get("VERBATIM_SCREENSHOTS") else None


@pytest.fixture
def workspace(qtbot: QtBot, tmp_path: Path, shared_data: Path) -> StudyWorkspace:
    recording = tmp_path / "interview-de.wav"
    subprocess.run(["sox", shared_data / "cv_de.wav", shared_data / "cv_de.wav", recording], check=True)
    store = project_service.create_project(tmp_path / "study.verbatim")
    import_service.import_recordings(store, [recording])
    turns = [Segment(0.0, 5.25, GERMAN, "Interviewer"), Segment(5.26, 10.5, GERMAN, "Participant")]
    transcript_repository.append_segments(store, 1, None, turns)
    store.db.execute("UPDATE documents SET language = 'de', status = 'transcribed'")
    ws = StudyWorkspace(store, AppSettings())
    qtbot.addWidget(ws)
    ws.resize(1300, 720)
    ws.show()
    ws.explorer.select(1)
    return ws


def english(ws: StudyWorkspace, row: int) -> str:
    return str(ws.translation.model.index(row, ENGLISH).data())


def translate(qtbot: QtBot, ws: StudyWorkspace) -> None:
    qtbot.mouseClick(ws.translation.add_button, Qt.MouseButton.LeftButton)
    assert ws.translation.running and ws.translation.cancel_button.isVisible()
    qtbot.waitUntil(lambda: not ws.translation.running, timeout=240_000)


def test_add_correct_undo_and_translate_again(
    qtbot: QtBot, workspace: StudyWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = workspace
    pane = ws.translation
    assert not pane.isVisible()
    qtbot.mouseClick(ws.english_button, Qt.MouseButton.LeftButton)
    assert pane.isVisible() and pane.progress.text() == "No English yet" and english(ws, 0) == ""
    translate(qtbot, ws)
    assert pane.progress.text() == "English for 2 of 2 turns"
    assert all("portal" in english(ws, row).lower() for row in (0, 1)), [english(ws, r) for r in (0, 1)]
    engine_english = english(ws, 1)

    pane.table.setFocus()
    index = pane.model.index(1, ENGLISH)
    pane.table.edit(index)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not pane.table, "the English cell opened for typing"
    editor.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(editor, "The room behind this portal was used as a mortuary.")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits it queued
    qtbot.waitUntil(lambda: pane.table.state() != pane.table.State.EditingState)
    assert english(ws, 1) == "The room behind this portal was used as a mortuary."
    segment_id = ws.transcript.segments[1].id
    assert translation_layer.corrected_segments(ws.store, 1) == {segment_id}
    assert ws.transcript.segments[1].text == GERMAN, "the original and its codings are untouched"

    ws.undo()  # the study's Undo (Ctrl+Z), as for any edit; the views follow the study's change
    qtbot.waitUntil(lambda: english(ws, 1) == engine_english, timeout=5000)
    ws.undo(redo=True)
    qtbot.waitUntil(lambda: english(ws, 1) == "The room behind this portal was used as a mortuary.", timeout=5000)

    qtbot.mouseClick(
        pane.table.viewport(), Qt.MouseButton.LeftButton, pos=pane.table.visualRect(pane.model.index(1, 0)).center()
    )
    assert ws.view.current_row() == 1, "choosing a turn's English moves the editor to that turn"
    if SCREENSHOTS:
        ws.grab().save(str(SCREENSHOTS / "english_beside_transcript.png"))

    def keep(box: QMessageBox) -> int:
        assert "You corrected the English of 1 turn(s)" in box.text()
        next(b for b in box.buttons() if b.text() == "Keep my corrections").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", keep)
    translate(qtbot, ws)
    assert english(ws, 1) == "The room behind this portal was used as a mortuary.", "the correction is kept"
    assert "portal" in english(ws, 0).lower()

    edit_service.update_segment_text(ws.store, ws.transcript.segments[0].id or 0, GERMAN.replace("Raum", "Saal"))
    qtbot.waitUntil(lambda: "corrected after this was translated" in str(tooltip(ws, 0)), timeout=5000)
    assert "Corrected by you" in str(tooltip(ws, 1)), "a correction of the English is not called stale"


def tooltip(ws: StudyWorkspace, row: int) -> object:
    return ws.translation.model.index(row, ENGLISH).data(Qt.ItemDataRole.ToolTipRole)
