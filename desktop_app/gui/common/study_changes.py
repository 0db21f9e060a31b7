"""One signal for "the study changed": every view that shows counts listens to it and recounts.

The study's edit journal calls back after each action, undo and redo, from whichever part of the
GUI made it. Panels used to refresh only what their own buttons touched, so linking a speaker left
the Participants table, the attribute filters and the frequencies stale until reopened. The calls
are coalesced: one recount per turn of the event loop, however many changes it made.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.services import document_service
from desktop_app.services.project_service import ProjectStore


class StudyChanges(QObject):
    changed = Signal()  # after one or more changes (coalesced)
    _noted = Signal()  # emitted by the journal's callback, from any thread: queued to ours

    def __init__(self, store: ProjectStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.changed)
        self._noted.connect(self._timer.start)
        self._unwatch = document_service.watch_changes(store, self._note)

    def _note(self) -> None:
        # A workspace deleted without shutdown() must not break the next change written to its study.
        if shiboken6.isValid(self):
            self._noted.emit()
        else:
            self._unwatch()

    def stop(self) -> None:
        """No more signals (the study is closing)."""
        self._unwatch()
        self._timer.stop()
