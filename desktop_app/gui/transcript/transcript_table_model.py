"""A document's turns as a Qt model: speaker, start time, text (editable), and what is painted on them.

The transcript editor shows it (a paragraph per row) and stores typing through ``setData``; the roles
give the played word, uncertain and overlapping words, and the codings touching each turn.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from desktop_app.core.document import SpeakerInfo
from desktop_app.core.text.text_anchoring import word_char_spans, word_index_at_time
from desktop_app.core.timecode import format_hms
from desktop_app.core.transcript import Segment, Word

Index = QModelIndex | QPersistentModelIndex
SPEAKER, TIME, TEXT = 0, 1, 2
SEGMENT_ROLE = Qt.ItemDataRole.UserRole + 1
HIGHLIGHT_ROLE = Qt.ItemDataRole.UserRole + 2  # (char start, char end) of the word being played
UNCERTAIN_ROLE = Qt.ItemDataRole.UserRole + 3  # [(char start, char end)] of low-confidence words
CODINGS_ROLE = Qt.ItemDataRole.UserRole + 4  # [CodingMark] of the codings touching the turn
OVERLAP_ROLE = Qt.ItemDataRole.UserRole + 5  # [(char start, char end)] of words in overlapping/unclear speech
LOW_CONFIDENCE = 0.5


class TranscriptTableModel(QAbstractTableModel):
    texts_edited = Signal(object)  # {segment id: new text}: typing in the editor, stored as one undo step

    def __init__(self) -> None:
        super().__init__()
        self.segments: list[Segment] = []
        self.speakers: dict[str, SpeakerInfo] = {}
        self._starts: list[float] = []
        self._current: tuple[int, int] | None = None  # row, word index
        self.coding_marks: dict[int, list[Any]] = {}  # segment id -> CodingMark list (gui.coding_highlights)
        self._spans: dict[int, tuple[Segment, str, list[tuple[int, int] | None]]] = {}  # row -> its words' spans

    def set_transcript(self, segments: list[Segment], speakers: dict[str, SpeakerInfo]) -> None:
        self.beginResetModel()
        self.segments = list(segments)
        self.speakers = dict(speakers)
        self._starts = [s.start for s in self.segments]
        self._current = None
        self._spans = {}
        self.endResetModel()

    def replace_segment(self, row: int, segment: Segment) -> None:
        self.segments[row] = segment
        self._starts[row] = segment.start
        self.dataChanged.emit(self.index(row, 0), self.index(row, TEXT))

    def set_coding_marks(self, marks: dict[int, list[Any]]) -> None:
        self.coding_marks = marks
        if self.segments:
            self.dataChanged.emit(self.index(0, TEXT), self.index(len(self.segments) - 1, TEXT), [CODINGS_ROLE])

    def row_at_time(self, seconds: float) -> int:
        return max(0, bisect.bisect_right(self._starts, seconds) - 1) if self.segments else -1

    def set_playhead(self, seconds: float) -> int:
        """Mark the word being played; returns its row (or -1)."""
        row = self.row_at_time(seconds)
        current = None
        if row >= 0:
            words = self.segments[row].words
            index = word_index_at_time(words, seconds)
            if index is not None and seconds <= words[index].end + 0.3:
                current = (row, index)
        if current != self._current:
            changed = {pair[0] for pair in (self._current, current) if pair is not None}
            self._current = current
            for r in changed:
                self.dataChanged.emit(self.index(r, TEXT), self.index(r, TEXT), [HIGHLIGHT_ROLE])
        return row

    def speaker_name(self, label: str | None) -> str:
        if label is None:
            return ""
        info = self.speakers.get(label)
        return info.name if info else label

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.segments)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        segment = self.segments[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (self.speaker_name(segment.speaker), format_hms(segment.start), segment.text)[column]
        if role == SEGMENT_ROLE:
            return segment
        if role == Qt.ItemDataRole.ForegroundRole and column == SPEAKER:
            return QBrush(QColor(self._speaker_color(segment.speaker)))
        if role == HIGHLIGHT_ROLE and column == TEXT:
            return self._highlight(index.row())
        if role == UNCERTAIN_ROLE and column == TEXT:
            return self._marked(index.row(), lambda w: not w.edited and w.probability < LOW_CONFIDENCE)
        if role == OVERLAP_ROLE and column == TEXT:
            return self._marked(index.row(), lambda w: w.overlap)
        if role == CODINGS_ROLE and column == TEXT:
            return self.coding_marks.get(segment.id or 0, [])
        if role == Qt.ItemDataRole.ToolTipRole and column == TEXT and self.coding_marks.get(segment.id or 0):
            from desktop_app.gui.coding.coding_highlights import tooltip

            return tooltip(self.coding_marks[segment.id or 0], segment.text)
        if role == Qt.ItemDataRole.ToolTipRole and column == TIME:
            return f"{format_hms(segment.start)} – {format_hms(segment.end)} (▶ plays the turn, Ctrl+click a word plays from it)"
        return None

    def set_texts(self, texts: dict[int, str]) -> None:
        """Typing from the editor, row -> text as typed: the rows that changed go out as one change."""
        edits = {
            segment.id: text
            for row, text in texts.items()
            if (segment := self.segments[row]).id is not None and " ".join(text.split()) != segment.text
        }
        if edits:
            self.texts_edited.emit(edits)

    def _speaker_color(self, label: str | None) -> str:
        from desktop_app.gui.common.speaker_colors import speaker_color

        info = self.speakers.get(label or "")
        return speaker_color(label, info.color if info else None, sorted(self.speakers))

    def _highlight(self, row: int) -> tuple[int, int] | None:
        if self._current is None or self._current[0] != row:
            return None
        spans = self._word_spans(row)
        return spans[self._current[1]] if self._current[1] < len(spans) else None

    def _word_spans(self, row: int) -> list[tuple[int, int] | None]:
        """Where each word of turn ``row`` stands in its text, worked out once per text (every paint asks)."""
        segment = self.segments[row]
        cached = self._spans.get(row)
        if cached is None or cached[0] is not segment or cached[1] != segment.text:
            cached = (segment, segment.text, word_char_spans(segment.text, segment.words))
            self._spans[row] = cached
        return cached[2]

    def _marked(self, row: int, marked: Callable[[Word], bool]) -> list[tuple[int, int]]:
        """Spans of the words of turn ``row`` that ``marked`` picks (uncertain, overlapping)."""
        words = self.segments[row].words
        return [
            span for word, span in zip(words, self._word_spans(row), strict=False) if span is not None and marked(word)
        ]
