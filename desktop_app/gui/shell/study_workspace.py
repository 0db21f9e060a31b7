"""A study open in the window: documents on the left; player, waveform and transcript on the right."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStatusBar,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.document import DocumentStatus
from desktop_app.core.errors import VerbatimError
from desktop_app.core.timecode import format_hms
from desktop_app.gui.analysis.analysis_panel import AnalysisPanel
from desktop_app.gui.coding.coding_workbench import CodingWorkbench
from desktop_app.gui.coding.memos_panel import MemosPanel
from desktop_app.gui.common.background_task import run_in_background
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.common.export_notice import ExportNotice
from desktop_app.gui.common.study_changes import NOT_CODE_COUNTS, NOT_PEOPLE, SPEAKER_DATA, StudyChanges
from desktop_app.gui.documents.document_explorer import DocumentExplorer
from desktop_app.gui.documents.import_worker import ImportWorker, start_import
from desktop_app.gui.interchange.refi_import import import_refi_file
from desktop_app.gui.media.media_device import document_media
from desktop_app.gui.media.media_player import MediaPlayer
from desktop_app.gui.media.player_bar import PlayerBar
from desktop_app.gui.media.waveform_view import WaveformView
from desktop_app.gui.participants.participants_panel import ParticipantsPanel
from desktop_app.gui.participants.speakers_panel import SpeakersPanel
from desktop_app.gui.security.backup_timer import StudyBackups, backup_policy
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.gui.shell.shortcuts import bind, make_actions
from desktop_app.gui.transcript.retranscribe_dialog import ask_how_to_transcribe_again, show_report
from desktop_app.gui.transcript.speaker_step_runner import SpeakerStepRunner
from desktop_app.gui.transcript.transcript_editor import TranscriptEditor
from desktop_app.gui.transcript.transcript_table_model import TranscriptTableModel
from desktop_app.gui.transcript.transcription_panel import TranscriptionPanel
from desktop_app.gui.transcript.transcription_worker import TranscriptionWorker, start_transcription
from desktop_app.gui.transcript.translation_pane import TranslationPane
from desktop_app.gui.transcript.turn_actions import TurnActions
from desktop_app.services.speakers import speaker_service
from desktop_app.services.study import document_service
from desktop_app.services.study.project_service import ProjectStore
from desktop_app.services.transcript import edit_service
from desktop_app.services.transcription.transcription_service import (
    TranscriptionOptions,
    expected_speed,
    pending_documents,
)

MEETING_ENGINE_KEY = "transcription/meeting_engine"  # the speaker engine last chosen (a user's habit, not the study's)
NOT_TRANSCRIBED = "No transcript yet: choose Transcribe above."
# transcribed, and nothing written: a valid result (one line: Qt draws a placeholder in the first line's box)
NO_WORDS = "No words were heard. Hear talk? Turn › Insert turn… (Ctrl+Shift+I)"


class StudyWorkspace(QWidget):
    def __init__(self, store: ProjectStore, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self._threads: list[QThread] = []
        self._shut_down = False
        self._import_workers: list[ImportWorker] = []
        self.transcriber: TranscriptionWorker | None = None
        self._titles: dict[int, str] = {}
        self.embed_on_import = store.passphrase is not None  # an encrypted study keeps its recordings inside
        self.explorer = DocumentExplorer(store)
        self.explorer.document_selected.connect(self.show_document)
        self.explorer.import_requested.connect(self.import_files)
        self.explorer.drop_area.start_folder = settings.last_folder()
        self.documents = self.explorer.documents
        self.speakers = SpeakersPanel()
        self.explorer.tabs.addTab(self.speakers, "Speakers")
        self.player = MediaPlayer(self)
        self.player_bar = PlayerBar(self.player)
        self.waveform = WaveformView()
        self.waveform.seek_requested.connect(self.player.seek)
        self.transcript = TranscriptTableModel()
        self.transcript.texts_edited.connect(self.save_texts)
        self.view = TranscriptEditor()  # one continuous text, typed into while it plays
        self.view.setReadOnly(store.readonly)  # a study opened read-only: read, select and copy only
        self.view.setModel(self.transcript)
        self.view.word_clicked.connect(self.player.play_from)
        self.translation = TranslationPane(store)  # the English beside each turn (toggle: English)
        self.translation.row_chosen.connect(lambda row: self.view.place_cursor(row))
        self.view.cursorPositionChanged.connect(lambda: self.translation.follow_row(self.view.current_row()))
        self.panel = TranscriptionPanel()
        self.panel.choose_engine(bool(settings.value(MEETING_ENGINE_KEY, False)))
        self.panel.start_requested.connect(self.start_transcription)
        self.panel.cancel_requested.connect(self.cancel_transcription)
        self.checked_button = QPushButton("Mark as checked")
        self.checked_button.setCheckable(True)
        self.checked_button.toggled.connect(self._mark_checked)
        self.player.position_changed.connect(self._playhead)
        self.speakers.changed.connect(self.reload_transcript)
        self.speakers.play_requested.connect(self.player.play_span)
        self.speakers.voices_reported.connect(self._voices_reported)
        self._speaker_step = False  # whether the running queue has one
        self.status = QStatusBar()
        self.speakers_again = SpeakerStepRunner(  # Find speakers again… (Speakers tab)
            self,
            store,
            self.status,
            lambda: self.transcriber is not None,
            self.view.flush,
            lambda: (self.panel.speakers_spec() or "auto", bool(self.panel.engine.currentData())),
            self.speakers.count_notes.get,
        )
        self.speakers_again.finished.connect(self._speakers_found_again)
        self.speakers_again.noted.connect(self.speakers.note_count)
        self.speakers.find_again_requested.connect(lambda: self.speakers_again.ask(self.current_id))
        self.coding = CodingWorkbench(self)  # codebook, extracts, Ctrl+K
        self._build_layout()
        self.shortcut_actions = make_actions(self, settings)
        self.turn_actions = TurnActions(
            self, store, self.view, self.transcript, self.reload_transcript, self.player, lambda: self.current_id
        )
        self._bind_shortcuts()
        self._connect_shortcuts()
        self.player_bar.follow_button.toggled.connect(lambda on: setattr(self.view, "follow_playback", on))
        self.player_bar.loop_button.toggled.connect(self._loop_toggled)
        self.apply_preferences()
        self._show_counts()
        self.show_document(self.explorer.current_id if self.explorer.current_id is not None else -1)  # the first one
        self.backups = StudyBackups(self, store, self.status, backup_policy(settings))  # on open, then while editing
        self.export_notice = ExportNotice()  # "Exported to … [Open folder]" after every export
        self.status.addPermanentWidget(self.export_notice)
        self.changes = StudyChanges(store, self)  # after any change, every view that counts recounts
        self.changes.changed.connect(self._study_changed)

    def _build_layout(self) -> None:
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.panel)
        column.addWidget(self.player_bar)
        column.addWidget(self.waveform)
        self.beside = QSplitter(Qt.Orientation.Horizontal)  # the transcript, and its English when shown
        self.beside.addWidget(self.view)
        self.beside.addWidget(self.translation)
        self.translation.hide()
        column.addWidget(self.beside, 1)
        footer = QHBoxLayout()
        footer.addStretch()
        self.english_button = QPushButton("English")
        self.english_button.setCheckable(True)
        self.english_button.setToolTip("Show the English translation beside each turn (add, correct)")
        self.english_button.toggled.connect(self._show_english)
        footer.addWidget(self.english_button)
        code_button = QToolButton()
        code_button.setDefaultAction(self.coding.code_action)
        footer.addWidget(code_button)
        footer.addWidget(self.checked_button)
        column.addLayout(footer)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.left_tabs = QTabWidget()
        self.left_tabs.addTab(self.explorer, "Documents")
        self.left_tabs.addTab(self.coding.panel, "Codes")
        self.participants = ParticipantsPanel(self.store)
        self.participants.changed.connect(self.speakers.refresh)  # a removed participant unlinks its speakers
        self.memos = MemosPanel(self.store)
        self.explorer.document_selected.connect(self.memos.show_document)
        self.left_tabs.addTab(self.participants, "Participants")
        self.left_tabs.addTab(self.memos, "Memos")
        splitter.addWidget(self.left_tabs)
        self.analysis = AnalysisPanel(self.store)  # charts and tables need the wide side
        self.explorer.document_selected.connect(self.analysis.show_document)
        self.analysis.jump_requested.connect(self._open_extract)
        self.analysis.message.connect(self.status.showMessage)
        if self.explorer.current_id is not None:  # a document chosen on opening, before these two listened
            self.memos.show_document(self.explorer.current_id)
            self.analysis.show_document(self.explorer.current_id)
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(right, "Transcript")
        self.pages.addTab(self.analysis, "Analysis")
        splitter.addWidget(self.pages)
        splitter.setSizes([330, 870])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

    def _open_extract(self, document_id: int, segment_id: int, seconds: float) -> None:
        """An extract chosen in the Analysis page: back to the transcript, at its turn."""
        self.pages.setCurrentIndex(0)
        self.coding.jump_to(document_id, segment_id, seconds)

    def _connect_shortcuts(self) -> None:
        a = self.shortcut_actions
        a["play_pause"].triggered.connect(self.player.toggle)
        a["slower"].triggered.connect(lambda: self.player.change_rate(-1))
        a["faster"].triggered.connect(lambda: self.player.change_rate(1))
        a["skip_back"].triggered.connect(lambda: self.player.skip(-1))
        a["skip_forward"].triggered.connect(lambda: self.player.skip(1))
        a["previous_turn"].triggered.connect(lambda: self._jump_turn(-1))
        a["next_turn"].triggered.connect(lambda: self._jump_turn(1))
        a["play_turn"].triggered.connect(self._play_current_turn)
        a["loop_turn"].triggered.connect(self.player_bar.loop_button.toggle)
        a["follow"].triggered.connect(self.player_bar.follow_button.toggle)

    def apply_preferences(self) -> None:
        from desktop_app.gui.preferences.preferences_dialog import preference

        self.player.rewind_on_resume = float(preference(self.settings, "rewind_seconds"))  # type: ignore[arg-type]
        self.player.skip_seconds = float(preference(self.settings, "skip_seconds"))  # type: ignore[arg-type]
        font = self.view.font()
        font.setPointSize(int(preference(self.settings, "font_size")))  # type: ignore[call-overload]
        self.view.setFont(font)
        self.view.follow_idle_seconds = float(preference(self.settings, "follow_idle_seconds"))  # type: ignore[arg-type]
        model = self.panel.model.findData(preference(self.settings, "default_model"))
        language = self.panel.language.findData(preference(self.settings, "default_language"))
        self.panel.model.setCurrentIndex(max(0, model))
        self.panel.language.setCurrentIndex(max(0, language))

    def _bind_shortcuts(self) -> None:
        """The coding and turn actions take their keys from the one shortcuts table (remappable)."""
        for action, name in (
            (self.coding.code_action, "code_selection"),
            (self.coding.in_vivo_action, "in_vivo"),
            (self.turn_actions.split, "split_turn"),
            (self.turn_actions.merge, "merge_turn"),
            (self.turn_actions.speaker, "change_speaker"),
            (self.turn_actions.times, "adjust_times"),
            (self.turn_actions.insert, "insert_turn"),
        ):
            bind(action, name, self.settings)

    def _study_changed(self) -> None:
        """A change anywhere (a panel, the transcript, undo/redo): the views showing counts show it.

        A panel the user is working in refreshes itself; reloading it under their hands would
        close the cell they just moved on to. Only views whose data the change touched count again
        (a typing pause stores a turn: no participant or code count can move).
        """
        focus = QApplication.focusWidget()
        changes = self.changes
        for panel, touched in (
            (self.speakers, changes.touches(SPEAKER_DATA)),
            (self.participants, not changes.only(NOT_PEOPLE)),
        ):
            if touched and not (focus is not None and panel.isAncestorOf(focus)):
                panel.refresh()
        self.analysis.study_changed()
        if not changes.only(NOT_CODE_COUNTS):
            self.coding.codebook.refresh_counts()
        if self.translation.isVisible() and changes.touches(TranslationPane.READS):
            self.translation.refresh()

    def _show_english(self, on: bool) -> None:
        self.translation.setVisible(on)
        if on:
            if self.beside.sizes()[1] == 0:  # hidden when the splitter was laid out: give it its share
                width = sum(self.beside.sizes())
                self.beside.setSizes([width * 11 // 20, width * 9 // 20])
            self.translation.refresh()

    # ----- documents ----------------------------------------------------------------------
    def refresh(self) -> None:
        self.explorer.refresh()
        self._show_counts()

    def _show_counts(self) -> None:
        count = self.documents.rowCount()
        total = sum(self.documents.document(r).duration or 0 for r in range(count))
        self.status.showMessage(f"{count} documents · {format_hms(total)} of recordings")

    @property
    def current_id(self) -> int | None:
        return self.explorer.current_id

    def show_document(self, document_id: int) -> None:
        self.player_bar.loop_button.setChecked(False)
        has_doc = document_id >= 0
        for widget in (self.player_bar, self.checked_button, self.panel.start_button):
            widget.setEnabled(has_doc)
        self.speakers.show_document(self.store if has_doc else None, document_id if has_doc else None)
        self.translation.show_document(document_id if has_doc else None)
        if not has_doc:
            self.player.load(None)
            self.transcript.set_transcript([], {})
            self.waveform.set_peaks(np.zeros(0, dtype=np.float32), 0.0)
            return
        self.reload_transcript()
        doc = document_service.get_document(self.store, document_id)
        self.checked_button.blockSignals(True)
        self.checked_button.setChecked(doc.status.value == "checked")
        self.checked_button.blockSignals(False)
        try:
            media = document_media(self.store, document_id)
            if media.embedded:  # read from the study into memory, off the GUI thread: no plain audio on disk
                self.player.load(None)
                run_in_background(
                    self,
                    media.read_embedded,
                    lambda data: self._play_embedded(document_id, data, media.path.name),
                    lambda exc: self.status.showMessage(f"Cannot play the recording: {exc}"),
                )
            else:
                self.player.load(media.path)
        except VerbatimError as exc:
            self.player.load(None)
            self.status.showMessage(exc.message)
            self._offer_relink(document_id, doc.title)
            return
        duration = doc.duration or 0.0
        run_in_background(
            self,
            media.peaks,
            lambda peaks: self._while_current(document_id, lambda: self.waveform.set_peaks(peaks, duration)),
            lambda exc: self.status.showMessage(f"Waveform unavailable: {exc}"),
        )

    def _while_current(self, document_id: int, action: Callable[[], object]) -> None:
        """Run ``action`` only while ``document_id`` is still the one shown (a background read may end late)."""
        if self.current_id == document_id:
            action()

    def _play_embedded(self, document_id: int, data: bytes, name: str) -> None:
        if self.current_id == document_id and not self._shut_down:  # still wanted when the read finished
            self.player.load_bytes(data, name)

    def _offer_relink(self, document_id: int, title: str) -> None:
        """A missing recording: ask the user to locate it; once relinked, the document plays again."""
        from desktop_app.gui.security.relink_dialog import offer_relink

        dialog = offer_relink(self, self.store, document_id, title)
        if dialog is not None:
            dialog.accepted.connect(lambda: self._while_current(document_id, lambda: self.show_document(document_id)))

    def reload_transcript(self) -> None:
        self.view.flush()  # typing not stored yet goes in before the turns are read back
        if self.current_id is None:
            return
        transcript = edit_service.load_transcript(self.store, self.current_id)
        speakers = edit_service.load_speakers(self.store, self.current_id)
        if not transcript.segments:  # not transcribed yet, or transcribed and nothing written (a valid result)
            status = document_service.get_document(self.store, self.current_id).status
            done = status in (DocumentStatus.TRANSCRIBED, DocumentStatus.CHECKED)
            self.view.setPlaceholderText(NO_WORDS if done else NOT_TRANSCRIBED)
        self.transcript.set_transcript(transcript.segments, speakers)
        self.waveform.set_turns(
            [
                (s.start, s.end, s.speaker, speakers[s.speaker].color if s.speaker in speakers else None)
                for s in transcript.segments
            ],
            {label: info.color for label, info in speakers.items()},
            speaker_service.wordless_talk(self.store, self.current_id, speakers, transcript.segments),
        )
        self.coding.refresh_codings()

    def save_texts(self, texts: dict[int, str]) -> None:
        """Typing stored from the editor: one undo step, however many turns it touched."""
        try:
            stored = edit_service.update_segment_texts(self.store, texts)
        except VerbatimError as exc:
            show_error(self, exc)
            return
        rows = {s.id: r for r, s in enumerate(self.transcript.segments)}
        for segment_id, segment in stored.items():
            if segment_id in rows:
                self.transcript.replace_segment(rows[segment_id], segment)

    def _mark_checked(self, checked: bool) -> None:
        if self.current_id is not None:
            document_service.mark_checked(self.store, self.current_id, checked)
            self.refresh()

    def undo(self, redo: bool = False) -> None:
        self.view.flush()  # typing in a turn is stored (and then undone), not thrown away by the reload
        self.memos.save_pending()
        try:
            entry = document_service.redo(self.store) if redo else document_service.undo(self.store)
        except VerbatimError as exc:
            show_error(self, exc)
            return
        self.refresh()
        self.reload_transcript()  # the turns, their coding marks and the codebook's counts
        self.speakers.refresh()
        self.coding.refresh_codebook()  # codes the step added, renamed or removed
        self.participants.refresh()
        self.memos.refresh()
        # last: refresh() puts the document count in the status bar, which hid what was undone
        self.status.showMessage(f"{'Redid' if redo else 'Undid'}: {entry.label}" if entry else "Nothing to undo", 4000)

    # ----- playback -----------------------------------------------------------------------
    def _playhead(self, seconds: float) -> None:
        self.waveform.set_position(seconds)
        row = self.transcript.set_playhead(seconds)
        if self.player.playing:
            self.view.reveal_row(row)

    def _current_row(self) -> int:
        row = self.view.current_row()
        return row if row >= 0 else self.transcript.row_at_time(self.player.position)

    def _jump_turn(self, step: int) -> None:
        row = self.transcript.row_at_time(self.player.position) + step
        if 0 <= row < self.transcript.rowCount():
            self.player.seek(self.transcript.segments[row].start)
            self.view.place_cursor(row)

    def _play_current_turn(self) -> None:
        row = self._current_row()
        if 0 <= row < self.transcript.rowCount():
            self.player.play_from(self.transcript.segments[row].start)

    def _loop_toggled(self, on: bool) -> None:
        row = self._current_row()
        if on and 0 <= row < self.transcript.rowCount():
            segment = self.transcript.segments[row]
            self.player.loop((segment.start, segment.end))
        else:
            self.player.loop(None)

    # ----- import and transcription -------------------------------------------------------
    def import_files(self, files: list[Path]) -> None:
        exchange = [f for f in files if f.suffix.lower() in (".qdpx", ".qdc", ".qde")]
        for path in exchange:  # another tool's project or codebook: codes, documents, codings, memos
            summary = import_refi_file(self, self.store, path)  # asks before reading files outside it
            if summary is not None:
                self.refresh()
                self.status.showMessage(f"Imported {path.name}: {summary}", 8000)
        files = [f for f in files if f not in exchange]
        if not files:
            return
        thread, worker = start_import(self, self.store.path, files, self.store.passphrase, self.embed_on_import)
        # Bound methods of this GUI-thread object: Qt queues the calls; a lambda would run on the worker's thread.
        worker.progress.connect(self._import_progress)
        worker.finished.connect(self._import_finished)
        self._threads.append(thread)
        self._import_workers.append(worker)

    def _import_progress(self, name: str, index: int, total: int) -> None:
        self.status.showMessage(f"Importing {name} ({index + 1} of {total})…")

    def _import_finished(self, imported: int, skipped: list[str], errors: list[str]) -> None:
        self.refresh()
        self.status.showMessage(f"Imported {imported} recording(s)", 5000)
        if skipped or errors:
            QMessageBox.warning(self, "Import", "\n".join(skipped + errors))

    def start_transcription(self, options: TranscriptionOptions, everything: bool) -> None:
        if self.transcriber is not None:
            return
        targets = pending_documents(self.store) if everything else [self.current_id] if self.current_id else []
        if not targets:
            self.status.showMessage("Nothing to transcribe", 4000)
            return
        self._titles = {
            self.documents.document(r).id: self.documents.document(r).title for r in range(self.documents.rowCount())
        }
        go, again = (
            (True, None)
            if everything
            else ask_how_to_transcribe_again(self, self.store, targets[0], self._titles.get(targets[0], ""), options)
        )
        if not go:  # corrections, codings or memos the user chose not to touch
            return
        meeting = self.panel.meeting_engine()
        if self.panel.speakers_spec():  # the engine chosen last is offered next time (One voice leaves it)
            self.settings.set_value(MEETING_ENGINE_KEY, meeting)
        thread, worker = start_transcription(
            self, self.store.path, targets, options, self.panel.speakers_spec(), self.store.passphrase, again, meeting
        )
        self._speaker_step = bool(self.panel.speakers_spec()) and again is None  # known voices are looked for after
        self.transcriber = worker
        self.panel.prior_speed = expected_speed(self.store, options.model)
        self.panel.watch(worker, self._titles)
        worker.transcribed_again.connect(self._transcribed_again)
        # Bound methods only: Qt then queues each call to the GUI thread (lambdas would run on the worker's).
        worker.progress.connect(self._transcription_progress)
        worker.segments_added.connect(self._segments_added)
        worker.document_started.connect(self._document_started)
        worker.document_finished.connect(self._document_finished)
        worker.speakers_noted.connect(self._speakers_noted)
        worker.document_cancelled.connect(self._document_cancelled)
        worker.document_failed.connect(self._document_failed)
        worker.queue_finished.connect(self._transcription_done)
        self._threads.append(thread)
        self.panel.set_running(True)

    def _transcription_progress(self, document_id: int, done: float, total: float, speed: float) -> None:
        self.panel.show_progress(self._titles.get(document_id, ""), done, total, speed)

    def _segments_added(self, document_id: int, _count: int) -> None:
        if document_id == self.current_id:
            self.reload_transcript()

    def _document_started(self, _document_id: int, _language: str) -> None:
        self.refresh()

    def _document_finished(self, document_id: int) -> None:
        self.refresh()
        if document_id == self.current_id:
            self.reload_transcript()
        if self._speaker_step:  # the voices of people named in other recordings: proposed, or named at once
            from desktop_app.gui.preferences.preferences_dialog import known_voice_threshold

            self.speakers.identify_after_transcription(document_id, known_voice_threshold(self.settings))

    def _speakers_noted(self, document_id: int, hint: str) -> None:
        """What the speaker step of a transcription said of the count: kept in the Speakers tab."""
        self.speakers.note_count(document_id, hint)

    def _speakers_found_again(self, document_id: int) -> None:
        self.refresh()
        if document_id == self.current_id:
            self.reload_transcript()
        self.speakers.refresh()

    def _voices_reported(self, text: str) -> None:
        self.status.showMessage(text, 15000)

    def _transcribed_again(self, document_id: int, summary: str, removed: list[str]) -> None:
        self.status.showMessage(f"{self._titles.get(document_id, '')}: {summary}", 15000)
        show_report(self, summary, removed)

    def _document_cancelled(self, document_id: int) -> None:
        self.status.showMessage(f"Stopped {self._titles.get(document_id, '')}; run again to resume")

    def _document_failed(self, _document_id: int, message: str) -> None:
        QMessageBox.warning(self, "Transcription", message)

    def cancel_transcription(self) -> None:
        if self.transcriber is not None:
            self.transcriber.cancel()

    def _transcription_done(self) -> None:
        self.transcriber = None
        self.panel.set_running(False)
        self.refresh()
        self.reload_transcript()
        self.speakers.refresh()

    def shutdown(self) -> None:
        self._shut_down = True
        self.view.flush()  # the last typing is stored before the study closes
        self.changes.stop()
        self.explorer.save_notes()
        self.memos.save_pending()
        self.cancel_transcription()
        self.translation.cancel()
        # Unload, not just stop: an embedded recording streams through its own connection to the study, which
        # must be closed before the study is (encrypting or rekeying it next would otherwise meet an open reader).
        self.player.load(None)
        for thread in self._threads:
            thread.quit()
            thread.wait(5000)
        self.backups.stop()  # a backup being written reads the study: let it finish before the study is closed
