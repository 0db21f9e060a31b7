"""The main window fits a 1024×700 screen with a study open, and stays that narrow as the codebook grows.

It could not be narrower than 1290 px: the transcription panel's one row of options (821 px), the
intercoder key (776 px), the speaker and participant button rows, and the recent-codes bar, which
grew by a button for every code used.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.services.coding import coding_service
from tests.fixtures.coding_study import make_coding_study
from tests.fixtures.study_window import open_window

SCREENSHOTS = Path(os.environ.get("VERBATIM_SCREENSHOTS", "")) if os.environ.get("VERBATIM_SCREENSHOTS") else None
SMALL = (1024, 700)
LONG_NAME = "Peer support on night shifts when no manager can be reached by phone {}"


def _fits(window: MainWindow) -> None:
    QApplication.processEvents()
    assert window.minimumSizeHint().width() <= SMALL[0], window.minimumSizeHint()
    assert window.width() <= SMALL[0] and window.height() <= SMALL[1], window.size()


def test_the_window_fits_1024_by_700_and_does_not_grow_as_codes_are_added(qtbot: QtBot, tmp_path: Path) -> None:
    study = make_coding_study(tmp_path)
    themes = [coding_service.add_code(study.store, LONG_NAME.format(i)) for i in range(12)]
    for i in range(40):  # a long codebook: sub-codes with long names under the themes
        coding_service.add_code(study.store, f"{LONG_NAME.format(i)} (detail)", themes[i % len(themes)])
    path = study.store.path
    study.store.close()
    window, ws = open_window(qtbot, path, show=True)
    window.resize(*SMALL)
    _fits(window)

    for tab in range(ws.left_tabs.count()):  # documents, codes, participants, memos
        ws.left_tabs.setCurrentIndex(tab)
        _fits(window)
    ws.left_tabs.setCurrentWidget(ws.coding.panel)
    codebook = ws.coding.codebook
    for code_id in themes[:8]:  # each code used goes into the recent-codes bar
        codebook.select(code_id)
        codebook.note_used(code_id)
        _fits(window)
    for i in range(10):  # codes added through the panel, as a user does
        codebook.add_code(name=f"Another very long code name that says a great deal, number {i}")
        _fits(window)
    ws.pages.setCurrentWidget(ws.analysis)
    for tab in range(ws.analysis.tabs.count()):
        ws.analysis.tabs.setCurrentIndex(tab)
        qtbot.wait(50)  # the counts arrive from a background read
        _fits(window)
    ws.pages.setCurrentIndex(0)
    ws.left_tabs.setCurrentIndex(0)
    _fits(window)
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(SCREENSHOTS / "main-window-1024x700.png"))
