"""Run a plain function on the thread pool and get its result (or error) back on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, SignalInstance


class _Relay(QObject):
    """Lives on the GUI thread. The task emits from the pool; the bound slots below therefore run queued on the
    GUI thread, and only they call the caller's callbacks (a lambda connected directly would run on the pool)."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QObject, on_done: Callable[[Any], None], on_error: Callable[[Any], None]) -> None:
        super().__init__(parent)
        self._on_done, self._on_error = on_done, on_error
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_error)

    def _deliver_done(self, value: object) -> None:
        self._on_done(value)

    def _deliver_error(self, error: object) -> None:
        self._on_error(error)


class _Task(QRunnable):
    def __init__(self, function: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.function = function
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.function()
        except Exception as exc:  # delivered to the GUI thread, which decides how to show it
            self._deliver(self.relay.failed, exc)
            return
        self._deliver(self.relay.done, result)

    def _deliver(self, signal: SignalInstance, value: object) -> None:
        # The window that asked may have closed meanwhile: then nobody is waiting for the result.
        if shiboken6.isValid(self.relay):
            signal.emit(value)


def run_in_background(
    parent: QObject,
    function: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Any], None],
    *,
    pool: QThreadPool | None = None,
) -> _Relay:
    """``pool``: where to run (the global pool by default; see :func:`counting_pool`)."""
    relay = _Relay(parent, on_done, on_error)
    (pool or QThreadPool.globalInstance()).start(_Task(function, relay))
    return relay


_counting: QThreadPool | None = None


def counting_pool() -> QThreadPool:
    """A pool for counts that take milliseconds (a view following a stored edit).

    The global pool also decodes audio for waveforms and writes backups, which take seconds on a
    2-hour recording; a count queued behind them would leave its view empty that long.
    """
    global _counting
    if _counting is None:
        _counting = QThreadPool()
        _counting.setMaxThreadCount(2)
    return _counting


def start_worker_thread(parent: QObject, worker: QObject, run: Callable[[], None], done: Any) -> QThread:
    """Move ``worker`` to a new thread, call ``run`` there, and end the thread when ``done`` fires."""
    thread = QThread(parent)
    worker.moveToThread(thread)
    thread.started.connect(run)
    done.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)
    thread.start()
    return thread
