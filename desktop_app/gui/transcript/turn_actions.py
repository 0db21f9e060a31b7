"""Editing actions on turns: split at the cursor, merge with the next, change speaker, adjust times.

They work on the turn holding the editor's cursor (or selection), store any typing first, and go
through the journaled turn service. The editor's Enter, Backspace at a turn's start and Delete at its
end come here too, so the structure of the transcript changes only through these undoable steps.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QInputDialog, QWidget

from desktop_app.core.errors import VerbatimError
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.transcript.transcript_editor import TranscriptEditor
from desktop_app.gui.transcript.transcript_table_model import TranscriptTableModel
from desktop_app.services.study.project_service import ProjectStore
from desktop_app.services.transcript import turn_service

NEW_SPEAKER = "New speaker…"


class TurnActions:
    def __init__(
        self,
        parent: QWidget,
        store: ProjectStore,
        view: TranscriptEditor,
        model: TranscriptTableModel,
        reload: Callable[[], None],
    ) -> None:
        self.parent, self.store, self.view, self.model, self.reload = parent, store, view, model, reload
        self.split = self._action("Split turn at cursor", "Ctrl+Shift+Return", self.split_at_cursor)
        self.merge = self._action("Merge with next turn", "Ctrl+Shift+M", self.merge_next)
        self.speaker = self._action("Change speaker…", "Ctrl+Shift+P", self.change_speaker)
        self.times = self._action("Adjust turn times…", "Ctrl+Shift+T", self.adjust_times)
        self.all = [self.split, self.merge, self.speaker, self.times]
        view.split_requested.connect(self._split)
        view.merge_requested.connect(self._merge)

    def _action(self, text: str, keys: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self.parent)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        self.parent.addAction(action)
        return action

    def _row(self) -> int:
        return self.view.current_row()

    def _segment_id(self, row: int | None = None) -> int | None:
        row = self._row() if row is None else row
        return self.model.segments[row].id if 0 <= row < len(self.model.segments) else None

    def _run(self, work: Callable[[int], object], row: int, cursor_after: tuple[int, int] | None = None) -> None:
        segment_id = self._segment_id(row)
        if segment_id is None:
            return
        try:
            work(segment_id)
        except VerbatimError as exc:
            show_error(self.parent, exc)
            return
        self.reload()
        if cursor_after is not None:
            self.view.place_cursor(*cursor_after)

    def split_at_cursor(self) -> None:
        offsets = self.view.cursor_offsets()
        if offsets is None:
            show_error(self.parent, VerbatimError(None, "Put the text cursor where the new turn should start"))
            return
        self._split(offsets[0], offsets[1])

    def _split(self, row: int, offset: int) -> None:
        self._run(lambda sid: turn_service.split_turn(self.store, sid, offset), row, (row + 1, 0))

    def merge_next(self) -> None:
        offsets = self.view.cursor_offsets()
        if offsets is not None:
            self._merge(offsets[0])

    def _merge(self, row: int) -> None:
        """Merge turn ``row`` with the next; the cursor goes where they join."""
        if not 0 <= row < len(self.model.segments) - 1:
            return
        join = len(self.model.segments[row].text) + 1
        self._run(lambda sid: turn_service.merge_with_next(self.store, sid), row, (row, join))

    def change_speaker(self) -> None:
        offsets = self.view.cursor_offsets()
        if offsets is None:
            return
        row, low, high = offsets
        labels = sorted(self.model.speakers) or sorted({s.speaker for s in self.model.segments if s.speaker})
        names = [f"{self.model.speaker_name(label)} ({label})" for label in labels] + [NEW_SPEAKER]
        choice, ok = QInputDialog.getItem(self.parent, "Change speaker", "Speaker:", names, 0, False)
        if not ok:
            return
        label = labels[names.index(choice)] if choice != NEW_SPEAKER else self._new_label(labels)
        stretch = (low, high) if low != high else None
        self._run(lambda sid: turn_service.set_speaker(self.store, sid, label, stretch), row, (row, low))

    @staticmethod
    def _new_label(labels: list[str]) -> str:
        numbers = [int(x[1:]) for x in labels if x[1:].isdigit()]
        return f"S{max(numbers, default=0) + 1}"

    def adjust_times(self) -> None:
        self.view.flush()
        row = self._row()
        if not 0 <= row < len(self.model.segments):
            return
        segment = self.model.segments[row]
        dialog = QDialog(self.parent)
        dialog.setWindowTitle("Adjust turn times")
        start, end = QDoubleSpinBox(), QDoubleSpinBox()
        for box, value in ((start, segment.start), (end, segment.end)):
            box.setRange(0.0, 10_000_000.0)
            box.setDecimals(2)
            box.setSuffix(" s")
            box.setValue(value)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form = QFormLayout(dialog)
        form.addRow("Start", start)
        form.addRow("End", end)
        form.addRow(buttons)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run(lambda sid: turn_service.set_times(self.store, sid, start.value(), end.value()), row, (row, 0))
