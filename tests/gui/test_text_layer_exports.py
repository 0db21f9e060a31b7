"""Choosing the text of an export in the window: the transcript export dialog, the extracts table and the
quote list offer "Original words / English translation / Both" once the study has English, and write it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop_app.core.coding import TextPosition
from desktop_app.core.transcript import Segment
from desktop_app.gui.analysis.report_button import ReportButton
from desktop_app.gui.coding.extracts_panel import ExtractsPanel
from desktop_app.gui.shell.export_dialog import ExportDialog
from desktop_app.services.coding import coding_service
from desktop_app.services.study import import_service, project_service
from desktop_app.services.study.project_service import ProjectStore
from desktop_app.services.transcription import translation_layer
from desktop_app.services.transcription.translation_layer import NewTranslation, Overwrite
from desktop_app.storage.transcripts import transcript_repository

GERMAN = "Wir hatten keine Unterstützung von Kollegen."
ENGLISH = "We had no support from colleagues."


@pytest.fixture
def store(tmp_path: Path, shared_data: Path) -> ProjectStore:
    study = project_service.create_project(tmp_path / "study.verbatim")
    import_service.import_recordings(study, [shared_data / "cv_de.wav"])
    transcript_repository.append_segments(study, 1, None, [Segment(0.0, 5.0, GERMAN, "Participant")])
    study.db.execute("UPDATE documents SET language = 'de', status = 'transcribed'")
    return study


def add_english(store: ProjectStore) -> int:
    (segment,) = transcript_repository.load_transcript(store, 1).segments
    assert segment.id is not None
    translation_layer.store_translation(
        store, 1, [NewTranslation(segment.id, ENGLISH, GERMAN)], "base", Overwrite.REFUSE
    )
    return segment.id


def test_the_choice_appears_only_with_english_and_is_written(
    qtbot: QtBot, store: ProjectStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = ExportDialog(store, 1)
    qtbot.addWidget(plain)
    assert not plain.text_layer.isVisibleTo(plain), "nothing to choose in a study without English"
    add_english(store)
    dialog = ExportDialog(store, 1)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("txt"))
    assert dialog.text_layer.isVisibleTo(dialog)
    dialog.text_layer.setCurrentIndex(dialog.text_layer.findData("both"))
    target = tmp_path / "both.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.run()
    assert f"{GERMAN} ({ENGLISH})" in target.read_text(encoding="utf-8")


def test_extracts_table_and_quotes_in_english(qtbot: QtBot, store: ProjectStore, tmp_path: Path) -> None:
    segment_id = add_english(store)
    code = coding_service.add_code(store, "Support")
    coding_service.apply_code(store, 1, code, TextPosition(segment_id, 4), TextPosition(segment_id, 43))
    panel = ExtractsPanel(store)
    qtbot.addWidget(panel)
    panel.show_code(code)
    assert panel.text_layer.isVisibleTo(panel)
    panel.text_layer.setCurrentIndex(panel.text_layer.findData("english"))
    table = tmp_path / "extracts.csv"
    assert panel.export(table, "csv") == 1
    with table.open(encoding="utf-8-sig") as handle:
        assert [row["Data extract"] for row in csv.DictReader(handle)] == [ENGLISH]
    button = ReportButton(store)
    qtbot.addWidget(button)
    english = next(a for a in button.quote_layers.actions() if a.text() == "English translation")
    english.trigger()
    quotes = tmp_path / "quotes.docx"
    assert button.write("quotes", quotes) == 1
    assert any(f"“{ENGLISH}”" in p.text for p in Document(str(quotes)).paragraphs)
