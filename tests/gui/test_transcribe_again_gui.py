"""Transcribe on a corrected, coded document in the window: it asks, keeps the work, and undoes exactly.

Also the progress line: "Loading model…" while the engine starts, then a time left that counts down
(it read 00:00:00 throughout, because a short recording reports progress only once, at its end).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.core.coding import TextPosition
from desktop_app.gui.shell.study_workspace import StudyWorkspace
from desktop_app.gui.transcript import retranscribe_dialog
from desktop_app.gui.transcript.retranscribe_dialog import RetranscribeDialog
from desktop_app.gui.transcript.transcription_panel import EtaClock, TranscriptionPanel
from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.services.coding import coding_service
from desktop_app.services.study import import_service, project_service
from desktop_app.services.transcript import edit_service
from desktop_app.services.transcription.retranscription import ExistingWork, RetranscribeMode
from desktop_app.services.transcription.transcription_service import transcribe_document
from tests.fixtures.speech import SpeechFixture
from tests.fixtures.study_window import open_window


def _state(store: Any, doc: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    turns = [(s.id, s.text, s.start) for s in edit_service.load_transcript(store, doc).segments]
    return turns, store.db.execute("SELECT * FROM codings ORDER BY id").fetchall()


@pytest.fixture
def worked_study(tmp_path: Path, focus_group_speech: SpeechFixture) -> tuple[Path, int]:
    study = tmp_path / "study.verbatim"
    with project_service.create_project(study) as store:
        (doc,) = import_service.import_recordings(store, [focus_group_speech.wav]).imported
        transcribe_document(store, doc.id, TranscriptionOptions(model="tiny.en", language="en"))
        turns = edit_service.load_transcript(store, doc.id).segments
        assert turns[0].id and turns[2].id
        edit_service.update_segment_text(store, turns[0].id, turns[0].text + " (laughs)")
        code = coding_service.add_code(store, "Staffing")
        coding_service.apply_code(store, doc.id, code, TextPosition(turns[2].id, 0), TextPosition(turns[2].id, 9))
    return study, doc.id


def _transcribe_with_tiny(qtbot: QtBot, ws: StudyWorkspace) -> None:
    """Transcribe with the small English model (the only one the tests have) and wait for the run to end."""
    ws.panel.model.setCurrentIndex(ws.panel.model.findData("tiny.en"))
    ws.panel.language.setCurrentIndex(ws.panel.language.findData("en"))
    ws.panel.start_button.click()
    qtbot.waitUntil(lambda: ws.transcriber is None, timeout=120_000)


def _reports(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the window reports in an information box after the run (recorded instead of shown)."""
    reported: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: reported.append(text))
    return reported


@pytest.mark.slow
def test_transcribe_again_keeps_corrections_and_undo_restores(
    qtbot: QtBot, worked_study: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    study, doc = worked_study
    asked: list[str] = []

    def choose_keep(dialog: RetranscribeDialog) -> int:
        asked.append(dialog.text())
        dialog.keep_button.click()
        return 0

    monkeypatch.setattr(RetranscribeDialog, "exec", choose_keep)
    reported = _reports(monkeypatch)
    win, ws = open_window(qtbot, study, doc)
    before = _state(ws.store, doc)
    _transcribe_with_tiny(qtbot, ws)
    assert asked and "1 corrected turn and 1 coding" in asked[0]
    turns, codings = _state(ws.store, doc)
    assert codings == before[1]  # 0 codings lost or moved
    assert turns[0] == before[0][0] and "(laughs)" in turns[0][1]  # 0 corrections lost
    assert reported and reported[0].startswith("Kept 2 turns you corrected")
    win.undo_action.trigger()
    assert _state(ws.store, doc) == before


@pytest.mark.slow
def test_cancelling_the_question_transcribes_nothing(
    qtbot: QtBot, worked_study: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    study, doc = worked_study
    monkeypatch.setattr(RetranscribeDialog, "exec", lambda dialog: int(QMessageBox.StandardButton.Cancel))
    _win, ws = open_window(qtbot, study, doc)
    before = _state(ws.store, doc)
    ws.panel.start_button.click()
    assert ws.transcriber is None and _state(ws.store, doc) == before


def test_the_question_names_the_work_and_offers_both_ways(qtbot: QtBot) -> None:
    dialog = RetranscribeDialog("PSW 5", ExistingWork(3, 2, 1, frozenset({1, 2, 3})))
    qtbot.addWidget(dialog)
    assert dialog.text() == "“PSW 5” has 3 corrected turns, 2 codings and 1 memo."
    assert dialog.defaultButton() is dialog.keep_button
    dialog.replace_button.click()
    assert dialog.chosen() is RetranscribeMode.REPLACE
    assert retranscribe_dialog.KEEP_TEXT in dialog.keep_button.text()


def test_progress_says_loading_model_then_counts_the_time_left_down(qtbot: QtBot) -> None:
    panel = TranscriptionPanel()
    qtbot.addWidget(panel)
    panel.set_running(True)
    panel.show_loading(-1)
    assert panel.progress.format() == "Loading model…" and "loading model" in panel.status.text().lower()
    panel.prior_speed = 10.0  # earlier runs of this model in the study: 10× real time
    panel.show_started(-1, 600.0)
    assert "00:01:00 left" in panel.status.text() or "00:00:59 left" in panel.status.text()
    clock = EtaClock()
    clock.start(600.0, None, now=0.0)
    assert clock.remaining(now=5.0) is None  # nothing to estimate from yet: said so, not 00:00:00
    clock.report(300.0, 600.0, 5.0, now=60.0)  # half done after a minute, at 5× real time
    assert clock.remaining(now=60.0) == pytest.approx(60.0)
    assert clock.remaining(now=90.0) == pytest.approx(30.0)  # counts down between the engine's reports
    assert clock.remaining(now=200.0) == 0.0


@pytest.mark.slow
def test_replace_all_from_the_window_moves_codings_and_undoes(
    qtbot: QtBot, worked_study: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    study, doc = worked_study

    def choose_replace(dialog: RetranscribeDialog) -> int:
        dialog.replace_button.click()
        return 0

    monkeypatch.setattr(RetranscribeDialog, "exec", choose_replace)
    reported = _reports(monkeypatch)
    win, ws = open_window(qtbot, study, doc)
    before = _state(ws.store, doc)
    _transcribe_with_tiny(qtbot, ws)
    turns, codings = _state(ws.store, doc)
    assert not any("(laughs)" in t[1] for t in turns) and len(codings) == 1  # replaced; the coding followed
    assert reported and reported[0].startswith("Replaced the transcript") and "1 coding kept" in reported[0]
    assert not any("(laughs)" in s.text for s in ws.transcript.segments)  # the view shows the new transcript
    win.undo_action.trigger()
    assert _state(ws.store, doc) == before
    assert "(laughs)" in ws.transcript.segments[0].text
