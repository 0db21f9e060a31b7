"""Transcribe a queue of documents off the GUI thread; the engine itself runs in a child process."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from desktop_app.core.errors import CancelledError, VerbatimError
from desktop_app.gui.common.background_task import start_worker_thread
from desktop_app.services import diarization_service, project_service
from desktop_app.services.transcription_service import (
    TranscriptionListener,
    TranscriptionOptions,
    transcribe_document,
)


class TranscriptionWorker(QObject):
    """Lives in its own QThread with its own connection to the study; talks only through signals."""

    document_started = Signal(int, str)  # document id, language
    progress = Signal(int, float, float, float)  # document id, done s, total s, × real time
    segments_added = Signal(int, int)  # document id, how many
    document_finished = Signal(int)
    document_failed = Signal(int, str)
    document_cancelled = Signal(int)
    queue_finished = Signal()

    def __init__(
        self,
        study_path: Path,
        document_ids: list[int],
        options: TranscriptionOptions,
        speakers: str = "",
        passphrase: str | None = None,
    ) -> None:
        super().__init__()
        self._passphrase = passphrase
        self._speakers = speakers
        self._study_path = study_path
        self._queue = list(document_ids)
        self._options = options
        self._listener = TranscriptionListener(
            on_started=lambda d, e: self.document_started.emit(d, e.language),
            on_progress=lambda d, e: self.progress.emit(d, e.done_seconds, e.total_seconds, e.speed),
            on_segments=lambda d, e: self.segments_added.emit(d, len(e.segments)),
        )

    def cancel(self) -> None:
        """Thread-safe: stops the running document within about a second and drops the rest of the queue."""
        self._queue.clear()
        self._listener.cancel.set()

    def run(self) -> None:
        try:
            with project_service.open_project(self._study_path, passphrase=self._passphrase) as store:
                while self._queue:
                    self._run_one(store, self._queue.pop(0))
        except VerbatimError as exc:
            self.document_failed.emit(-1, exc.message)
        self.queue_finished.emit()

    def _run_one(self, store: project_service.ProjectStore, document_id: int) -> None:
        try:
            outcome = transcribe_document(store, document_id, self._options, self._listener)
            if self._speakers and not self._listener.cancel.is_set():
                options = diarization_service.DiarizationOptions.from_speakers(self._speakers)
                diarization_service.diarize_document(store, document_id, options, heard=outcome.heard)
            self.document_finished.emit(document_id)
        except CancelledError:
            self.document_cancelled.emit(document_id)
        except VerbatimError as exc:
            self.document_failed.emit(document_id, exc.message)


def start_transcription(
    parent: QObject,
    study_path: Path,
    document_ids: list[int],
    options: TranscriptionOptions,
    speakers: str = "",
    passphrase: str | None = None,
) -> tuple[QThread, TranscriptionWorker]:
    worker = TranscriptionWorker(study_path, document_ids, options, speakers, passphrase)
    return start_worker_thread(parent, worker, worker.run, worker.queue_finished), worker
