"""Run the speaker encoder's matrix products on one BLAS thread.

The encoder steps an LSTM through 150 frames, one (windows x 513) x (513 x 1024) product per layer
and frame: thousands of products too small to share well between threads. NumPy's bundled OpenBLAS
splits each one across all cores anyway, and its threads spin while they wait for each other; when
another program (or the GUI) holds a core, every product waits for the slowest thread. Measured on
two busy cores: 25 ms of CPU and 24 ms of wall time per window with two threads, 7.4 ms of both
with one. NumPy has no setting for this at run time, so the bundled OpenBLAS's own
``set_num_threads`` is called through ctypes; where that library is not found (another BLAS, such
as Apple's Accelerate) nothing changes.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

_NAMES = (  # symbol suffixes used by scipy-openblas (NumPy's wheels) and plain OpenBLAS builds
    ("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
    ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
    ("openblas_get_num_threads", "openblas_set_num_threads"),
)


@cache
def _openblas() -> tuple[Any, Any] | None:
    """(get, set) thread-count functions of the OpenBLAS NumPy loaded, or None."""
    numpy_dir = Path(np.__file__).resolve().parent
    folders = [numpy_dir.parent / "numpy.libs", numpy_dir / ".dylibs"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        folders += [Path(bundle), Path(bundle) / "numpy.libs"]
    for folder in folders:
        for library in sorted(folder.glob("*openblas*")) if folder.is_dir() else []:
            try:
                handle = ctypes.CDLL(str(library))
            except OSError:
                continue
            for get_name, set_name in _NAMES:
                get, set_ = getattr(handle, get_name, None), getattr(handle, set_name, None)
                if get is not None and set_ is not None:
                    get.restype, get.argtypes = ctypes.c_int, []
                    set_.restype, set_.argtypes = None, [ctypes.c_int]
                    return get, set_
    return None


@contextmanager
def single_blas_thread() -> Iterator[None]:
    """NumPy's matrix products on one thread inside the block; the previous count restored after."""
    functions = _openblas()
    if functions is None:
        yield
        return
    get, set_ = functions
    before = int(get())
    set_(1)
    try:
        yield
    finally:
        set_(before)
