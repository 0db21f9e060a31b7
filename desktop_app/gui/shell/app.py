"""Start the Qt application and show the main window."""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QApplication

from desktop_app import APP_NAME, __version__


def run_gui(args: list[str]) -> int:
    from desktop_app.gui.shell.main_window import MainWindow

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication([sys.argv[0], *args])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    window = MainWindow()
    window.show()
    return int(app.exec())
