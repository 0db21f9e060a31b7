"""The Qt binding must not lose references to None: PySide6 6.12.0 gave back one it never took on every
void method call, and on CPython 3.11 the app aborted ("none_dealloc") once None's count reached zero,
after some thousands of calls (a repainting chart, a test suite). The pinned version must not."""

from __future__ import annotations

import sys

from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_void_qt_calls_keep_nones_reference_count(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    image = QImage(16, 16, QImage.Format.Format_RGB32)
    rect = QRect()
    before = sys.getrefcount(None)
    for number in range(5_000):
        rect.setWidth(number)
        label.setText("x")
        painter = QPainter(image)
        painter.drawLine(0, 0, 5, 5)
        painter.end()
    assert sys.getrefcount(None) - before > -100  # 15,000 void calls; a leaking binding loses 15,000
