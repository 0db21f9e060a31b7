"""The transcript editor: turns in a table, the played word highlighted, click a word to play from it.

Text is corrected in place (double-click, F2 or just start typing); Enter saves the turn. While
typing, the playback shortcuts keep working, and Esc saves and plays/pauses rather than
throwing the typing away.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop_app.core.coding import TextPosition
from desktop_app.core.text_anchoring import word_char_spans, word_index_at_offset
from desktop_app.core.text_offsets import utf16_range_to_codepoints
from desktop_app.gui.coding.coding_highlights import CODING_MARGIN, paint_marks
from desktop_app.gui.coding.span_drag import DraggedSpan, write_span
from desktop_app.gui.transcript.transcript_table_model import (
    CODINGS_ROLE,
    HIGHLIGHT_ROLE,
    OVERLAP_ROLE,
    SEGMENT_ROLE,
    TEXT,
    UNCERTAIN_ROLE,
)

Index = QModelIndex | QPersistentModelIndex
HIGHLIGHT = QColor("#ffe58a")
PADDING = 4


def _document(text: str, option: QStyleOptionViewItem, width: int) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultFont(option.font)
    doc.setDocumentMargin(PADDING)
    doc.setPlainText(text)
    doc.setTextWidth(max(40, width - CODING_MARGIN))  # the margin holds the coding bars
    return doc


def _format_range(doc: QTextDocument, span: tuple[int, int], fmt: QTextCharFormat) -> None:
    from desktop_app.core.text_offsets import codepoint_to_utf16

    text = doc.toPlainText()
    cursor = QTextCursor(doc)
    cursor.setPosition(codepoint_to_utf16(text, span[0]))
    cursor.setPosition(codepoint_to_utf16(text, span[1]), QTextCursor.MoveMode.KeepAnchor)
    cursor.mergeCharFormat(fmt)


class TurnEditor(QPlainTextEdit):
    """A turn's text editor whose dragged selection also carries the span, so it can be dropped on a code."""

    def __init__(self, parent: QWidget, view: TranscriptView, index: Index) -> None:
        super().__init__(parent)
        self.view = view
        self.index = QPersistentModelIndex(index)

    def dragged_span(self) -> DraggedSpan | None:
        """The selection as a span of the saved turn (None with unsaved corrections or no open document)."""
        segment = self.index.data(SEGMENT_ROLE)
        document_id = self.view.document_id_source()
        cursor = self.textCursor()
        text = self.toPlainText()
        if segment is None or segment.id is None or document_id is None or not cursor.hasSelection():
            return None
        if text != segment.text:
            return None
        start, end = utf16_range_to_codepoints(text, cursor.selectionStart(), cursor.selectionEnd())
        return DraggedSpan(document_id, TextPosition(segment.id, start), TextPosition(segment.id, end), text[start:end])

    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802 - Qt API
        data = super().createMimeDataFromSelection()
        span = self.dragged_span()
        if span is not None:
            write_span(data, span)
        return data


class TurnTextDelegate(QStyledItemDelegate):
    def __init__(self, view: TranscriptView) -> None:
        super().__init__(view)
        self.view = view
        self.on_escape: Callable[[], None] | None = None
        self._heights: dict[tuple[str, int, str], int] = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        text = option.text
        option.text = ""
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        doc = _document(text, option, option.rect.width())
        uncertain = QTextCharFormat()
        uncertain.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        uncertain.setUnderlineColor(QColor("#b07a00"))
        for span in index.data(UNCERTAIN_ROLE) or []:
            _format_range(doc, span, uncertain)
        overlap = QTextCharFormat()  # speaker uncertain (overlapping talk): a wavy line, subtle blue
        overlap.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        overlap.setUnderlineColor(QColor("#5b8bd6"))
        for span in index.data(OVERLAP_ROLE) or []:
            _format_range(doc, span, overlap)
        highlight = index.data(HIGHLIGHT_ROLE)
        if highlight:
            current = QTextCharFormat()
            current.setBackground(HIGHLIGHT)
            _format_range(doc, highlight, current)
        painter.save()
        painter.translate(option.rect.topLeft())
        context = QAbstractTextDocumentLayout.PaintContext()
        paint_marks(painter, doc, index.data(CODINGS_ROLE) or [], option.rect.width())
        if option.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(context.palette.ColorRole.Text, option.palette.highlightedText().color())
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 - Qt API
        width = self.view.columnWidth(TEXT)
        return QSize(width, self.height_for(str(index.data(Qt.ItemDataRole.DisplayRole) or ""), width))

    def height_for(self, text: str, width: int) -> int:
        """Wrapped height from font metrics (fast enough for thousands of turns), cached per text and width."""
        font = self.view.font()
        key = (text, width, font.key())
        height = self._heights.get(key)
        if height is None:
            metrics = QFontMetrics(font)
            flags = int(Qt.TextFlag.TextWordWrap)
            bounds = metrics.boundingRect(
                QRect(0, 0, max(40, width - CODING_MARGIN - 2 * PADDING - 6), 1_000_000), flags, text
            )
            height = bounds.height() + 2 * PADDING + metrics.descent()
            if len(self._heights) > 20_000:
                self._heights.clear()
            self._heights[key] = height
        return height

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        editor = TurnEditor(parent, self.view, index)
        editor.setTabChangesFocus(True)
        editor.installEventFilter(self)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802 - Qt API
        assert isinstance(editor, QPlainTextEdit)
        editor.setPlainText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.moveCursor(QTextCursor.MoveOperation.End)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QPlainTextEdit)
        model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if isinstance(editor, QPlainTextEdit) and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
                if self.on_escape:
                    self.on_escape()
                return True
        return super().eventFilter(editor, event)


