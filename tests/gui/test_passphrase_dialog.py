"""Passphrase dialogs: a new study's encrypt choice, confirmation and warning; asking again after a wrong one."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop_app.core.errors import ProjectError
from desktop_app.gui.security import passphrase_dialog
from desktop_app.gui.security.passphrase_dialog import NewStudyDialog, OpenPassphraseDialog, open_asking_passphrase
from desktop_app.services.study import project_service
from desktop_app.services.study.security_service import FORGOTTEN_PASSPHRASE_WARNING


def test_new_study_dialog_needs_matching_passphrases_and_shows_the_warning(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = NewStudyDialog(tmp_path / "Grief study.verbatim")
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and dialog.choice().passphrase is None  # not encrypted by default
    assert not dialog.warning.isVisible()

    dialog.encrypt.setChecked(True)
    assert dialog.warning.isVisible() and FORGOTTEN_PASSPHRASE_WARNING in dialog.warning.text()
    assert not ok.isEnabled()
    dialog.form.first.setText("correct horse")
    dialog.form.second.setText("correct hors")
    assert not ok.isEnabled() and "differ" in dialog.form.hint.text()
    dialog.form.second.setText("correct horse")
    assert ok.isEnabled() and dialog.choice().passphrase == "correct horse"
    dialog.form.first.setText("short")
    dialog.form.second.setText("short")
    assert not ok.isEnabled() and "at least" in dialog.form.hint.text()
    dialog.grab().save(str(tmp_path / "new_study.png"))


def test_open_dialog_shows_the_wrong_passphrase_message(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = OpenPassphraseDialog(tmp_path / "s.verbatim", "Wrong passphrase.")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.error_label.isVisible() and "Wrong passphrase" in dialog.error_label.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Open).isEnabled()
    dialog.passphrase.setText("x")
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Open).isEnabled()


def test_open_asks_until_the_passphrase_is_right_or_cancelled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.verbatim"
    project_service.create_project(path, passphrase="right passphrase").close()
    answers = ["wrong one", "right passphrase"]
    asked: list[str] = []

    def ask(_parent: object, _path: Path, error: str = "") -> str | None:
        asked.append(error)
        return answers.pop(0) if answers else None

    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", ask)
    store = open_asking_passphrase(None, path, lambda given: project_service.open_project(path, passphrase=given))
    assert store is not None and store.passphrase == "right passphrase"
    store.close()
    assert asked[0] == "" and "Wrong passphrase" in asked[1]

    asked.clear()
    assert open_asking_passphrase(None, path, lambda g: project_service.open_project(path, passphrase=g)) is None
    assert asked == [""]  # cancelled at once


def test_a_file_that_is_not_a_study_is_an_error_not_a_passphrase_prompt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "notes.verbatim"
    bad.write_text("not a study at all, just some notes")
    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", lambda *_a: pytest.fail("asked for a passphrase"))
    with pytest.raises(ProjectError, match="not a Verbatim project"):
        open_asking_passphrase(None, bad, lambda g: project_service.open_project(bad, passphrase=g))
