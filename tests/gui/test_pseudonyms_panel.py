"""The Pseudonyms panel: table add/remove, suggestions, every hit with keep/skip, undo, the key."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.transcript import Segment, Word
from desktop_app.gui.participants.pseudonyms_panel import PseudonymsDialog
from desktop_app.services.participants import pseudonym_service
from desktop_app.services.study import project_service
from desktop_app.services.study.project_service import ProjectStore
from desktop_app.storage.transcripts import transcript_repository


def _turn(text: str, start: float, speaker: str) -> Segment:
    words = [Word(start + i * 0.5, start + i * 0.5 + 0.4, t, 0.9, speaker) for i, t in enumerate(text.split())]
    return Segment.from_words(words, speaker)


@pytest.fixture
def store(tmp_path: Path) -> ProjectStore:
    store = project_service.create_project(tmp_path / "s.verbatim")
    with store.journal.action("Add") as changes:
        doc = changes.insert("documents", {"title": "Interview 3", "created": "2026-01-01"})
    turns = [
        _turn("Hello, my name is Anna Svensson.", 0, "S1"),
        _turn("I grew up in Malmö but Anna's sister lives in Lund.", 4, "S2"),
        _turn("We moved from Malmo when Anna was ten.", 10, "S2"),
    ]
    transcript_repository.append_segments(store, doc, None, turns)
    store.db.execute("UPDATE documents SET status = 'transcribed'")
    return store


def _dialog(qtbot: QtBot, store: ProjectStore) -> PseudonymsDialog:
    dialog = PseudonymsDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_add_from_fields_shows_every_hit_and_remove_undoes(qtbot: QtBot, store: ProjectStore) -> None:
    dialog = _dialog(qtbot, store)  # kept: the panel lives as long as its window
    panel = dialog.panel
    panel.identifier_edit.setText("Malmö")
    panel.pseudonym_edit.setText("[city]")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert [(e.identifier, e.pseudonym) for e in pseudonym_service.list_pseudonyms(store)] == [("Malmö", "[city]")]
    assert panel.table.rowCount() == 1 and panel.identifier_edit.text() == ""
    # "Malmö" and the unaccented "Malmo" are both hits, shown with their context
    assert [panel.hit_table.item(r, 2).text() for r in range(panel.hit_table.rowCount())] == ["Malmö", "Malmo"]
    assert panel.hit_table.item(0, 3).text() == "[city]"
    assert "grew up in Malmö" in panel.hit_table.item(0, 4).text()
    assert panel.hit_table.item(0, 1).text() == "Interview 3"

    panel.table.selectRow(0)
    panel.remove_selected()
    assert pseudonym_service.list_pseudonyms(store) == [] and panel.hit_table.rowCount() == 0
    panel.undo()
    assert [e.identifier for e in pseudonym_service.list_pseudonyms(store)] == ["Malmö"]
    assert panel.table.rowCount() == 1 and panel.hit_table.rowCount() == 2


def test_untick_a_hit_keeps_it_in_the_export_and_undo_restores(qtbot: QtBot, store: ProjectStore) -> None:
    pseudonym_service.add_pseudonym(store, "Anna", "[P1]")
    dialog = _dialog(qtbot, store)  # kept: the panel lives as long as its window
    panel = dialog.panel
    found = [panel.hit_table.item(r, 2).text() for r in range(panel.hit_table.rowCount())]
    assert found == ["Anna", "Anna's", "Anna"]
    panel.hit_table.item(1, 0).setCheckState(Qt.CheckState.Unchecked)  # as a click on the box does
    hits = pseudonym_service.preview_hits(store)
    assert [h.skipped for h in hits] == [False, True, False]
    assert panel.hit_table.item(1, 3).text() == "Anna's" and "1 kept" in panel.hit_summary.text()
    bundle = pseudonym_service.pseudonymised_bundle(store, hits[0].document_id)
    assert bundle.text_transform is not None
    text = " ".join(bundle.text_transform(s.text) for s in bundle.transcript.segments)
    assert "Anna's sister" in text and "my name is [P1] Svensson" in text and "when [P1] was" in text

    panel.undo()
    assert not any(h.skipped for h in pseudonym_service.preview_hits(store))
    assert panel.hit_table.item(1, 0).checkState() == Qt.CheckState.Checked


def test_suggestions_added_with_fresh_pseudonyms_and_key_exported(
    qtbot: QtBot, store: ProjectStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pseudonym_service.add_pseudonym(store, "Lund", "[P1]")
    dialog = _dialog(qtbot, store)
    panel = dialog.panel
    qtbot.mouseClick(panel.suggest_button, Qt.MouseButton.LeftButton)
    labels = [panel.suggestion_list.item(r).text() for r in range(panel.suggestion_list.count())]
    assert any(label.startswith("Anna Svensson") for label in labels), labels
    assert not any(label.startswith("Lund") for label in labels)  # already in the table
    row = next(r for r, label in enumerate(labels) if label.startswith("Anna Svensson"))
    panel.suggestion_list.item(row).setSelected(True)
    panel.add_selected_suggestions()
    table = {e.identifier: e.pseudonym for e in pseudonym_service.list_pseudonyms(store)}
    assert table == {"Lund": "[P1]", "Anna Svensson": "[P2]"}

    dialog.resize(1000, 640)
    dialog.grab().save(str(tmp_path / "pseudonyms.png"))
    key = tmp_path / "key.csv"
    monkeypatch.setattr(
        "desktop_app.gui.participants.pseudonyms_panel.QFileDialog.getSaveFileName", lambda *_a, **_k: (str(key), "")
    )
    panel.ask_export_key()
    with key.open(encoding="utf-8") as handle:
        assert sorted(map(tuple, csv.reader(handle))) == [
            ("Anna Svensson", "[P2]"),
            ("Lund", "[P1]"),
            ("identifier", "pseudonym"),
        ]
