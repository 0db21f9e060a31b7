"""Dragging selected transcript words onto a code in the codebook codes them (one undo step), while
codes can still be dragged within the tree to reorganise it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent, QTextCursor
from PySide6.QtWidgets import QTreeView
from pytestqt.qtbot import QtBot

from desktop_app.core.coding import TextPosition
from desktop_app.gui.coding.codebook_model import CodebookModel
from desktop_app.gui.coding.codebook_panel import CodeTree
from desktop_app.gui.coding.span_drag import SPAN_MIME_TYPE, DraggedSpan, read_span, span_mime
from desktop_app.gui.shell.study_workspace import StudyWorkspace
from desktop_app.gui.transcript.transcript_editor import TranscriptEditor
from desktop_app.services.coding import coding_service
from tests.fixtures.coding_study import CodingStudy
from tests.gui import test_coding_workspace as coding_workspace
from tests.gui.test_coding_workspace import _select

pytestmark = pytest.mark.usefixtures("errors")  # error dialogs recorded (tests/gui/conftest.py)
workspace = coding_workspace.workspace  # the same window as coding tests (on the study of tests/conftest.py)


def _drop(tree: QTreeView, data: QMimeData, code_id: int) -> QDropEvent:
    """Drop ``data`` in the middle of the code's row, as a mouse release over it would."""
    model = tree.model()
    assert isinstance(model, CodebookModel)
    rect = tree.visualRect(model.index_of(code_id))
    event = QDropEvent(
        QPointF(rect.center()), Qt.DropAction.CopyAction | Qt.DropAction.MoveAction, data,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    tree.dropEvent(event)
    return event


def _editor(ws: StudyWorkspace, row: int) -> TranscriptEditor:
    ws.view.place_cursor(row, 0)
    return ws.view


def test_words_dragged_from_the_editor_onto_a_code_are_coded_with_it(
    qtbot: QtBot, workspace: StudyWorkspace, study: CodingStudy, errors: list[str]
) -> None:
    ws, panel = workspace, workspace.coding.codebook
    doc = study.documents[0]
    isolation = panel.add_code(name="Isolation")
    support = panel.add_code(name="Peer support")
    assert isolation is not None and support is not None
    panel.select(support)  # the current code is another one: the drop target decides
    editor = _editor(ws, 1)
    _select(editor, 11, 34)
    data = editor.createMimeDataFromSelection()  # what Qt puts on the drag when the selection is dragged
    assert data.text() == "felt alone on the night"
    span = read_span(data)
    segment = study.segment(doc, 1)
    assert span == DraggedSpan(doc, TextPosition(segment, 11), TextPosition(segment, 34), "felt alone on the night")
    assert isinstance(panel.tree, CodeTree)
    event = _drop(panel.tree, data, isolation)
    assert event.isAccepted() and event.dropAction() == Qt.DropAction.CopyAction, "never cut from the transcript"
    (coding,) = coding_service.codings(ws.store, doc)
    assert (coding.code_id, coding.start, coding.end, coding.coder) == (
        isolation,
        TextPosition(segment, 11),
        TextPosition(segment, 34),
        "AB",
    )
    assert (
        editor.block(1).text()
        == study.store.db.execute("SELECT text FROM segments WHERE id = ?", [segment]).fetchone()[0]
    ), "the dragged words stay in the turn"
    assert [e.text for e in ws.coding.extracts.model.extracts] == []  # the current code (Peer support) has none
    assert panel.recent == [isolation] and "Isolation" in ws.status.currentMessage()
    assert errors == []
    ws.undo()
    assert coding_service.codings(ws.store, doc) == [], "one undo step removes the dropped coding"


def test_drops_on_a_grouping_from_another_document_or_between_codes_code_nothing(
    qtbot: QtBot, workspace: StudyWorkspace, study: CodingStudy, errors: list[str]
) -> None:
    ws, panel = workspace, workspace.coding.codebook
    doc, other = study.documents
    theme = panel.add_code(name="Connection")
    assert theme is not None
    child = panel.add_code(child=True, name="Peer support")
    assert child is not None
    coding_service.update_code(ws.store, theme, codable=False)
    panel.refresh()
    segment = study.segment(doc, 3)
    span = DraggedSpan(doc, TextPosition(segment, 0), TextPosition(segment, 12), "Peer support")
    assert not panel.model.canDropMimeData(
        span_mime(span), Qt.DropAction.CopyAction, -1, 0, panel.model.index_of(theme)
    )
    event = _drop(panel.tree, span_mime(span), theme)
    assert not event.isAccepted()
    assert coding_service.codings(ws.store, doc) == []
    elsewhere = DraggedSpan(
        other, TextPosition(study.segment(other, 1), 0), TextPosition(study.segment(other, 1), 11), ""
    )
    _drop(panel.tree, span_mime(elsewhere), child)
    assert coding_service.codings(ws.store, other) == []
    assert errors == ["Drop words from the open transcript onto a code."]
    junk = QMimeData()
    junk.setData(SPAN_MIME_TYPE, b"{not json")
    assert read_span(junk) is None
    assert not _drop(panel.tree, junk, child).isAccepted()
    _drop(panel.tree, span_mime(span), child)
    (coding,) = coding_service.codings(ws.store, doc)
    assert (coding.code_id, coding.start.offset, coding.end.offset) == (child, 0, 12)


def test_codes_still_move_by_dragging_within_the_tree(
    qtbot: QtBot, workspace: StudyWorkspace, errors: list[str]
) -> None:
    panel = workspace.coding.codebook
    first, second = panel.add_code(name="Isolation"), panel.add_code(name="Night shifts")
    assert first is not None and second is not None
    model = panel.model
    data = model.mimeData([model.index_of(second)])
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0, model.index_of(first))
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, model.index_of(first))
    assert {c.name: c.parent_id for c in coding_service.codes(workspace.store)} == {
        "Isolation": None,
        "Night shifts": first,
    }
    assert errors == []


def test_words_dragged_across_turns_with_fresh_typing_carry_the_stored_span(
    qtbot: QtBot, workspace: StudyWorkspace, study: CodingStudy
) -> None:
    editor = _editor(workspace, 2)
    editor.insertPlainText("So ")  # typed at the start of the turn, not stored yet
    doc = study.documents[0]
    cursor = editor.textCursor()  # dragged from "nobody" in turn 1 to "So And" in turn 2
    cursor.setPosition(editor.block(1).position() + 42)
    cursor.setPosition(editor.block(2).position() + 6, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    data = editor.createMimeDataFromSelection()
    span = read_span(data)
    assert workspace.transcript.segments[2].text == "So And what changed that?", "the drag stores typing first"
    assert span == DraggedSpan(
        doc, TextPosition(study.segment(doc, 1), 42), TextPosition(study.segment(doc, 2), 6), "nobody to call. So And"
    )
    assert data.text() == "nobody to call. So And"
