"""The English column beside the transcript: "Add English translation" and the turns' English, editable.

Translating runs Whisper's translate task over every turn's audio on the thread pool (minutes for an
interview), with progress and Cancel; the study is read there, and the English is stored back on
the GUI thread as one undoable step. Translations the researcher corrected are never replaced
without asking. Rows are the editor's turns in the same order: choosing one moves the editor there.
"""

from __future__ import annotations

from threading import Event
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import CancelledError, VerbatimError
from desktop_app.gui.common.background_task import run_in_background
from desktop_app.gui.transcript.model_combo import ModelCombo
from desktop_app.gui.transcript.translation_model import TranslationModel
from desktop_app.services.study.project_service import ProjectStore
from desktop_app.services.transcript import edit_service
from desktop_app.services.transcription import translation_layer, translation_service
from desktop_app.services.transcription.translation_layer import NewTranslation, Overwrite
from desktop_app.services.transcription.translation_service import TranslatedTurn


class _Progress(QObject):
    """Lives on the GUI thread; the pool thread emits, the pane's slot runs queued on the GUI thread."""

    advanced = Signal(int, int)


class TranslationPane(QWidget):
    READS = frozenset({"segments", "translations"})  # the tables whose changes it shows (turns, their English)
    row_chosen = Signal(int)  # a turn clicked here: the editor goes to the same row
    message = Signal(str)  # for the status bar

    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.document_id: int | None = None
        self._cancel: Event | None = None
        self.model = TranslationModel()
        self.model.writable = not store.readonly
        self.model.english_edited.connect(self._store_correction)
        self.add_button = QPushButton("Add English translation")
        self.add_button.setToolTip(
            "Translate every turn into English with Whisper (a multilingual model), on this computer"
        )
        self.add_button.clicked.connect(self.start)
        self.models = ModelCombo()
        self.models.setToolTip("The model that translates: multilingual only (base, small, large-v3…)")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.progress = QLabel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.clicked.connect(lambda index: self.row_chosen.emit(index.row()))
        self._progress = _Progress(self)
        self._progress.advanced.connect(self._advanced)
        self._build_layout()

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.models)
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    @property
    def running(self) -> bool:
        return self._cancel is not None

    def show_document(self, document_id: int | None) -> None:
        self.document_id = document_id
        if self.isVisible():  # hidden, it reads the turns when shown (a long transcript is not read twice)
            self.refresh()

    def refresh(self) -> None:
        """Read the turns and their English again (after any change), unless a cell is being typed in."""
        if self.table.state() == QAbstractItemView.State.EditingState:
            return
        segments = edit_service.load_transcript(self.store, self.document_id).segments if self.document_id else []
        rows = translation_layer.load(self.store, self.document_id) if self.document_id else {}
        english = {sid: row.text for sid, row in rows.items()}
        originals = {s.id: s.text for s in segments}
        stale = {sid for sid, row in rows.items() if row.source_text and row.source_text != originals.get(sid)}
        self.model.set_turns(segments, english, {sid for sid, row in rows.items() if row.edited}, stale)
        self.add_button.setEnabled(bool(segments) and not self.store.readonly and not self.running)
        if not self.running:
            self.progress.setText(self._summary(len(segments), len(english)))

    @staticmethod
    def _summary(turns: int, translated: int) -> str:
        if not turns:
            return "No turns to put into English"
        if not translated:
            return "No English yet"
        return f"English for {translated} of {turns} turns"

    def follow_row(self, row: int) -> None:
        """The editor's cursor moved to ``row``: show the same turn here."""
        if 0 <= row < self.model.rowCount() and self.table.state() != QAbstractItemView.State.EditingState:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    # ----- translating ------------------------------------------------------------------
    def start(self) -> None:
        document_id, model = self.document_id, self.models.currentData() or translation_service.DEFAULT_MODEL
        if document_id is None or self.running:
            return
        mode = self._ask_mode(document_id)
        if mode is None:
            return
        keep = frozenset(translation_layer.check_overwrite(self.store, document_id, mode))
        cancel, progress = Event(), self._progress
        self._cancel = cancel
        self._set_running(True)

        def work() -> list[TranslatedTurn]:
            return translation_service.translate_document(
                self.store, document_id, model, progress=progress.advanced.emit, cancel=cancel, skip=keep
            )

        run_in_background(self, work, lambda turns: self._finished(document_id, model, mode, turns), self._failed)

    def _ask_mode(self, document_id: int) -> Overwrite | None:
        """REFUSE when nothing was corrected; else the researcher's choice (None: cancelled)."""
        corrected = translation_layer.corrected_segments(self.store, document_id)
        if not corrected:
            return Overwrite.REFUSE
        box = QMessageBox(QMessageBox.Icon.Question, "Translate again", "", parent=self)
        box.setText(f"You corrected the English of {len(corrected)} turn(s). Translating again would replace it.")
        keep = box.addButton("Keep my corrections", QMessageBox.ButtonRole.AcceptRole)
        replace = box.addButton("Replace everything", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.exec()
        clicked = box.clickedButton()
        if clicked is keep:
            return Overwrite.KEEP_CORRECTED
        return Overwrite.REPLACE if clicked is replace else None

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.progress.setText("Stopping after this turn…")

    def _advanced(self, done: int, total: int) -> None:
        if self.running:
            self.progress.setText(f"Translating turn {done} of {total}…")

    def _finished(self, document_id: int, model: str, mode: Overwrite, turns: list[TranslatedTurn]) -> None:
        self._set_running(False)
        new = [NewTranslation(t.segment_id, t.english, t.original) for t in turns]
        try:
            written = translation_layer.store_translation(self.store, document_id, new, model, mode)
        except VerbatimError as exc:
            self._failed(exc)
            return
        self.message.emit(f"Added English to {written} turns (Ctrl+Z takes it back)")
        self.refresh()

    def _failed(self, error: Any) -> None:
        self._set_running(False)
        self.refresh()
        if isinstance(error, CancelledError):
            self.message.emit("Translation stopped; nothing was added")
        elif isinstance(error, VerbatimError):
            QMessageBox.warning(self, "English translation", error.message)
        else:
            QMessageBox.warning(self, "English translation", f"Translation failed: {error}")

    def _set_running(self, running: bool) -> None:
        if not running:
            self._cancel = None
        self.cancel_button.setVisible(running)
        self.add_button.setEnabled(not running and not self.store.readonly)
        self.models.setEnabled(not running)
        if running:
            self.progress.setText("Loading the model…")

    def _store_correction(self, segment_id: int, text: str) -> None:
        try:
            translation_layer.update_translation(self.store, segment_id, text)
        except VerbatimError as exc:
            QMessageBox.warning(self, "English translation", exc.message)
        QTimer.singleShot(0, self.refresh)  # once the cell's editor has closed: read what was stored
