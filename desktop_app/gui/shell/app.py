"""Start the Qt application and show the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QTextEdit

from desktop_app import APP_NAME, __version__
from desktop_app.gui.shell.main_window import MainWindow


def run_gui(args: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication([sys.argv[0], *args])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    window = MainWindow()
    window.show()
    open_study_argument(window, args)
    return int(app.exec())


def open_study_argument(window: MainWindow, args: list[str]) -> None:
    """``verbatim STUDY.verbatim`` (or a study file double-clicked): open it, its first document shown.

    The workspace selects the first document of a study it opens; the transcript gets the keyboard,
    its cursor at the start, so typing corrections can begin at once.
    """
    paths = [Path(a) for a in args if not a.startswith("-")]
    if not paths:
        return
    window.open_study(paths[0])
    if window.workspace is None:  # not opened (cancelled, or the file said what was wrong)
        return
    view = window.workspace.view
    if isinstance(view, QTextEdit):
        view.moveCursor(QTextCursor.MoveOperation.Start)
    view.setFocus()
