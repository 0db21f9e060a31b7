from __future__ import annotations

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
