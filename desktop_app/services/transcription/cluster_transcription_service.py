"""Transcribe a batch of documents on a Dask cluster; the study stays here, with this process its only writer.

The client reads each recording (decrypting it from the study when it is embedded), cuts it into
chunks at silences and ships each chunk's samples in memory to the workers, a bounded number at
a time, so a 3-hour focus group is spread over every worker and never held whole in memory.
Results are written in recording order as they arrive (``cluster_document_run``), with the same
progress, ETA and resume as the single-machine path. A worker that dies mid-chunk has its task
run again elsewhere by Dask (up to ``distributed.scheduler.allowed-failures`` times).
"""

from __future__ import annotations

import contextlib
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from desktop_app.core.errors import CancelledError, ProjectError, VerbatimError
from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.pipeline.cluster.chunks import Chunk
from desktop_app.pipeline.cluster.connection import (
    ClusterError,
    ClusterSpec,
    check_address,
    connect,
    describe,
    local_cores_per_worker,
    security_for,
)
from desktop_app.pipeline.cluster.worker_check import WorkerReport, check_worker
from desktop_app.pipeline.cluster.worker_tasks import DetectedLanguage, EngineSpec, detect_language, transcribe_chunk
from desktop_app.pipeline.engine_process import Progress
from desktop_app.pipeline.model_registry import ModelRegistry
from desktop_app.services.study import document_service
from desktop_app.services.study.project_service import require_writable
from desktop_app.services.transcription.cluster_document_run import DocumentRun
from desktop_app.services.transcription.transcription_service import TranscriptionListener, TranscriptionOutcome
from desktop_app.storage.connection import guarded
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import run_repository

__all__ = [
    "BatchListener",
    "BatchResult",
    "ClusterError",
    "ClusterSpec",
    "WorkerReport",
    "check_cluster",
    "check_workers",
    "transcribe_on_cluster",
    "transcribe_with_client",
]

POLL_SECONDS = 0.25


@dataclass
class BatchListener(TranscriptionListener):
    """Per-document callbacks (as for one machine), plus the batch's progress and each document's end."""

    on_batch_progress: Callable[[Progress], None] | None = None
    on_finished: Callable[[TranscriptionOutcome], None] | None = None
    on_failed: Callable[[int, str], None] | None = None


@dataclass(frozen=True)
class BatchResult:
    outcomes: list[TranscriptionOutcome]
    failed: dict[int, str]  # document id -> why
    wall_seconds: float


def transcribe_on_cluster(
    store: ProjectStore,
    document_ids: list[int],
    options: TranscriptionOptions,
    cluster: ClusterSpec,
    listener: BatchListener | None = None,
    *,
    restart: bool = False,
) -> BatchResult:
    """Connect to (or start) the cluster ``cluster`` names and transcribe ``document_ids`` on it."""
    require_writable(store)
    with connect(cluster) as client:
        return transcribe_with_client(
            store, document_ids, options, client, listener, restart=restart,
            where=describe(cluster), cpu_threads=local_cores_per_worker(cluster),
        )  # fmt: skip


def transcribe_with_client(
    store: ProjectStore,
    document_ids: list[int],
    options: TranscriptionOptions,
    client: Any,
    listener: BatchListener | None = None,
    *,
    restart: bool = False,
    where: str = "dask",
    cpu_threads: int = 0,
) -> BatchResult:
    """The batch on a connected ``distributed.Client``; raises ``CancelledError`` on cancel, keeping what was stored."""
    require_writable(store)
    listener = listener or BatchListener()
    model_sha = _model_sha256(options.model)
    run_repository.mark_stale_runs_interrupted(store)
    batch = _Batch(
        store, document_ids, options, client, listener, EngineSpec(options, model_sha, cpu_threads), restart, where
    )
    with guarded(store.path):  # a full disk, a removed drive: one message naming the study
        try:
            batch.run()
        except BaseException as exc:
            batch.abandon("failed" if isinstance(exc, VerbatimError) else "cancelled", exc)
            raise
    return BatchResult(batch.outcomes, batch.failed, time.perf_counter() - batch.began)


