"""The first minutes: an opened study shows its first document; an empty one offers a large import area."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QTextEdit
from pytestqt.qtbot import QtBot

from desktop_app.core.transcript import Segment, Word
from desktop_app.gui.shell.app import open_study_argument
from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.services.study import import_service, project_service
from desktop_app.storage.transcripts import transcript_repository


def _window(qtbot: QtBot) -> MainWindow:
    win = MainWindow(AppSettings())
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.show()
    return win


def test_a_study_given_on_the_command_line_opens_on_its_first_document(
    qtbot: QtBot, tmp_path: Path, shared_data: Path
) -> None:
    study = tmp_path / "study.verbatim"
    with project_service.create_project(study) as store:
        result = import_service.import_recordings(store, [shared_data / "jfk.flac", shared_data / "jfk.flac"])
        first = result.imported[0].id
        words = [Word(0.3, 0.6, "And", 0.9), Word(0.7, 1.0, "so,", 0.9)]
        transcript_repository.append_segments(store, first, None, [Segment.from_words(words)])
    win = _window(qtbot)
    open_study_argument(win, [str(study)])  # what `verbatim study.verbatim` and a double-click do
    ws = win.workspace
    assert ws is not None and ws.current_id == first
    assert ws.explorer.list_stack.currentWidget() is ws.explorer.table
    assert [s.text for s in ws.transcript.segments] == ["And so,"]  # its transcript is shown
    if isinstance(ws.view, QTextEdit):  # the continuous editor (the table view before it has no text cursor)
        assert "And so," in ws.view.toPlainText() and ws.view.textCursor().position() == 0  # type at its start


def test_an_empty_study_offers_a_drop_area_that_imports(qtbot: QtBot, tmp_path: Path, shared_data: Path) -> None:
    study = tmp_path / "empty.verbatim"
    project_service.create_project(study).close()
    win = _window(qtbot)
    win.open_study(study)
    ws = win.workspace
    assert ws is not None and ws.current_id is None
    area = ws.explorer.drop_area
    assert ws.explorer.list_stack.currentWidget() is area and area.isVisible()
    assert not win.grab().isNull()  # docs/screenshots/empty_study_import_area.png was taken from this window
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(shared_data / "jfk.flac"))])
    drop = QDropEvent(
        QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    area.dropEvent(drop)
    qtbot.waitUntil(lambda: ws.current_id is not None, timeout=30_000)  # imported, then selected and shown
    assert ws.documents.rowCount() == 1 and ws.explorer.list_stack.currentWidget() is ws.explorer.table


def test_clicking_the_import_area_chooses_recordings(
    qtbot: QtBot, tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = tmp_path / "empty.verbatim"
    project_service.create_project(study).close()
    asked: list[str] = []

    def choose(_parent: object, caption: str, _folder: str, _filter: str) -> tuple[list[str], str]:
        asked.append(caption)
        return [str(shared_data / "jfk.flac")], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(choose))
    win = _window(qtbot)
    win.open_study(study)
    ws = win.workspace
    assert ws is not None
    qtbot.mouseClick(ws.explorer.drop_area, Qt.MouseButton.LeftButton)
    assert asked == ["Import recordings"]
    qtbot.waitUntil(lambda: ws.current_id is not None, timeout=30_000)
    assert ws.documents.document(0).title.startswith("jfk")
