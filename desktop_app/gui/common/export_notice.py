"""Every export ends the same way: "Exported to FILE" in the status bar, with [Open folder].

Exports used to end in five different ways (a dialog, a status line, a label under a button,
nothing at all), and none said where to find the file. Each now calls :func:`announce_export`,
which finds the window's :class:`ExportNotice` (in the study workspace's status bar) and shows it;
a window without one gets a small non-modal message box with the same button.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

SHOWN_MS = 30_000  # long enough to go and look for the file


def open_folder(path: Path) -> None:
    """The folder holding ``path`` (or ``path`` itself if it is a folder), in the system's file manager."""
    folder = path if path.is_dir() else path.parent
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class ExportNotice(QWidget):
    """A status-bar strip: "Exported to interview.docx · 3 quotes  [Open folder]"; hides after a while."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.label = QLabel()
        self.open_button = QPushButton("Open folder")
        self.open_button.clicked.connect(lambda: self.path is not None and open_folder(self.path))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.open_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_export(self, path: Path, detail: str = "") -> None:
        self.path = Path(path)
        self.label.setText(f"Exported to {self.path.name}" + (f" · {detail}" if detail else ""))
        self.label.setToolTip(str(self.path))
        self.show()
        self._timer.start(SHOWN_MS)


def announce_export(source: QWidget, path: Path, detail: str = "") -> None:
    """Tell the user where an export went, with a button to open its folder."""
    window: QWidget | None = source
    while window is not None:
        top = window.window()
        # the open study's notice; a closed study's workspace may linger, hidden, until Qt deletes it
        shown = [
            n
            for n in top.findChildren(ExportNotice)
            if (holder := n.parentWidget()) is not None and holder.isVisibleTo(top)
        ]
        if shown:
            shown[0].show_export(path, detail)
            return
        window = top.parentWidget()
    box = QMessageBox(QMessageBox.Icon.Information, "Export", f"Exported to {path}", parent=source)
    if detail:
        box.setInformativeText(detail)
    folder_button = box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Ok)
    folder_button.clicked.connect(lambda: open_folder(Path(path)))
    box.open()
