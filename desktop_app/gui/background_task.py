"""Run a plain function on the thread pool and get its result (or error) back on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


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

    def _deliver(self, signal: Signal, value: object) -> None:
        # The window that asked may have closed meanwhile: then nobody is waiting for the result.
        if shiboken6.isValid(self.relay):
            signal.emit(value)  # type: ignore[attr-defined]


def run_in_background(
    parent: QObject, function: Callable[[], Any], on_done: Callable[[Any], None], on_error: Callable[[Any], None]
) -> _Relay:
    relay = _Relay(parent)
    relay.done.connect(on_done)
    relay.failed.connect(on_error)
    QThreadPool.globalInstance().start(_Task(function, relay))
    return relay
