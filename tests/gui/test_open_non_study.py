"""Opening a file that is not a study names what it is, instead of asking for a passphrase."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from pytestqt.qtbot import QtBot

from desktop_app.gui.security import passphrase_dialog
from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.gui.shell.settings import AppSettings


def _warnings_without_passphrase(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The warnings the window shows, recorded; being asked for a passphrase fails the test."""
    shown: list[str] = []
    monkeypatch.setattr(
        "desktop_app.gui.common.error_dialogs.QMessageBox.warning", lambda _p, _t, text: shown.append(text)
    )
    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", lambda *_a: pytest.fail("asked for a passphrase"))
    return shown


def _word_document(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Interview guide: tell me about the night shifts.")
    document.save(str(path))
    return path


def _text_file(path: Path) -> Path:
    path.write_text("Über die Nachtschicht: Notizen zum Interview …\n" * 50, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda folder: _word_document(folder / "guide.docx"), "a Word document"),
        (lambda folder: _word_document(folder / "guide renamed.verbatim"), "a Word document"),
        (lambda folder: _text_file(folder / "notes.txt"), "a text file"),
    ],
)
def test_opening_a_document_says_what_it_is_and_asks_no_passphrase(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Callable[[Path], Path], kind: str
) -> None:
    path = make(tmp_path)
    shown = _warnings_without_passphrase(monkeypatch)
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.open_study(path)
    assert window.workspace is None
    assert len(shown) == 1 and str(path) in shown[0] and kind in shown[0], shown


def test_opening_a_recording_says_it_is_one(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, shared_data: Path) -> None:
    shown = _warnings_without_passphrase(monkeypatch)
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.open_study(shared_data / "jfk.flac")
    assert shown and "a recording (FLAC audio)" in shown[0]
