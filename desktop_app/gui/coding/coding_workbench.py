"""Coding in the workspace: the codebook and extracts panels, and coding the transcript's selection.

"Code selection" (Ctrl+K, toolbar, right-click) applies the current code to the words selected in the
transcript editor, within a turn or across turns (the editor gives them as positions in the stored
turns); words dragged from the editor onto a code are coded with that code. Every coding records the
coder's name. The editor's right-click menu (cut, copy, paste, then coding) also sets a nearby
coding's extent to the selection, or stretches it to include the selection.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QSplitter, QWidget

from desktop_app.core.coding import Coding, TextPosition
from desktop_app.core.errors import VerbatimError
from desktop_app.gui.coding.codebook_panel import CodebookPanel
from desktop_app.gui.coding.coder_name_dialog import coder_name
from desktop_app.gui.coding.coding_highlights import marks_by_segment
from desktop_app.gui.coding.coding_host import CodingHost
from desktop_app.gui.coding.extracts_panel import ExtractsPanel
from desktop_app.gui.coding.span_drag import DraggedSpan
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.common.slots import call
from desktop_app.gui.transcript.transcript_editor import TranscriptEditor
from desktop_app.gui.transcript.transcript_table_model import TranscriptTableModel
from desktop_app.services.coding import coding_service

Span = tuple[TextPosition, TextPosition, str]  # start, end, the selected text
IN_VIVO_MAX = 60
NEARBY_TURNS = 2  # codings this many turns from the selection can be stretched to it


class CodingWorkbench(QObject):
    """Owns the coding panels and actions of one study workspace (``workspace``: a StudyWorkspace)."""

    def __init__(self, workspace: QWidget) -> None:
        super().__init__(workspace)
        assert isinstance(workspace, CodingHost), "the study workspace"
        self.ws = workspace
        self.store = workspace.store
        self.view: TranscriptEditor = workspace.view
        self.model: TranscriptTableModel = workspace.transcript
        self.codebook = CodebookPanel(self.store)
        self.extracts = ExtractsPanel(self.store)
        self.panel = QSplitter(Qt.Orientation.Vertical)
        self.panel.addWidget(self.codebook)
        self.panel.addWidget(self.extracts)
        self.panel.setSizes([380, 320])
        self.code_action = self._action("Code selection", "Ctrl+K", lambda: self.code_selection())
        self.code_action.setToolTip("Code the selected words (or turns) with the current code (Ctrl+K)")
        self.in_vivo_action = self._action("In-vivo code", "Ctrl+Shift+K", self.in_vivo)
        self.codebook.current_code_changed.connect(self.extracts.show_code)
        self.codebook.apply_requested.connect(self.code_selection)
        self.codebook.in_vivo_requested.connect(self.in_vivo)
        self.codebook.span_dropped.connect(self.code_dropped_span)
        self.view.document_id_source = lambda: self.document_id  # dragged words say which document they are from
        self.codebook.changed.connect(self.refresh_codings)
        self.codebook.message.connect(self._status)
        self.extracts.message.connect(self._status)
        self.extracts.jump_requested.connect(self.jump_to)
        # runs after the workspace stored them; the counts follow the study's change signal (only if codings moved)
        self.model.texts_edited.connect(lambda *_: self.show_codings())
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._transcript_menu)

    def _action(self, label: str, keys: str, slot: object) -> QAction:
        action = QAction(label, self.ws)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.ws.addAction(action)
        return action

    @property
    def document_id(self) -> int | None:
        return self.ws.current_id

    @property
    def coder(self) -> str:
        """The coder's name, asked for the first time someone codes (stored with every coding)."""
        return coder_name(self.ws, self.ws.settings)

    # ----- refresh ------------------------------------------------------------------------
    def refresh_codebook(self) -> None:
        """The codebook's codes and counts (after undo/redo; the codings were shown with the transcript)."""
        self.codebook.refresh()

    def refresh_codings(self) -> None:
        self.codebook.refresh_counts()
        self.show_codings()

    def show_codings(self) -> None:
        """The extracts and the transcript's coding marks, not the codebook's counts."""
        self.extracts.refresh()
        if self.document_id is None:
            self.model.set_coding_marks({})
            return
        codings = coding_service.codings(self.store, self.document_id)
        codes = {c.id: c for c in coding_service.codes(self.store)}
        self.model.set_coding_marks(marks_by_segment(codings, codes, self.model.segments))

    # ----- the selection ------------------------------------------------------------------
    def selection(self) -> Span | None:
        """The words selected in the transcript (within a turn or across turns), else None."""
        return self.view.selected_span()

    # ----- coding -------------------------------------------------------------------------
    def code_selection(self, code_id: int | None = None, span: Span | None = None) -> int | None:
        """Apply ``code_id`` (default: the codebook's current code) to ``span`` (default: the selection)."""
        code = self.codebook.current_code() if code_id is None else self.codebook.model.codes.get(code_id)
        try:
            span = span or self.selection()
            if code is None:
                raise VerbatimError(None, "Choose a code in the codebook first (or make one: Ctrl+Shift+N).")
            if span is None or self.document_id is None:
                raise VerbatimError(None, "Select words in the transcript first (drag across turns to code several).")
            coding_id = coding_service.apply_code(
                self.store, self.document_id, code.id, span[0], span[1], coder=self.coder
            )
        except VerbatimError as exc:
            show_error(self.ws, exc, title="Code selection")
            return None
        self.codebook.note_used(code.id)
        self.refresh_codings()
        self._status(f"Coded “{_short(span[2])}” with {code.name}")
        return coding_id

    def code_dropped_span(self, code_id: int, dropped: DraggedSpan) -> int | None:
        """Words dragged from the transcript onto a code: code them with it (one undo step, as Ctrl+K)."""
        if dropped.document_id != self.document_id:
            show_error(self.ws, VerbatimError(None, "Drop words from the open transcript onto a code."))
            return None
        return self.code_selection(code_id, (dropped.start, dropped.end, dropped.text))

    def in_vivo(self) -> int | None:
        """A new code named with the selected words, applied to them."""
        try:
            span = self.selection()
        except VerbatimError as exc:
            show_error(self.ws, exc, title="In-vivo code")
            return None
        name = " ".join((span[2] if span else "").split())[:IN_VIVO_MAX].strip(" ,.;:!?")
        if not name:
            show_error(self.ws, VerbatimError(None, "Select the words to use as the code's name."))
            return None
        existing = next((c for c in self.codebook.model.codes.values() if c.name.casefold() == name.casefold()), None)
        code_id = existing.id if existing else self.codebook.add_code(name=name)
        return self.code_selection(code_id, span) if code_id is not None else None

    def adjust_coding(self, coding_id: int, *, keep_current: bool = False, span: Span | None = None) -> bool:
        """Set a coding's extent to ``span`` (default: the selection), or with ``keep_current`` stretch it
        to include it; one undo step, its audio times follow."""
        try:
            span = span or self.selection()
            if span is None:
                raise VerbatimError(None, "Select the words (or turns) the coding should cover, then choose it.")
            coding = coding_service.set_coding_extent(
                self.store, coding_id, span[0], span[1], keep_current=keep_current
            )
        except VerbatimError as exc:
            show_error(self.ws, exc, title="Coding extent")
            return False
        self.refresh_codings()
        self._status(f"{self._coding_label(coding)} (Ctrl+Z undoes)")
        return True

    def nearby_codings(self, row: int, span: Span | None) -> list[Coding]:
        """Codings of this document within NEARBY_TURNS of ``row`` and the span, the closest first."""
        if self.document_id is None:
            return []
        order = {s.id: i for i, s in enumerate(self.model.segments) if s.id is not None}
        rows = [r for r in (row, *(order.get(p.segment_id, -1) for p in (span[:2] if span else ()))) if r >= 0]
        if not rows:
            return []
        low, high = min(rows), max(rows)
        found = []
        for coding in coding_service.codings(self.store, self.document_id):
            first, last = order.get(coding.start.segment_id), order.get(coding.end.segment_id)
            if first is None or last is None or last < low - NEARBY_TURNS or first > high + NEARBY_TURNS:
                continue
            distance = max(0, first - high, low - last)
            found.append((distance, first, coding.start.offset, coding.id, coding))
        return [item[-1] for item in sorted(found, key=lambda item: item[:4])]

    def _coding_label(self, coding: Coding) -> str:
        code = self.codebook.model.codes.get(coding.code_id)
        words = coding_service.span_text(self.model.segments, coding.start, coding.end)
        return f"{code.name if code else 'Coding'}: “{_short(words)}”"

    def remove_coding(self, coding_id: int) -> None:
        try:
            coding_service.remove_coding(self.store, coding_id)
        except VerbatimError as exc:
            show_error(self.ws, exc)
            return
        self.refresh_codings()
        self._status("Removed the coding (Ctrl+Z brings it back)")

    def _status(self, message: str) -> None:
        self.ws.status.showMessage(message, 5000)

    # ----- navigation ---------------------------------------------------------------------
    def jump_to(self, document_id: int, segment_id: int, seconds: float) -> None:
        """Show the document and turn of an extract and play from the coding's start."""
        if self.document_id != document_id:
            self.ws.explorer.select(document_id)
        row = next((r for r, s in enumerate(self.model.segments) if s.id == segment_id), -1)
        if row >= 0:
            self.view.place_cursor(row)
            self.view.center_row(row)
        if seconds >= 0:
            self.ws.player.play_from(seconds)

    def _transcript_menu(self, point: QPoint) -> None:
        menu = self.transcript_menu(self.view.cursorForPosition(point).blockNumber())
        menu.popup(self.view.viewport().mapToGlobal(point))

    def transcript_menu(self, row: int) -> QMenu:
        """The editor's cut, copy, paste and select all, then the coding actions for the turn at ``row``."""
        menu = self.view.edit_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addSeparator()
        self.add_coding_actions(menu, row)
        return menu

    def add_coding_actions(self, menu: QMenu, row: int) -> None:
        code = self.codebook.current_code()
        apply = menu.addAction(f"Code selection with {code.name}" if code else "Code selection", self.code_selection)
        apply.setShortcut(self.code_action.shortcut())
        apply.setEnabled(code is not None)
        recent = menu.addMenu("Code with recent")
        for code_id in self.codebook.recent:
            name = self.codebook.model.codes[code_id].name
            recent.addAction(name, call(self.code_selection, code_id))
        recent.setEnabled(bool(self.codebook.recent))
        menu.addAction(self.in_vivo_action)
        segment = self.model.segments[row] if 0 <= row < len(self.model.segments) else None
        marks = self.model.coding_marks.get(segment.id or 0, []) if segment else []
        if marks:
            remove = menu.addMenu("Remove coding")
            for mark in marks:
                words = _short(segment.text[mark.start : mark.end] if segment else "")
                remove.addAction(f"{mark.name}: “{words}”", call(self.remove_coding, mark.coding_id))
        self._add_extent_actions(menu, row)

    def _add_extent_actions(self, menu: QMenu, row: int) -> None:
        span = self.selection()
        nearby = self.nearby_codings(row, span) if span else []
        hint = "Select words (or turns) first, then choose a coding near them"
        for title, keep in (("Set coding extent to selection", False), ("Extend coding to include selection", True)):
            submenu = menu.addMenu(title)
            submenu.setToolTipsVisible(True)
            submenu.menuAction().setToolTip(hint)
            for coding in nearby:
                submenu.addAction(self._coding_label(coding), call(self.adjust_coding, coding.id, keep_current=keep))
            submenu.setEnabled(bool(nearby))


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
