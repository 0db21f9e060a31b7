"""The continuous transcript editor through its real widgets: typing is stored (on a pause, on leaving the
turn, before a reload), turn boundaries change only through turn actions, playback never touches the
text or the cursor, and coding stripes show and select codings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import shiboken6
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from pytestqt.qtbot import QtBot

from desktop_app.core.coding import TextPosition
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.gui.shell.study_workspace import StudyWorkspace
from desktop_app.gui.transcript.editor_margins import PLAY_WIDTH
from desktop_app.gui.transcript.transcript_editor import COMMIT_AFTER_MS
from desktop_app.services.coding import coding_service
from desktop_app.services.study import project_service
from desktop_app.services.transcript import edit_service
from tests.fixtures.coding_study import CodingStudy
from tests.fixtures.focus_group import make_focus_group
from tests.gui import test_coding_workspace as coding_workspace

workspace = coding_workspace.workspace  # the coding tests' window (on the study of tests/conftest.py)


def _stored(ws: StudyWorkspace) -> list[str]:
    assert ws.current_id is not None
    return [s.text for s in edit_service.load_transcript(ws.store, ws.current_id).segments]


def _put_cursor(ws: StudyWorkspace, row: int, offset: int) -> None:
    ws.view.setFocus()
    ws.view.place_cursor(row, offset)


def test_typing_is_stored_after_a_pause_and_on_leaving_the_turn(qtbot: QtBot, workspace: StudyWorkspace) -> None:
    ws = workspace
    _put_cursor(ws, 2, len("And what"))
    qtbot.keyClicks(ws.view, " really")
    assert _stored(ws)[2] == "And what changed that?", "not stored on every key"
    qtbot.waitUntil(lambda: _stored(ws)[2] == "And what really changed that?", timeout=COMMIT_AFTER_MS * 4)
    qtbot.keyClicks(ws.view, " ")  # a trailing space stays on screen while the cursor is in the turn
    qtbot.keyClick(ws.view, Qt.Key.Key_Down)  # leaving the turn stores it at once
    assert _stored(ws)[2] == "And what really changed that?"
    qtbot.keyClicks(ws.view, "Z")
    ws.reload_transcript()  # a reload (speaker renamed, turns arriving) stores typing first
    assert "Z" in _stored(ws)[3] and "Z" in ws.view.block(3).text()
    assert ws.view.document().blockCount() == 4


def test_enter_splits_backspace_and_delete_merge_and_undo_restores(qtbot: QtBot, workspace: StudyWorkspace) -> None:
    ws = workspace
    before = _stored(ws)
    _put_cursor(ws, 1, len("Honestly "))
    qtbot.keyClick(ws.view, Qt.Key.Key_Return)
    assert _stored(ws)[1:3] == ["Honestly", "I felt alone on the night shift, nobody to call."]
    assert (ws.view.current_row(), ws.view.textCursor().positionInBlock()) == (2, 0)
    assert ws.transcript.segments[2].start > ws.transcript.segments[1].start, "the new turn has its words' times"
    qtbot.keyClick(ws.view, Qt.Key.Key_Backspace)  # at the start of a turn: merge into the one before
    assert _stored(ws) == before
    assert ws.view.block(1).text()[: ws.view.textCursor().positionInBlock()] == "Honestly "
    _put_cursor(ws, 2, len(before[2]))
    qtbot.keyClick(ws.view, Qt.Key.Key_Delete)  # at the end of a turn: merge the next one
    assert _stored(ws)[2] == before[2] + " " + before[3] and len(_stored(ws)) == 3
    ws.undo()
    ws.undo()
    ws.undo()
    assert _stored(ws) == before and ws.view.document().blockCount() == 4


def test_a_selection_across_turns_loses_its_text_but_never_a_turn(qtbot: QtBot, workspace: StudyWorkspace) -> None:
    ws = workspace
    ws.view.setFocus()
    ws.view.select_range(1, len("Honestly I felt alone"), 2, len("And what"))
    qtbot.keyClicks(ws.view, "!")
    ws.view.flush()
    assert _stored(ws)[1:3] == ["Honestly I felt alone!", "changed that?"]
    ws.undo()  # one step for both turns
    assert _stored(ws)[1:3] == ["Honestly I felt alone on the night shift, nobody to call.", "And what changed that?"]
    ws.undo(redo=True)
    ws.view.select_range(0, 4, 3, 4)
    qtbot.keyClick(ws.view, Qt.Key.Key_Delete)
    ws.view.flush()
    assert _stored(ws) == [
        "How",
        "",
        "",
        "support made the difference for me. Café meetings with other workers helped.",
    ]
    assert ws.view.document().blockCount() == 4


def test_paste_and_cut_stay_inside_the_turns(qtbot: QtBot, workspace: StudyWorkspace) -> None:
    ws = workspace
    _put_cursor(ws, 2, 0)
    data = QMimeData()
    data.setText("Tell me:\nreally,\n")
    ws.view.insertFromMimeData(data)
    ws.view.flush()
    assert _stored(ws)[2] == "Tell me: really, And what changed that?" and ws.view.document().blockCount() == 4
    ws.view.select_range(2, 0, 3, 5)
    ws.view.cut()
    ws.view.flush()
    assert _stored(ws)[2:] == ["", "support made the difference for me. Café meetings with other workers helped."]


def test_copied_words_reach_the_clipboard_as_data_qt_owns(qtbot: QtBot, workspace: StudyWorkspace) -> None:
    """A QMimeData made in Python left on the clipboard crashed the process on quit (PySide6 6.11)."""
    ws = workspace
    ws.view.select_range(3, 0, 3, 4)
    ws.view.copy()
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == "Peer"
    data = clipboard.mimeData()
    assert data is not None and not shiboken6.Shiboken.createdByPython(data)
    ws.view.select_range(3, 5, 3, 12)
    qtbot.keyClick(ws.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)  # Qt's own key path, not our slot
    assert clipboard.text() == "support" and not shiboken6.Shiboken.createdByPython(clipboard.mimeData())


def test_playback_highlight_never_moves_the_cursor_or_changes_the_text(qtbot: QtBot, workspace: StudyWorkspace) -> None:
    ws = workspace
    _put_cursor(ws, 1, 3)
    qtbot.keyClicks(ws.view, "xy")
    text = ws.view.toPlainText()
    position = ws.view.textCursor().position()
    for word in ws.transcript.segments[3].words[:4]:
        ws._playhead(word.start + 0.01)
        (selection,) = ws.view.extraSelections()
        assert selection.cursor.selectedText() == word.text
    ws._playhead(ws.transcript.segments[1].words[0].start + 0.01)  # the turn being typed in
    (selection,) = ws.view.extraSelections()
    assert selection.cursor.selectedText() == "Honxyestly"
    assert ws.view.toPlainText() == text and ws.view.textCursor().position() == position
    assert 1 in ws.view._dirty, "the typing is still there to be stored"


def test_follow_playback_scrolls_only_while_the_cursor_rests(qtbot: QtBot, workspace: StudyWorkspace) -> None:
    ws = workspace
    ws.view.resize(ws.view.width(), 80)
    qtbot.wait(10)
    ws.view.follow_idle_seconds = 3600.0
    _put_cursor(ws, 0, 0)
    qtbot.keyClick(ws.view, Qt.Key.Key_End)  # the researcher is working
    ws.view.verticalScrollBar().setValue(0)
    ws.view.reveal_row(3)
    assert ws.view.verticalScrollBar().value() == 0, "no jump under a cursor in use"
    ws.view.follow_idle_seconds = 0.0
    ws.view.reveal_row(3)
    assert ws.view.verticalScrollBar().value() > 0


def test_coding_stripes_are_labelled_show_the_memo_and_select_the_coding(
    qtbot: QtBot, workspace: StudyWorkspace, study: CodingStudy
) -> None:
    ws, panel = workspace, workspace.coding.codebook
    doc = study.documents[0]
    code = panel.add_code(name="Peer support")
    assert code is not None
    start, end = TextPosition(study.segment(doc, 2), 4), TextPosition(study.segment(doc, 3), 12)
    coding_service.apply_code(ws.store, doc, code, start, end, coder="AB", memo="turning point")
    ws.coding.refresh_codings()
    qtbot.wait(10)
    ws.view.stripes.repaint()
    (stripe,) = ws.view.stripes.stripes
    assert stripe.first.name == "Peer support" and stripe.label is not None
    assert "turning point" in coding_workspace_tooltip(ws)
    qtbot.mouseClick(ws.view.stripes, Qt.MouseButton.LeftButton, pos=stripe.label.center().toPoint())
    span = ws.view.selected_span()
    assert span is not None and span[2] == "what changed that? Peer support"


def coding_workspace_tooltip(ws: StudyWorkspace) -> str:
    from desktop_app.gui.coding.coding_highlights import tooltip

    stripe = ws.view.stripes.stripe_at(QPointF(6, ws.view.stripes.stripes[0].top + 3))
    assert stripe is not None and stripe.text == "what changed that? Peer support"
    return tooltip([replace(stripe.first, start=0, end=len(stripe.text))], stripe.text)


def test_margin_play_button_and_ctrl_click_play_from_there(qtbot: QtBot, workspace: StudyWorkspace) -> None:
    ws = workspace
    played: list[float] = []
    ws.view.word_clicked.disconnect()
    ws.view.word_clicked.connect(played.append)
    _put_cursor(ws, 0, 0)
    (row, block, top, bottom) = ws.view.visible_rows()[2]
    qtbot.mouseClick(ws.view.gutter, Qt.MouseButton.LeftButton, pos=QPoint(PLAY_WIDTH // 2, int(top + 8)))
    assert played == [ws.transcript.segments[2].start]
    cursor = QTextCursor(ws.view.block(3))
    cursor.movePosition(QTextCursor.MoveOperation.NextWord)
    cursor.movePosition(QTextCursor.MoveOperation.Right)  # inside "support"
    point = ws.view.cursorRect(cursor).center()
    qtbot.mouseClick(ws.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, point)
    assert played[-1] == ws.transcript.segments[3].words[1].start
    assert ws.view.textCursor().blockNumber() == 0, "the cursor stays where the researcher left it"
    qtbot.mouseClick(ws.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert len(played) == 2 and ws.view.textCursor().position() == cursor.position()


def test_typing_while_the_real_player_plays_and_seeks_stores_every_character(qtbot: QtBot, tmp_path: Path) -> None:
    """8 keys a second into two turns while the recording plays, with a seek mid-word: nothing is lost,
    the played word moves on meanwhile, and the cursor stays where the typing is."""
    group = make_focus_group(tmp_path, turns=40, words=600, speakers=4, codings=12, duration=120.0)
    store = project_service.open_project(group.path)
    ws = StudyWorkspace(store, AppSettings())
    qtbot.addWidget(ws)
    ws.resize(1200, 700)
    ws.show()
    ws.explorer.select(group.document)
    qtbot.waitUntil(lambda: ws.player.duration > 0, timeout=10_000)
    ws.player.play_from(3.0)
    qtbot.waitUntil(lambda: ws.player.playing, timeout=10_000)
    typed: dict[int, str] = {}
    played: set[int] = set()
    for row, text in ((5, "(laughs) yes exactly "), (20, "[crosstalk] no, the night rota ")):
        segment = ws.transcript.segments[row]
        cursor = QTextCursor(ws.view.block(row))
        ws.view.center_row(row)
        qtbot.mouseClick(ws.view.viewport(), Qt.MouseButton.LeftButton, pos=ws.view.cursorRect(cursor).center())
        for index, char in enumerate(text):
            qtbot.keyClicks(ws.view, char)
            qtbot.wait(125)
            played.add(ws.view._playing[0] if ws.view._playing else -1)
            if index == len(text) // 2:
                ws.player.seek(60.0)
        assert ws.view.textCursor().block().blockNumber() == row, "playback never moved the cursor"
        typed[segment.id or 0] = text + segment.text
    assert ws.player.playing and len(played - {-1}) >= 2, "the played word moved on while typing"
    qtbot.wait(COMMIT_AFTER_MS + 500)  # the pause after typing stores the last turn
    stored = {s.id: s.text for s in edit_service.load_transcript(store, group.document).segments}
    for segment_id, want in typed.items():
        assert stored[segment_id] == " ".join(want.split())
    ws.shutdown()
    store.close()


def test_a_read_only_study_shows_the_transcript_but_takes_no_typing(qtbot: QtBot, study: CodingStudy) -> None:
    path = study.store.path
    study.store.close()
    store = project_service.open_project(path, readonly=True)
    ws = StudyWorkspace(store, AppSettings())
    qtbot.addWidget(ws)
    ws.show()
    ws.explorer.select(study.documents[0])
    before = ws.view.toPlainText()
    _put_cursor(ws, 1, 3)
    qtbot.keyClicks(ws.view, "xyz")
    qtbot.keyClick(ws.view, Qt.Key.Key_Return)
    qtbot.keyClick(ws.view, Qt.Key.Key_Home)
    qtbot.keyClick(ws.view, Qt.Key.Key_Backspace)
    assert ws.view.toPlainText() == before and ws.view.document().blockCount() == 4
    ws.view.select_range(0, 0, 1, 5)
    assert ws.view.selected_span() is not None, "words can still be selected (and copied)"
    ws.shutdown()
    store.close()


def test_drag_with_the_mouse_across_turns_then_ctrl_k_codes_the_words(
    qtbot: QtBot, workspace: StudyWorkspace, study: CodingStudy
) -> None:
    ws, panel = workspace, workspace.coding.codebook
    code = panel.add_code(name="Peer support")
    assert code is not None and panel.current_code() is not None
    doc = study.documents[0]

    def point(row: int, offset: int) -> QPoint:
        cursor = QTextCursor(ws.view.document())
        cursor.setPosition(ws.view.position_of(row, offset))
        return ws.view.cursorRect(cursor).center()

    viewport = ws.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=point(2, 4))
    for step in (point(2, 10), point(3, 2), point(3, 12)):
        qtbot.mouseMove(viewport, step)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=point(3, 12))
    assert ws.view.textCursor().selectedText() == "what changed that?\u2029Peer support"
    qtbot.keyClick(ws.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyRelease(ws.view, Qt.Key.Key_Control)
    (coding,) = coding_service.codings(ws.store, doc)
    assert (coding.start, coding.end) == (
        TextPosition(study.segment(doc, 2), 4),
        TextPosition(study.segment(doc, 3), 12),
    )
    assert ws.view.toPlainText().count("\n") == 3, "nothing was moved or cut by the drag"
