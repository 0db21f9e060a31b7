"""Find and replace (non-modal): next/previous in the open document with the match selected in the
transcript editor, replace one, replace all in the document or the whole study (one undo step), and a
match count.

Typing not stored yet is stored before anything is searched or replaced, so nothing typed is lost.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import VerbatimError
from desktop_app.services.transcript import replace_service
from desktop_app.services.transcript.replace_service import FindHit, FindOptions

if TYPE_CHECKING:
    from desktop_app.gui.shell.study_workspace import StudyWorkspace

THIS_DOCUMENT, WHOLE_STUDY = 0, 1


class FindReplaceDialog(QDialog):
    def __init__(self, workspace: StudyWorkspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = workspace
        self.setWindowTitle("Find and replace")
        self.setModal(False)
        self._hits: list[FindHit] | None = None
        self.current: FindHit | None = None
        self._build()
        self._count_timer = QTimer(self, singleShot=True, interval=200)
        self._count_timer.timeout.connect(self.update_count)
        for signal in (
            self.find_edit.textChanged,
            self.case_box.toggled,
            self.words_box.toggled,
            self.regex_box.toggled,
        ):
            signal.connect(self._options_changed)
        self.scope.currentIndexChanged.connect(lambda _i: self._count_timer.start())
        self.ws.transcript.modelReset.connect(self._text_changed)
        self.ws.transcript.dataChanged.connect(self._rows_changed)

    def _build(self) -> None:
        self.find_edit, self.replace_edit = QLineEdit(), QLineEdit()
        self.find_edit.setPlaceholderText("Text or pattern to find")
        self.replace_edit.setPlaceholderText("Replacement (\\1 for a group with regular expressions)")
        self.case_box, self.words_box = QCheckBox("Match &case"), QCheckBox("&Whole words")
        self.regex_box = QCheckBox("Regular e&xpression")
        self.scope = QComboBox()
        self.scope.addItems(["This document", "Whole study"])
        self.count_label = QLabel("")
        self.count_label.setWordWrap(True)
        self.previous_button = self._button("Find &previous", lambda: self.find_step(-1))
        self.next_button = self._button("Find &next", lambda: self.find_step(1))
        self.next_button.setDefault(True)
        self.replace_button = self._button("&Replace", self.replace)
        self.replace_all_button = self._button("Replace &all", self.replace_all)
        close = self._button("Close", self.close)
        form = QFormLayout()
        form.addRow("Find:", self.find_edit)
        form.addRow("Replace with:", self.replace_edit)
        options = QHBoxLayout()
        for box in (self.case_box, self.words_box, self.regex_box):
            options.addWidget(box)
        options.addStretch()
        form.addRow("", options)
        form.addRow("Replace all in:", self.scope)
        buttons = QHBoxLayout()
        for button in (self.previous_button, self.next_button, self.replace_button, self.replace_all_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.count_label)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)

    def _button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # ----- state -------------------------------------------------------------------------
    def options(self) -> FindOptions:
        return FindOptions(
            self.find_edit.text(), self.case_box.isChecked(), self.words_box.isChecked(), self.regex_box.isChecked()
        )

    def _options_changed(self) -> None:
        self._hits, self.current = None, None
        self._count_timer.start()

    def _rows_changed(self, _first: object, _last: object, roles: list[int] = []) -> None:  # noqa: B006 - Qt signal
        if not roles or Qt.ItemDataRole.DisplayRole in roles:  # not the played-word highlight
            self._text_changed()

    def _text_changed(self) -> None:
        self._hits = None
        if self.isVisible():
            self._count_timer.start()

    def _pattern(self) -> re.Pattern[str] | None:
        try:
            return replace_service.compile_pattern(self.options())
        except VerbatimError as exc:
            self._say(exc.message, problem=bool(self.find_edit.text()))
            return None

    def hits(self) -> list[FindHit]:
        """Matches in the open document, from the turns as shown (cached until text or options change)."""
        if self._hits is None:
            pattern = self._pattern()
            document_id = self.ws.current_id
            self._hits = (
                replace_service.find_in_turns(document_id, self.ws.transcript.segments, pattern)
                if pattern is not None and document_id is not None
                else []
            )
        return self._hits

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.count_label.setText(f"<span style='color:#b3261e'>{text}</span>" if problem else text)

    def update_count(self) -> None:
        hits = self.hits()
        if self._pattern() is None:
            return
        where = f"{self._position_text(hits)}{len(hits)} in this document"
        if self.scope.currentIndex() == WHOLE_STUDY:
            try:
                where += f" · {len(replace_service.find_in_study(self.ws.store, self.options()))} in the study"
            except VerbatimError as exc:
                self._say(exc.message, problem=True)
                return
        self._say(where if hits or self.scope.currentIndex() == WHOLE_STUDY else "No matches in this document")

    def _position_text(self, hits: list[FindHit]) -> str:
        if self.current is None or self.current not in hits:
            return ""
        return f"Match {hits.index(self.current) + 1} of "

    # ----- finding -----------------------------------------------------------------------
    def save_typing(self) -> None:
        """Store the editor's typing, so the search sees (and a replace keeps) what is on screen."""
        self.ws.view.flush()

    def find_step(self, step: int) -> FindHit | None:
        """Select the next (``step`` 1) or previous (-1) match after the current one, wrapping around."""
        self.save_typing()
        hits = self.hits()
        if not hits:
            self.current = None
            self.update_count()
            return None
        key = self._cursor_key(step)
        if step > 0:
            hit = next((h for h in hits if (h.row, h.start) > key), hits[0])
        else:
            hit = next((h for h in reversed(hits) if (h.row, h.start) < key), hits[-1])
        self.show_hit(hit)
        return hit

    def _cursor_key(self, step: int) -> tuple[int, int]:
        if self.current is not None:
            return self.current.row, self.current.start
        offsets = self.ws.view.cursor_offsets()
        if offsets is None:
            return (-1, -1) if step > 0 else (self.ws.transcript.rowCount(), 1 << 30)
        row, start, end = offsets
        return (row, start - 1) if step > 0 else (row, end)

    def show_hit(self, hit: FindHit) -> None:
        """Select the match in the editor, centred in view."""
        self.current = hit
        self.ws.view.select_range(hit.row, hit.start, hit.row, hit.end)
        self.update_count()

    # ----- replacing ---------------------------------------------------------------------
    def replace(self) -> None:
        """Replace the selected match and move to the next; with none selected, find the first."""
        hit = self.current
        self.save_typing()
        if hit is None or hit not in self.hits():
            self.find_step(1)
            return
        try:
            result = replace_service.replace_one(self.ws.store, hit, self.options(), self.replace_edit.text())
        except VerbatimError as exc:
            self._say(exc.message, problem=True)
            return
        self.ws.reload_transcript()
        self.current = None
        resume = (hit.row, result.resume_offset or 0)
        following = next((h for h in self.hits() if (h.row, h.start) >= resume), None)
        if following is not None:
            self.show_hit(following)
        else:
            self._say(f"Replaced; no more matches after it ({len(self.hits())} left in this document)")

    def replace_all(self) -> None:
        self.save_typing()
        study = self.scope.currentIndex() == WHOLE_STUDY
        document_id = None if study else self.ws.current_id
        if not study and document_id is None:
            self._say("Open a document first", problem=True)
            return
        try:
            result = replace_service.replace_all(self.ws.store, self.options(), self.replace_edit.text(), document_id)
        except VerbatimError as exc:
            self._say(exc.message, problem=True)
            return
        self.current = None
        self.ws.reload_transcript()
        documents = f" in {result.documents} documents" if study else ""
        message = f"Replaced {result.count} in {result.turns} turns{documents}"
        self._say(f"{message}. Edit > Undo reverts it in one step." if result.count else "Nothing to replace")
        self.ws.status.showMessage(message, 5000)


def show_find_replace(workspace: StudyWorkspace, parent: QWidget | None = None) -> FindReplaceDialog:
    """The workspace's find and replace window (one per workspace), shown with the selected text to find."""
    existing = workspace.findChildren(FindReplaceDialog)
    dialog = existing[0] if existing else FindReplaceDialog(workspace, parent or workspace)
    selected = workspace.view.textCursor().selectedText()
    if selected and "\u2029" not in selected:  # words within one turn
        dialog.find_edit.setText(selected)
    dialog.show()
    dialog.activateWindow()
    dialog.find_edit.setFocus()
    dialog.find_edit.selectAll()
    dialog.update_count()
    return dialog
