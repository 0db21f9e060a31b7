"""Keys that would change the turns' structure, turned into turn actions instead of stray paragraphs.

A turn is a paragraph of the editor, so a plain text widget would let Enter make a paragraph without
a speaker or times, Backspace at a turn's start glue two speakers' words together unnoticed, and a
selection across turns typed over swallow whole turns. Here Enter splits the turn (the new one keeps
the speaker and gets its words' times), Backspace at a start and Delete at an end merge the turns (the
turn service, one undoable step), and a selection across turns loses only its text, keeping the turns.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

from desktop_app.gui.transcript.editor_view import EditorView

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_BACK = (QKeySequence.StandardKey.DeleteStartOfWord,)
_FORWARD = (QKeySequence.StandardKey.Delete, QKeySequence.StandardKey.DeleteEndOfWord)


def _is_back(event: QKeyEvent) -> bool:
    return event.key() == Qt.Key.Key_Backspace or any(event.matches(k) for k in _BACK)


def _is_forward(event: QKeyEvent) -> bool:
    return any(event.matches(k) for k in _FORWARD)


def _across_turns(editor: EditorView) -> bool:
    cursor = editor.textCursor()
    document = editor.document()
    return cursor.hasSelection() and (
        document.findBlock(cursor.selectionStart()).blockNumber()
        != document.findBlock(cursor.selectionEnd()).blockNumber()
    )


def handle_key(editor: EditorView, event: QKeyEvent) -> bool:
    """Handle ``event`` if it touches a turn boundary; False lets the text widget handle it as usual."""
    if not editor.segments:
        return event.text() != "" or event.key() in _ENTER  # nothing to type into without turns
    if event.matches(QKeySequence.StandardKey.Cut):
        editor.cut()
        return True
    if event.key() in _ENTER and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
        offsets = editor.cursor_offsets()
        if offsets is not None:
            editor.split_requested.emit(offsets[0], offsets[1])
        return True
    if _across_turns(editor):
        if _is_back(event) or _is_forward(event):
            editor.remove_selection()
            return True
        if event.text() and event.text().isprintable():
            editor.remove_selection()
        return False
    cursor = editor.textCursor()
    if cursor.hasSelection():
        return False
    row, at = cursor.blockNumber(), cursor.positionInBlock()
    if _is_back(event) and at == 0:
        if row > 0:
            editor.flush()
            editor.merge_requested.emit(row - 1)
        return True
    if _is_forward(event) and at == cursor.block().length() - 1:
        if row < len(editor.segments) - 1:
            editor.flush()
            editor.merge_requested.emit(row)
        return True
    return False
