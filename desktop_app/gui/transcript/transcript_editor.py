"""The transcript editor: one continuous text, a turn per paragraph, typed into while the audio plays.

The cursor moves freely across turns; typing, deleting, pasting and find work anywhere. Typing is
stored per turn through the model (journaled, words re-anchored, codings follow) a moment after the
typing pauses, when the cursor leaves the turn, when the editor loses focus, and before anything
reloads the transcript (``flush``), so nothing typed is ever lost. Enter splits the turn at the cursor,
Backspace at a turn's start merges it into the one before and Delete at its end merges the next one;
deleting a selection across turns keeps the turns. Playback never touches the text or the cursor: the
playing word is an extra selection, and following playback scrolls only while the cursor rests.
Ctrl+click plays from a word; speakers, times and ▶ sit in the left margin, coding stripes in the right.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData, QModelIndex, QPoint, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPaintEvent,
    QResizeEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QMenu, QTextEdit, QToolTip, QWidget

from desktop_app.core.coding import TextPosition
from desktop_app.core.text.span_tracking import Side
from desktop_app.core.text.text_anchoring import word_char_spans, word_index_at_offset
from desktop_app.core.transcript import Segment
from desktop_app.gui.coding.coding_highlights import tooltip
from desktop_app.gui.coding.span_drag import DraggedSpan, write_span
from desktop_app.gui.common.clipboard_handover import hand_clipboard_to_qt
from desktop_app.gui.transcript import turn_document as turns
from desktop_app.gui.transcript.editor_keys import handle_key
from desktop_app.gui.transcript.editor_margins import CodingStripes, SpeakerGutter
from desktop_app.gui.transcript.editor_painting import paint_text_marks
from desktop_app.gui.transcript.transcript_table_model import (
    CODINGS_ROLE,
    HIGHLIGHT_ROLE,
    TEXT,
    TranscriptTableModel,
)

Span = tuple[TextPosition, TextPosition, str]
PLAYING = QColor("#ffe58a")
LINE_BREAKS = re.compile("[\r\n\u2028\u2029\v\f]+")
COMMIT_AFTER_MS = 1000  # typing is stored this long after the last key
FOLLOW_IDLE_SECONDS = 4.0  # follow playback only when the cursor has rested this long


class TranscriptEditor(QTextEdit):
    word_clicked = Signal(float)  # seconds: play from this word (Ctrl+click, ▶)
    split_requested = Signal(int, int)  # row, stored offset: Enter
    merge_requested = Signal(int)  # row: merge it with the next turn (Backspace at a start, Delete at an end)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: TranscriptTableModel | None = None
        self.follow_playback = True
        self.follow_idle_seconds = FOLLOW_IDLE_SECONDS
        self.document_id_source: Callable[[], int | None] = lambda: None  # the open document, for dragged spans
        self.setAcceptRichText(False)
        hand_clipboard_to_qt()  # copied words must not outlive the app as Python objects (a crash on quit)
        self.setTabChangesFocus(True)
        self.setAcceptDrops(False)  # selected words are dragged out (onto codes), never moved inside
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)  # edit + coding (coding workbench)
        self.setPlaceholderText("No transcript yet: choose Transcribe above.")  # the workspace says more per document
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self._dirty: set[int] = set()
        self._building = False
        self._active_at = 0.0
        self._cursor_row = -1
        self._playing: tuple[int, int, int] | None = None  # row, stored start, end
        self._commit_timer = QTimer(self, singleShot=True, interval=COMMIT_AFTER_MS)
        self._commit_timer.timeout.connect(self.flush)
        self.gutter = SpeakerGutter(self, self)
        self.stripes = CodingStripes(self, self)
        self.document().contentsChange.connect(self._contents_changed)
        self.cursorPositionChanged.connect(self._cursor_moved)
        self.verticalScrollBar().valueChanged.connect(self._margins_update)
        # a line more or less in a turn moves the turns below it: the margins follow at once
        self.document().documentLayout().documentSizeChanged.connect(self._margins_follow)
        self._place_margins()

    # ----- the model ---------------------------------------------------------------------
    def setModel(self, model: TranscriptTableModel) -> None:  # noqa: N802 - like a Qt view
        self.model = model
        model.modelAboutToBeReset.connect(self.flush)
        model.modelReset.connect(self._rebuild)
        model.dataChanged.connect(self._data_changed)
        self._rebuild()

    @property
    def segments(self) -> list[Segment]:
        return self.model.segments if self.model is not None else []

    def _rebuild(self) -> None:
        """Show the model's turns, keeping the cursor on its turn and the scroll position when the turns are
        the same document's."""
        previous = self.segments[self._cursor_row].id if 0 <= self._cursor_row < len(self.segments) else None
        old_ids: set[int | None] = getattr(self, "_ids", set())
        cursor = self.textCursor()
        block = cursor.block()
        offset = cursor.position() - block.position()
        scroll = self.verticalScrollBar().value()
        self._building = True
        try:
            turns.fill(self.document(), self.segments)
        finally:
            self._building = False
        self._dirty.clear()
        self._playing = None
        self.setExtraSelections([])
        self._ids = {s.id for s in self.segments}
        row = next((r for r, s in enumerate(self.segments) if s.id == previous and s.id is not None), -1)
        if row >= 0 and old_ids & self._ids:
            block = self.document().findBlockByNumber(row)
            cursor.setPosition(block.position() + min(offset, block.length() - 1))
            self.setTextCursor(cursor)
            self.verticalScrollBar().setValue(scroll)
        else:
            self.moveCursor(QTextCursor.MoveOperation.Start)
        self._cursor_row = self.textCursor().blockNumber()
        self._margins_update()

    def _data_changed(self, top: QModelIndex, bottom: QModelIndex, roles: list[int] = []) -> None:  # noqa: B006
        if HIGHLIGHT_ROLE in roles:
            self._update_playing(top.row(), bottom.row())
        elif CODINGS_ROLE in roles:
            self._margins_update()
        else:
            for row in range(top.row(), bottom.row() + 1):
                self._sync_block(row)

    def _sync_block(self, row: int) -> None:
        """A turn changed in the store: show it, unless the block already says the same (our own save)."""
        if not 0 <= row < len(self.segments) or row >= self.document().blockCount():
            return
        block = self.document().findBlockByNumber(row)
        if not turns.is_stored(block, self.segments[row]) and row not in self._dirty:
            self._building = True
            try:
                turns.set_block_text(self.document(), row, self.segments[row].text)
            finally:
                self._building = False
        self._margins_update()

    # ----- storing typing ----------------------------------------------------------------
    def _contents_changed(self, position: int, _removed: int, added: int) -> None:
        if self._building:
            return
        first = self.document().findBlock(position).blockNumber()
        last = self.document().findBlock(position + added).blockNumber()
        self._dirty.update(r for r in range(first, last + 1) if r >= 0)
        self._commit_timer.start()

    def flush(self) -> None:
        """Store every turn with typing not stored yet (each one journaled, so Ctrl+Z undoes it)."""
        self._commit_timer.stop()
        model = self.model
        if model is None or not self._dirty:
            return
        rows, self._dirty = sorted(self._dirty), set()
        rows = [row for row in rows if row < len(model.segments) and row < self.document().blockCount()]
        model.set_texts({row: self.block(row).text() for row in rows})  # one undo step for them all
        for row in rows:
            if row != self.textCursor().blockNumber():
                self._sync_block(row)  # extra spaces typed in a turn the cursor left are tidied
        self._margins_update()

    def _cursor_moved(self) -> None:
        row = self.textCursor().blockNumber()
        if row != self._cursor_row:
            left, self._cursor_row = self._cursor_row, row
            if left in self._dirty:
                self.flush()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt API
        self.flush()
        super().focusOutEvent(event)

    # ----- positions ---------------------------------------------------------------------
    def current_row(self) -> int:
        return self.textCursor().blockNumber() if self.segments else -1

    def block(self, row: int) -> QTextBlock:
        return self.document().findBlockByNumber(row)

    def position_of(self, row: int, offset: int, side: Side = Side.START) -> int:
        """Document position of stored ``offset`` in turn ``row``."""
        return turns.typed_position(self.block(row), self.segments[row], offset, side)

    def cursor_offsets(self) -> tuple[int, int, int] | None:
        """The cursor's turn and its stored selection (or cursor) offsets within it, after storing typing."""
        self.flush()
        if not self.segments:
            return None
        cursor = self.textCursor()
        block = self.document().findBlock(cursor.selectionStart())
        end = min(cursor.selectionEnd(), block.position() + block.length() - 1)
        return block.blockNumber(), turns.stored_offset(block, cursor.selectionStart()), turns.stored_offset(block, end)

    def selected_span(self) -> Span | None:
        """The selected words, possibly across turns, as positions in the stored turns (None: no selection)."""
        cursor = self.textCursor()
        if not cursor.hasSelection() or not self.segments:
            return None
        self.flush()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        first, last = self.document().findBlock(start), self.document().findBlock(end)
        a, b = self.segments[first.blockNumber()], self.segments[last.blockNumber()]
        low, high = turns.stored_offset(first, start), turns.stored_offset(last, end)
        if first.blockNumber() == last.blockNumber():
            words = a.text[low:high]
        else:
            middle = [s.text for s in self.segments[first.blockNumber() + 1 : last.blockNumber()]]
            words = " ".join([a.text[low:], *middle, b.text[:high]])
        return TextPosition(a.id or 0, low), TextPosition(b.id or 0, high), words

    def select_range(self, first: int, low: int, last: int, high: int, *, center: bool = True) -> None:
        """Select stored ``low`` of turn ``first`` to ``high`` of turn ``last`` and bring it into view."""
        cursor = self.textCursor()
        cursor.setPosition(self.position_of(first, low))
        cursor.setPosition(self.position_of(last, high, Side.END), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        if center:
            self.center_row(first)

    def select_coding(self, coding_id: int) -> None:
        """Select the words a coding covers (it may run across turns)."""
        marks = self.model.coding_marks if self.model is not None else {}
        pieces = [
            (row, mark)
            for row, segment in enumerate(self.segments)
            for mark in marks.get(segment.id or 0, [])
            if mark.coding_id == coding_id
        ]
        if pieces:
            (first, start), (last, end) = pieces[0], pieces[-1]
            self.select_range(first, start.start, last, end.end, center=False)

    def place_cursor(self, row: int, offset: int = 0) -> None:
        if 0 <= row < len(self.segments):
            cursor = self.textCursor()
            cursor.setPosition(self.position_of(row, offset))
            self.setTextCursor(cursor)
            self.ensureCursorVisible()

    def center_row(self, row: int) -> None:
        rect = self.document().documentLayout().blockBoundingRect(self.block(row))
        bar = self.verticalScrollBar()
        bar.setValue(int(rect.top() - (self.viewport().height() - min(rect.height(), 200)) / 2))

    def reveal_row(self, row: int) -> None:
        """Follow playback: bring the played turn into view, unless the researcher is using the cursor."""
        resting = time.monotonic() - self._active_at > self.follow_idle_seconds
        if not self.follow_playback or row < 0 or not resting or self.textCursor().hasSelection():
            return
        rect = self.document().documentLayout().blockBoundingRect(self.block(row))
        top = self.verticalScrollBar().value()
        if rect.top() < top or rect.bottom() > top + self.viewport().height():
            self.verticalScrollBar().setValue(int(rect.top()) - self.viewport().height() // 4)

    def word_at(self, point: QPoint) -> tuple[int, float] | None:
        """The turn and start time of the word at viewport ``point``."""
        self.flush()
        position = self.cursorForPosition(point).position()
        block = self.document().findBlock(position)
        row = block.blockNumber()
        if not 0 <= row < len(self.segments) or not self.segments[row].words:
            return None
        segment = self.segments[row]
        index = word_index_at_offset(word_char_spans(segment.text, segment.words), turns.stored_offset(block, position))
        return (row, segment.words[index].start) if index is not None else None

    def marks_at(self, point: QPoint) -> tuple[str, list[object]] | None:
        position = self.cursorForPosition(point).position()
        block = self.document().findBlock(position)
        row = block.blockNumber()
        if self.model is None or not 0 <= row < len(self.segments):
            return None
        offset = turns.stored_offset(block, position)
        marks = [m for m in self.model.coding_marks.get(self.segments[row].id or 0, []) if m.start <= offset < m.end]
        return self.segments[row].text, list(marks)

    # ----- playback ----------------------------------------------------------------------
    def _update_playing(self, first: int, last: int) -> None:
        model = self.model
        if model is None:
            return
        found = None
        for row in range(first, last + 1):
            span = model.index(row, TEXT).data(HIGHLIGHT_ROLE)
            if span:
                found = (row, span[0], span[1])
        if found is None and self._playing is not None and not first <= self._playing[0] <= last:
            return
        self._playing = found
        self.show_playing()

    def show_playing(self) -> None:
        """The played word as an extra selection: painted over the text, never written into it."""
        if self._playing is None or self._playing[0] >= self.document().blockCount():
            self.setExtraSelections([])
            return
        row, low, high = self._playing
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.position_of(row, low))
        cursor.setPosition(self.position_of(row, high, Side.END), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(PLAYING)
        selection.format = fmt
        self.setExtraSelections([selection])

    # ----- keys and mouse ----------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo))
        ):
            event.ignore()  # the study's undo (Edit menu), not the text widget's
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        self._active_at = time.monotonic()
        if self.isReadOnly() or not handle_key(self, event):
            super().keyPressEvent(event)

    def remove_selection(self) -> None:
        cursor = self.textCursor()
        start = cursor.selectionStart()
        turns.remove_keeping_turns(self.document(), start, cursor.selectionEnd())
        cursor.setPosition(start)
        self._cursor_row = cursor.blockNumber()  # not "leaving a turn": the turns it touched are stored together
        self.setTextCursor(cursor)

    def cut(self) -> None:
        if self.textCursor().hasSelection() and not self.isReadOnly():
            self.copy()
            self.remove_selection()

    def edit_menu(self) -> QMenu:
        """Cut, copy, paste, select all: the right-click menu's first part (the coding part follows)."""
        menu = QMenu(self)
        has_selection = self.textCursor().hasSelection()
        for label, keys, slot, enabled in (
            ("Cu&t", QKeySequence.StandardKey.Cut, self.cut, has_selection and not self.isReadOnly()),
            ("&Copy", QKeySequence.StandardKey.Copy, self.copy, has_selection),
            ("&Paste", QKeySequence.StandardKey.Paste, self.paste, self.canPaste() and not self.isReadOnly()),
            ("Select &all", QKeySequence.StandardKey.SelectAll, self.selectAll, True),
        ):
            action = menu.addAction(label, slot)
            action.setShortcut(QKeySequence(keys))
            action.setEnabled(enabled)
        return menu

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt API
        """Paste as plain text into the turn at the cursor (line breaks become spaces: no stray turns)."""
        if not self.segments:
            return
        if self.textCursor().hasSelection():
            self.remove_selection()
        self.textCursor().insertText(LINE_BREAKS.sub(" ", source.text()))

    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802 - Qt API
        data = QMimeData()
        span = self.selected_span()
        document_id = self.document_id_source()
        if span is not None:
            data.setText(span[2])
            if document_id is not None:
                write_span(data, DraggedSpan(document_id, span[0], span[1], span[2]))
        return data

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self._active_at = time.monotonic()
        if event.button() == Qt.MouseButton.LeftButton and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            found = self.word_at(event.position().toPoint())
            if found is not None:
                self.word_clicked.emit(found[1])
            return
        super().mousePressEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.ToolTip:
            found = self.marks_at(event.pos())  # type: ignore[attr-defined]
            if found and found[1]:
                QToolTip.showText(event.globalPos(), tooltip(found[1], found[0]), self.viewport())  # type: ignore
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    # ----- painting ----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        if self.model is not None:
            paint_text_marks(self, event.rect())
        super().paintEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._place_margins()

    def setFont(self, font: object) -> None:  # noqa: N802 - Qt API
        super().setFont(font)  # type: ignore[arg-type]
        self._place_margins()

    def _place_margins(self) -> None:
        left, right = self.gutter.preferred_width(), self.stripes.preferred_width()
        self.setViewportMargins(left, 0, right, 0)
        area = self.contentsRect()
        self.gutter.setGeometry(area.left(), area.top(), left, area.height())
        scroll = self.verticalScrollBar().width() if self.verticalScrollBar().isVisible() else 0
        self.stripes.setGeometry(area.right() + 1 - right - scroll, area.top(), right, area.height())

    def _margins_update(self) -> None:
        self.gutter.update()
        self.stripes.update()
        self.viewport().update()

    def _margins_follow(self, _size: object) -> None:
        self.gutter.update()
        self.stripes.update()

    def visible_rows(self) -> list[tuple[int, QTextBlock, float, float]]:
        """Turns in view: row, block, top and bottom in viewport pixels."""
        layout = self.document().documentLayout()
        top = self.verticalScrollBar().value()
        height = self.viewport().height()
        position = layout.hitTest(QPointF(0, top), Qt.HitTestAccuracy.FuzzyHit)
        block = self.document().findBlock(max(0, position))
        rows = []
        while block.isValid():
            rect = layout.blockBoundingRect(block)
            if rect.top() - top > height:
                break
            rows.append((block.blockNumber(), block, rect.top() - top, rect.bottom() - top))
            block = block.next()
        return rows
