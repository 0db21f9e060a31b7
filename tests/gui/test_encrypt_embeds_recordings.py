"""Encrypting a study offers to embed the recordings that are still separate files, and says plainly
that they are not encrypted otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from desktop_app.gui.security import passphrase_dialog, security_menu
from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.services.study import import_service, project_service, security_service

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    path = tmp_path / "Peer support.verbatim"
    with project_service.create_project(path) as store:
        import_service.import_recordings(store, [shared_data / "jfk.flac", shared_data / "pyannote_sample.wav"])
    monkeypatch.setattr(passphrase_dialog, "ask_new_passphrase", lambda *_a: PASSPHRASE)
    main = MainWindow(AppSettings())
    qtbot.addWidget(main)
    main.open_study(path)
    yield main
    main.close_study()


def _answer(monkeypatch: pytest.MonkeyPatch, choose: str) -> list[str]:
    """Answer the question by clicking one of its buttons; what it said is returned."""
    said: list[str] = []

    def click(box: security_menu.EmbedBeforeEncrypting) -> int:
        said.append(f"{box.text()}\n{box.informativeText()}")
        button: QAbstractButton = {"embed": box.embed_button, "skip": box.skip_button}[choose]
        button.click()
        return 0

    monkeypatch.setattr(security_menu.EmbedBeforeEncrypting, "exec", click)
    return said


def test_encrypting_embeds_the_separate_recordings_first(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.store is not None
    assert len(security_service.separate_recordings(window.store)) == 2
    said = _answer(monkeypatch, "embed")
    window.security_menu.encrypt_action.trigger()
    assert "2 recordings of this study are files outside it" in said[0]
    assert "does not encrypt them" in said[0] and "jfk.flac" in said[0] and "pyannote_sample.wav" in said[0]
    store = window.store
    assert store is not None and store.passphrase == PASSPHRASE
    assert security_service.is_encrypted(store.path)
    assert security_service.separate_recordings(store) == []  # inside the encrypted file now
    assert window.workspace is not None
    assert "NOT encrypted" not in window.workspace.status.currentMessage()


def test_encrypting_without_them_says_they_stay_readable(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer(monkeypatch, "skip")
    window.security_menu.encrypt_action.trigger()
    store = window.store
    assert store is not None and store.passphrase == PASSPHRASE
    assert len(security_service.separate_recordings(store)) == 2
    assert window.workspace is not None
    message = window.workspace.status.currentMessage()
    assert message.startswith("Study encrypted") and message.endswith(". 2 recordings stayed outside it, NOT encrypted")
