"""Transcribe documents: run the engine in a child process, store segments as they arrive, resume.

Every finished segment is committed the moment it arrives, so a cancel, a crash or ``kill -9``
loses at most the audio being worked on. Running again resumes after the last stored segment.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from desktop_app.core.document import DocumentInfo, DocumentStatus
from desktop_app.core.errors import CancelledError, ProjectError, VerbatimError
from desktop_app.core.transcript import Segment
from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.pipeline.engine_process import (
    Event,
    Failed,
    Finished,
    JobSpec,
    Progress,
    SegmentsReady,
    SpeechHeard,
    Started,
    TranscriptionJob,
)
from desktop_app.pipeline.model_registry import ModelRegistry
from desktop_app.pipeline.speakers.heard_speech import HeardSpeech
from desktop_app.services.study import document_service, security_service
from desktop_app.services.study.project_service import require_writable
from desktop_app.services.transcription.retranscription import (
    ExistingWork,
    RetranscribeMode,
    RetranscriptionReport,
    WorkAtRiskError,
    apply_new_transcript,
    existing_work,
    stretches_to_transcribe,
)
from desktop_app.storage.connection import guarded
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import document_repository, run_repository, transcript_repository

__all__ = [
    "ExistingWork",
    "RetranscribeMode",
    "TranscriptionListener",
    "TranscriptionOptions",
    "WorkAtRiskError",
    "pending_documents",
    "transcribe_document",
    "work_at_risk",
]

RESUMABLE_STATES = {"running", "cancelled", "interrupted", "failed"}


@dataclass
class TranscriptionListener:
    """Callbacks for a front end; every one is optional. ``cancel`` is checked between events."""

    on_started: Callable[[int, Started], None] | None = None
    on_progress: Callable[[int, Progress], None] | None = None
    on_segments: Callable[[int, SegmentsReady], None] | None = None
    cancel: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class TranscriptionOutcome:
    document_id: int
    run_id: int
    state: str
    resumed_from: float
    audio_seconds: float
    wall_seconds: float
    heard: HeardSpeech | None = (
        None  # speech the engine heard at the diarization threshold (saves the speaker step a VAD pass)
    )
    again: RetranscriptionReport | None = None  # set when an existing transcript was transcribed again


def pending_documents(store: ProjectStore) -> list[int]:
    """Documents not yet fully transcribed (imported, or stopped part-way)."""
    return [
        d.id
        for d in document_repository.list_documents(store)
        if d.status in (DocumentStatus.IMPORTED, DocumentStatus.TRANSCRIBING)
    ]


def starts_over(store: ProjectStore, document_id: int, options: TranscriptionOptions, restart: bool) -> bool:
    """Whether this run replaces the stored turns instead of resuming after them.

    A run that transcribed a document *again* is never resumed: its turns were never stored.
    """
    runs = run_repository.list_runs(store, document_id)
    last = runs[-1] if runs else None
    same_setup = (
        last is not None
        and last.model_name == options.model
        and last.state in RESUMABLE_STATES
        and "again" not in last.options
    )
    return restart or not same_setup


def expected_speed(store: ProjectStore, model: str) -> float | None:
    """Audio seconds per wall second of this model's finished runs in the study (None before the first)."""
    done = [r for d in document_repository.list_documents(store) for r in run_repository.list_runs(store, d.id)]
    timed = [r for r in done if r.model_name == model and r.state == "finished" and r.wall_seconds > 0]
    audio, wall = sum(r.audio_seconds for r in timed), sum(r.wall_seconds for r in timed)
    return audio / wall if audio > 0 and wall > 0 else None


def work_at_risk(
    store: ProjectStore, document_id: int, options: TranscriptionOptions, *, restart: bool = False
) -> ExistingWork | None:
    """The corrections, codings and memos a run would replace, when it would (ask the user first); else None."""
    if not transcript_repository.has_segments(store, document_id) or not starts_over(
        store, document_id, options, restart
    ):
        return None
    work = existing_work(store, document_id)
    return work if work.any else None


