from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.transcript import Segment, Word
from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.gui.shell.study_workspace import StudyWorkspace
from desktop_app.gui.transcript.find_replace_dialog import WHOLE_STUDY, FindReplaceDialog
from desktop_app.services.study import import_service, project_service
from desktop_app.storage.transcripts import transcript_repository
from tests.fixtures.study_window import open_window


def _turn(text: str, start: float, speaker: str) -> Segment:
    words = [Word(start + i * 0.4, start + i * 0.4 + 0.3, t, 0.9, speaker) for i, t in enumerate(text.split())]
    return Segment.from_words(words, speaker)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, shared_data: Path) -> MainWindow:
    path = tmp_path / "s.verbatim"
    with project_service.create_project(path) as store:
        first, second = import_service.import_recordings(
            store, [shared_data / "pyannote_sample.wav", shared_data / "jfk.flac"]
        ).imported
        turns = ["hello is this Diane", "yes hi this is Sheila 😀 this", "from Texas originally"]
        transcript_repository.append_segments(
            store, first.id, None, [_turn(t, 6.0 + 4 * i, f"S{1 + i % 2}") for i, t in enumerate(turns)]
        )
        transcript_repository.append_segments(store, second.id, None, [_turn("ask what this country", 0.5, "S1")])
    main, _workspace = open_window(qtbot, path, show=True)
    return main


def _dialog(window: MainWindow) -> tuple[StudyWorkspace, FindReplaceDialog]:
    ws = window.workspace
    assert ws is not None
    window.find_action.trigger()
    (dialog,) = ws.findChildren(FindReplaceDialog)
    assert dialog.isVisible() and not dialog.isModal()
    return ws, dialog


def _selected(ws: StudyWorkspace) -> tuple[int, str]:
    return ws.view.current_row(), ws.view.textCursor().selectedText()


def _type_at_end(qtbot: QtBot, ws: StudyWorkspace, row: int, text: str) -> None:
    """Click into turn ``row``'s end and type, as a researcher would (not stored until a pause)."""
    ws.view.setFocus()
    ws.view.place_cursor(row, len(ws.transcript.segments[row].text))
    qtbot.keyClicks(ws.view, text)


def test_find_next_previous_selects_the_match_and_counts(qtbot: QtBot, window: MainWindow) -> None:
    ws, dialog = _dialog(window)
    assert [a.toString() for a in window.find_action.shortcuts()] == ["Ctrl+F", "Ctrl+H"]
    dialog.find_edit.setText("this")
    dialog.update_count()
    assert dialog.count_label.text() == "3 in this document"
    dialog.next_button.click()
    assert _selected(ws) == (0, "this") and dialog.count_label.text() == "Match 1 of 3 in this document"
    dialog.next_button.click()
    assert _selected(ws) == (1, "this") and dialog.current is not None and dialog.current.start == 7
    dialog.next_button.click()
    assert dialog.current is not None and dialog.current.start == 24, "after the emoji: code points"
    assert _selected(ws) == (1, "this")
    dialog.next_button.click()
    assert _selected(ws) == (0, "this"), "wraps around"
    dialog.previous_button.click()
    assert dialog.current is not None and (dialog.current.row, dialog.current.start) == (1, 24)
    dialog.words_box.setChecked(True)
    dialog.find_edit.setText("thi")
    dialog.update_count()
    assert dialog.count_label.text() == "No matches in this document"
    dialog.scope.setCurrentIndex(WHOLE_STUDY)
    dialog.find_edit.setText("this")
    dialog.update_count()
    assert dialog.count_label.text() == "3 in this document · 4 in the study"


def test_bad_regex_is_explained_in_the_dialog(window: MainWindow) -> None:
    ws, dialog = _dialog(window)
    dialog.regex_box.setChecked(True)
    dialog.find_edit.setText("(Sheila")
    dialog.next_button.click()
    assert "not a valid regular expression" in dialog.count_label.text()
    assert "missing )" in dialog.count_label.text()
    assert [s.text for s in ws.transcript.segments][0] == "hello is this Diane"


