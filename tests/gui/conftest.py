from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QtMsgType, qInstallMessageHandler

# What a headless test machine says about itself (no screen, no sound server, no video
# acceleration libraries), not about our code.
ENVIRONMENT_NOISE = (
    "propagateSizeHints",
    "Couldn't load va",
    "Couldn't resolve va",
    "pa_context_connect",
    "No audio device",
    "pipewire",
    # Qt's FFmpeg backend interrupting its own loading of a recording when the player is given another
    # source (or none) before it finished: the cancellation working, not a failure.
    "FFmpeg error description: Immediate exit requested",
)


@pytest.fixture(autouse=True)
def fail_on_qt_warnings() -> Iterator[None]:
    """Qt warnings (bad connections, painter misuse, threads) fail the test that caused them."""
    messages: list[str] = []

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        serious = kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
        if serious and not any(noise in message for noise in ENVIRONMENT_NOISE):
            messages.append(message)

    previous = qInstallMessageHandler(handler)
    yield
    qInstallMessageHandler(previous)
    assert not messages, f"Qt warnings: {messages}"


# Blocking calls that open a window and wait for a person. Offscreen nobody answers, so one reached by
# accident would hang the whole run; instead it is recorded, answered "no"/"cancel", and fails the test
# with its text. A test that expects one patches it itself (its patch replaces this one).
_MESSAGE_BOXES = ("information", "warning", "critical", "question")
_FILE_DIALOGS = {
    "getOpenFileName": ("", ""),
    "getOpenFileNames": ([], ""),
    "getSaveFileName": ("", ""),
    "getExistingDirectory": "",
}
_INPUT_DIALOGS = {
    "getText": ("", False),
    "getItem": ("", False),
    "getInt": (0, False),
    "getDouble": (0.0, False),
    "getMultiLineText": ("", False),
}


@pytest.fixture(autouse=True)
def fail_on_unexpected_modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

    opened: list[str] = []

    def message_box(kind: str) -> object:
        def answer(_parent: object, title: str = "", text: str = "", *_a: object, **_k: object) -> object:
            opened.append(f"QMessageBox.{kind}({title!r}, {text!r})")
            return QMessageBox.StandardButton.Cancel if kind == "question" else QMessageBox.StandardButton.Ok

        return staticmethod(answer)

    def returning(name: str, value: object) -> object:
        def answer(*_a: object, **_k: object) -> object:
            opened.append(name)
            return value

        return staticmethod(answer)

    def dialog_exec(self: QDialog) -> int:
        details = f"{self.text()} {self.detailedText()}" if isinstance(self, QMessageBox) else ""
        opened.append(f"{type(self).__name__}.exec() {self.windowTitle()!r} {details!r}")
        return int(QDialog.DialogCode.Rejected)

    for kind in _MESSAGE_BOXES:
        monkeypatch.setattr(QMessageBox, kind, message_box(kind))
    for name, value in _FILE_DIALOGS.items():
        monkeypatch.setattr(QFileDialog, name, returning(f"QFileDialog.{name}", value))
    for name, answer in _INPUT_DIALOGS.items():
        monkeypatch.setattr(QInputDialog, name, returning(f"QInputDialog.{name}", answer))
    monkeypatch.setattr(QDialog, "exec", dialog_exec)
    monkeypatch.setattr(QMessageBox, "exec", dialog_exec)
    yield
    assert not opened, f"modal dialogs nobody could answer: {opened}"


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The messages the GUI would have shown in an error dialog, recorded instead (the dialog is modal).

    Every GUI module that imported ``show_error`` gets the recorder, so a test need not know which one reports.
    A module that wants it for all its tests says ``pytestmark = pytest.mark.usefixtures("errors")``.
    """
    import desktop_app.gui

    shown: list[str] = []
    for module in pkgutil.walk_packages(desktop_app.gui.__path__, "desktop_app.gui."):
        loaded = importlib.import_module(module.name)
        if hasattr(loaded, "show_error"):
            monkeypatch.setattr(loaded, "show_error", lambda _p, exc, **_k: shown.append(str(exc)))
    return shown


@pytest.fixture(autouse=True)
def coder_name_given(isolated_user_dirs: None) -> None:
    """Tests code as "Tester": the first coding in a fresh settings file asks who is coding (a modal
    dialog). The test of that question forgets the name first."""
    from desktop_app.gui.shell.settings import AppSettings

    AppSettings().set_coder_name("Tester")
