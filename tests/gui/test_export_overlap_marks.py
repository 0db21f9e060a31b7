"""File ▸ Export: the researcher's choice of overlap marks reaches the TXT and DOCX, and is remembered."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QFormLayout
from pytestqt.qtbot import QtBot

from desktop_app.core.transcript import Segment, Word
from desktop_app.gui.shell.export_dialog import ExportDialog
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.services.study import import_service, project_service
from desktop_app.services.study.project_service import ProjectStore
from desktop_app.storage.transcripts import transcript_repository

SCREENSHOTS = Path(os.environ["VERBATIM_SCREENSHOTS"]) if os.environ.get("VERBATIM_SCREENSHOTS") else None


def _study(tmp_path: Path, shared_data: Path) -> tuple[ProjectStore, int]:
    """Two turns; "so I think" in the second was said over the first speaker's talk."""
    store = project_service.create_project(tmp_path / "s.verbatim")
    (doc,) = import_service.import_recordings(store, [shared_data / "jfk.flac"]).imported
    first = [Word(0.5 + i * 0.4, 0.8 + i * 0.4, t, 0.9, "S1") for i, t in enumerate(["we", "should", "begin"])]
    second = [
        Word(1.6 + i * 0.4, 1.9 + i * 0.4, t, 0.9, "S2", overlap=i < 3)
        for i, t in enumerate(["so", "I", "think", "that", "works"])
    ]
    transcript_repository.append_segments(
        store, doc.id, None, [Segment.from_words(first, "S1"), Segment.from_words(second, "S2")]
    )
    return store, doc.id


def _export(qtbot: QtBot, dialog: ExportDialog, fmt: str, target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData(fmt))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.pseudonymised.setChecked(False)
    dialog.run()


def _row_shown(dialog: ExportDialog) -> bool:
    form = dialog.layout()
    assert isinstance(form, QFormLayout)
    return form.isRowVisible(dialog.overlap_marks)


def test_overlap_marks_chosen_in_the_dialog_reach_the_txt_and_docx_and_are_remembered(
    qtbot: QtBot, tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, doc = _study(tmp_path, shared_data)
    settings = AppSettings()
    dialog = ExportDialog(store, doc, settings=settings)
    qtbot.addWidget(dialog)
    assert dialog.overlap_marks.currentData() == ""  # first time: no marks, as before
    assert [dialog.overlap_marks.itemText(i) for i in range(3)] == ["None", "//…//", "[overlapping]"]
    plain = tmp_path / "plain.txt"
    _export(qtbot, dialog, "txt", plain, monkeypatch)
    assert "so I think that works" in plain.read_text() and "//" not in plain.read_text()

    dialog = ExportDialog(store, doc, settings=settings)
    dialog.overlap_marks.setCurrentIndex(dialog.overlap_marks.findData("slashes"))
    slashes = tmp_path / "slashes.txt"
    _export(qtbot, dialog, "txt", slashes, monkeypatch)
    assert "//so I think// that works" in slashes.read_text()
    assert "we should begin" in slashes.read_text()  # the first speaker's talk is not marked

    dialog = ExportDialog(store, doc, settings=settings)  # remembered between exports
    assert dialog.overlap_marks.currentData() == "slashes"
    dialog.overlap_marks.setCurrentIndex(dialog.overlap_marks.findData("brackets"))
    docx = tmp_path / "brackets.docx"
    _export(qtbot, dialog, "docx", docx, monkeypatch)
    with zipfile.ZipFile(docx) as archive:
        assert "[overlapping] so I think that works" in archive.read("word/document.xml").decode()
    assert ExportDialog(store, doc, settings=AppSettings()).overlap_marks.currentData() == "brackets"
    store.close()


def test_the_choice_is_offered_only_for_formats_that_carry_it(qtbot: QtBot, tmp_path: Path, shared_data: Path) -> None:
    store, doc = _study(tmp_path, shared_data)
    dialog = ExportDialog(store, doc, settings=AppSettings())
    qtbot.addWidget(dialog)
    dialog.overlap_marks.setCurrentIndex(dialog.overlap_marks.findData("brackets"))
    shown = {}
    for fmt in ("docx", "txt", "srt", "json", "qdpx"):
        dialog.format.setCurrentIndex(dialog.format.findData(fmt))
        shown[fmt] = _row_shown(dialog)
        assert dialog.options().overlap_marks == ("brackets" if shown[fmt] else "") or fmt == "qdpx"
    assert shown == {"docx": True, "txt": True, "srt": False, "json": False, "qdpx": False}
    dialog.format.setCurrentIndex(dialog.format.findData("txt"))
    dialog.resize(560, dialog.sizeHint().height())
    if SCREENSHOTS:
        dialog.grab().save(str(SCREENSHOTS / "export_dialog.png"))
    store.close()
