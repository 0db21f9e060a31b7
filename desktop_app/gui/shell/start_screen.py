"""The first thing a researcher sees: new study, open study, recent studies."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.gui.common.background_task import run_in_background
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.shell.settings import AppSettings

PROJECT_FILTER = "Verbatim studies (*.verbatim);;All files (*)"


class StartScreen(QWidget):
    """Emits ``create_requested(path)`` or ``open_requested(path)``; the window does the work."""

    create_requested = Signal(Path)
    open_requested = Signal(Path)

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setObjectName("startScreen")
        self.new_button = QPushButton("New study…")
        self.open_button = QPushButton("Open study…")
        for button in (self.new_button, self.open_button):
            button.setMinimumHeight(36)
        self.sample_button = QPushButton("Try the sample study")
        self.sample_button.setToolTip("A short two-voice interview, transcribed on this computer, to try the app on")
        self.sample_button.clicked.connect(self._open_sample)
        self.new_button.clicked.connect(self._ask_new)
        self.open_button.clicked.connect(self._ask_open)
        self.recent_list = QListWidget()
        self.recent_list.setObjectName("recentList")
        self.recent_list.itemActivated.connect(self._open_item)
        self.empty_label = QLabel("No recent studies yet. Create one to import your first recording.")
        self.empty_label.setObjectName("emptyHint")
        self._build_layout()
        self.refresh()

    def _build_layout(self) -> None:
        title = QLabel("Verbatim")
        title.setFont(QFont(title.font().family(), 28, QFont.Weight.Bold))
        subtitle = QLabel("Transcribe, check and code interviews — offline, on this computer.")
        subtitle.setObjectName("subtitle")
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch()
        buttons.addWidget(self.sample_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 32)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(20)
        layout.addLayout(buttons)
        layout.addSpacing(16)
        layout.addWidget(QLabel("Recent studies"))
        layout.addWidget(self.recent_list, 1)
        layout.addWidget(self.empty_label)
        version = QLabel(f"Version {__version__} · nothing leaves this computer")
        version.setAlignment(Qt.AlignmentFlag.AlignRight)
        version.setObjectName("versionLabel")
        layout.addWidget(version)

    def refresh(self) -> None:
        self.recent_list.clear()
        for path in self._settings.recent_projects():
            item = QListWidgetItem(f"{path.stem}\n{path.parent}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            if not path.exists():
                item.setText(f"{path.stem} (missing)\n{path.parent}")
                item.setForeground(Qt.GlobalColor.gray)
            self.recent_list.addItem(item)
        self.empty_label.setVisible(self.recent_list.count() == 0)

    def _ask_new(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New study", self._settings.last_folder(), PROJECT_FILTER)
        if path:
            self.create_requested.emit(Path(path))

    def _ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open study", self._settings.last_folder(), PROJECT_FILTER)
        if path:
            self.open_requested.emit(Path(path))

    def _open_item(self, item: QListWidgetItem) -> None:
        self.open_requested.emit(Path(item.data(Qt.ItemDataRole.UserRole)))

    def _open_sample(self) -> None:
        """Make (once) and open the sample study; transcribing it takes a few seconds, off the GUI thread."""
        from desktop_app.services.study import sample_study_service

        self.sample_button.setEnabled(False)
        self.sample_button.setText("Preparing the sample study…")
        self._sample_task = run_in_background(
            self, sample_study_service.open_sample_study, self._sample_ready, self._sample_failed
        )

    def _sample_done(self) -> None:
        self.sample_button.setEnabled(True)
        self.sample_button.setText("Try the sample study")

    def _sample_ready(self, path: Path) -> None:
        self._sample_done()
        self.open_requested.emit(Path(path))

    def _sample_failed(self, error: BaseException) -> None:
        self._sample_done()
        show_error(self, error, title="Sample study")
