"""One document of a cluster batch: its run record, its chunks, and its results written in order.

The client is the study's only writer. Workers send words back in any order; each document
joins them in recording order and commits every finished segment at once, exactly as the
single-machine path does, so a killed client keeps everything stored and the next run resumes
after the last stored word (see ``pipeline.cluster.chunks`` for why the result is identical).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from desktop_app.core.document import DocumentStatus
from desktop_app.core.errors import VerbatimError
from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.pipeline.audio_decode import recording_blocks
from desktop_app.pipeline.cluster.chunks import Chunk, ChunkJoiner, ChunkResult, recording_chunks
from desktop_app.pipeline.engine_process import Progress, SegmentsReady, Started
from desktop_app.pipeline.speakers.heard_speech import HeardSpeech
from desktop_app.services.study import document_service, security_service
from desktop_app.services.transcription.transcription_service import (
    TranscriptionListener,
    TranscriptionOutcome,
    starts_over,
)
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import document_repository, run_repository, transcript_repository


def replaces_a_transcript(
    store: ProjectStore, document_id: int, options: TranscriptionOptions, *, restart: bool = False
) -> bool:
    """Whether a run would replace stored turns (which only the single-machine path does, keeping corrections)."""
    return transcript_repository.has_segments(store, document_id) and starts_over(store, document_id, options, restart)


def resume_point(store: ProjectStore, document_id: int, options: TranscriptionOptions, restart: bool) -> float:
    """Where a run of ``document_id`` starts: after the last stored word if the last run can be resumed.

    A document whose turns a run would replace (a finished transcript, another model, ``restart``) is
    refused: transcribing again keeps corrections and stays undoable only through the single-machine
    path (``transcription_service``), and a batch sent to a cluster must never cost a correction.
    """
    if not starts_over(store, document_id, options, restart):
        return transcript_repository.last_word_end(store, document_id)
    if transcript_repository.has_segments(store, document_id):
        raise VerbatimError(
            store.path,
            f"document {document_id} already has a transcript; a cluster run only transcribes new documents "
            "and resumes stopped ones. Transcribe it again on this computer (--keep-corrections or --replace)",
        )
    transcript_repository.clear_transcript(store, document_id)  # a stopped run's leftovers (no words)
    return 0.0


@dataclass
class DocumentRun:
    """The client's side of one document: submitted chunks, language, and what is written so far."""

    store: ProjectStore
    document_id: int
    run_id: int
    options: TranscriptionOptions
    resume_from: float
    total_seconds: float
    title: str
    model_sha256: str
    began: float = field(default_factory=time.perf_counter)
    language: str | None = None  # known once given, stored, or detected
    language_probability: float | None = None
    started: bool = False
    done_seconds: float = 0.0
    heard: list[HeardSpeech] = field(default_factory=list)
    joiner: ChunkJoiner = field(init=False)

    def __post_init__(self) -> None:
        self.joiner = ChunkJoiner(self.resume_from)
        self.done_seconds = self.resume_from

    @classmethod
    def open(
        cls,
        store: ProjectStore,
        document_id: int,
        options: TranscriptionOptions,
        model_sha256: str,
        *,
        restart: bool,
        where: str,
    ) -> DocumentRun:
        """Record the run (state 'running') and mark the document transcribing, as the single-machine path does."""
        document = document_service.get_document(store, document_id)
        resume_from = resume_point(store, document_id, options, restart)
        run_id = run_repository.start_run(
            store, document_id, options.model, model_sha256, {**options.to_dict(), "compute": where}
        )
        run_repository.update_run(store, run_id, resume_at=resume_from)
        document_repository.set_status(store, document_id, DocumentStatus.TRANSCRIBING)
        if resume_from > 0 and options.language == "auto" and document.language:
            options = replace(options, language=document.language)  # the resumed half keeps the detected language
        run = cls(
            store, document_id, run_id, options, resume_from, document.duration or 0.0, document.title, model_sha256
        )
        if options.language != "auto":
            run.language = options.language
        return run

    def chunks(self) -> Iterator[Chunk | tuple[str, Any]]:
        """``("detect", first block audio)`` when the language must be found, then the chunks not yet stored."""
        audio_path, opener = security_service.engine_audio(self.store, self.document_id)
        blocks = recording_blocks(audio_path, opener, block_seconds=self.options.block_seconds)
        first = next(blocks, None)
        if first is None:
            return
        if self.language is None:
            yield ("detect", first[1])
        for chunk in recording_chunks(_chain(first, blocks), self.options):
            if chunk.done > self.resume_from + 1e-6:
                self.joiner.sent(chunk)
                yield chunk

    def language_found(
        self, language: str, probability: float | None, device: str, listener: TranscriptionListener
    ) -> None:
        self.language, self.language_probability = language, probability
        self._start(device, listener)

    def _start(self, device: str, listener: TranscriptionListener) -> None:
        if self.started:
            return
        self.started = True
        language = self.language or self.options.language
        run_repository.update_run(
            self.store, self.run_id, language=language, language_probability=self.language_probability
        )
        document_repository.set_language(self.store, self.document_id, language)
        if listener.on_started:
            listener.on_started(
                self.document_id,
                Started(
                    language,
                    self.language_probability,
                    device,
                    self.total_seconds,
                    self.options.model,
                    self.model_sha256,
                ),
            )

    def chunk_done(self, index: int, result: ChunkResult, listener: TranscriptionListener) -> None:
        """Write every part that is now in order: segments committed as they are final, then progress."""
        self._start(result.device, listener)
        self.joiner.add(index, result)
        for part in self.joiner.ready():
            self._write(part.segments, listener)
            self.heard.append(part.heard)
            self.done_seconds = max(self.done_seconds, part.done)
            progress = Progress(
                min(self.done_seconds, self.total_seconds or self.done_seconds), self.total_seconds, self.wall
            )
            run_repository.update_run(self.store, self.run_id, audio_seconds=round(progress.done_seconds, 3))
            if listener.on_progress:
                listener.on_progress(self.document_id, progress)

    def _write(self, segments: list[Any], listener: TranscriptionListener) -> None:
        if not segments:
            return
        transcript_repository.append_segments(self.store, self.document_id, self.run_id, segments)
        run_repository.update_run(self.store, self.run_id, resume_at=segments[-1].end)
        if listener.on_segments:
            listener.on_segments(self.document_id, SegmentsReady(segments))

    @property
    def wall(self) -> float:
        return time.perf_counter() - self.began

    @property
    def complete(self) -> bool:
        return self.joiner.complete

    def finish(self, listener: TranscriptionListener) -> TranscriptionOutcome:
        """The last segment, then the run and the document marked finished in one commit."""
        self._start("", listener)
        self._write(self.joiner.finish(), listener)
        run_repository.update_run(self.store, self.run_id, wall_seconds=round(self.wall, 3))
        with self.store.db.atomic():  # a kill can never leave a finished run on a "transcribing" document
            run_repository.finish_run(self.store, self.run_id, "finished")
            document_repository.set_status(self.store, self.document_id, DocumentStatus.TRANSCRIBED)
        audio_seconds = max(0.0, self.total_seconds - self.resume_from)
        return TranscriptionOutcome(
            self.document_id,
            self.run_id,
            "finished",
            self.resume_from,
            audio_seconds,
            self.wall,
            HeardSpeech.joined(self.heard),
        )


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest
