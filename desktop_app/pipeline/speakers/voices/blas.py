"""Run the speaker step's NumPy work on one BLAS thread.

The encoder steps an LSTM through 150 frames, one (windows x 513) x (513 x 1024) product per layer
and frame: thousands of products too small to share well between threads. NumPy's bundled OpenBLAS
splits each one across all cores anyway, and its threads spin while they wait for each other; when
another program (or the GUI, or a transcription) holds a core, every product waits for the slowest
thread. Measured on two busy cores: 25 ms of CPU and 24 ms of wall time per window with two
threads, 7.4 ms of both with one. The clustering's eigen decompositions (400 x 400) are worse: 1.7 s
each with two threads while another process kept both cores busy, 8 ms with one.

threadpoolctl finds the BLAS libraries loaded in the process (OpenBLAS, MKL, BLIS; Apple's
Accelerate has no such setting and is left alone) and limits them inside the block.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from threadpoolctl import ThreadpoolController


@cache
def _controller() -> ThreadpoolController:
    import numpy  # noqa: F401  (loads NumPy's BLAS, so the controller sees it)

    return ThreadpoolController()


def blas_threads() -> list[int]:
    """Thread counts of the BLAS libraries loaded in this process (empty when none can be set)."""
    return [int(pool.num_threads) for pool in _controller().select(user_api="blas").lib_controllers]


@contextmanager
def single_blas_thread() -> Iterator[None]:
    """NumPy's matrix products on one thread inside the block; the previous counts restored after."""
    with _controller().limit(limits=1, user_api="blas"):
        yield
