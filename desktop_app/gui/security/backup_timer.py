"""The open study's rolling backups: one when it opens, then every few minutes while it changes.

The check runs on the thread pool (it reads the backup folder and, when due, copies the study
through its own read-only connection), so the window never waits for it. Failures go to the status
bar, not a dialog: a dialog every few minutes would stop the user's work, and the study itself is
unharmed by a failed backup.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QStatusBar

from desktop_app.core.errors import VerbatimError
from desktop_app.gui.common.background_task import run_in_background
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.services.study import backup_service
from desktop_app.services.study.backup_service import BackupFile, BackupPolicy
from desktop_app.services.study.project_service import ProjectStore

CHECK_INTERVAL_MS = 60_000  # a cheap look at the folder; a copy is made only when one is due
STOP_WAIT_S = 120.0


def backup_policy(settings: AppSettings) -> BackupPolicy:
    """Interval and count from the settings (Preferences: ``backups/interval_minutes``, ``backups/keep``)."""
    return BackupPolicy(interval_minutes=settings.backup_interval_minutes(), keep=settings.backups_kept())


class StudyBackups(QObject):
    def __init__(
        self,
        parent: QObject,
        store: ProjectStore,
        status: QStatusBar,
        policy: BackupPolicy,
        check_interval_ms: int = CHECK_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._study: Path = store.path
        self._passphrase = store.passphrase
        self._policy = policy
        self._status = status
        self._idle = threading.Event()  # set by the pool thread when its copy is written (or given up)
        self._idle.set()
        self._relay: QObject | None = None
        self.last_backup: BackupFile | None = None
        self.last_error: str | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(check_interval_ms)
        self._timer.timeout.connect(self.check)
        self._enabled = not store.readonly
        if self._enabled:
            self._timer.start()
            self.check()  # on open: before this session's first change

    @property
    def running(self) -> bool:
        return not self._idle.is_set()

    def check(self) -> None:
        if self.running or self._relay is not None:  # the last check's result is still on its way to _done
            return
        self._idle.clear()
        self._relay = run_in_background(self, self._back_up_if_due, self._done, self._failed)

    def _back_up_if_due(self) -> BackupFile | None:  # on the pool thread
        try:
            return backup_service.backup_if_due(self._study, self._passphrase, self._policy)
        finally:
            self._idle.set()

    def _done(self, made: object) -> None:
        self._forget_relay()
        if isinstance(made, BackupFile):
            self.last_backup, self.last_error = made, None
            self._status.showMessage(f"Backed up at {made.taken.astimezone():%H:%M}", 5000)

    def _failed(self, error: object) -> None:
        self._forget_relay()
        message = error.message if isinstance(error, VerbatimError) else str(error)
        self.last_error = message
        self._status.showMessage(f"Backup failed: {message}")

    def _forget_relay(self) -> None:
        if self._relay is not None:
            self._relay.deleteLater()
            self._relay = None

    def stop(self) -> None:
        """No more backups; wait for one being written, so the study can be closed, replaced or encrypted."""
        self._timer.stop()
        self._idle.wait(STOP_WAIT_S)

    def resume(self, passphrase: str | None) -> None:
        """Back up again after :meth:`stop`, with the study's passphrase now (after it was changed)."""
        self._passphrase = passphrase
        if self._enabled:
            self._timer.start()

    @property
    def policy(self) -> BackupPolicy:
        return self._policy

    def set_policy(self, policy: BackupPolicy) -> None:
        """Use a new interval and count from the next check on (the Preferences were changed)."""
        self._policy = policy
