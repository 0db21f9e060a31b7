"""Speakers tab › Find speakers again…: the speaker step once more, with a count or the meetings engine, on AMI trn07.

Real engines on a real meeting (four people, 30 s): transcribed from the bar with the Interviews
engine, one speaker is found and the status bar says that two people were heard at once; Find
speakers again with "4 speakers" (which picks the meetings engine) splits the turns among four,
keeps the researcher's correction, and Undo brings the single speaker back.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from desktop_app.gui.transcript.speaker_step_dialog import SpeakerStepDialog
from desktop_app.services.study import import_service, project_service
from desktop_app.services.transcript import edit_service
from desktop_app.storage.transcripts import transcript_repository
from tests.fixtures.coding_study import CodingStudy
from tests.fixtures.study_window import open_window


def _speakers(study: Path, document: int = 1) -> set[str]:
    """The document's speakers: those with turns, and voices heard only without words."""
    with project_service.open_project(study, readonly=True) as store:
        return set(transcript_repository.list_speakers(store, document))


@pytest.mark.slow
def test_find_speakers_again_with_four_people_splits_the_meeting_and_undo_brings_back_the_first_count(
    qtbot: QtBot, tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = tmp_path / "study.verbatim"
    with project_service.create_project(study) as store:
        import_service.import_recordings(store, [shared_data / "ami_dev" / f"{c}.wav" for c in ("trn07", "trn08")])
    window, ws = open_window(qtbot, study, show=True, size=(1200, 760))
    ws.explorer.tabs.setCurrentWidget(ws.speakers)  # the tab counts while it can be seen
    panel = ws.panel
    panel.model.setCurrentIndex(panel.model.findData("tiny.en"))
    panel.language.setCurrentIndex(panel.language.findData("en"))
    panel.speakers.setCurrentIndex(panel.speakers.findData("auto"))
    panel.choose_engine(False)
    panel.start_button.click()
    qtbot.waitUntil(lambda: ws.transcriber is None, timeout=180_000)
    assert len(_speakers(study)) == 1
    note = ws.speakers.count_note  # the step said the count looks low: the Speakers tab keeps it
    assert not note.isHidden() and "meetings engine" in note.text()
    assert note.text().startswith("2 people were heard talking within one stretch, but only 1 speaker was found")

    first = edit_service.load_transcript(ws.store, 1).segments[0]
    assert first.id is not None
    edit_service.update_segment_texts(ws.store, {first.id: "Corrected by the researcher " + first.text})
    offered: list[tuple[str, bool, bool]] = []

    def choose_four(dialog: SpeakerStepDialog) -> int:
        assert dialog.every.isHidden()  # one recording transcribed: nothing else to offer
        notes = [label.text() for label in dialog.findChildren(QLabel)]
        offered.append(
            (dialog.speakers_spec(), dialog.meeting(), any(t.startswith("Last time: 2 people") for t in notes))
        )
        dialog.speakers.setCurrentIndex(dialog.speakers.findData("4"))  # four people: the meetings engine
        assert dialog.meeting()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(SpeakerStepDialog, "exec", choose_four)
    ws.speakers.again_button.click()
    assert offered == [("auto", False, True)]  # the bar's choice first, and what the last step said
    assert ws.speakers_again.progress is not None and ws.speakers_again.progress.isModal()  # no typing meanwhile
    qtbot.waitUntil(lambda: ws.speakers_again.progress is None, timeout=120_000)
    assert len(_speakers(study)) == 4
    assert "speakers found again: 4 speakers" in ws.status.currentMessage()
    assert note.isHidden() and 1 not in ws.speakers.count_notes  # the count was given: nothing to say of it
    qtbot.waitUntil(lambda: ws.speakers.model.rowCount() == 4)
    assert "Corrected by the researcher" in ws.view.toPlainText()  # the correction stays

    ws.undo()
    assert len(_speakers(study)) == 1
    qtbot.waitUntil(lambda: ws.speakers.model.rowCount() == 1)
    assert "Corrected by the researcher" in ws.view.toPlainText()

    ws.panel.start_all_button.click()  # trn08 too, as interviews
    qtbot.waitUntil(lambda: ws.transcriber is None, timeout=180_000)
    assert len(_speakers(study, 2)) <= 2

    def every_recording(dialog: SpeakerStepDialog) -> int:
        assert not dialog.every.isHidden() and "(2)" in dialog.every.text()
        dialog.engine.setCurrentIndex(dialog.engine.findData(True))
        dialog.every.setChecked(True)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(SpeakerStepDialog, "exec", every_recording)
    ws.speakers.again_button.click()
    assert ws.speakers_again.progress is not None and "2 recordings" in ws.speakers_again.progress.labelText()
    qtbot.waitUntil(lambda: ws.speakers_again.progress is None, timeout=120_000)
    assert "Speakers found again in 2 recordings: trn07: " in ws.status.currentMessage()
    assert "; trn08: " in ws.status.currentMessage()
    assert len(_speakers(study, 1)) >= 2 and len(_speakers(study, 2)) >= 3  # the meetings engine, both
    ws.undo()  # one undo step per recording: the last one's
    assert len(_speakers(study, 2)) <= 2 and len(_speakers(study, 1)) >= 2
    window.close_study()


def test_find_speakers_again_waits_for_a_running_transcription(qtbot: QtBot, study: CodingStudy) -> None:
    """The step rewrites the turns a transcription is writing: it is refused then, with a word in the status bar."""
    window, ws = open_window(qtbot, study.store.path, study.documents[0])
    ws.transcriber = object()  # type: ignore[assignment]  # a queue is running
    ws.speakers.again_button.click()  # no dialog opens (an unanswered one fails the test)
    assert ws.speakers_again.progress is None
    assert "waits until the transcription has finished" in ws.status.currentMessage()
    ws.transcriber = None
    window.close_study()


def test_a_recording_the_step_cannot_read_is_named_and_left_as_it_was(
    qtbot: QtBot, study: CodingStudy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The coding study's interviews have no recording: the step says so for each and changes nothing."""
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.services.speakers.diarization_service import DiarizationOptions

    window, ws = open_window(qtbot, study.store.path, study.documents[0])
    before = edit_service.load_transcript(ws.store, study.documents[0]).segments
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: warned.append(f"{title}: {text}"))
    ws.speakers_again.run(study.documents[:2], DiarizationOptions())
    qtbot.waitUntil(lambda: ws.speakers_again.progress is None, timeout=30_000)
    assert len(warned) == 1 and warned[0].startswith("Find speakers again: ")
    lines = warned[0].removeprefix("Find speakers again: ").splitlines()
    titles = [ws.documents.document(r).title for r in range(2)]
    assert [line.split(": ")[0] for line in lines] == titles and all("has no recording" in line for line in lines)
    assert edit_service.load_transcript(ws.store, study.documents[0]).segments == before
    window.close_study()
