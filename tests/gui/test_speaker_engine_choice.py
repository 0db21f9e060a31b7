"""The transcription bar's speaker engine: Interviews, or Meetings and focus groups, passed to the speaker step."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.services.speakers import diarization_service
from desktop_app.services.study import import_service, project_service
from tests.fixtures.study_window import open_window

SCREENSHOTS = Path(os.environ["VERBATIM_SCREENSHOTS"]) if os.environ.get("VERBATIM_SCREENSHOTS") else None


def _window(qtbot: QtBot, study: Path) -> MainWindow:
    return open_window(qtbot, study, show=True, size=(1200, 760))[0]


@pytest.mark.slow
def test_the_meetings_engine_chosen_in_the_bar_reaches_the_speaker_step_and_is_offered_next_time(
    qtbot: QtBot, tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = tmp_path / "study.verbatim"
    with project_service.create_project(study) as store:
        import_service.import_recordings(store, [shared_data / "jfk.flac"])
    asked: list[diarization_service.DiarizationOptions] = []

    def speaker_step(
        _store: Any, _document: int, options: diarization_service.DiarizationOptions, **_: Any
    ) -> SimpleNamespace:
        asked.append(options)  # on the worker's thread: only recorded here
        return SimpleNamespace(hint=None)

    monkeypatch.setattr(diarization_service, "diarize_document", speaker_step)
    window = _window(qtbot, study)
    ws = window.workspace
    assert ws is not None
    panel = ws.panel
    assert panel.engine.currentText() == "Interviews"  # the default: what two-person interviews need
    assert "focus groups" in panel.engine.toolTip() and "two-person interview" in panel.engine.toolTip()
    panel.speakers.setCurrentIndex(panel.speakers.findData(""))  # One voice: no speaker step, no engine
    assert not panel.engine.isEnabled()
    panel.speakers.setCurrentIndex(panel.speakers.findData("4-8"))
    assert panel.engine.isEnabled()
    panel.engine.setCurrentIndex(panel.engine.findText("Meetings and focus groups"))
    ws.explorer.select(ws.documents.document(0).id)
    panel.model.setCurrentIndex(panel.model.findData("tiny.en"))
    if SCREENSHOTS:
        panel.grab().save(str(SCREENSHOTS / "transcription_bar.png"))
    panel.start_button.click()
    assert not panel.engine.isEnabled()  # not changed while a queue runs
    qtbot.waitUntil(lambda: ws.transcriber is None, timeout=120_000)
    assert [(o.meeting, o.min_speakers, o.max_speakers) for o in asked] == [(True, 4, 8)]
    assert panel.engine.isEnabled()
    window.close_study()

    reopened = _window(qtbot, study)  # the engine chosen last is offered again
    assert reopened.workspace is not None
    assert reopened.workspace.panel.engine.currentText() == "Meetings and focus groups"
    assert reopened.workspace.panel.meeting_engine()
    reopened.workspace.panel.engine.setCurrentIndex(0)
    assert not reopened.workspace.panel.meeting_engine()
    reopened.close_study()


def test_four_people_or_more_choose_the_meetings_engine_which_the_researcher_may_undo(qtbot: QtBot) -> None:
    from desktop_app.gui.transcript.transcription_panel import TranscriptionPanel

    panel = TranscriptionPanel()
    qtbot.addWidget(panel)
    for spec in ("2", "3", "2-4", "auto"):
        panel.speakers.setCurrentIndex(panel.speakers.findData(spec))
        assert panel.engine.currentText() == "Interviews"
    for spec in ("4", "5", "6", "4-8"):
        panel.choose_engine(False)
        panel.speakers.setCurrentIndex(panel.speakers.findData(spec))
        assert panel.engine.currentText() == "Meetings and focus groups" and panel.meeting_engine()
    panel.choose_engine(False)  # the researcher's choice stands until the count changes again
    assert not panel.meeting_engine()
    panel.speakers.setCurrentIndex(panel.speakers.findData("2"))
    assert not panel.meeting_engine()  # a smaller count does not switch back by itself either
    panel.choose_engine(True)
    panel.speakers.setCurrentIndex(panel.speakers.findData("3"))
    assert panel.meeting_engine()


def test_interviews_engine_is_the_plain_speaker_step(qtbot: QtBot) -> None:
    """The worker builds the options the CLI's ``diarize`` builds, with and without ``--meeting``."""
    from desktop_app.gui.transcript.transcription_worker import TranscriptionWorker
    from desktop_app.services.transcription.transcription_service import TranscriptionOptions

    interviews = TranscriptionWorker(Path("s.verbatim"), [1], TranscriptionOptions(), "2")
    meetings = TranscriptionWorker(Path("s.verbatim"), [1], TranscriptionOptions(), "auto", meeting=True)
    assert interviews._speaker_options() == diarization_service.DiarizationOptions(num_speakers=2)
    assert meetings._speaker_options() == diarization_service.DiarizationOptions(meeting=True)
