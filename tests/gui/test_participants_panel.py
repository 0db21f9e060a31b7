"""The Participants tab: typed cells validated through the service, combo boxes, CSV import, label template."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from desktop_app.core.coding import AttributeType
from desktop_app.gui.participants.participants_panel import ParticipantsPanel
from desktop_app.services.participants import participant_service
from desktop_app.services.study import document_service, project_service
from desktop_app.services.study.project_service import ProjectStore

SCREENSHOTS = Path(os.environ["VERBATIM_SCREENSHOTS"]) if os.environ.get("VERBATIM_SCREENSHOTS") else None


pytestmark = pytest.mark.usefixtures("errors")  # error dialogs recorded (tests/gui/conftest.py)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProjectStore]:
    store = project_service.create_project(tmp_path / "s.verbatim")
    participant_service.add_attribute(store, "group", AttributeType.CATEGORY, ["Manager", "Peer support worker"])
    participant_service.add_attribute(store, "age", AttributeType.INTEGER)
    participant_service.add_attribute(store, "number", AttributeType.INTEGER)
    for label in ("P1", "P2"):
        participant_service.add_participant(store, label)
    yield store
    store.close()


@pytest.fixture
def panel(qtbot: QtBot, store: ProjectStore) -> ParticipantsPanel:
    panel = ParticipantsPanel(store)
    qtbot.addWidget(panel)
    panel.resize(700, 420)
    panel.show()
    return panel


def _column(panel: ParticipantsPanel, name: str) -> int:
    return next(
        c for c in range(panel.model.columnCount()) if panel.model.headerData(c, Qt.Orientation.Horizontal) == name
    )


def test_cells_are_validated_by_type_and_undo_restores(
    panel: ParticipantsPanel, store: ProjectStore, errors: list[str]
) -> None:
    model = panel.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == ["Label", "group", "age", "number"]
    age = model.index(0, _column(panel, "age"))
    assert model.setData(age, " 42 ")
    assert participant_service.find_participant(store, "P1").values == {"age": "42"} and model.data(age) == "42"
    assert not model.setData(age, "forty")  # rejected: the error is shown, the stored value stays
    assert errors and "not a whole number" in errors[-1] and "P1" in errors[-1]
    assert participant_service.find_participant(store, "P1").values == {"age": "42"} and model.data(age) == "42"

    assert model.setData(model.index(1, 0), "P9")  # the label column renames
    assert [p.label for p in participant_service.participants(store)] == ["P1", "P9"]
    document_service.undo(store)
    panel.refresh()
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == ["P1", "P2"]
    document_service.undo(store)
    panel.refresh()
    assert model.data(model.index(0, _column(panel, "age"))) == ""


def test_category_cells_edit_with_a_combo_box(panel: ParticipantsPanel, store: ProjectStore) -> None:
    delegate = panel.table.itemDelegate()
    group = panel.model.index(1, _column(panel, "group"))
    editor = delegate.createEditor(panel.table.viewport(), QStyleOptionViewItem(), group)
    assert isinstance(editor, QComboBox)
    assert [editor.itemText(i) for i in range(editor.count())] == ["", "Manager", "Peer support worker"]
    editor.setCurrentText("Peer support worker")
    delegate.setModelData(editor, panel.model, group)
    assert participant_service.find_participant(store, "P2").values == {"group": "Peer support worker"}
    delegate.setEditorData(editor, group)
    assert editor.currentText() == "Peer support worker"
    number = panel.model.index(1, _column(panel, "number"))
    assert isinstance(delegate.createEditor(panel.table.viewport(), QStyleOptionViewItem(), number), QLineEdit)


def test_add_attribute_import_csv_and_label_template(
    panel: ParticipantsPanel, store: ProjectStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errors: list[str]
) -> None:
    assert panel.add_attribute("role", AttributeType.CATEGORY, ["nurse", "doctor"])
    assert not panel.add_attribute("site", AttributeType.CATEGORY, [])  # a category needs choices
    assert "needs a list of choices" in errors[-1]
    assert panel.model.columnCount() == 5

    source = tmp_path / "people.csv"
    source.write_text("label,group,number,site\nP3,peer support worker,5,Lund\nP1,Manager,2,Malmö\n", "utf-8")
    monkeypatch.setattr(
        "desktop_app.gui.participants.participants_panel.QFileDialog.getOpenFileName", lambda *_a, **_k: (str(source), "")
    )
    panel.ask_import_csv()
    assert [p.label for p in panel.model.participants] == ["P1", "P2", "P3"]
    assert panel.model.headerData(5, Qt.Orientation.Horizontal) == "site"  # a new attribute from the file
    row = panel.model.row_of("P3")
    assert panel.model.data(panel.model.index(row, _column(panel, "group"))) == "Peer support worker"

    panel.template_edit.setText("{group} {number}")
    panel.template_edit.editingFinished.emit()
    assert participant_service.label_template(store) == "{group} {number}"
    assert participant_service.quote_labels(store)["P3"] == "Peer support worker 5"
    assert panel.preview_label.text().endswith("Manager 2")  # P1, first in the table
    panel.template_edit.setText("{unknown}")
    panel.template_edit.editingFinished.emit()
    assert "unknown attributes" in errors[-1] and participant_service.label_template(store) == "{group} {number}"
    assert panel.template_edit.text() == "{group} {number}"  # the panel shows what is stored
    if SCREENSHOTS:
        panel.template_edit.setText("{group} {number}")
        panel.grab().save(str(SCREENSHOTS / "participants_panel.png"))


def test_remove_participant_and_attribute_say_what_is_lost_and_undo_restores(
    qtbot: QtBot, panel: ParticipantsPanel, store: ProjectStore, errors: list[str]
) -> None:
    from desktop_app.services.speakers import speaker_service
    from desktop_app.services.transcript import edit_service
    from tests.fixtures.coding_study import INTERVIEW_1, add_document

    document, _turns = add_document(store, "P1 interview", INTERVIEW_1)
    speaker_service.link_participant(store, document, "S2", "P1")
    participant_service.set_value(store, "P1", "group", "Manager")
    participant_service.set_value(store, "P1", "age", "41")
    participant_service.set_value(store, "P2", "group", "Manager")
    participant_service.set_label_template(store, "{group} {number}")
    panel.refresh()
    asked: list[str] = []
    answers = iter([False, True, True])
    panel.confirm = lambda _parent, _title, question: asked.append(question) or next(answers)

    panel.table.setCurrentIndex(panel.model.index(panel.model.row_of("P1"), _column(panel, "group")))
    panel._fill_remove_menu()
    labels = [a.text() for a in panel.remove_menu.actions()]
    assert labels == ["Remove participant P1…", "Remove attribute 'group'…"]
    if SCREENSHOTS:
        panel.grab().save(str(SCREENSHOTS / "participants_remove.png"))
    panel.remove_menu.actions()[0].trigger()  # answered no: nothing changes
    assert asked[0] == (
        "Remove participant P1?\n\nIts 2 attribute values are deleted and 1 speaker linked to it is unlinked "
        "(turns stay).\nEdit › Undo (Ctrl+Z) brings it back."
    )
    assert [p.label for p in panel.model.participants] == ["P1", "P2"]
    panel.remove_menu.actions()[0].trigger()
    assert [p.label for p in panel.model.participants] == ["P2"]
    speakers = edit_service.load_speakers(store, document)
    assert set(speakers) == {"S1", "S2"} and speakers["S2"].participant is None

    panel.remove_attribute("group")
    assert asked[2] == (
        "Remove attribute 'group'?\n\nThe values of 1 participant are deleted.\n"
        "The quote label uses {group}: quotes fall back to participants' labels.\nEdit › Undo (Ctrl+Z) brings it back."
    )
    assert [panel.model.headerData(c, Qt.Orientation.Horizontal) for c in range(panel.model.columnCount())] == [
        "Label",
        "age",
        "number",
    ]
    document_service.undo(store)
    document_service.undo(store)
    panel.refresh()
    assert [p.label for p in panel.model.participants] == ["P1", "P2"]
    assert panel.model.participants[0].values == {"group": "Manager", "age": "41"}
    assert edit_service.load_speakers(store, document)["S2"].participant == "P1"
    assert errors == []


def test_remove_menu_without_a_selection_offers_nothing(panel: ParticipantsPanel) -> None:
    panel.table.setCurrentIndex(panel.model.index(-1, -1))
    panel._fill_remove_menu()
    assert [(a.text(), a.isEnabled()) for a in panel.remove_menu.actions()] == [
        ("Remove participant…", False),
        ("Remove attribute…", False),
    ]
    panel.table.setCurrentIndex(panel.model.index(1, 0))  # the label column: no attribute there
    panel._fill_remove_menu()
    assert [(a.text(), a.isEnabled()) for a in panel.remove_menu.actions()] == [
        ("Remove participant P2…", True),
        ("Remove attribute…", False),
    ]
