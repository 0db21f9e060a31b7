"""Insert turn…: the researcher types a remark the transcriber wrote nothing for.

AMI trn02 (real audio): one quiet remark of 0.7 s at 20.70-21.39 s, which Whisper writes nothing for;
the speaker step heard it (its timeline holds S1 there, with no turn). The researcher puts the
playhead near it, opens Insert turn (Ctrl+Shift+I), hears the stretch, types the remark and OKs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop_app.gui.shell.shortcuts import actions_bound_to
from desktop_app.gui.shell.study_workspace import NO_WORDS, NOT_TRANSCRIBED
from desktop_app.services.speakers import speaker_service, speaker_turns
from desktop_app.services.study import import_service, project_service
from desktop_app.storage.transcripts import transcript_repository
from tests.fixtures.study_window import open_window


def _quiet_study(tmp_path: Path, shared_data: Path) -> Path:
    path = tmp_path / "quiet.verbatim"
    with project_service.create_project(path) as store:
        (doc,) = import_service.import_recordings(store, [shared_data / "ami_dev" / "trn02.wav"]).imported
        store.db.execute("UPDATE documents SET status = 'transcribed' WHERE id = ?", [doc.id])
        speaker_turns.replace_turns(store, doc.id, [], [(20.7, 21.39, "S1")])  # heard, no words
    return path


def test_a_remark_with_no_words_is_typed_in_as_a_turn(qtbot: QtBot, tmp_path: Path, shared_data: Path) -> None:
    window, ws = open_window(qtbot, _quiet_study(tmp_path, shared_data), show=True)
    assert ws.transcript.segments == [] and ws.view.placeholderText() == NO_WORDS  # not "choose Transcribe"
    ws.player.seek(19.5)  # the researcher heard something about here
    qtbot.waitUntil(lambda: abs(ws.player.position - 19.5) < 0.05, timeout=5000)
    (action,) = [a for a in actions_bound_to(window, "insert_turn") if a is ws.turn_actions.insert]
    assert action.shortcut().toString() == "Ctrl+Shift+I"
    action.trigger()
    dialog = ws.turn_actions.insert_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.chosen_speaker() == "S1" and dialog.span() == (20.7, 21.39)  # the talk without words found
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and dialog.warning.text() == "Type what was said."
    with qtbot.waitSignal(ws.player.playing_changed, timeout=5000):
        qtbot.mouseClick(dialog.play, Qt.MouseButton.LeftButton)  # hear it before typing
    qtbot.keyClicks(dialog.text, "Yeah.")
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    assert [(s.speaker, s.text, s.start, s.end) for s in ws.transcript.segments] == [("S1", "Yeah.", 20.7, 21.39)]
    assert ws.view.current_row() == 0
    (stats,) = speaker_service.speaker_stats(ws.store, 1)
    assert not stats.heard_without_words and stats.words == 1
    assert ws.waveform._wordless == []
    window.undo_action.trigger()
    assert ws.transcript.segments == [] and ws.view.placeholderText() == NO_WORDS
    assert transcript_repository.load_transcript(ws.store, 1).segments == []
    window.close_study()


def test_the_end_must_follow_the_start_and_a_new_speaker_can_be_chosen(
    qtbot: QtBot, tmp_path: Path, shared_data: Path
) -> None:
    window, ws = open_window(qtbot, _quiet_study(tmp_path, shared_data), show=True)
    ws.turn_actions.insert.trigger()  # the playhead at 0: nothing heard near it, 2 s from there
    dialog = ws.turn_actions.insert_dialog
    assert dialog is not None and dialog.span() == (0.0, 2.0)
    qtbot.keyClicks(dialog.text, "Shall we start?")
    dialog.end.setValue(0.0)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and dialog.warning.text() == "The end must come after the start."
    dialog.end.setValue(1.5)
    dialog.speaker.setCurrentIndex(dialog.speaker.count() - 1)  # New speaker…
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # OK from the keyboard
    assert [(s.speaker, s.text) for s in ws.transcript.segments] == [("S2", "Shall we start?")]
    window.close_study()


def test_a_recording_not_transcribed_yet_says_so(qtbot: QtBot, tmp_path: Path, shared_data: Path) -> None:
    path = tmp_path / "new.verbatim"
    with project_service.create_project(path) as store:
        import_service.import_recordings(store, [shared_data / "ami_dev" / "trn02.wav"])
    window, ws = open_window(qtbot, path)
    assert ws.view.placeholderText() == NOT_TRANSCRIBED
    window.close_study()
