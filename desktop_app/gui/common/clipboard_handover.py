"""Hand text copied from our views to a clipboard object Qt owns.

Copying or cutting in the transcript editor puts a ``QMimeData`` made in Python (the selected
words, plus the coded-span format a drag onto a code reads) on the system clipboard. PySide6
6.11 crashes the process when such an object is still on the clipboard as the application is
torn down: after any copy, quitting Verbatim ended in a segmentation fault. As soon as the
clipboard holds an object created by Python, its text is put back through ``setText``, which
makes the data in C++: other programs get the same text, and nothing of ours outlives the app.
Drags are unaffected (a drag owns its data and frees it when it ends).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtGui import QClipboard, QGuiApplication

_installed: set[int] = set()


def hand_clipboard_to_qt() -> None:
    """Watch the clipboard of the running application (once per application)."""
    app = QGuiApplication.instance()
    if app is None or id(app) in _installed:
        return
    _installed.add(id(app))
    clipboard = QGuiApplication.clipboard()
    clipboard.dataChanged.connect(lambda: _replace_python_data(clipboard))


def _replace_python_data(clipboard: QClipboard) -> None:
    data = clipboard.mimeData()
    if data is not None and shiboken6.Shiboken.createdByPython(data):
        clipboard.setText(data.text())
