"""A document's recording is missing: say which file and where it was, and offer to find it again.

"Locate…" picks the file (checked by content; a different recording only after the user confirms),
"Search a folder…" looks for a file with the same content under a folder, in the background.
The transcript is never at risk here: only playback needs the file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import CancelledError, VerbatimError
from desktop_app.gui.common.background_task import run_in_background
from desktop_app.services.study import import_service, relink_service
from desktop_app.services.study.project_service import ProjectStore
from desktop_app.services.study.relink_service import FolderSearch, MissingRecording

MEDIA_FILTER = "Recordings ({});;All files (*)".format(" ".join(f"*{s}" for s in sorted(import_service.MEDIA_SUFFIXES)))


class RelinkDialog(QDialog):
    def __init__(self, store: ProjectStore, missing: MissingRecording, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.missing = store, missing
        self.relinked_path: Path | None = None
        self._searching = False
        self._cancel_search = False
        self.setWindowTitle("Recording not found")
        self.headline = QLabel(f"<b>The recording of “{title}” cannot be found.</b>")
        self.details = QLabel(
            f"Verbatim last found <b>{missing.file_name}</b> at:<br><code>{missing.last_path}</code><br><br>"
            "It may have been moved, renamed or deleted, or be on a drive that is not connected. "
            "The transcript, codes and notes are safe in the study; only playback needs the file."
        )
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.locate_button = self._button("&Locate…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.search_button = self._button("&Search a folder…", QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = self._button("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        self.locate_button.clicked.connect(self.locate)
        self.search_button.clicked.connect(self.search_folder)
        self.cancel_button.clicked.connect(self._cancel)
        layout = QVBoxLayout(self)
        for widget in (self.headline, self.details, self.message, self.buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(520)

    def _button(self, text: str, role: QDialogButtonBox.ButtonRole) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        self.buttons.addButton(button, role)
        return button

    def _start_folder(self) -> str:
        parent = Path(self.missing.last_path).parent
        while not parent.is_dir() and parent != parent.parent:
            parent = parent.parent
        return str(parent)

    def _show_problem(self, text: str) -> None:
        self.message.setText(f"<span style='color:#b3261e'>{text}</span>")

    # ----- locate ------------------------------------------------------------------------
    def locate(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, f"Locate {self.missing.file_name}", self._start_folder(), MEDIA_FILTER
        )
        if chosen:
            self.try_file(Path(chosen))

    def try_file(self, path: Path) -> None:
        """Relink to ``path``; a different recording is used only when the user confirms."""
        try:
            same = relink_service.is_same_recording(self.store, self.missing.document_id, path)
            if not same and not self._confirm_different(path):
                self._show_problem(f"{path.name} is not {self.missing.file_name}; nothing was changed.")
                return
            self._done(relink_service.relink(self.store, self.missing.document_id, path, accept_different=not same))
        except VerbatimError as exc:
            self._show_problem(exc.message)

    def _confirm_different(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self,
            "A different recording",
            f"“{path.name}” does not have the same content as “{self.missing.file_name}”.\n\n"
            "Use it for this document anyway? The transcript's times come from the original recording "
            "and may not match this one.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _done(self, path: Path) -> None:
        self.relinked_path = path
        self.accept()

    # ----- search a folder ---------------------------------------------------------------
    def search_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, f"Search a folder for {self.missing.file_name}")
        if folder:
            self.start_search(Path(folder))

    def start_search(self, folder: Path) -> None:
        """Look under ``folder`` in the background; the dialog stays responsive and Cancel stops it."""
        try:
            media = relink_service.recording(self.store, self.missing.document_id)
        except VerbatimError as exc:
            self._show_problem(exc.message)
            return
        self._set_searching(True)
        self.message.setText(f"Searching {folder} for {self.missing.file_name}…")

        def progress(looked: int) -> None:
            if self._cancel_search:
                raise CancelledError()

        run_in_background(
            self,
            lambda: relink_service.find_in_folder(media, FolderSearch(folder, on_progress=progress)),
            lambda found: self._search_finished(folder, found),
            self._search_failed,
        )

    def _set_searching(self, searching: bool) -> None:
        self._searching, self._cancel_search = searching, False
        self.locate_button.setEnabled(not searching)
        self.search_button.setEnabled(not searching)
        self.cancel_button.setText("Stop searching" if searching else "Cancel")

    def _search_finished(self, folder: Path, found: Path | None) -> None:
        self._set_searching(False)
        if found is None:
            self._show_problem(f"No file under {folder} has the content of {self.missing.file_name}.")
            return
        self.try_file(found)

    def _search_failed(self, error: object) -> None:
        self._set_searching(False)
        if isinstance(error, CancelledError):
            self.message.setText("Search stopped.")
        else:
            self._show_problem(error.message if isinstance(error, VerbatimError) else str(error))

    def done(self, result: int) -> None:
        self._cancel_search = True  # a search still running stops at its next progress report
        super().done(result)

    def _cancel(self) -> None:
        if self._searching:
            self._cancel_search = True
        else:
            self.reject()


def offer_relink(parent: QWidget, store: ProjectStore, document_id: int, title: str) -> RelinkDialog | None:
    """Open (window-modal, not blocking) the relink dialog when the document's recording is missing."""
    if any(d.isVisible() for d in parent.findChildren(RelinkDialog)):
        return None
    missing = relink_service.missing_recording(store, document_id)
    if missing is None:
        return None
    dialog = RelinkDialog(store, missing, title, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
