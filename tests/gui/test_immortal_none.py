"""PySide6 6.12 loses a reference to None on every void method call; on CPython 3.11 that aborts the
app once None's count reaches zero. Importing the GUI package must make that harmless."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QRect
references = sys.getrefcount(None)
import desktop_app.gui  # noqa: E402,F401  (the workaround runs on import)
rect = QRect()
for _ in range(references + 50_000):  # more void calls than None had references
    rect.setWidth(3)
print("alive", references)
"""


def test_void_qt_calls_beyond_nones_count_do_not_abort() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("alive")
