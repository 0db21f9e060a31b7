from __future__ import annotations

import json
import zipfile
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.core.transcript import Segment, Word
from desktop_app.gui.shell.export_dialog import REFI_PROJECT, ExportDialog
from desktop_app.services.study import import_service, project_service
from desktop_app.storage.transcripts import transcript_repository


def test_export_json_and_qdpx_from_the_dialog(qtbot: QtBot, tmp_path: Path, shared_data: Path, monkeypatch) -> None:
    store = project_service.create_project(tmp_path / "s.verbatim")
    (doc,) = import_service.import_recordings(store, [shared_data / "jfk.flac"]).imported
    words = [
        Word(0.5 + i * 0.5, 0.9 + i * 0.5, t, 0.9, "S1")
        for i, t in enumerate(["ask", "not", "what", "your", "country"])
    ]
    transcript_repository.append_segments(store, doc.id, None, [Segment.from_words(words, "S1")])
    dialog = ExportDialog(store, doc.id)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("json"))
    target = tmp_path / "out.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.run()
    assert json.loads(target.read_text())["segments"][0]["text"] == "ask not what your country"

    dialog = ExportDialog(store, doc.id)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData(REFI_PROJECT))
    assert not dialog.timestamps.isVisibleTo(dialog) and dialog.embed_media.isVisibleTo(dialog)
    project = tmp_path / "study.qdpx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(project), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    assert dialog.for_qda_tool.isChecked() and dialog.complete.isVisibleTo(dialog)
    assert dialog.pseudonymised.isVisibleTo(dialog)
    dialog.pseudonymised.setChecked(False)
    dialog.run()
    with zipfile.ZipFile(project) as archive:
        assert "<TranscriptSelection" not in archive.read("project.qde").decode()  # each coding once
    dialog = ExportDialog(store, doc.id)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData(REFI_PROJECT))
    dialog.complete.setChecked(True)
    dialog.pseudonymised.setChecked(False)
    dialog.grab().save(str(tmp_path / "export_dialog.png"))
    dialog.run()
    with zipfile.ZipFile(project) as archive:
        assert "<Transcript " in archive.read("project.qde").decode()  # the timed transcript
    dialog = ExportDialog(store, doc.id)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData(REFI_PROJECT))
    dialog.pseudonymised.setChecked(True)
    dialog.run()
    with zipfile.ZipFile(project) as archive:
        assert not [n for n in archive.namelist() if n.endswith(".flac")]  # for co-authors: no recording
    store.close()


def test_import_a_refi_project_from_the_workspace(qtbot: QtBot, tmp_path: Path) -> None:
    from desktop_app.gui.shell.main_window import MainWindow
    from desktop_app.gui.shell.settings import AppSettings
    from desktop_app.services.coding import coding_service

    project_service.create_project(tmp_path / "s.verbatim").close()
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.open_study(tmp_path / "s.verbatim")
    assert window.workspace is not None
    refi = Path(__file__).resolve().parents[2].parent / "shared" / "refi-qda" / "atlas-ti-sample-project.qdpx"
    window.workspace.import_files([refi])
    assert "Commits" in {c.name for c in coding_service.codes(window.workspace.store)}


def test_export_is_pseudonymised_by_default_once_speakers_are_linked(qtbot: QtBot, tmp_path: Path, monkeypatch) -> None:
    """File › Export has the CLI's --pseudonymised; on once a speaker is linked to a participant, and the
    export ends with "Exported to … [Open folder]" in the window's status bar."""
    import docx
    from PySide6.QtGui import QDesktopServices

    from desktop_app.gui.shell.main_window import MainWindow
    from desktop_app.gui.shell.settings import AppSettings
    from desktop_app.services.participants import pseudonym_service
    from tests.fixtures.coding_study import make_coding_study

    study = make_coding_study(tmp_path)  # S2 of the first interview: "Maria", linked to "Peer support worker 5"
    pseudonym_service.add_pseudonym(study.store, "Café", "[venue]")
    first = study.documents[0]
    path = study.store.path
    study.store.close()
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.open_study(path)
    assert window.store is not None and window.workspace is not None

    dialog = ExportDialog(window.store, first, window)
    assert dialog.pseudonymised.isChecked()
    dialog.format.setCurrentIndex(dialog.format.findData("docx"))
    target = tmp_path / "out.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.run()
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "Maria" not in text and "Café" not in text and "[venue] meetings" in text
    assert "Participants: Peer support worker 5" in text and "Peer support worker 5: " in text
    notice = window.workspace.export_notice
    assert notice.isVisibleTo(window) and notice.label.text() == "Exported to out.docx · pseudonymised"
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    notice.open_button.click()
    assert opened == [str(tmp_path)]

    dialog = ExportDialog(window.store, first, window)
    dialog.pseudonymised.setChecked(False)  # the researcher's own copy: the names as spoken
    dialog.format.setCurrentIndex(dialog.format.findData("docx"))
    dialog.run()
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "Participants: Maria (Peer support worker 5)" in text and "Maria: " in text
    window.close_study()

    bare = project_service.create_project(tmp_path / "bare.verbatim")
    assert not ExportDialog(bare, None).pseudonymised.isChecked()  # nobody linked yet: off
    bare.close()