def test_replace_one_moves_on_and_undo_restores(window: MainWindow) -> None:
    ws, dialog = _dialog(window)
    dialog.find_edit.setText("this")
    dialog.replace_edit.setText("THAT")
    dialog.replace_button.click()  # nothing selected yet: finds the first
    assert _selected(ws) == (0, "this")
    dialog.replace_button.click()
    assert ws.transcript.segments[0].text == "hello is THAT Diane"
    assert _selected(ws) == (1, "this"), "the next match is selected"
    dialog.replace_button.click()
    assert ws.transcript.segments[1].text == "yes hi THAT is Sheila 😀 this"
    assert dialog.current is not None and dialog.current.start == len("yes hi THAT is Sheila 😀 ")
    window.undo_action.trigger()
    assert ws.transcript.segments[1].text == "yes hi this is Sheila 😀 this"
    assert ws.transcript.segments[0].text == "hello is THAT Diane"


def test_typing_in_the_turn_is_saved_before_replacing(qtbot: QtBot, window: MainWindow) -> None:
    ws, dialog = _dialog(window)
    _type_at_end(qtbot, ws, 2, " this time")
    dialog.find_edit.setText("this")
    dialog.replace_edit.setText("that")
    dialog.scope.setCurrentIndex(0)
    dialog.replace_all_button.click()
    assert [s.text for s in ws.transcript.segments] == [
        "hello is that Diane",
        "yes hi that is Sheila 😀 that",
        "from Texas originally that time",
    ]
    assert "Replaced 4 in 3 turns" in dialog.count_label.text()


def test_replace_all_in_the_study_is_one_undo_step(window: MainWindow) -> None:
    ws, dialog = _dialog(window)
    dialog.find_edit.setText("this")
    dialog.replace_edit.setText("that")
    dialog.scope.setCurrentIndex(WHOLE_STUDY)
    dialog.replace_all_button.click()
    assert "Replaced 4 in 3 turns in 2 documents" in dialog.count_label.text()
    ws.explorer.select(ws.documents.document(1).id)
    assert ws.transcript.segments[0].text == "ask what that country"
    window.undo_action.trigger()
    assert ws.transcript.segments[0].text == "ask what this country"
    ws.explorer.select(ws.documents.document(0).id)
    assert ws.transcript.segments[0].text == "hello is this Diane"


def test_undo_from_the_menu_while_typing_keeps_the_typing_in_the_journal(qtbot: QtBot, window: MainWindow) -> None:
    ws, dialog = _dialog(window)
    dialog.find_edit.setText("Diane")
    dialog.replace_edit.setText("Diana")
    dialog.replace_all_button.click()
    _type_at_end(qtbot, ws, 2, " I said")
    window.undo_action.trigger()  # from the menu: the typing is saved first, then that save is undone
    assert ws.transcript.segments[2].text == "from Texas originally"
    assert ws.transcript.segments[0].text == "hello is this Diana", "the replace before it is kept"
    qtbot.waitUntil(window.redo_action.isEnabled)
    window.redo_action.trigger()
    assert ws.transcript.segments[2].text == "from Texas originally I said", "nothing typed is lost"


def test_ctrl_z_in_the_editor_undoes_in_the_study_and_ctrl_shift_return_splits(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The text widget's own undo would not know the study; Ctrl+Z typed in the transcript is Edit > Undo."""
    ws = window.workspace
    assert ws is not None
    _type_at_end(qtbot, ws, 2, " I said")
    qtbot.keyClick(ws.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # stores the typing, then undoes it
    assert ws.transcript.segments[2].text == "from Texas originally"
    assert ws.view.block(2).text() == "from Texas originally"
    qtbot.waitUntil(window.redo_action.isEnabled)
    qtbot.keyClick(ws.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert ws.transcript.segments[2].text == "from Texas originally I said"
    ws.view.place_cursor(2, len("from Texas "))
    qtbot.keyClick(ws.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [s.text for s in ws.transcript.segments][2:] == ["from Texas", "originally I said"]