def transcribe_document(
    store: ProjectStore,
    document_id: int,
    options: TranscriptionOptions,
    listener: TranscriptionListener | None = None,
    *,
    restart: bool = False,
    registry: ModelRegistry | None = None,
    again: RetranscribeMode | None = None,
) -> TranscriptionOutcome:
    """Transcribe (or resume) one document; raise ``CancelledError`` if cancelled, keeping its segments.

    A document that already has turns is transcribed *again* when the run cannot resume: the new
    turns are held until the engine finishes, then written in one undoable step (``again`` says how;
    without it, a document with corrections, codings or memos raises ``WorkAtRiskError``).
    """
    require_writable(store)
    listener = listener or TranscriptionListener()
    document = document_service.get_document(store, document_id)
    audio, audio_opener = security_service.engine_audio(store, document_id)  # a missing or changed recording: nothing written
    registry = registry or ModelRegistry()
    model_path = registry.resolve(options.model)
    run_repository.mark_stale_runs_interrupted(store)
    again = _how_again(store, document_id, document.title, options, restart, again)
    resume_from = _resume_point(store, document_id) if again is None else 0.0
    run_id = _start_run(store, document_id, options, registry, again, resume_from)
    spans = stretches_to_transcribe(store, document_id) if again is RetranscribeMode.KEEP_CORRECTIONS else None
    spec = _job_spec(document, (audio, audio_opener), model_path, options, registry, resume_from, spans)
    run = _Run(store, document_id, run_id, listener, held=[] if again else None)
    state, wall = _run_timed(run, spec)
    if state == "cancelled":
        raise CancelledError(f"transcription of {document.title} cancelled")
    report = apply_new_transcript(store, document_id, run_id, again, run.held or []) if again else None
    audio_seconds = spec.total_seconds if spans is not None else max(0.0, (document.duration or 0.0) - resume_from)
    return TranscriptionOutcome(
        document_id, run_id, state, resume_from, audio_seconds, wall, HeardSpeech.joined(run.heard), report
    )


def _job_spec(
    document: DocumentInfo,
    audio: tuple[Path, Callable[[], BinaryIO] | None],
    model_path: Path,
    options: TranscriptionOptions,
    registry: ModelRegistry,
    resume_from: float,
    spans: list[tuple[float, float]] | None,
) -> JobSpec:
    """What the engine process is given: the recording (or how to open it), the model, where to start."""
    if (resume_from > 0 or spans is not None) and options.language == "auto" and document.language:
        options = replace(options, language=document.language)  # a resumed half, or short stretches: as detected
    total = sum(b - a for a, b in spans) if spans is not None else document.duration or 0.0
    sha256 = registry.entry(options.model).sha256
    path, opener = audio
    return JobSpec(path, model_path, options, resume_from, total, model_sha256=sha256, audio_opener=opener, spans=spans)


def _run_timed(run: _Run, spec: JobSpec) -> tuple[str, float]:
    """Run the engine on ``spec``, storing what it finds; how it ended, and its wall time (kept on the run)."""
    started = time.perf_counter()
    state = _run_job(run, TranscriptionJob(spec).start())
    wall = time.perf_counter() - started
    run_repository.update_run(run.store, run.run_id, wall_seconds=round(wall, 3))
    return state, wall


def _how_again(
    store: ProjectStore,
    document_id: int,
    title: str,
    options: TranscriptionOptions,
    restart: bool,
    again: RetranscribeMode | None,
) -> RetranscribeMode | None:
    """None when the run resumes (or starts on an empty document); else how it treats the turns there.

    Without ``again``, a document with corrections, codings or memos raises ``WorkAtRiskError``; one
    without is replaced (its earlier turns stay undoable all the same)."""
    if not (transcript_repository.has_segments(store, document_id) and starts_over(store, document_id, options, restart)):
        return None
    if again is None:
        work = existing_work(store, document_id)
        if work.any:
            raise WorkAtRiskError(store.path, title, work)
        again = RetranscribeMode.REPLACE
    return again


def _resume_point(store: ProjectStore, document_id: int) -> float:
    """Where a resumed run starts: after the last stored word; at 0 a stopped run's leftovers are cleared."""
    resume_from = transcript_repository.last_word_end(store, document_id)
    if resume_from == 0.0:
        transcript_repository.clear_transcript(store, document_id)  # a stopped run's leftovers, never corrected
    return resume_from


