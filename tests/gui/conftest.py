from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QtMsgType, qInstallMessageHandler


@pytest.fixture(autouse=True)
def fail_on_qt_warnings() -> Iterator[None]:
    """Qt warnings (bad connections, painter misuse, threads) fail the test that caused them."""
    messages: list[str] = []

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        serious = kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
        if serious and "propagateSizeHints" not in message:  # offscreen platform noise
            messages.append(message)

    previous = qInstallMessageHandler(handler)
    yield
    qInstallMessageHandler(previous)
    assert not messages, f"Qt warnings: {messages}"
