"""The codebook panel on a real study: shape the tree (add, rename in place, drag to move, merge,
recolour, describe, codable, delete) and undo; usage counts; exports from the extracts panel."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.coding import TextPosition
from desktop_app.gui.coding.codebook_model import CODINGS, DOCUMENTS, NAME
from desktop_app.gui.coding.codebook_panel import CodebookPanel
from desktop_app.gui.coding.extracts_panel import ExtractsPanel
from desktop_app.services.coding import coding_service
from desktop_app.services.study import document_service
from tests.fixtures.coding_study import CodingStudy

pytestmark = pytest.mark.usefixtures("errors")  # error dialogs recorded (tests/gui/conftest.py)


@pytest.fixture
def panel(qtbot: QtBot, study: CodingStudy) -> CodebookPanel:
    widget = CodebookPanel(study.store)
    qtbot.addWidget(widget)
    widget.resize(420, 500)
    widget.show()
    return widget


def _add(panel: CodebookPanel, child: bool = False, name: str = "") -> int:
    """A new code through the panel, as the user adds one; its id (the panel returns None if it refused)."""
    code_id = panel.add_code(child=child, name=name)
    assert code_id is not None, f"the panel refused the code {name!r}"
    return code_id


def _names(panel: CodebookPanel) -> list[tuple[int, str]]:
    """(depth, name) of every code in tree order, as the view shows them."""
    found = []

    def walk(parent, depth):
        for row in range(panel.model.rowCount(parent)):
            index = panel.model.index(row, NAME, parent)
            found.append((depth, index.data()))
            walk(index, depth + 1)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex(), 0)
    return found


def test_build_a_tree_rename_in_place_and_move_by_drop(panel: CodebookPanel, errors: list[str]) -> None:
    theme = _add(panel, name="Connection")
    assert theme is not None
    support = _add(panel, child=True, name="Peer support")
    panel.select(theme)
    alone = _add(panel, child=True, name="Isolation")
    other = _add(panel, name="Organisation")
    assert _names(panel) == [(0, "Connection"), (1, "Peer support"), (1, "Isolation"), (0, "Organisation")]
    assert panel.model.setData(panel.model.index_of(alone), "Feeling alone")
    assert not panel.model.setData(panel.model.index_of(alone), "peer support"), "sibling names stay unique"
    assert errors and "already exists" in errors[-1]
    drag = panel.model.mimeData([panel.model.index_of(alone)])
    assert panel.model.dropMimeData(drag, Qt.DropAction.MoveAction, -1, 0, panel.model.index_of(other))
    assert _names(panel) == [(0, "Connection"), (1, "Peer support"), (0, "Organisation"), (1, "Feeling alone")]
    drag = panel.model.mimeData([panel.model.index_of(theme)])
    assert not panel.model.dropMimeData(drag, Qt.DropAction.MoveAction, -1, 0, panel.model.index_of(support))
    assert "inside itself" in errors[-1]
    drag = panel.model.mimeData([panel.model.index_of(other)])
    from PySide6.QtCore import QModelIndex

    assert panel.model.dropMimeData(drag, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert [name for depth, name in _names(panel) if depth == 0] == ["Organisation", "Connection"]


def test_colour_description_codable_and_usage(panel: CodebookPanel, study: CodingStudy) -> None:
    code = _add(panel, name="Isolation")
    assert code is not None
    panel.ask_color = lambda *_: "#123456"
    panel.recolor()
    panel.ask_text = lambda *_: "Feeling cut off from colleagues"
    panel.describe()
    stored = coding_service.find_code(study.store, "Isolation")
    assert (stored.color, stored.description) == ("#123456", "Feeling cut off from colleagues")
    assert "Feeling cut off" in panel.model.index_of(code).data(Qt.ItemDataRole.ToolTipRole)
    panel.actions_by_name["codable"].setChecked(False)
    assert not coding_service.find_code(study.store, "Isolation").codable
    assert panel.model.index_of(code).data(Qt.ItemDataRole.FontRole).bold(), "groupings are shown bold"
    panel.actions_by_name["codable"].setChecked(True)
    first, second = study.documents
    for doc in (first, first, second):
        seg = study.segment(doc, 1)
        coding_service.apply_code(study.store, doc, code, TextPosition(seg, 0), TextPosition(seg, 5))
    panel.refresh()
    assert (panel.model.index_of(code, CODINGS).data(), panel.model.index_of(code, DOCUMENTS).data()) == (3, 2)


def test_merge_and_delete_then_undo(panel: CodebookPanel, study: CodingStudy) -> None:
    support = _add(panel, name="Support")
    peers = _add(panel, name="Peer support")
    assert support is not None and peers is not None
    doc, seg = study.documents[0], study.segment(study.documents[0], 3)
    coding_service.apply_code(study.store, doc, peers, TextPosition(seg, 0), TextPosition(seg, 12))
    panel.merge_into(peers, support)
    assert _names(panel) == [(0, "Support")]
    assert panel.model.index_of(support, CODINGS).data() == 1
    panel.confirm = lambda *_: False
    panel.delete()
    assert _names(panel) == [(0, "Support")], "nothing is deleted without confirmation"
    asked: list[str] = []
    panel.confirm = lambda _w, _t, question: asked.append(question) or True
    panel.delete()
    assert _names(panel) == [] and "its 1 codings" in asked[0]
    document_service.undo(study.store)
    document_service.undo(study.store)
    panel.refresh()
    assert sorted(name for _, name in _names(panel)) == ["Peer support", "Support"]


def test_recent_codes_and_apply_requests(qtbot: QtBot, panel: CodebookPanel) -> None:
    ids = [_add(panel, name=f"Code {i}") for i in range(8)]
    for code_id in ids:
        panel.note_used(code_id)
    assert panel.recent == list(reversed(ids))[:6]
    with qtbot.waitSignal(panel.apply_requested) as signal:
        panel.tree.doubleClicked.emit(panel.model.index_of(ids[2]))
    assert signal.args == [ids[2]]


def test_extracts_panel_exports_the_table(qtbot: QtBot, study: CodingStudy, tmp_path: Path) -> None:
    code = coding_service.add_code(study.store, "Isolation")
    doc, seg = study.documents[0], study.segment(study.documents[0], 1)
    coding_service.apply_code(study.store, doc, code, TextPosition(seg, 11), TextPosition(seg, 21), memo="key quote")
    panel = ExtractsPanel(study.store)
    qtbot.addWidget(panel)
    panel.show_code(code)
    assert panel.model.rowCount() == 1
    assert panel.model.index(0, 2).data() == "Peer support worker 5 · PSW 5 interview"
    assert "key quote" in panel.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert panel.export(tmp_path / "t.xlsx", "xlsx") == 1
    sheet = load_workbook(tmp_path / "t.xlsx").active
    assert sheet is not None and sheet["A2"].value == "felt alone"
    panel.show_code(None)
    assert panel.model.rowCount() == 0 and not panel.export_button.isEnabled()