def _start_run(
    store: ProjectStore,
    document_id: int,
    options: TranscriptionOptions,
    registry: ModelRegistry,
    again: RetranscribeMode | None,
    resume_from: float,
) -> int:
    """Record the run (its options, and how it transcribes again); a first run marks the document transcribing."""
    recorded = options.to_dict() | ({"again": again.value} if again else {})
    run_id = run_repository.start_run(store, document_id, options.model, registry.entry(options.model).sha256, recorded)
    run_repository.update_run(store, run_id, resume_at=resume_from)
    if again is None:
        document_repository.set_status(store, document_id, DocumentStatus.TRANSCRIBING)
    return run_id


@dataclass
class _Run:
    """One engine run being stored: where its events go, and what it keeps for after the run."""

    store: ProjectStore
    document_id: int
    run_id: int
    listener: TranscriptionListener
    heard: list[HeardSpeech] = field(default_factory=list)  # speech the engine heard, block by block
    held: list[Segment] | None = None  # transcribing again: the new turns, held until the end


def _run_job(run: _Run, job: TranscriptionJob) -> str:
    """Consume the engine's events; a failure or cancel stops the child and is recorded on the run."""
    try:
        with guarded(run.store.path):  # a full disk, a removed drive: one message naming the study
            return _consume(run, job)
    except ProjectError as exc:  # the study cannot be written; what was stored is kept, and resumed from
        job.cancel()
        _record_failure(run.store, run.run_id, exc.problem)
        raise
    except VerbatimError:
        job.cancel()  # the run is already recorded as failed
        raise
    except BaseException:  # Ctrl+C, or an error in a listener
        job.cancel()
        run_repository.finish_run(run.store, run.run_id, "cancelled")
        raise


def _record_failure(store: ProjectStore, run_id: int, problem: str) -> None:
    """Mark the run failed, if the study takes even that; else it stays 'running', which the next run
    marks interrupted: either way it resumes after the last stored segment."""
    with contextlib.suppress(ProjectError), guarded(store.path):
        run_repository.finish_run(store, run_id, "failed", problem)


def _consume(run: _Run, job: TranscriptionJob) -> str:
    """Store segments as they arrive, or, transcribing again, hold them (``held``) until the end."""
    store, run_id = run.store, run.run_id
    for event in job.events(stop=run.listener.cancel.is_set):
        if isinstance(event, SpeechHeard):
            run.heard.append(event.heard)
        if isinstance(event, SegmentsReady) and run.held is not None:
            run.held.extend(event.segments)
        else:
            _handle(store, run.document_id, run_id, event, run.listener)
        if isinstance(event, Finished):
            with store.db.atomic():  # one commit: a kill can never leave a finished run on a "transcribing" document
                run_repository.finish_run(store, run_id, "finished")
                if run.held is None:  # transcribing again: the new turns and the status are one undoable step
                    document_repository.set_status(store, run.document_id, DocumentStatus.TRANSCRIBED)
            return "finished"
    if run.listener.cancel.is_set():
        run_repository.finish_run(store, run_id, "cancelled")
        return "cancelled"
    raise VerbatimError(store.path, "the transcription engine stopped without finishing")  # pragma: no cover


def _handle(store: ProjectStore, document_id: int, run_id: int, event: Event, listener: TranscriptionListener) -> None:
    if isinstance(event, Started):
        run_repository.update_run(
            store, run_id, language=event.language, language_probability=event.language_probability
        )
        document_repository.set_language(store, document_id, event.language)
        if listener.on_started:
            listener.on_started(document_id, event)
    elif isinstance(event, SegmentsReady):
        transcript_repository.append_segments(store, document_id, run_id, event.segments)
        run_repository.update_run(store, run_id, resume_at=event.segments[-1].end)
        if listener.on_segments:
            listener.on_segments(document_id, event)
    elif isinstance(event, Progress):
        run_repository.update_run(store, run_id, audio_seconds=round(event.done_seconds, 3))
        if listener.on_progress:
            listener.on_progress(document_id, event)
    elif isinstance(event, Failed):
        run_repository.finish_run(store, run_id, "failed", event.message)
        raise VerbatimError(security_service.media_label(store, document_id), event.message)
