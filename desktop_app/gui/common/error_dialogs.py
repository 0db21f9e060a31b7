"""Known problems become a clear message; anything else a bug report with the log, never a bare traceback."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.core.errors import VerbatimError

log = logging.getLogger("verbatim")


def show_error(parent: QWidget | None, error: BaseException, *, title: str = "Verbatim") -> None:
    if isinstance(error, VerbatimError):
        QMessageBox.warning(parent, title, error.message)
        return
    details = "".join(traceback.format_exception(error))
    log.error("unexpected error\n%s", details)
    box = QMessageBox(QMessageBox.Icon.Critical, title, "Something went wrong inside Verbatim.", parent=parent)
    box.setInformativeText(
        "Your work up to the last change is saved in the study file. Please send the details below to the developers."
    )
    box.setDetailedText(details)
    box.exec()
