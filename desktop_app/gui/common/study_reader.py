"""Read a study on the thread pool through a connection of its own, for analysis that may take seconds.

The window's connection stays with the GUI thread (it writes, and its transactions are its own);
the background read opens the file read-only (SQLite's WAL gives it a consistent snapshot) and
closes it when done. Each request gets a number, so a page ignores an answer that a newer request
has overtaken (the user changed a setting while the old one was still counting).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QWidget

from desktop_app.core.errors import VerbatimError
from desktop_app.gui.common.background_task import run_in_background
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.services.study import project_service
from desktop_app.services.study.project_service import ProjectStore


def read_study(store: ProjectStore, compute: Callable[[ProjectStore], Any]) -> Any:
    """``compute`` on a fresh read-only connection to ``store``'s file (run it on a pool thread)."""
    with project_service.open_project(store.path, readonly=True, passphrase=store.passphrase) as reader:
        return compute(reader)


class StudyReader(QObject):
    """Runs the latest request of one page in the background and delivers only its answer."""

    def __init__(self, parent: QObject, store: ProjectStore) -> None:
        super().__init__(parent)
        self.store = store
        self._latest = 0
        self.busy = False

    def request(
        self, compute: Callable[[ProjectStore], Any], on_done: Callable[[Any], None], on_error: Callable[[Any], None]
    ) -> None:
        self._latest += 1
        number = self._latest
        self.busy = True
        store = self.store

        def done(value: object) -> None:
            if number == self._latest:
                self.busy = False
                on_done(value)

        def failed(error: object) -> None:
            if number == self._latest:
                self.busy = False
                on_error(error)

        run_in_background(self, lambda: read_study(store, compute), done, failed)


def report_failure(parent: QWidget, label: QLabel, error: object, what: str) -> None:
    """A known problem (locked, corrupt, no shared documents) goes in the page's line; anything else is a
    bug: the error dialog with the log."""
    if isinstance(error, VerbatimError):
        label.setText(error.problem)
        return
    label.setText(f"Could not {what}.")
    if isinstance(error, BaseException):
        show_error(parent, error)