class _Batch:
    """The client loop: keep up to ``limit`` tasks in flight, write each result as it completes."""

    def __init__(
        self,
        store: ProjectStore,
        document_ids: list[int],
        options: TranscriptionOptions,
        client: Any,
        listener: BatchListener,
        spec: EngineSpec,
        restart: bool,
        where: str,
    ) -> None:
        self.store, self.options, self.client, self.listener, self.spec = store, options, client, listener, spec
        self.restart, self.where = restart, where
        self.queue = list(document_ids)
        self.open: dict[int, DocumentRun] = {}
        self.feeds: list[tuple[DocumentRun, Iterator[Any]]] = []
        self.pending: dict[Any, tuple[DocumentRun, str, int]] = {}  # future -> (document, "detect"|"chunk", index)
        self.language_futures: dict[int, Any] = {}
        self.outcomes: list[TranscriptionOutcome] = []
        self.failed: dict[int, str] = {}
        self.began = time.perf_counter()
        self.total_seconds = sum(_duration(store, i) for i in document_ids)  # less what resumed runs skip
        self.limit = 4

    def run(self) -> None:
        from distributed import wait

        self._fill()
        while self.pending:
            if self.listener.cancel.is_set():
                raise CancelledError("transcription cancelled")
            try:
                done, _ = wait(list(self.pending), timeout=POLL_SECONDS, return_when="FIRST_COMPLETED")  # type: ignore[no-untyped-call]
            except TimeoutError:  # nothing finished yet: look at cancel again
                continue
            for future in sorted(done, key=lambda f: self.pending[f][1] != "detect"):
                self._collect(future)
            self._fill()

    def _fill(self) -> None:
        """Submit chunks (opening the next documents as needed) until ``limit`` tasks are in flight.

        The limit follows the workers there are (job-queue workers join over minutes): two chunks per
        worker thread keep every worker busy while results travel, and bound the audio in memory.
        """
        self.limit = max(4, 2 * _worker_threads(self.client) + 2)
        while len(self.pending) < self.limit:
            if not self.feeds and not self._open_next():
                return
            document, feed = self.feeds[0]
            try:
                item = next(feed, None)
            except VerbatimError as exc:  # the recording cannot be decoded: this document fails, the batch goes on
                self._fail(document, exc.message)
                continue
            if item is None:
                self.feeds.pop(0)
                document.joiner.close()
                self._finish_if_complete(document)
            else:
                self._submit(document, item)

    def _open_next(self) -> bool:
        while self.queue:
            document_id = self.queue.pop(0)
            try:
                document = DocumentRun.open(
                    self.store,
                    document_id,
                    self.options,
                    self.spec.model_sha256,
                    restart=self.restart,
                    where=self.where,
                )
            except ProjectError:
                raise
            except VerbatimError as exc:
                self.failed[document_id] = exc.message
                if self.listener.on_failed:
                    self.listener.on_failed(document_id, exc.message)
                continue
            self.open[document_id] = document
            self.total_seconds -= min(document.resume_from, document.total_seconds)
            self.feeds.append((document, document.chunks()))
            return True
        return False

    def _submit(self, document: DocumentRun, item: Chunk | tuple[str, Any]) -> None:
        spec = EngineSpec(document.options, self.spec.model_sha256, self.spec.cpu_threads)
        tag = f"{document.run_id}-{uuid.uuid4().hex[:8]}"
        with warnings.catch_warnings():  # chunks are large on purpose: they travel in the task, so Dask can rerun it
            warnings.filterwarnings("ignore", message=".*[Ll]arge object.*")
            warnings.filterwarnings("ignore", message=".*[Ss]ending large graph.*")
            if isinstance(item, Chunk):
                language = document.language or self.language_futures[document.document_id]
                future = self.client.submit(
                    transcribe_chunk, spec, language, item.offset, item.audio, key=f"verbatim-chunk-{tag}-{item.index}"
                )
                self.pending[future] = (document, "chunk", item.index)
            else:
                future = self.client.submit(detect_language, spec, item[1], key=f"verbatim-language-{tag}")
                self.language_futures[document.document_id] = future
                self.pending[future] = (document, "detect", -1)

    def _collect(self, future: Any) -> None:
        document, kind, index = self.pending.pop(future)
        if document.document_id not in self.open:
            return  # the document failed already
        if future.status != "finished":
            self._fail(document, _task_problem(future, document))
            return
        result = future.result()
        if kind == "detect":
            found: DetectedLanguage = result
            document.language_found(found.language, found.probability, found.device, self.listener)
            return
        document.chunk_done(index, result, self.listener)
        self._report_batch()
        self._finish_if_complete(document)

    def _finish_if_complete(self, document: DocumentRun) -> None:
        if not document.complete or document.document_id not in self.open:
            return
        outcome = document.finish(self.listener)
        del self.open[document.document_id]
        self.language_futures.pop(document.document_id, None)
        self.outcomes.append(outcome)
        if self.listener.on_finished:
            self.listener.on_finished(outcome)

    def _fail(self, document: DocumentRun, problem: str) -> None:
        """This document's run is recorded failed (what was stored stays, and is resumed from); the rest go on."""
        self.open.pop(document.document_id, None)
        self.feeds = [(d, f) for d, f in self.feeds if d is not document]
        for future, (d, _, _) in list(self.pending.items()):
            if d is document:
                future.cancel()
                del self.pending[future]
        self.language_futures.pop(document.document_id, None)
        run_repository.finish_run(self.store, document.run_id, "failed", problem)
        self.failed[document.document_id] = problem
        if self.listener.on_failed:
            self.listener.on_failed(document.document_id, problem)

    def _report_batch(self) -> None:
        if not self.listener.on_batch_progress:
            return
        done = sum(d.done_seconds - d.resume_from for d in self.open.values()) + sum(
            o.audio_seconds for o in self.outcomes
        )
        total = self.total_seconds
        self.listener.on_batch_progress(Progress(min(done, total), total, time.perf_counter() - self.began))

    def abandon(self, state: str, exc: BaseException) -> None:
        """Stop every task; open runs are marked so the next run resumes them (if the study still takes a write)."""
        for future in self.pending:
            future.cancel()
        self.pending.clear()
        with contextlib.suppress(ProjectError, VerbatimError), guarded(self.store.path):
            for document in self.open.values():
                message = exc.message if isinstance(exc, VerbatimError) else None
                run_repository.finish_run(self.store, document.run_id, state, message)


