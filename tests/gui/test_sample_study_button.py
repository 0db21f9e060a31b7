"""First launch: "Try the sample study" makes the sample study (transcribed, two speakers) and opens it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.services.study import project_service


@pytest.mark.slow
def test_sample_button_opens_the_transcribed_sample_study(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERBATIM_DATA_DIR", str(tmp_path))
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.show()
    button = window.start_screen.sample_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.isEnabled(), "the button waits while the sample is transcribed"
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=180_000)
    assert window.stack.currentWidget() is window.workspace
    assert button.isEnabled()
    study = tmp_path / "sample" / "Sample study.verbatim"
    assert window.store is not None and Path(window.store.path) == study
    documents = project_service.list_documents(window.store)
    assert [d.status.value for d in documents] == ["transcribed"]
