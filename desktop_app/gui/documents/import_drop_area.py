"""The first thing an empty study shows: a large "Import recordings" area to drop files on or click.

A new study used to open on an empty table and a hint in small print; the one next step a
researcher has is to bring in recordings, so that step fills the space until there is a document.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QFileDialog, QFrame, QLabel, QVBoxLayout, QWidget

from desktop_app.services.study import import_service

MEDIA_FILTER = "Recordings and REFI-QDA projects ({} *.qdpx *.qdc);;All files (*)".format(
    " ".join(f"*{s}" for s in sorted(import_service.MEDIA_SUFFIXES))
)


class ImportDropArea(QFrame):
    """Drop audio or video files (or folders of them) here, or click to choose them."""

    files_chosen = Signal(list)  # list[Path], folders already expanded to the recordings inside

    def __init__(self, start_folder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start_folder = start_folder
        self.setObjectName("importDropArea")
        self.setAcceptDrops(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(220)
        self.setStyleSheet(
            "#importDropArea { border: 2px dashed palette(mid); border-radius: 10px; }"
            '#importDropArea[hovering="true"] { border-color: palette(highlight); }'
        )
        title = QLabel("Import recordings")
        title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        hint = QLabel("Drop interview or focus-group recordings here (audio or video),\nor click to choose them.")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch()
        for label in (title, hint):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addStretch()
        self.setToolTip("Or File ▸ Import recordings…")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.choose()

    def choose(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import recordings", self.start_folder, MEDIA_FILTER)
        if files:
            self.files_chosen.emit([Path(f) for f in files])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            self._hover(True)
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: object) -> None:
        self._hover(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self._hover(False)
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_chosen.emit(import_service.expand_media_paths(paths))

    def _hover(self, on: bool) -> None:
        self.setProperty("hovering", on)
        self.style().unpolish(self)
        self.style().polish(self)
