"""The Memos tab: the study's memo and the selected document's, each saved after a short pause."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop_app.core.errors import VerbatimError
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.services.coding import memo_service
from desktop_app.services.study import document_service
from desktop_app.services.study.project_service import ProjectStore

MEMO_SAVE_DELAY_MS = 600


class MemoEditor(QPlainTextEdit):
    """One target's memo (``study``, or ``document`` with an id): typing is saved after a pause."""

    saved = Signal()

    def __init__(self, store: ProjectStore, target_type: str, placeholder: str) -> None:
        super().__init__()
        self.store = store
        self.target_type = target_type
        self.target_id: int | None = None
        self.setPlaceholderText(placeholder)
        self._timer = QTimer(self, singleShot=True, interval=MEMO_SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)
        self.textChanged.connect(self._timer.start)

    @property
    def has_target(self) -> bool:
        return self.target_type == "study" or self.target_id is not None

    def stored_text(self) -> str:
        if not self.has_target:
            return ""
        found = memo_service.memos(self.store, self.target_type, self.target_id)
        return found[0].text if found else ""

    def show_target(self, target_id: int | None) -> None:
        """Save what was typed for the previous target, then show this one's memo."""
        self.save()
        self.target_id = target_id
        self.reload()

    def reload(self) -> None:
        self._timer.stop()
        self.blockSignals(True)
        self.setPlainText(self.stored_text())
        self.blockSignals(False)
        self.setEnabled(self.has_target)

    def save(self) -> None:
        self._timer.stop()
        if not self.has_target or not self.isEnabled() or self.toPlainText() == self.stored_text():
            return
        try:
            memo_service.set_memo(self.store, self.target_type, self.target_id, self.toPlainText())
        except VerbatimError as exc:
            show_error(self, exc, title="Memos")
            return
        self.saved.emit()


class MemosPanel(QWidget):
    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.study_memo = MemoEditor(store, "study", "Study memo: research questions, decisions, reflexive notes…")
        self.document_memo = MemoEditor(store, "document", "Memo on this document: first impressions, ideas…")
        self.document_label = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(_bold("Study memo"))
        layout.addWidget(self.study_memo, 1)
        layout.addWidget(self.document_label)
        layout.addWidget(self.document_memo, 1)
        self.refresh()

    def show_document(self, document_id: int) -> None:
        """The document memo follows the selected document (-1: none)."""
        target = document_id if document_id >= 0 else None
        self.document_memo.show_target(target)
        self._show_title()

    def _show_title(self) -> None:
        target = self.document_memo.target_id
        try:
            title = document_service.get_document(self.store, target).title if target is not None else ""
        except VerbatimError:  # the document is gone (an undone import)
            self.document_memo.show_target(None)
            title = ""
        self.document_label.setText(f"<b>Memo on {title}</b>" if title else "<b>Document memo</b> (select a document)")

    def save_pending(self) -> None:
        """Write what is being typed now (before an undo, or when the study closes)."""
        self.study_memo.save()
        self.document_memo.save()

    def refresh(self) -> None:
        """Show the stored memos again (after an undo; call :meth:`save_pending` before it)."""
        self.study_memo.reload()
        self.document_memo.reload()
        self._show_title()


def _bold(text: str) -> QLabel:
    return QLabel(f"<b>{text}</b>")
