from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.gui.security.relink_dialog import RelinkDialog
from desktop_app.gui.shell.study_workspace import StudyWorkspace
from desktop_app.services.study import import_service, project_service, relink_service
from tests.fixtures.study_window import open_window


@pytest.fixture
def moved_study(tmp_path: Path, shared_data: Path) -> tuple[Path, int, Path]:
    """A study whose recording was moved (and renamed) into an archive folder after import."""
    original = tmp_path / "recordings" / "interview.wav"
    original.parent.mkdir()
    shutil.copy(shared_data / "pyannote_sample.wav", original)
    path = tmp_path / "study" / "s.verbatim"
    path.parent.mkdir()
    with project_service.create_project(path) as store:
        (doc,) = import_service.import_recordings(store, [original]).imported
    moved_to = tmp_path / "archive" / "2024" / "renamed.wav"
    moved_to.parent.mkdir(parents=True)
    original.rename(moved_to)
    return path, doc.id, moved_to


def _open(qtbot: QtBot, path: Path, doc: int) -> tuple[StudyWorkspace, RelinkDialog]:
    _window, ws = open_window(qtbot, path, doc, show=True)
    qtbot.waitUntil(lambda: bool(ws.findChildren(RelinkDialog)))
    (dialog,) = ws.findChildren(RelinkDialog)
    assert dialog.isVisible()
    return ws, dialog


def _source(ws: StudyWorkspace) -> str:
    return ws.player.player.source().toLocalFile()


def test_missing_recording_dialog_names_the_file_and_locate_relinks(
    qtbot: QtBot, moved_study: tuple[Path, int, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, doc, moved_to = moved_study
    ws, dialog = _open(qtbot, path, doc)
    assert "interview.wav" in dialog.details.text() and "recordings/interview.wav" in dialog.details.text()
    assert {b.text() for b in dialog.buttons.buttons()} == {"&Locate…", "&Search a folder…", "Cancel"}
    assert _source(ws) == ""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(moved_to), ""))
    dialog.locate_button.click()
    qtbot.waitUntil(lambda: _source(ws) == str(moved_to.resolve()))
    assert ws.player.player.mediaStatus() != QMediaPlayer.MediaStatus.NoMedia
    assert not ws.findChildren(RelinkDialog) or not ws.findChildren(RelinkDialog)[0].isVisible()
    assert relink_service.missing_recording(ws.store, doc) is None
    ws.undo()  # the relink is an ordinary undoable change
    assert relink_service.missing_recording(ws.store, doc) is not None


def test_a_different_file_needs_confirmation(
    qtbot: QtBot, moved_study: tuple[Path, int, Path], monkeypatch: pytest.MonkeyPatch, shared_data: Path
) -> None:
    path, doc, _ = moved_study
    ws, dialog = _open(qtbot, path, doc)
    other = shared_data / "jfk.flac"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: next(answers))
    dialog.locate_button.click()
    assert dialog.isVisible() and "nothing was changed" in dialog.message.text()
    assert relink_service.recording(ws.store, doc).file_name == "interview.wav"
    dialog.locate_button.click()
    qtbot.waitUntil(lambda: _source(ws) == str(other.resolve()))
    assert relink_service.recording(ws.store, doc).file_name == "jfk.flac"


def test_search_a_folder_finds_the_recording_by_content(
    qtbot: QtBot, moved_study: tuple[Path, int, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, doc, moved_to = moved_study
    ws, dialog = _open(qtbot, path, doc)
    empty = moved_to.parents[2] / "empty"
    empty.mkdir()
    folders = iter([str(empty), str(moved_to.parents[1])])
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: next(folders))
    dialog.search_button.click()
    qtbot.waitUntil(lambda: "No file under" in dialog.message.text())
    assert dialog.isVisible() and dialog.search_button.isEnabled()
    dialog.search_button.click()
    qtbot.waitUntil(lambda: _source(ws) == str(moved_to.resolve()))


def test_cancel_keeps_the_transcript_and_says_why_there_is_no_sound(
    qtbot: QtBot, moved_study: tuple[Path, int, Path]
) -> None:
    path, doc, _ = moved_study
    ws, dialog = _open(qtbot, path, doc)
    dialog.cancel_button.click()
    assert not dialog.isVisible()
    assert "cannot be found" in ws.status.currentMessage()
    assert relink_service.missing_recording(ws.store, doc) is not None
