"""Help: every shortcut the window has, from the one table that binds them (and remaps them); what the
transcript's marks mean; where realist tagging lives."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QKeySequence
from pytestqt.qtbot import QtBot

from desktop_app.gui.shell.help_menu import ShortcutsDialog
from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.gui.shell.shortcuts import BY_NAME, GESTURES, OBJECT_PREFIX, SHORTCUTS
from tests.fixtures.coding_study import make_coding_study

SCREENSHOTS = Path(os.environ.get("VERBATIM_SCREENSHOTS", "")) if os.environ.get("VERBATIM_SCREENSHOTS") else None


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    study = make_coding_study(tmp_path)
    study.store.close()
    main = MainWindow(AppSettings())
    qtbot.addWidget(main)
    main.show()
    main.open_study(study.store.path)
    yield main
    main.close_study()


def _keyed_actions(window: MainWindow) -> list[QAction]:
    return [a for a in window.findChildren(QAction) if a.shortcuts()]


def test_every_key_of_the_window_comes_from_the_table_the_dialog_shows(qtbot: QtBot, window: MainWindow) -> None:
    keyed = _keyed_actions(window)
    assert len(keyed) >= 25  # menus, playback, turns, coding, codebook
    unlisted = [a.text() for a in keyed if not a.objectName().startswith(OBJECT_PREFIX)]
    assert unlisted == []  # a key bound outside the table would be missing from Help
    for action in keyed:
        spec = BY_NAME[action.objectName().removeprefix(OBJECT_PREFIX)]
        assert [k.toString() for k in action.shortcuts()] == list(spec.defaults), spec.name

    help_titles = [a.text() for a in window.help_menu.actions() if a.text()]
    assert help_titles[:3] == [
        "&Keyboard shortcuts…",
        "What the &marks in the transcript mean",
        "&Realist evaluation (C–M–O)",
    ]
    window.shortcuts_action.trigger()
    dialog = window.help_menu.dialog
    assert isinstance(dialog, ShortcutsDialog) and dialog.isVisible()
    rows = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    for heading in ("Playback", "Transcript", "Coding", "Study", "Mouse, in the transcript"):
        assert heading in rows
    assert all(spec.label in rows for spec in SHORTCUTS)
    assert all(meaning in rows for _gesture, meaning in GESTURES)
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(SCREENSHOTS / "help-keyboard-shortcuts.png"))


def test_remapping_a_key_rebinds_the_action_now_and_next_time(qtbot: QtBot, window: MainWindow) -> None:
    window.help_menu.show_shortcuts()
    dialog = window.help_menu.dialog
    assert isinstance(dialog, ShortcutsDialog)
    dialog.editors["code_selection"].setKeySequence(QKeySequence("Ctrl+Alt+C"))  # a foot pedal's key, say
    dialog.apply()
    assert window.workspace is not None
    assert window.workspace.coding.code_action.shortcut().toString() == "Ctrl+Alt+C"
    window.close_study()
    again = MainWindow(AppSettings())
    qtbot.addWidget(again)
    again.open_study(window.settings.recent_projects()[0])
    assert again.workspace is not None
    assert again.workspace.coding.code_action.shortcut().toString() == "Ctrl+Alt+C"
    again.close_study()


def test_the_marks_and_realist_tagging_are_explained(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QLabel

    marks = window.help_menu.show_marks()
    text = " ".join(label.text() for label in marks.findChildren(QLabel))
    assert "Dotted amber" in text and "unsure" in text and "Wavy blue" in text and "(..)" in text
    realist = window.help_menu.show_realist()
    text = " ".join(label.text() for label in realist.findChildren(QLabel))
    assert "Tag for realist evaluation" in text and "C–M–O table" in text
