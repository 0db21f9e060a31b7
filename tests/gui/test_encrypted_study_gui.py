"""An encrypted study through the GUI: create it, import with the recording embedded, play it from the
study with the original deleted, reopen asking the passphrase (again after a wrong one)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer
from pytestqt.qtbot import QtBot

from desktop_app.gui.security import passphrase_dialog
from desktop_app.gui.security.passphrase_dialog import NewStudyChoice
from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.services.study import project_service, security_service

PASSPHRASE = "blue kettle 42"


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.show()
    return window


def _create_encrypted_with_embedded_recording(
    qtbot: QtBot, window: MainWindow, study: Path, recording: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(passphrase_dialog, "ask_new_study", lambda *_a: NewStudyChoice(PASSPHRASE))
    window.start_screen.create_requested.emit(study)  # what "New study…" does after the file dialog
    workspace = window.workspace
    assert workspace is not None and window.store is not None
    assert security_service.is_encrypted(study) and window.store.passphrase == PASSPHRASE
    assert workspace.embed_on_import and window.security_menu.embed_on_import_action.isChecked()
    assert window.security_menu.change_action.isEnabled() and not window.security_menu.encrypt_action.isEnabled()
    with qtbot.waitSignal(workspace.documents.modelReset, timeout=30000):
        workspace.import_files([recording])
    qtbot.waitUntil(lambda: workspace.documents.rowCount() == 1, timeout=30000)


@pytest.mark.slow
def test_encrypted_study_plays_embedded_recording_and_reopens_with_passphrase(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recording = tmp_path / "participant 7.flac"
    shutil.copy(shared_data / "jfk.flac", recording)
    study = tmp_path / "Grief study.verbatim"
    _create_encrypted_with_embedded_recording(qtbot, window, study, recording, monkeypatch)
    recording.unlink()  # from now on the recording exists only inside the encrypted study
    assert b"fLaC" not in study.read_bytes()  # and it is not stored there in the clear

    workspace = window.workspace
    assert workspace is not None
    workspace.explorer.table.selectRow(0)
    qtbot.waitUntil(lambda: workspace.player.player.sourceDevice() is not None, timeout=15000)
    # the recording is played from memory: the source URL is only a name (a format hint), no file, temporary
    # or not, is behind the player, and the buffer is one Qt made (no Python between the backend and the bytes)
    assert workspace.player.player.source().toString() == "participant 7.flac"
    assert type(workspace.player.player.sourceDevice()) is QBuffer
    workspace.player.play_from(0.0)
    qtbot.waitUntil(lambda: workspace.player.position > 0.5, timeout=15000)
    qtbot.waitUntil(lambda: workspace.waveform._peaks.size > 200, timeout=15000)  # drawn from the study too
    workspace.player.seek(8.0)
    qtbot.waitUntil(lambda: workspace.player.position >= 8.0, timeout=10000)
    window.grab().save(str(tmp_path / "encrypted_workspace.png"))
    window.close_study()

    asked: list[str] = []
    answers = ["not it", PASSPHRASE]

    def ask(_parent: object, _path: Path, error: str = "") -> str | None:
        asked.append(error)
        return answers.pop(0)

    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", ask)
    window.open_study(study)
    assert window.store is not None and window.store.passphrase == PASSPHRASE
    assert asked[0] == "" and "Wrong passphrase" in asked[1]
    assert window.workspace is not None and window.workspace.documents.rowCount() == 1


def test_cancelling_the_passphrase_leaves_the_start_screen(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = tmp_path / "s.verbatim"
    project_service.create_project(study, passphrase=PASSPHRASE).close()
    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", lambda *_a: None)
    window.open_study(study)
    assert window.store is None and window.stack.currentWidget() is window.start_screen


def test_encrypt_change_passphrase_and_decrypted_copy_from_the_menu(
    window: MainWindow, tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = tmp_path / "plain.verbatim"
    window.create_study(study)
    menu = window.security_menu
    assert menu.encrypt_action.isEnabled() and not menu.change_action.isEnabled()
    window.workspace.import_files([])
    monkeypatch.setattr(passphrase_dialog, "ask_new_passphrase", lambda *_a: "first passphrase")
    menu.encrypt_action.trigger()
    assert security_service.is_encrypted(study)
    assert window.store is not None and window.store.passphrase == "first passphrase"
    assert menu.change_action.isEnabled() and not menu.encrypt_action.isEnabled()

    monkeypatch.setattr(passphrase_dialog, "ask_new_passphrase", lambda *_a: "second passphrase")
    menu.change_action.trigger()
    window.close_study()
    with pytest.raises(Exception, match="wrong passphrase"):
        project_service.open_project(study, passphrase="first passphrase")
    window.open_study(study, "second passphrase")
    copy = menu.write_decrypted_copy(tmp_path / "copy.verbatim")
    assert copy is not None and not security_service.is_encrypted(copy)
    notice = window.workspace.export_notice
    assert notice.path == copy and "NOT encrypted" in notice.label.text()  # with [Open folder], like every export
    with project_service.open_project(copy) as plain:
        assert plain.study()["name"] == window.store.study()["name"]
