"""Coding in the workspace on a real study: code words in the editor and whole turns, see the marks,
follow edits, undo, in-vivo codes, extracts that jump back to the transcript."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from desktop_app.core.text_offsets import codepoint_to_utf16
from desktop_app.gui.settings import AppSettings
from desktop_app.gui.study_workspace import StudyWorkspace
from desktop_app.gui.transcript_table_model import CODINGS_ROLE, TEXT
from desktop_app.services import coding_service
from tests.fixtures.coding_study import CodingStudy, make_coding_study

SCREENSHOTS = Path(os.environ.get("VERBATIM_SCREENSHOTS", "")) if os.environ.get("VERBATIM_SCREENSHOTS") else None


@pytest.fixture(autouse=True)
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Error dialogs are modal: record their messages instead (a test that expects none checks the list)."""
    shown: list[str] = []
    for module in ("coding_workbench", "codebook_panel", "extracts_panel", "codebook_model", "study_workspace"):
        monkeypatch.setattr(
            f"desktop_app.gui.{module}.show_error", lambda _p, exc, **_k: shown.append(str(exc)), raising=False
        )
    return shown


@pytest.fixture
def study(tmp_path: Path) -> Iterator[CodingStudy]:
    built = make_coding_study(tmp_path)
    yield built
    built.store.close()


@pytest.fixture
def workspace(qtbot: QtBot, study: CodingStudy) -> StudyWorkspace:
    settings = AppSettings()
    settings.set_coder_name("AB")
    ws = StudyWorkspace(study.store, settings)
    qtbot.addWidget(ws)
    ws.resize(1300, 800)
    ws.show()
    ws.explorer.select(study.documents[0])
    ws.left_tabs.setCurrentWidget(ws.coding.panel)
    return ws


def _open_editor(qtbot: QtBot, ws: StudyWorkspace, row: int) -> QPlainTextEdit:
    index = ws.transcript.index(row, TEXT)
    ws.view.setCurrentIndex(index)
    ws.view.edit(index)
    editor = ws.view.indexWidget(index)
    assert isinstance(editor, QPlainTextEdit)
    return editor


