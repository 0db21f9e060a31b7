"""Importing a REFI-QDA project or codebook from the workspace, asking before reading outside files.

A ``.qdpx`` from someone else may name files on this computer (``absolute://``, ``../``): they are
listed and read only if the researcher says yes; "No" imports everything else. What could not be
brought in is shown with the reason; what was, goes to the status bar.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.core.errors import VerbatimError
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.services.interchange import interchange_service
from desktop_app.services.study.project_service import ProjectStore

SHOWN = 10


def _ask_external(parent: QWidget, path: Path, external: list[str]) -> bool | None:
    """True: read them; False: import without them; None: cancel the import."""
    listed = "\n".join(external[:SHOWN]) + (f"\n… and {len(external) - SHOWN} more" if len(external) > SHOWN else "")
    answer = QMessageBox.question(
        parent,
        "Import",
        f"{path.name} refers to {len(external)} file(s) outside it:\n\n{listed}\n\n"
        "Import them too? Choose Yes only if you trust where this project came from; "
        "No imports everything else.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.No,
    )
    if answer == QMessageBox.StandardButton.Cancel:
        return None
    return answer == QMessageBox.StandardButton.Yes


def import_refi_file(parent: QWidget, store: ProjectStore, path: Path) -> str | None:
    """Import ``path``; returns the summary of what came in, or None when cancelled or refused."""
    try:
        external = interchange_service.external_files(path)
        allow = _ask_external(parent, path, external) if external else False
        if allow is None:
            return None
        outcome = interchange_service.import_exchange_file(store, path, allow_external_files=allow)
    except VerbatimError as exc:
        show_error(parent, exc)
        return None
    if outcome.report:
        QMessageBox.information(
            parent,
            "Import",
            f"{path.name}: {outcome.summary}.\n\nNot brought in:\n• " + "\n• ".join(outcome.report[:30]),
        )
    return outcome.summary
