"""Backups in the window: their interval and count come from Preferences (also for the study already open),
and encrypting the study or changing its passphrase re-encrypts them, saying how many in the status bar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.gui.preferences.preferences_dialog import PreferencesDialog
from desktop_app.gui.security import passphrase_dialog
from desktop_app.gui.security.backup_timer import backup_policy
from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.services.coding import coding_service
from desktop_app.services.study import backup_service, project_service
from desktop_app.services.study.backup_service import BackupPolicy
from desktop_app.storage import backups, encryption


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.show()
    return window


def test_backup_interval_and_count_from_preferences(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = PreferencesDialog(AppSettings())
    qtbot.addWidget(dialog)
    assert (dialog.backup_interval.value(), dialog.backups_kept.value()) == (10, 10)  # the defaults
    dialog.backup_interval.setValue(5)
    dialog.backups_kept.setValue(2)
    dialog.grab().save(str(tmp_path / "preferences.png"))
    dialog.save()
    assert backup_policy(AppSettings()) == BackupPolicy(interval_minutes=5, keep=2)
    assert PreferencesDialog(AppSettings()).backups_kept.value() == 2  # shown again as saved

    study = tmp_path / "Nurses.verbatim"
    project_service.create_project(study).close()
    yesterday = datetime.now(UTC) - timedelta(days=1)
    for hour in range(4):  # four backups from yesterday, taken before the study last changed
        backups.write_backup(study, None, yesterday + timedelta(hours=hour))
    window.open_study(study)
    workspace = window.workspace
    assert workspace is not None
    qtbot.waitUntil(lambda: workspace.backups.last_backup is not None, timeout=20000)  # on open: one is due
    assert len(backup_service.list_backups(study, None)) == 2, "the newest two are kept, as set"

    def change_and_accept(self: PreferencesDialog) -> int:
        self.backups_kept.setValue(3)
        self.backup_interval.setValue(30)
        self.save()
        return 1

    monkeypatch.setattr(PreferencesDialog, "exec", change_and_accept)
    window.show_preferences()
    assert workspace.backups.policy == BackupPolicy(interval_minutes=30, keep=3)  # the open study follows


def test_encrypting_and_changing_the_passphrase_reencrypt_the_backups(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = tmp_path / "Grief study.verbatim"
    window.create_study(study)
    assert window.workspace is not None
    qtbot.waitUntil(lambda: window.workspace.backups.last_backup is not None, timeout=20000)
    [made] = backups.list_backups(study)
    assert not encryption.is_encrypted(made.path)

    monkeypatch.setattr(passphrase_dialog, "ask_new_passphrase", lambda *_a: "first passphrase")
    window.security_menu.encrypt_action.trigger()
    workspace = window.workspace
    assert workspace is not None and window.store is not None
    assert workspace.status.currentMessage() == "Study encrypted; 1 backup re-encrypted with the new passphrase"
    assert encryption.is_encrypted(made.path) and encryption.opens_with(made.path, "first passphrase")

    monkeypatch.setattr(passphrase_dialog, "ask_new_passphrase", lambda *_a: "second passphrase")
    window.security_menu.change_action.trigger()
    assert workspace.status.currentMessage() == "Passphrase changed; 1 backup re-encrypted with the new passphrase"
    assert encryption.opens_with(made.path, "second passphrase")
    assert not encryption.opens_with(made.path, "first passphrase")

    # the periodic backups go on, with the new passphrase
    coding_service.add_code(window.store, "Stigma")
    workspace.backups.set_policy(BackupPolicy(interval_minutes=1e-6))

    def backed_up() -> bool:
        workspace.backups.check()  # what the timer does each minute; nothing while a check is under way
        return workspace.backups.last_backup is not None  # none yet in this window

    qtbot.waitUntil(backed_up, timeout=20000)
    newest = workspace.backups.last_backup
    assert newest is not None and newest.path != made.path and encryption.opens_with(newest.path, "second passphrase")
    assert not encryption.opens_with(newest.path, "first passphrase")
