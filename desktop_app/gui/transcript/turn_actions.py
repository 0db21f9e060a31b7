"""Editing actions on turns: split at the cursor, merge with the next, change speaker, adjust times.

They work on the turn being edited (the cursor or selection in the open cell editor) or on the
selected turn, save any typing first, and go through the journaled turn service.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QInputDialog,
    QPlainTextEdit,
    QWidget,
)

from desktop_app.core.errors import VerbatimError
from desktop_app.core.text_offsets import utf16_to_codepoint
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.transcript.transcript_table_model import TEXT, TranscriptTableModel
from desktop_app.gui.transcript.transcript_view import TranscriptView
from desktop_app.services import turn_service
from desktop_app.services.project_service import ProjectStore

NEW_SPEAKER = "New speaker…"


class TurnActions:
    def __init__(
        self,
        parent: QWidget,
        store: ProjectStore,
        view: TranscriptView,
        model: TranscriptTableModel,
        reload: Callable[[], None],
    ) -> None:
        self.parent, self.store, self.view, self.model, self.reload = parent, store, view, model, reload
        self.split = self._action("Split turn at cursor", "Ctrl+Shift+Return", self.split_at_cursor)
        self.merge = self._action("Merge with next turn", "Ctrl+Shift+M", self.merge_next)
        self.speaker = self._action("Change speaker…", "Ctrl+Shift+P", self.change_speaker)
        self.times = self._action("Adjust turn times…", "Ctrl+Shift+T", self.adjust_times)
        self.all = [self.split, self.merge, self.speaker, self.times]

    def _action(self, text: str, keys: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self.parent)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        self.parent.addAction(action)
        return action

    def _editor(self) -> QPlainTextEdit | None:
        widget = QApplication.focusWidget()
        return widget if isinstance(widget, QPlainTextEdit) and self.view.isAncestorOf(widget) else None

    def _row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def _segment_id(self) -> int | None:
        row = self._row()
        return self.model.segments[row].id if 0 <= row < len(self.model.segments) else None

    def _save_typing(self) -> tuple[int, int] | None:
        """Commit the open editor; return its cursor (or selection) in code points of the saved text."""
        editor = self._editor()
        if editor is None:
            return None
        text, cursor = editor.toPlainText(), editor.textCursor()
        span = (utf16_to_codepoint(text, cursor.selectionStart()), utf16_to_codepoint(text, cursor.selectionEnd()))
        self.view.commitData(editor)
        self.view.closeEditor(editor, self.view.text_delegate.EndEditHint.NoHint)
        saved = self.model.segments[self._row()].text
        shift = len(text) - len(text.lstrip())  # the store collapses whitespace; keep the cursor on its word
        return max(0, min(span[0] - shift, len(saved))), max(0, min(span[1] - shift, len(saved)))

    def _run(self, work: Callable[[int], object], row_after: int | None = None) -> None:
        segment_id = self._segment_id()
        if segment_id is None:
            return
        try:
            work(segment_id)
        except VerbatimError as exc:
            show_error(self.parent, exc)
            return
        self.reload()
        if row_after is not None and 0 <= row_after < self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(row_after, TEXT))

    def split_at_cursor(self) -> None:
        span = self._save_typing()
        if span is None:
            show_error(self.parent, VerbatimError(None, "Put the text cursor where the new turn should start"))
            return
        self._run(lambda sid: turn_service.split_turn(self.store, sid, span[0]), self._row() + 1)

    def merge_next(self) -> None:
        self._save_typing()
        self._run(lambda sid: turn_service.merge_with_next(self.store, sid), self._row())

    def change_speaker(self) -> None:
        span = self._save_typing()
        labels = sorted(self.model.speakers) or sorted({s.speaker for s in self.model.segments if s.speaker})
        names = [f"{self.model.speaker_name(label)} ({label})" for label in labels] + [NEW_SPEAKER]
        choice, ok = QInputDialog.getItem(self.parent, "Change speaker", "Speaker:", names, 0, False)
        if not ok:
            return
        label = labels[names.index(choice)] if choice != NEW_SPEAKER else self._new_label(labels)
        stretch = span if span is not None and span[0] != span[1] else None
        self._run(lambda sid: turn_service.set_speaker(self.store, sid, label, stretch), self._row())

    @staticmethod
    def _new_label(labels: list[str]) -> str:
        numbers = [int(x[1:]) for x in labels if x[1:].isdigit()]
        return f"S{max(numbers, default=0) + 1}"

    def adjust_times(self) -> None:
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
            self._run(lambda sid: turn_service.set_times(self.store, sid, start.value(), end.value()), row)
