from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.gui.preferences.preferences_dialog import PreferencesDialog
from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.services.study import project_service


def test_preferences_apply_and_persist(qtbot: QtBot, tmp_path: Path) -> None:
    settings = AppSettings()
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.rewind.setValue(3.0)
    dialog.skip.setValue(10.0)
    dialog.font_size.setValue(14)
    dialog.follow_idle.setValue(1.5)
    dialog.model.setCurrentIndex(dialog.model.findData("tiny.en"))
    dialog.coder.setText("AB")
    dialog.save()
    project_service.create_project(tmp_path / "s.verbatim").close()
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.resize(900, 600)
    window.open_study(tmp_path / "s.verbatim")
    ws = window.workspace
    assert ws is not None
    assert ws.player.rewind_on_resume == 3.0 and ws.player.skip_seconds == 10.0
    assert ws.view.font().pointSize() == 14 and ws.panel.model.currentData() == "tiny.en"
    assert ws.view.follow_idle_seconds == 1.5
    assert AppSettings().coder_name() == "AB"
    window.close()
    assert AppSettings().value("window/geometry", None) is not None