def check_cluster(cluster: ClusterSpec) -> None:
    """Refuse an unsafe or incomplete address (``ClusterError`` saying why) before anything is opened or sent."""
    check_address(cluster)
    if cluster.kind == "scheduler":
        security_for(cluster)


def check_workers(cluster: ClusterSpec, options: TranscriptionOptions) -> list[WorkerReport]:
    """Each worker's device, models and measured speed on the sample recording (one task pinned to each worker)."""
    from desktop_app.pipeline.audio_decode import decode_all
    from desktop_app.services.study.sample_study_service import sample_recording

    sample = sample_recording()
    audio = decode_all(sample.audio)
    options = replace(options, language=sample.language if options.language == "auto" else options.language)
    with connect(cluster) as client:
        workers = _wait_for_workers(client)
        spec = EngineSpec(options, "", local_cores_per_worker(cluster))
        futures = [
            client.submit(check_worker, spec, audio, workers=[w], allow_other_workers=False, pure=False)
            for w in workers
        ]
        return [f.result() for f in futures]


def _wait_for_workers(client: Any, timeout: float = 60.0) -> list[str]:
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError as exc:
        raise ClusterError(str(client.scheduler.address), f"no worker joined within {timeout:.0f} s") from exc
    return sorted(client.scheduler_info()["workers"])


def _task_problem(future: Any, document: DocumentRun) -> str:
    """Why a task failed, in words: a worker that kept dying, a model missing there, or an engine error."""
    from distributed import KilledWorker

    try:
        exc = future.exception(timeout=5)
    except Exception as error:  # cancelled, or the scheduler went away
        return f"the cluster lost the task ({type(error).__name__})"
    if isinstance(exc, KilledWorker):
        return f"workers kept dying while transcribing {document.title} ({exc})"
    return f"a worker failed on {document.title}: {exc}"


def _model_sha256(model: str) -> str:
    """The model's sha256 here, which every worker's copy must match; "" when only the workers have it
    (a large model on the GPU server, not on the laptop): each worker then uses its own."""
    from desktop_app.core.errors import ModelError

    try:
        return ModelRegistry().entry(model).sha256
    except ModelError:
        return ""


def _worker_threads(client: Any) -> int:
    try:
        return max(1, int(sum(client.nthreads().values())))
    except (OSError, TimeoutError, ClusterError):
        return 1


def _duration(store: ProjectStore, document_id: int) -> float:
    try:
        return document_service.get_document(store, document_id).duration or 0.0
    except VerbatimError:
        return 0.0
