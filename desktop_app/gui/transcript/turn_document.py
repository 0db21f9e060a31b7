"""The transcript as one text document: a block per turn, and positions between blocks and stored turns.

Block ``i`` holds turn ``i``'s text exactly as the researcher typed it (nothing else: speaker and time
are painted beside it), so the cursor, selections and find work on plain text while word timings and
codings stay positions in the stored turn. A block with typing not yet stored differs from the stored
text; positions are carried across that difference with the span-tracking diff.
"""

from __future__ import annotations

from PySide6.QtGui import QTextBlock, QTextBlockFormat, QTextCursor, QTextDocument

from desktop_app.core.text.span_tracking import Side, edits_between, map_offset
from desktop_app.core.text.text_offsets import codepoint_to_utf16, utf16_to_codepoint
from desktop_app.core.text.typed_text import normalize, to_stored
from desktop_app.core.transcript import Segment

TURN_SPACING = 6  # pixels above each turn


def fill(document: QTextDocument, segments: list[Segment]) -> None:
    """Replace the document's text with one block per turn (its undo stack stays off: the study journals).

    One insertion into a block already spaced: the new blocks inherit its format, which is several
    times faster on 1,500 turns than formatting them after ``setPlainText``.
    """
    document.setUndoRedoEnabled(False)
    document.clear()
    cursor = QTextCursor(document)
    spaced = QTextBlockFormat()
    spaced.setTopMargin(TURN_SPACING)
    cursor.setBlockFormat(spaced)
    cursor.insertText("\n".join(s.text for s in segments))


def set_block_text(document: QTextDocument, row: int, text: str) -> None:
    """Replace one block's text (a turn changed elsewhere: undo, replace, another window)."""
    block = document.findBlockByNumber(row)
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText(text)


def typed_position(block: QTextBlock, segment: Segment, offset: int, side: Side = Side.START) -> int:
    """Document (UTF-16) position of stored code-point ``offset`` of ``segment`` shown in ``block``."""
    typed = block.text()
    if typed != segment.text:
        offset = map_offset(offset, edits_between(segment.text, typed), side)
    return block.position() + codepoint_to_utf16(typed, offset)


def stored_offset(block: QTextBlock, position: int) -> int:
    """Stored code-point offset of document ``position`` in ``block`` (whose typing is stored)."""
    typed = block.text()
    return to_stored(typed, utf16_to_codepoint(typed, position - block.position()))


def is_stored(block: QTextBlock, segment: Segment) -> bool:
    return normalize(block.text()) == segment.text


def remove_keeping_turns(document: QTextDocument, start: int, end: int) -> None:
    """Delete ``[start, end)`` but not the breaks between turns: each turn loses its selected part only."""
    first = document.findBlock(start).blockNumber()
    last = document.findBlock(end).blockNumber()
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    for row in range(last, first - 1, -1):
        block = document.findBlockByNumber(row)
        low = max(start, block.position())
        high = min(end, block.position() + block.length() - 1)
        if low < high:
            cursor.setPosition(low)
            cursor.setPosition(high, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
    cursor.endEditBlock()
