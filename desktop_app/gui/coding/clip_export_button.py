"""The "Export audio clips…" button of the extracts panel: pick a folder, write the clips off the GUI thread.

The clips are written on the thread pool through a read-only connection of their own (the
window's connection belongs to the GUI thread), and the outcome is shown in a line under the
panel's header rather than in a dialog, so the researcher can keep reading extracts meanwhile.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QLabel, QMenu, QPushButton, QWidget

from desktop_app.gui.common.background_task import run_in_background
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.common.export_notice import announce_export
from desktop_app.services.exports import audio_clip_service
from desktop_app.services.exports.audio_clip_service import ClipExport, ClipOptions
from desktop_app.services.study import project_service
from desktop_app.services.study.project_service import ProjectStore

CLIP_PADDING_SECONDS = 0.5  # a breath of context before and after each extract
Request = Callable[[], tuple[int, bool] | None]  # the code to export and "include sub-codes", or None


class ClipExportButton(QPushButton):
    def __init__(self, store: ProjectStore, request: Request, parent: QWidget | None = None) -> None:
        super().__init__("Export audio clips…", parent)
        self.store = store
        self.request = request
        self.setToolTip("One audio file per extract, named “code - participant - minutes.seconds”")
        menu = QMenu(self)
        menu.addAction("Clips as recorded…", self._ask_plain)
        menu.addAction("Pseudonymised clips, names bleeped…", self._ask_bleeped)
        self.setMenu(menu)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet("color: #555")
        self.running = False

    def _ask_plain(self) -> None:
        self._ask(bleep=False)

    def _ask_bleeped(self) -> None:
        self._ask(bleep=True)

    def _ask(self, *, bleep: bool) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export audio clips to folder")
        if folder:
            self.export(Path(folder), bleep=bleep)

    def export(self, folder: Path, *, bleep: bool = False) -> None:
        """Start writing the clips of the requested code into ``folder``."""
        wanted = self.request()
        if wanted is None or self.running:
            return
        code_id, subcodes = wanted
        options = ClipOptions(padding=CLIP_PADDING_SECONDS, bleep=bleep, include_subcodes=subcodes)
        path, passphrase = self.store.path, self.store.passphrase

        def work() -> ClipExport:
            with project_service.open_project(path, readonly=True, passphrase=passphrase) as reader:
                return audio_clip_service.export_clips(reader, code_id, folder, options)

        self.running = True
        self.setEnabled(False)
        self._show("Exporting audio clips…")
        run_in_background(self, work, self._done, self._failed)

    def _done(self, result: ClipExport) -> None:
        self._finish()
        count = len(result.written)
        lines = [f"Wrote {count} audio clip{'s' if count != 1 else ''} to {result.written[0].parent}" if count else ""]
        if result.bleeps:
            lines.append(f"{result.bleeps} spoken name{'s' if result.bleeps != 1 else ''} bleeped")
        lines += [f"Skipped {note}" for note in result.skipped]
        text = " · ".join(html.escape(line) for line in lines if line) or "No extracts with audio to export"
        problems = "".join(f"<br><span style='color:#b00020'>{html.escape(p)}</span>" for p in result.failed)
        self._show(text + problems)
        if count:
            announce_export(self, result.written[0].parent, f"{count} audio clip{'s' if count != 1 else ''}")

    def _failed(self, error: BaseException) -> None:
        self._finish()
        self.status_label.clear()
        show_error(self, error)

    def _finish(self) -> None:
        self.running = False
        self.setEnabled(self.request() is not None)

    def _show(self, text: str) -> None:
        self.status_label.setText(text)
