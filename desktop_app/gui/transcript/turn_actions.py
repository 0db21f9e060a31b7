"""Editing actions on turns: split at the cursor, merge with the next, change speaker, adjust times, and
insert a turn for talk the transcriber missed (typed by the researcher while listening to it).

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
from desktop_app.gui.media.media_player import MediaPlayer
from desktop_app.gui.transcript.insert_turn_dialog import NEW_SPEAKER, InsertTurnDialog
from desktop_app.gui.transcript.transcript_editor import TranscriptEditor
from desktop_app.gui.transcript.transcript_table_model import TranscriptTableModel
from desktop_app.services.speakers import speaker_service
from desktop_app.services.study.project_service import ProjectStore
from desktop_app.services.transcript import turn_service


class TurnActions:
    def __init__(
        self,
        parent: QWidget,
        store: ProjectStore,
        view: TranscriptEditor,
        model: TranscriptTableModel,
        reload: Callable[[], None],
        player: MediaPlayer,
        document: Callable[[], int | None],
    ) -> None:
        """``player``: where the playhead is, and playing a stretch; ``document``: the document shown."""
        self.parent, self.store, self.view, self.model, self.reload = parent, store, view, model, reload
        self.player, self.document = player, document
        self.split = self._action("Split turn at cursor", "Ctrl+Shift+Return", self.split_at_cursor)
        self.merge = self._action("Merge with next turn", "Ctrl+Shift+M", self.merge_next)
        self.speaker = self._action("Change speaker…", "Ctrl+Shift+P", self.change_speaker)
        self.times = self._action("Adjust turn times…", "Ctrl+Shift+T", self.adjust_times)
        self.insert = self._action("Insert turn…", "Ctrl+Shift+I", self.insert_turn)
        self.insert.setStatusTip("Type a turn for talk the transcriber wrote nothing for, where the playhead is")
        self.insert_dialog: InsertTurnDialog | None = None
        self.all = [self.split, self.merge, self.speaker, self.times, self.insert]
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
        labels = self._labels()
        names = [f"{self.model.speaker_name(label)} ({label})" for label in labels] + [NEW_SPEAKER]
        choice, ok = QInputDialog.getItem(self.parent, "Change speaker", "Speaker:", names, 0, False)
        if not ok:
            return
        label = labels[names.index(choice)] if choice != NEW_SPEAKER else self._new_label(labels)
        stretch = (low, high) if low != high else None
        self._run(lambda sid: turn_service.set_speaker(self.store, sid, label, stretch), row, (row, low))

    def _labels(self) -> list[str]:
        """The document's speaker labels, to choose from."""
        return sorted(self.model.speakers) or sorted({s.speaker for s in self.model.segments if s.speaker})

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

    def insert_turn(self) -> None:
        """Insert turn…: at the playhead, or on the talk without words heard there (a voice with no turn)."""
        self.view.flush()
        document_id = self.document()
        if document_id is None:
            return
        position, duration = self.player.position, self.player.duration or None
        labels = self._labels()
        row = self._row()
        speaker = self.model.segments[row].speaker if 0 <= row < len(self.model.segments) else None
        span = (position, min(position + 2.0, duration) if duration else position + 2.0)
        talk = speaker_service.wordless_talk(self.store, document_id, labels, self.model.segments)
        near = [(max(0.0, start - position, position - end), start, end, label) for start, end, label in talk]
        if near and (nearest := min(near))[0] <= _NEAR:  # the talk without words at the playhead, or just by it
            _, start, end, speaker = nearest
            span = (start, end)
        dialog = InsertTurnDialog(
            self.parent, [(x, self.model.speaker_name(x)) for x in labels], speaker, span, duration
        )
        dialog.play_requested.connect(self.player.play_span)
        dialog.accepted.connect(lambda: self._insert(document_id, dialog, labels))
        self.insert_dialog = dialog
        dialog.open()

    def _insert(self, document_id: int, dialog: InsertTurnDialog, labels: list[str]) -> None:
        label = dialog.chosen_speaker() or self._new_label(labels)
        start, end = dialog.span()
        try:
            turn_id = turn_service.insert_turn(self.store, document_id, start, end, dialog.said(), label)
        except VerbatimError as exc:
            show_error(self.parent, exc)
            return
        self.reload()
        rows = [i for i, s in enumerate(self.model.segments) if s.id == turn_id]
        if rows:
            self.view.place_cursor(rows[0], len(self.model.segments[rows[0]].text))


_NEAR = 3.0  # seconds from the playhead within which talk without words is offered to Insert turn
