"""One signal for "the study changed": every view that shows counts listens to it and recounts.

The study's edit journal calls back after each action, undo and redo, from whichever part of the
GUI made it. Panels used to refresh only what their own buttons touched, so linking a speaker left
the Participants table, the attribute filters and the frequencies stale until reopened. The calls
are coalesced: one recount per turn of the event loop, however many changes it made, and
``tables`` says which of the study's tables that burst changed, so a view whose data lies elsewhere
need not count again (a typing pause stores a turn; it renames no code and adds no participant).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.services.study import document_service
from desktop_app.services.study.project_service import ProjectStore

# What each kind of view reads, by table. The transcript's text lives in segments and words (typing,
# splitting and merging turns write only these, the English beside them, and the codings that follow).
TEXT = frozenset({"segments", "words", "translations", "pseudonym_skips"})
SPEAKER_DATA = frozenset({"segments", "words", "speakers", "participants"})  # time, word share, names, links
NOT_PEOPLE = TEXT | {"codings", "codes", "memos"}  # participants and their attributes lie elsewhere
NOT_CODE_COUNTS = TEXT | {"memos"}  # codings per code and documents per code


class StudyChanges(QObject):
    changed = Signal()  # after one or more changes (coalesced); ``tables`` holds what they changed
    _noted = Signal(object)  # emitted by the journal's callback, from any thread: queued to ours

    ALL: frozenset[str] = frozenset({"*"})  # "everything may have changed" (a caller's own refresh)

    def __init__(self, store: ProjectStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._emit)
        self._noted.connect(self._collect)
        self._pending: set[str] = set()
        self.tables: frozenset[str] = self.ALL  # the tables changed by the burst ``changed`` was emitted for
        self._unwatch = document_service.watch_changes(store, self._note)

    def touches(self, names: frozenset[str] | set[str]) -> bool:
        """Whether the latest burst changed any of the tables ``names`` (or may have changed anything)."""
        return "*" in self.tables or not self.tables.isdisjoint(names)

    def only(self, names: frozenset[str] | set[str]) -> bool:
        """Whether the latest burst changed nothing but tables among ``names``."""
        return "*" not in self.tables and self.tables <= names

    def _note(self, tables: frozenset[str]) -> None:
        # A workspace deleted without shutdown() must not break the next change written to its study.
        if shiboken6.isValid(self):
            self._noted.emit(tables)
        else:
            self._unwatch()

    def _collect(self, tables: frozenset[str]) -> None:
        self._pending |= tables
        self._timer.start()

    def _emit(self) -> None:
        self.tables, self._pending = frozenset(self._pending), set()
        self.changed.emit()

    def stop(self) -> None:
        """No more signals (the study is closing)."""
        self._unwatch()
        self._timer.stop()
