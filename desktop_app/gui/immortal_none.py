"""Keep PySide6 6.12 from aborting the app on CPython 3.11.

Every call from Python of a wrapped Qt method that returns void (``painter.drawLine``,
``label.setText``, ``rect.setWidth``) gives back one reference to None it never took. On Python
3.12+ None is immortal (PEP 683) and nothing happens; on 3.11 its count falls by one per call, and
after some thousands of calls (a heat map repainting, a chart) it reaches zero and the interpreter
stops with "Fatal Python error: none_dealloc: deallocating None". Giving None the huge count that
3.12 gives immortal objects makes those lost references harmless: None is a static object that is
never freed, so a count too high by any amount changes nothing else.
"""

from __future__ import annotations

import ctypes
import sys

IMMORTAL = 1 << 40  # a trillion lost references, about a day of repainting at a million calls a second


def make_none_immortal() -> None:
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    count = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is PyObject's first field
    if count.value < IMMORTAL:
        count.value += IMMORTAL
