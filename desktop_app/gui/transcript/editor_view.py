"""What the editor's helpers (margins, painted marks, turn keys) use of the transcript editor.

``TranscriptEditor`` builds its margins and hands itself to the painting and key functions; they in
turn need its turns, geometry and signals. Naming that narrow surface here, below both, lets the
helpers be type-checked against it without importing the editor that imports them (no import cycle),
and shows at a glance what a helper may touch. ``TranscriptEditor`` satisfies it structurally.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import SignalInstance
from PySide6.QtGui import QFont, QTextBlock, QTextCursor, QTextDocument
from PySide6.QtWidgets import QScrollBar, QWidget

from desktop_app.core.text.span_tracking import Side
from desktop_app.core.transcript import Segment
from desktop_app.gui.transcript.transcript_table_model import TranscriptTableModel


class EditorView(Protocol):
    """The transcript editor as its margins, painting and key handling see it."""

    # its turns
    @property
    def model(self) -> TranscriptTableModel | None: ...
    @property
    def segments(self) -> list[Segment]: ...

    # what the user asks of it
    @property
    def word_clicked(self) -> SignalInstance: ...  # seconds: play from there
    @property
    def split_requested(self) -> SignalInstance: ...  # row, stored offset
    @property
    def merge_requested(self) -> SignalInstance: ...  # row: merge with the next turn

    # where the turns are on screen
    def block(self, row: int) -> QTextBlock: ...
    def position_of(self, row: int, offset: int, side: Side = Side.START) -> int: ...
    def visible_rows(self) -> list[tuple[int, QTextBlock, float, float]]: ...
    def cursor_offsets(self) -> tuple[int, int, int] | None: ...

    # what the helpers do to it
    def place_cursor(self, row: int, offset: int = 0) -> None: ...
    def select_coding(self, coding_id: int) -> None: ...
    def flush(self) -> None: ...
    def remove_selection(self) -> None: ...

    # the QTextEdit underneath
    def textCursor(self) -> QTextCursor: ...
    def document(self) -> QTextDocument: ...
    def cut(self) -> None: ...
    def font(self) -> QFont: ...
    def viewport(self) -> QWidget: ...
    def verticalScrollBar(self) -> QScrollBar: ...
    def horizontalScrollBar(self) -> QScrollBar: ...
    def setFocus(self) -> None: ...


__all__ = ["EditorView"]
