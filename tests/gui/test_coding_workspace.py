"""Coding in the workspace on a real study: code words in the editor and across turns, see the marks,
follow edits, undo, in-vivo codes, extracts that jump back to the transcript."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from desktop_app.gui.shell.settings import AppSettings
from desktop_app.gui.shell.study_workspace import StudyWorkspace
from desktop_app.gui.transcript.transcript_editor import TranscriptEditor
from desktop_app.gui.transcript.transcript_table_model import CODINGS_ROLE, TEXT
from desktop_app.services.coding import coding_service
from tests.fixtures.coding_study import CodingStudy

SCREENSHOTS = Path(os.environ.get("VERBATIM_SCREENSHOTS", "")) if os.environ.get("VERBATIM_SCREENSHOTS") else None


pytestmark = pytest.mark.usefixtures("errors")  # error dialogs recorded (tests/gui/conftest.py)


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


def _open_editor(qtbot: QtBot, ws: StudyWorkspace, row: int) -> TranscriptEditor:
    """The transcript editor with its cursor at the start of turn ``row``."""
    ws.view.setFocus()
    ws.view.place_cursor(row, 0)
    return ws.view


def _select(editor: TranscriptEditor, start: int, end: int) -> None:
    """Select code points ``[start, end)`` of the cursor's turn (the editor counts Qt's UTF-16 units)."""
    row = editor.current_row()
    editor.select_range(row, start, row, end)


def _select_turns(ws: StudyWorkspace, first: int, last: int) -> None:
    """Select whole turns ``first`` to ``last``, as a drag from the first word to the last would."""
    ws.view.select_range(first, 0, last, len(ws.transcript.segments[last].text))


def _clear_selection(ws: StudyWorkspace) -> None:
    cursor = ws.view.textCursor()
    cursor.clearSelection()
    ws.view.setTextCursor(cursor)


def test_code_words_in_the_editor_with_ctrl_k(qtbot: QtBot, workspace: StudyWorkspace, study: CodingStudy) -> None:
    ws, panel = workspace, workspace.coding.codebook
    panel.ask_name = lambda *_: "Isolation"
    code = panel.add_code()
    assert code is not None and panel.current_code().id == code
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
    _select_turns(ws, 2, 3)
    assert ws.coding.code_selection() is not None
    (coding,) = coding_service.codings(ws.store, study.documents[0])
    assert (coding.start.segment_id, coding.end.segment_id) == (
        study.segment(study.documents[0], 2),
        study.segment(study.documents[0], 3),
    )
    assert coding.start_time is not None and coding.end_time is not None and coding.end_time > coding.start_time
    ws.save_texts({study.segment(study.documents[0], 0): "😀 How did the night shifts feel?"})
    editor = _open_editor(qtbot, ws, 0)
    _select(editor, 2, 5)
    assert ws.coding.code_selection() is not None
    (emoji_coding,) = [c for c in coding_service.codings(ws.store, study.documents[0]) if c.id != coding.id]
    assert (emoji_coding.start.offset, emoji_coding.end.offset) == (2, 5), "UTF-16 positions become code points"


def test_codings_follow_edits_and_undo(qtbot: QtBot, workspace: StudyWorkspace, study: CodingStudy) -> None:
    ws, panel = workspace, workspace.coding.codebook
    code = panel.add_code(name="Isolation")
    assert code is not None
    editor = _open_editor(qtbot, ws, 1)
    _select(editor, 11, 21)
    ws.coding.code_selection()
    ws.transcript.set_texts({1: "Honestly I felt very alone on the night shift, nobody to call."})
    (mark,) = ws.transcript.index(1, TEXT).data(CODINGS_ROLE)
    assert ws.transcript.segments[1].text[mark.start : mark.end] == "felt very alone"
    ws.undo()
    ws.undo()
    assert ws.transcript.index(1, TEXT).data(CODINGS_ROLE) == []
    assert panel.model.index_of(code, 1).data() == ""
    ws.undo(redo=True)
    assert len(ws.transcript.index(1, TEXT).data(CODINGS_ROLE)) == 1


def test_in_vivo_remove_and_typing_stored_before_coding(
    qtbot: QtBot, workspace: StudyWorkspace, study: CodingStudy, errors: list[str]
) -> None:
    ws = workspace
    editor = _open_editor(qtbot, ws, 3)
    _select(editor, 0, 12)
    coding_id = ws.coding.in_vivo()
    assert coding_id is not None
    assert [c.name for c in coding_service.codes(ws.store)] == ["Peer support"]
    menu = ws.coding.transcript_menu(3)
    remove = _submenu(menu, "Remove coding")
    assert [a.text() for a in remove.actions()] == ["Peer support: “Peer support”"]
    remove.actions()[0].trigger()
    assert coding_service.codings(ws.store, study.documents[0]) == []
    editor.place_cursor(3, 0)
    editor.insertPlainText("Really, ")  # typed, not stored yet: coding stores it first
    cursor = editor.textCursor()
    cursor.setPosition(editor.block(3).position())
    cursor.setPosition(editor.block(3).position() + 6, QTextCursor.MoveMode.KeepAnchor)  # "Really", as dragged
    editor.setTextCursor(cursor)
    assert ws.coding.code_selection(coding_service.find_code(ws.store, "Peer support").id) is not None
    assert ws.transcript.segments[3].text.startswith("Really, Peer support")
    (coding,) = coding_service.codings(ws.store, study.documents[0])
    assert (coding.start.offset, coding.end.offset) == (0, 6)
    assert errors == []


def test_extracts_jump_to_the_turn(
    qtbot: QtBot, workspace: StudyWorkspace, study: CodingStudy, errors: list[str]
) -> None:
    ws, panel = workspace, workspace.coding.codebook
    theme = panel.add_code(name="Connection")
    assert theme is not None
    child = panel.add_code(child=True, name="Peer support")
    second = study.documents[1]
    ws.explorer.select(second)
    _select_turns(ws, 1, 1)
    ws.coding.code_selection(child)
    ws.explorer.select(study.documents[0])
    panel.select(theme)
    assert [e.document_title for e in ws.coding.extracts.model.extracts] == ["Manager 2 interview"]
    ws.coding.extracts.subcodes.setChecked(False)
    assert ws.coding.extracts.model.extracts == []
    ws.coding.extracts.subcodes.setChecked(True)
    assert errors == []
    played: list[float] = []
    ws.player.play_from = played.append  # type: ignore[method-assign, assignment]
    ws.coding.extracts.table.doubleClicked.emit(ws.coding.extracts.model.index(0, 0))
    assert ws.current_id == second and ws.view.current_row() == 1
    assert played and played[0] == pytest.approx(ws.transcript.segments[1].start)
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        ws.grab().save(str(SCREENSHOTS / "coding_workspace.png"))


def _submenu(menu: QMenu, title: str) -> QMenu:
    found = next(a for a in menu.actions() if a.text() == title).menu()
    assert isinstance(found, QMenu)
    return found


def test_set_extent_and_extend_a_coding_from_the_editor_menu(
    qtbot: QtBot, workspace: StudyWorkspace, study: CodingStudy, errors: list[str]
) -> None:
    ws, panel = workspace, workspace.coding.codebook
    doc = study.documents[0]
    code = panel.add_code(name="Isolation")
    editor = _open_editor(qtbot, ws, 1)
    assert editor.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu, "the editor gets the coding menu"
    _select(editor, 11, 21)
    ws.coding.code_selection()
    (before,) = coding_service.codings(ws.store, doc)
    _select(editor, 11, 34)
    menu = ws.coding.transcript_menu(1)
    assert any("Copy" in a.text() for a in menu.actions()), "the editor's own actions stay"
    set_extent = _submenu(menu, "Set coding extent to selection")
    assert [a.text() for a in set_extent.actions()] == ["Isolation: “felt alone”"]
    if SCREENSHOTS:
        for shown, name in ((menu, "coding_extent_menu"), (set_extent, "coding_extent_submenu")):
            shown.adjustSize()
            shown.grab().save(str(SCREENSHOTS / f"{name}.png"))
    set_extent.actions()[0].trigger()
    (after,) = coding_service.codings(ws.store, doc)
    assert (after.id, after.start.offset, after.end.offset) == (before.id, 11, 34)
    assert after.start_time == before.start_time and after.end_time is not None and before.end_time is not None
    assert after.end_time > before.end_time
    (mark,) = ws.transcript.index(1, TEXT).data(CODINGS_ROLE)
    assert (mark.start, mark.end) == (11, 34)
    assert "Isolation: “felt alone on the night”" in ws.status.currentMessage()

    _select_turns(ws, 3, 3)
    extend = _submenu(ws.coding.transcript_menu(3), "Extend coding to include selection")
    assert [a.text() for a in extend.actions()] == ["Isolation: “felt alone on the night”"], "two turns away"
    extend.actions()[0].trigger()
    (grown,) = coding_service.codings(ws.store, doc)
    last = study.segment(doc, 3)
    assert (grown.start.offset, grown.end.segment_id, grown.end.offset) == (
        11,
        last,
        len(ws.transcript.segments[3].text),
    )
    assert grown.end_time == pytest.approx(ws.transcript.segments[3].end)
    assert code is not None and [e.text for e in ws.coding.extracts.model.extracts][0].startswith("felt alone on")
    ws.undo()
    (undone,) = coding_service.codings(ws.store, doc)
    assert (undone.end.segment_id, undone.end.offset) == (study.segment(doc, 1), 34), "one step per adjustment"
    assert errors == []


def test_extent_menu_is_disabled_without_a_selection_or_nearby_coding(
    qtbot: QtBot, workspace: StudyWorkspace, study: CodingStudy, errors: list[str]
) -> None:
    ws, panel = workspace, workspace.coding.codebook
    panel.add_code(name="Isolation")
    _select_turns(ws, 0, 0)
    ws.coding.code_selection()
    _clear_selection(ws)
    assert not _submenu(ws.coding.transcript_menu(0), "Set coding extent to selection").isEnabled()
    _select_turns(ws, 3, 3)  # three turns from the coding: too far to offer it
    assert not _submenu(ws.coding.transcript_menu(3), "Set coding extent to selection").isEnabled()
    _clear_selection(ws)
    assert not ws.coding.adjust_coding(coding_service.codings(ws.store, study.documents[0])[0].id)
    assert "Select the words (or turns)" in errors[-1]


def test_import_codebook_from_the_codes_tab(
    qtbot: QtBot, workspace: StudyWorkspace, tmp_path: Path, errors: list[str]
) -> None:
    ws, panel = workspace, workspace.coding.codebook
    panel.add_code(name="Isolation")
    source = tmp_path / "frame.csv"
    source.write_text("Theme,Code,Description\nIsolation,Nobody to call,No one to phone\n,Rota,\n", "utf-8")
    panel.ask_import_file = lambda _parent, _folder: str(source)
    panel.actions_by_name["import"].trigger()
    assert [panel.model.path_names(c.id) for c in coding_service.codes(ws.store)] == [
        ["Isolation"],
        ["Isolation", "Nobody to call"],
        ["Isolation", "Rota"],
    ]
    assert panel.tree.isExpanded(panel.model.index_of(coding_service.find_code(ws.store, "Isolation").id))
    assert ws.status.currentMessage().startswith("Imported frame.csv: 2 new codes")
    if SCREENSHOTS:
        ws.coding.panel.grab().save(str(SCREENSHOTS / "codebook_imported.png"))
    ws.undo()
    assert [c.name for c in coding_service.codes(ws.store)] == ["Isolation"]
    assert ws.status.currentMessage().startswith("Undid: ")  # what was undone is said, not the document count
    bad = tmp_path / "bad.csv"
    bad.write_text("Code,Colour\nBroken,greenish\n", "utf-8")
    panel.ask_import_file = lambda _parent, _folder: str(bad)
    panel.ask_import()
    assert errors == [f"{bad}: row 2: the colour 'greenish' is not written like #3a7bd5"]
    out = tmp_path / "out.docx"
    panel.ask_export_file = lambda _parent, _suggested: str(out)
    panel.actions_by_name["export"].trigger()
    assert out.exists() and ws.export_notice.path == out and "1 codes" in ws.export_notice.label.text()


def test_extracts_filtered_by_participant_attributes(
    qtbot: QtBot, workspace: StudyWorkspace, study: CodingStudy, tmp_path: Path, errors: list[str]
) -> None:
    import csv

    from desktop_app.core.coding import AttributeType
    from desktop_app.services.participants import participant_service
    from tests.fixtures.coding_study import link_participant

    ws, panel, extracts = workspace, workspace.coding.codebook, workspace.coding.extracts
    store = ws.store
    participant_service.add_attribute(store, "group", AttributeType.CATEGORY, ["Manager", "Peer support worker"])
    participant_service.set_value(store, "Peer support worker 5", "group", "Peer support worker")
    link_participant(store, study.documents[1], "S2", "Manager 2")
    participant_service.set_value(store, "Manager 2", "group", "Manager")
    code = panel.add_code(name="Isolation")
    assert code is not None
    for document, row in ((study.documents[0], 0), (study.documents[0], 1), (study.documents[1], 1)):
        ws.explorer.select(document)
        _select_turns(ws, row, row)
        ws.coding.code_selection(code)
    panel.select(code)
    assert len(extracts.model.extracts) == 3 and extracts.participants.text() == "Participants: all"

    extracts.participants.rebuild()
    menu = extracts.participants.choices_menu
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == ["All participants", "group"]
    group = _submenu(menu, "group")
    assert [a.text() for a in group.actions()] == ["Manager", "Peer support worker"]
    group.actions()[0].trigger()
    assert [e.document_title for e in extracts.model.extracts] == ["Manager 2 interview"]
    assert extracts.participants.text() == "Participants: group = Manager"
    if SCREENSHOTS:
        qtbot.wait(20)  # the layout follows the button's new text
        extracts.grab().save(str(SCREENSHOTS / "extracts_participant_filter.png"))
        extracts.participants.rebuild()
        group = _submenu(extracts.participants.choices_menu, "group: Manager")
        for shown, name in ((extracts.participants.choices_menu, "filter_menu"), (group, "filter_submenu")):
            shown.adjustSize()
            shown.grab().save(str(SCREENSHOTS / f"{name}.png"))
    out = tmp_path / "table.csv"
    assert extracts.export(out, "csv") == 1
    with out.open(encoding="utf-8-sig") as handle:
        assert [r["Participant"] for r in csv.DictReader(handle)] == ["Manager 2"]

    extracts.participants.toggle_pair(("group", "Peer support worker"), True)  # either value of one attribute
    assert len(extracts.model.extracts) == 2
    participant_service.remove_attribute(store, "group")  # a filter on a removed attribute is dropped
    extracts.refresh()
    assert len(extracts.model.extracts) == 3 and extracts.participants.text() == "Participants: all"
    assert errors == []