class TranscriptView(QTableView):
    word_clicked = Signal(float)  # seconds: play from this word

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text_delegate = TurnTextDelegate(self)
        self.setItemDelegateForColumn(TEXT, self.text_delegate)
        self.setWordWrap(True)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)  # Shift+click: code several turns
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.verticalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().sectionResized.connect(lambda *_: self._fit())
        self.follow_playback = True
        # the open document, for the span a drag of selected words carries (set by the coding workbench)
        self.document_id_source: Callable[[], int | None] = lambda: None

    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802 - Qt API
        super().setModel(model)
        if model is not None:
            model.modelReset.connect(self._fit)
            model.dataChanged.connect(lambda tl, br, roles=(): self._row_changed(tl.row(), roles))
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(0, 150)
        self.setColumnWidth(1, 80)

    def _fit(self) -> None:
        """Set every row's height from its text in one pass (resizeRowsToContents asks every cell: slow)."""
        model = self.model()
        if model is None:
            return
        width = self.columnWidth(TEXT)
        header = self.verticalHeader()
        for row in range(model.rowCount()):
            text = str(model.index(row, TEXT).data(Qt.ItemDataRole.DisplayRole) or "")
            header.resizeSection(row, self.text_delegate.height_for(text, width))

    def _row_changed(self, row: int, roles: list[int]) -> None:
        model = self.model()
        if model is not None and (not roles or Qt.ItemDataRole.DisplayRole in roles):
            text = str(model.index(row, TEXT).data(Qt.ItemDataRole.DisplayRole) or "")
            self.verticalHeader().resizeSection(row, self.text_delegate.height_for(text, self.columnWidth(TEXT)))

    def reveal_row(self, row: int) -> None:
        if self.follow_playback and row >= 0 and self.state() != QAbstractItemView.State.EditingState:
            self.scrollTo(self.model().index(row, TEXT), QAbstractItemView.ScrollHint.EnsureVisible)

    def offset_at(self, index: QModelIndex, point: QPointF) -> int | None:
        """The code-point offset in the turn's text under ``point`` (viewport coordinates)."""
        rect = self.visualRect(index)
        option = QStyleOptionViewItem()
        option.font = self.font()
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        doc = _document(text, option, rect.width())
        position = doc.documentLayout().hitTest(point - QPointF(rect.topLeft()), Qt.HitTestAccuracy.FuzzyHit)
        if position < 0:
            return None
        from desktop_app.core.text_offsets import utf16_to_codepoint

        return utf16_to_codepoint(text, position)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        super().mouseReleaseEvent(event)
        index = self.indexAt(event.position().toPoint())
        if event.button() != Qt.MouseButton.LeftButton or not index.isValid() or index.column() != TEXT:
            return
        segment = index.data(SEGMENT_ROLE)
        offset = self.offset_at(index, event.position())
        if segment is None or offset is None or not segment.words:
            return
        word = word_index_at_offset(word_char_spans(segment.text, segment.words), offset)
        if word is not None:
            self.word_clicked.emit(segment.words[word].start)