def _select(editor: QPlainTextEdit, start: int, end: int) -> None:
    """Select code points ``[start, end)`` the way a user would (Qt counts UTF-16 units)."""
    text = editor.toPlainText()
    cursor = editor.textCursor()
    cursor.setPosition(codepoint_to_utf16(text, start))
    cursor.setPosition(codepoint_to_utf16(text, end), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def test_code_words_in_the_editor_with_ctrl_k(qtbot: QtBot, workspace: StudyWorkspace, study: CodingStudy) -> None:
    ws, panel = workspace, workspace.coding.codebook
    panel.ask_name = lambda *_: "Isolation"
    code = panel.add_code()
    assert code is not None and panel.current_code().id == code  # type: ignore[union-attr]
    editor = _open_editor(qtbot, ws, 1)
    _select(editor, 11, 34)
    qtbot.keyClick(editor, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyRelease(editor, Qt.Key.Key_Control)  # QTest leaves Ctrl held for the application otherwise
    (coding,) = coding_service.codings(ws.store, study.documents[0])
    assert (coding.start.offset, coding.end.offset, coding.coder) == (11, 34, "AB")
    marks = ws.transcript.index(1, TEXT).data(CODINGS_ROLE)
    assert [(m.name, m.start, m.end) for m in marks] == [("Isolation", 11, 34)]
    assert "felt alone on the night" in ws.transcript.index(1, TEXT).data(0x03)  # tooltip
    assert panel.model.index_of(code, 1).data() == 1, "usage count beside the code"
    assert [e.text for e in ws.coding.extracts.model.extracts] == ["felt alone on the night"]
    assert panel.recent == [code]


def test_code_across_turns_and_non_bmp_text(qtbot: QtBot, workspace: StudyWorkspace, study: CodingStudy) -> None:
    ws, panel = workspace, workspace.coding.codebook
    code = panel.add_code(name="Support")
    assert code is not None
    turns = QItemSelection(ws.transcript.index(2, 0), ws.transcript.index(3, TEXT))
    ws.view.selectionModel().select(turns, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert ws.coding.code_selection() is not None
    (coding,) = coding_service.codings(ws.store, study.documents[0])
    assert (coding.start.segment_id, coding.end.segment_id) == (
        study.segment(study.documents[0], 2),
        study.segment(study.documents[0], 3),
    )
    assert coding.start_time is not None and coding.end_time is not None and coding.end_time > coding.start_time
    ws.save_text(study.segment(study.documents[0], 0), "😀 How did the night shifts feel?")
    editor = _open_editor(qtbot, ws, 0)
    _select(editor, 2, 5)
    assert ws.coding.code_selection() is not None
    (emoji_coding,) = [c for c in coding_service.codings(ws.store, study.documents[0]) if c.id != coding.id]
    assert (emoji_coding.start.offset, emoji_coding.end.offset) == (2, 5), "UTF-16 positions become code points"


def test_codings_follow_edits_and_undo(qtbot: QtBot, workspace: StudyWorkspace, study: CodingStudy) -> None:
    ws, panel = workspace, workspace.coding.codebook
    code = panel.add_code(name="Isolation")
    editor = _open_editor(qtbot, ws, 1)
    _select(editor, 11, 21)
    ws.coding.code_selection()
    ws.view.closePersistentEditor(ws.transcript.index(1, TEXT))
    assert ws.transcript.setData(
        ws.transcript.index(1, TEXT), "Honestly I felt very alone on the night shift, nobody to call."
    )
    (mark,) = ws.transcript.index(1, TEXT).data(CODINGS_ROLE)
    assert ws.transcript.segments[1].text[mark.start : mark.end] == "felt very alone"
    ws.undo()
    ws.undo()
    assert ws.transcript.index(1, TEXT).data(CODINGS_ROLE) == []
    assert panel.model.index_of(code, 1).data() == ""
    ws.undo(redo=True)
    assert len(ws.transcript.index(1, TEXT).data(CODINGS_ROLE)) == 1


def test_in_vivo_remove_and_unsaved_edits(
    qtbot: QtBot, workspace: StudyWorkspace, study: CodingStudy, errors: list[str]
) -> None:
    ws = workspace
    editor = _open_editor(qtbot, ws, 3)
    _select(editor, 0, 12)
    coding_id = ws.coding.in_vivo()
    assert coding_id is not None
    assert [c.name for c in coding_service.codes(ws.store)] == ["Peer support"]
    menu = ws.coding.transcript_menu(3)
    remove = next(a for a in menu.actions() if a.text() == "Remove coding").menu()
    assert [a.text() for a in remove.actions()] == ["Peer support: “Peer support”"]
    remove.actions()[0].trigger()
    assert coding_service.codings(ws.store, study.documents[0]) == []
    editor.insertPlainText("typed but not saved ")
    _select(editor, 0, 5)
    assert ws.coding.code_selection() is None
    assert "unsaved corrections" in errors[-1]
    assert len(errors) == 1


def test_extracts_jump_to_the_turn(
    qtbot: QtBot, workspace: StudyWorkspace, study: CodingStudy, errors: list[str]
) -> None:
    ws, panel = workspace, workspace.coding.codebook
    theme = panel.add_code(name="Connection")
    assert theme is not None
    child = panel.add_code(child=True, name="Peer support")
    second = study.documents[1]
    ws.explorer.select(second)
    ws.view.selectRow(1)
    ws.coding.code_selection(child)
    ws.explorer.select(study.documents[0])
    panel.select(theme)
    assert [e.document_title for e in ws.coding.extracts.model.extracts] == ["Manager 2 interview"]
    ws.coding.extracts.subcodes.setChecked(False)
    assert ws.coding.extracts.model.extracts == []
    ws.coding.extracts.subcodes.setChecked(True)
    assert errors == []
    played: list[float] = []
    ws.player.play_from = played.append  # type: ignore[method-assign]
    ws.coding.extracts.table.doubleClicked.emit(ws.coding.extracts.model.index(0, 0))
    assert ws.current_id == second and ws.view.currentIndex().row() == 1
    assert played and played[0] == pytest.approx(ws.transcript.segments[1].start)
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        ws.grab().save(str(SCREENSHOTS / "coding_workspace.png"))
