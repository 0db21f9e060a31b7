"""Transcribe a queue of documents off the GUI thread; the engine itself runs in a child process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from desktop_app.core.errors import CancelledError, VerbatimError
from desktop_app.gui.common.background_task import start_worker_thread
from desktop_app.services.speakers import diarization_service
from desktop_app.services.study import project_service
from desktop_app.services.transcription.cluster_transcription_service import ClusterSpec
from desktop_app.services.transcription.transcription_service import (
    RetranscribeMode,
    TranscriptionListener,
    TranscriptionOptions,
    transcribe_document,
)


class TranscriptionWorker(QObject):
    """Lives in its own QThread with its own connection to the study; talks only through signals."""

    loading = Signal(int)  # document id: the model is loading (the engine has not started yet)
    document_started = Signal(int, str)  # document id, language
    engine_started = Signal(int, float)  # document id, seconds of audio to transcribe
    transcribed_again = Signal(int, str, list)  # document id, what changed, codings removed (descriptions)
    progress = Signal(int, float, float, float)  # document id, done s, total s, × real time
    segments_added = Signal(int, int)  # document id, how many
    document_finished = Signal(int)
    speakers_noted = Signal(int, str)  # document id, what the speaker step said of the count ("" for nothing)
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
        again: RetranscribeMode | None = None,
        cluster: ClusterSpec | None = None,
        meeting: bool = False,
    ) -> None:
        super().__init__()
        self._meeting = meeting  # the speaker engine for meetings and focus groups
        self._again = again
        self._cluster = cluster if again is None else None  # transcribing again keeps corrections only here
        self._passphrase = passphrase
        self._speakers = speakers
        self._study_path = study_path
        self._queue = list(document_ids)
        self._options = options
        self._listener = TranscriptionListener(
            on_started=self._started,
            on_progress=lambda d, e: self.progress.emit(d, e.done_seconds, e.total_seconds, e.speed),
            on_segments=lambda d, e: self.segments_added.emit(d, len(e.segments)),
        )

    def _started(self, document_id: int, event: Any) -> None:  # the engine's Started event
        self.document_started.emit(document_id, event.language)
        self.engine_started.emit(document_id, float(event.total_seconds))

    def _speaker_options(self) -> diarization_service.DiarizationOptions:
        return diarization_service.DiarizationOptions.from_speakers(self._speakers, meeting=self._meeting)

    def cancel(self) -> None:
        """Thread-safe: stops the running document within about a second and drops the rest of the queue."""
        self._queue.clear()
        self._listener.cancel.set()

    def run(self) -> None:
        try:
            with project_service.open_project(self._study_path, passphrase=self._passphrase) as store:
                if self._cluster is not None and self._queue and self._again is None:
                    self._run_on_cluster(store)  # transcribing again, around corrections, runs here: one writer
                while self._queue:
                    self._run_one(store, self._queue.pop(0))
        except VerbatimError as exc:
            self.document_failed.emit(-1, exc.message)
        self.queue_finished.emit()

    def _run_one(self, store: project_service.ProjectStore, document_id: int) -> None:
        try:
            self.loading.emit(document_id)
            outcome = transcribe_document(store, document_id, self._options, self._listener, again=self._again)
            if outcome.again is not None:  # the new turns carry the speakers of those they replaced
                self.transcribed_again.emit(document_id, outcome.again.summary(), outcome.again.codings_removed)
            elif self._speakers and not self._listener.cancel.is_set():
                found = diarization_service.diarize_document(
                    store, document_id, self._speaker_options(), heard=outcome.heard
                )
                self.speakers_noted.emit(document_id, found.hint or "")
            self.document_finished.emit(document_id)
        except CancelledError:
            self.document_cancelled.emit(document_id)
        except VerbatimError as exc:
            self.document_failed.emit(document_id, exc.message)

    def _run_on_cluster(self, store: project_service.ProjectStore) -> None:
        """The whole queue on the Dask cluster of Preferences ▸ Transcription, results written as they arrive."""
        from desktop_app.services.transcription import cluster_transcription_service as cts
        from desktop_app.services.transcription.cluster_document_run import replaces_a_transcript

        # a document whose transcript the run would replace is transcribed again here (keeping corrections)
        here = [d for d in self._queue if replaces_a_transcript(store, d, self._options)]
        queue, self._queue = [d for d in self._queue if d not in here], here
        if not queue:
            return
        self.loading.emit(queue[0])
        listener = cts.BatchListener(
            on_started=self._listener.on_started,
            on_progress=self._listener.on_progress,
            on_segments=self._listener.on_segments,
            on_finished=lambda outcome: self._finished_on_cluster(store, outcome),
            on_failed=self.document_failed.emit,
            cancel=self._listener.cancel,
        )
        assert self._cluster is not None
        self._done_on_cluster: set[int] = set()
        try:
            cts.transcribe_on_cluster(store, queue, self._options, self._cluster, listener)
        except CancelledError:
            for document_id in queue:
                if document_id not in self._done_on_cluster:
                    self.document_cancelled.emit(document_id)
        except VerbatimError as exc:
            self.document_failed.emit(-1, exc.message)

    def _finished_on_cluster(self, store: project_service.ProjectStore, outcome: Any) -> None:
        if self._speakers and not self._listener.cancel.is_set():
            options = self._speaker_options()
            found = diarization_service.diarize_document(store, outcome.document_id, options, heard=outcome.heard)
            self.speakers_noted.emit(outcome.document_id, found.hint or "")
        self._done_on_cluster.add(outcome.document_id)
        self.document_finished.emit(outcome.document_id)


def start_transcription(
    parent: QObject,
    study_path: Path,
    document_ids: list[int],
    options: TranscriptionOptions,
    speakers: str = "",
    passphrase: str | None = None,
    again: RetranscribeMode | None = None,
    meeting: bool = False,
) -> tuple[QThread, TranscriptionWorker]:
    from desktop_app.gui.preferences.compute_page import compute_target
    from desktop_app.gui.shell.settings import AppSettings

    cluster = compute_target(AppSettings())  # Preferences ▸ Transcription ▸ Compute (None: this computer)
    worker = TranscriptionWorker(study_path, document_ids, options, speakers, passphrase, again, cluster, meeting)
    return start_worker_thread(parent, worker, worker.run, worker.queue_finished), worker
