"""Keyboard-first transcription: default keys familiar from transcription tools, remappable.

Foot pedals send keys, so any action can be given any key. Bindings are stored in the settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QKeySequenceEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.shell.settings import AppSettings


@dataclass(frozen=True)
class ShortcutSpec:
    name: str
    label: str
    defaults: tuple[str, ...]


SHORTCUTS = (
    ShortcutSpec("play_pause", "Play / pause (rewinds a little on resume)", ("Esc", "F4")),
    ShortcutSpec("slower", "Slower", ("F1",)),
    ShortcutSpec("faster", "Faster", ("F2",)),
    ShortcutSpec("skip_back", "Skip back", ("F3", "Alt+Left")),
    ShortcutSpec("skip_forward", "Skip forward", ("F6", "Alt+Right")),
    ShortcutSpec("previous_turn", "Previous turn", ("Alt+Up",)),
    ShortcutSpec("next_turn", "Next turn", ("Alt+Down",)),
    ShortcutSpec("play_turn", "Play the turn under the cursor", ("F5", "Ctrl+Return")),
    ShortcutSpec("loop_turn", "Loop the current turn", ("F8",)),
    ShortcutSpec("follow", "Follow playback in the transcript", ("F9",)),
)


def key_sequences(settings: AppSettings, spec: ShortcutSpec) -> list[QKeySequence]:
    stored = settings.value(f"shortcuts/{spec.name}", "")
    keys = [k for k in str(stored).split(";") if k] if stored else list(spec.defaults)
    return [QKeySequence(k) for k in keys]


def make_actions(parent: QWidget, settings: AppSettings) -> dict[str, QAction]:
    """One QAction per shortcut, active anywhere in the window (also while typing in the editor)."""
    actions = {}
    for spec in SHORTCUTS:
        action = QAction(spec.label, parent)
        action.setShortcuts(key_sequences(settings, spec))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        parent.addAction(action)
        actions[spec.name] = action
    return actions


class ShortcutsDialog(QDialog):
    """Lists every shortcut; click a key cell and press new keys to remap it."""

    def __init__(self, settings: AppSettings, actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 420)
        self._settings = settings
        self._actions = actions
        self.table = QTableWidget(len(SHORTCUTS), 2)
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.editors: dict[str, QKeySequenceEdit] = {}
        for row, spec in enumerate(SHORTCUTS):
            self.table.setItem(row, 0, QTableWidgetItem(spec.label))
            editor = QKeySequenceEdit(
                key_sequences(settings, spec)[0] if key_sequences(settings, spec) else QKeySequence()
            )
            self.editors[spec.name] = editor
            self.table.setCellWidget(row, 1, editor)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_defaults)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def restore_defaults(self) -> None:
        for spec in SHORTCUTS:
            self.editors[spec.name].setKeySequence(QKeySequence(spec.defaults[0]))

    def apply(self) -> None:
        for spec in SHORTCUTS:
            primary = self.editors[spec.name].keySequence().toString()
            extra = [k for k in spec.defaults[1:] if k != primary]
            keys = [primary, *extra] if primary else list(spec.defaults)
            self._settings.set_value(f"shortcuts/{spec.name}", ";".join(keys))
            self._actions[spec.name].setShortcuts([QKeySequence(k) for k in keys])
        self.accept()
