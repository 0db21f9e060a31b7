"""Every keyboard shortcut of the app, in one table: the code binds its actions from it (:func:`bind`)
and Help › Keyboard shortcuts shows and remaps it, so the list can never miss a key the app has.

Default keys are familiar from transcription tools (Express Scribe, oTranscribe) and QDA tools;
foot pedals send keys, so any action can be given any key. Remapped keys live in the settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from desktop_app.gui.shell.settings import AppSettings

PLAYBACK, TRANSCRIPT, CODING, STUDY = "Playback", "Transcript", "Coding", "Study"
GROUPS = (PLAYBACK, TRANSCRIPT, CODING, STUDY)
OBJECT_PREFIX = "shortcut:"  # an action's objectName, so the shortcuts dialog finds it to remap


@dataclass(frozen=True)
class ShortcutSpec:
    name: str
    label: str
    defaults: tuple[str, ...]
    group: str = PLAYBACK


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
    ShortcutSpec("split_turn", "Split the turn at the cursor", ("Ctrl+Shift+Return",), TRANSCRIPT),
    ShortcutSpec("merge_turn", "Merge the turn with the next", ("Ctrl+Shift+M",), TRANSCRIPT),
    ShortcutSpec("change_speaker", "Change the turn's speaker…", ("Ctrl+Shift+P",), TRANSCRIPT),
    ShortcutSpec("adjust_times", "Adjust the turn's times…", ("Ctrl+Shift+T",), TRANSCRIPT),
    ShortcutSpec("insert_turn", "Insert a turn the transcriber missed, at the playhead…", ("Ctrl+Shift+I",), TRANSCRIPT),
    ShortcutSpec("find_replace", "Find and replace…", ("Ctrl+F", "Ctrl+H"), TRANSCRIPT),
    ShortcutSpec("undo", "Undo (the study's last change)", ("Ctrl+Z",), TRANSCRIPT),
    ShortcutSpec("redo", "Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), TRANSCRIPT),
    ShortcutSpec("code_selection", "Code the selection with the current code", ("Ctrl+K",), CODING),
    ShortcutSpec("in_vivo", "In-vivo code: a new code named by the selected words", ("Ctrl+Shift+K",), CODING),
    ShortcutSpec("new_code", "New code (in the codebook)", ("Ctrl+Shift+N",), CODING),
    ShortcutSpec("rename_code", "Rename the code (in the codebook)", ("F2",), CODING),
    ShortcutSpec("new_study", "New study…", ("Ctrl+N",), STUDY),
    ShortcutSpec("open_study", "Open study…", ("Ctrl+O",), STUDY),
    ShortcutSpec("import", "Import recordings…", ("Ctrl+I",), STUDY),
    ShortcutSpec("export", "Export…", ("Ctrl+E",), STUDY),
    ShortcutSpec("close_study", "Close study", ("Ctrl+W",), STUDY),
    ShortcutSpec("preferences", "Preferences…", ("Ctrl+,",), STUDY),
    ShortcutSpec("shortcuts", "Keyboard shortcuts", ("Ctrl+/",), STUDY),
    ShortcutSpec("quit", "Quit", ("Ctrl+Q",), STUDY),
)
BY_NAME = {spec.name: spec for spec in SHORTCUTS}

# What the mouse does in the transcript: shown beside the keys, not remappable.
GESTURES = (
    ("Click a word", "Puts the cursor there; type to correct, while it plays or not"),
    ("Ctrl+click a word, or ▶ beside a turn", "Plays from that word"),
    ("Drag across words (across turns too)", "Selects them for coding"),
    ("Drag the selected words onto a code", "Codes them with it"),
    ("Right-click in the transcript", "Edit and coding menu"),
)


def key_sequences(settings: AppSettings | None, spec: ShortcutSpec) -> list[QKeySequence]:
    stored = settings.value(f"shortcuts/{spec.name}", "") if settings is not None else ""
    keys = [k for k in str(stored).split(";") if k] if stored else list(spec.defaults)
    return [QKeySequence(k) for k in keys]


def bind(action: QAction, name: str, settings: AppSettings | None = None) -> QAction:
    """Give ``action`` the keys of shortcut ``name`` (remapped or default); the dialog can find it to remap."""
    action.setShortcuts(key_sequences(settings, BY_NAME[name]))
    action.setObjectName(OBJECT_PREFIX + name)
    return action


def make_actions(parent: QWidget, settings: AppSettings) -> dict[str, QAction]:
    """One QAction per playback shortcut, active anywhere in the window (also while typing in the editor)."""
    actions = {}
    for spec in (s for s in SHORTCUTS if s.group == PLAYBACK):
        action = bind(QAction(spec.label, parent), spec.name, settings)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        parent.addAction(action)
        actions[spec.name] = action
    return actions


def actions_bound_to(window: QWidget, name: str) -> list[QAction]:
    """The window's actions that carry shortcut ``name`` (the menu's, the panels')."""
    return [a for a in window.findChildren(QAction) if a.objectName() == OBJECT_PREFIX + name]
