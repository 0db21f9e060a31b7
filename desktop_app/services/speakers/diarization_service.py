"""Speaker turns for a transcribed document: embed the voices, label every word, rebuild the turns.

Runs on an existing transcript, so corrections already typed are kept (words follow text edits).
The audio is streamed in blocks; only small window embeddings are held in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from desktop_app.core.document import DocumentStatus
from desktop_app.core.errors import VerbatimError
from desktop_app.core.transcript import Word
from desktop_app.pipeline.audio_decode import SAMPLE_RATE, AudioBlock, stream_audio
from desktop_app.pipeline.segment_builder import build_segments
from desktop_app.pipeline.speakers.diarization import (
    DiarizationOptions,
    DiarizationResult,
    embed_speech,
    label_speakers,
)
from desktop_app.pipeline.speakers.heard_speech import HeardSpeech
from desktop_app.services.speakers import speaker_turns
from desktop_app.services.study import document_service, project_service
from desktop_app.services.study.project_service import require_writable
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository

__all__ = [
    "DiarizationOptions",
    "DiarizationOutcome",
    "diarize_document",
    "diarize_in_study",
    "engine_hint",
    "suits_meeting_engine",
    "unchecked_transcripts",
]


@dataclass(frozen=True)
class DiarizationOutcome:
    document_id: int
    speakers: int
    turns: int
    uncertain_words: int
    result: DiarizationResult
    hint: str | None = None  # what to try when the count looks wrong (``engine_hint``)


def engine_hint(options: DiarizationOptions, result: DiarizationResult) -> str | None:
    """A note when the interview engine, counting by itself, found fewer speakers than the segmentation model
    heard talk at length within one 10 s stretch: a group the meetings engine tells apart better.

    Measured: through the CLI (bench/diarization_ami_cli.py) it is said on AMI trn03, trn04 and trn07
    (1 found of 2, 3 and 4 people), not on trn08 (2 of 4), and not on the two-person recordings
    (pyannote sample, ES2003b, dev00); audio only, on 4, 6 and 8 real voices spliced in turn
    (bench/spliced_meetings.py: 2 found, 3 heard at once), and not on the generated dialogues and
    focus groups of 2-8 voices or one voice alone.
    """
    if options.meeting or options.num_speakers is not None:
        return None
    heard, found = result.people_apart, len(result.speakers)
    if options.max_speakers is not None and heard > options.max_speakers:
        return None  # the researcher's range says fewer
    if found >= heard:
        return None
    return (
        f"{heard} people were heard talking within one stretch, but only {found} "
        f"{'speaker was' if found == 1 else 'speakers were'} found: for a meeting or focus group, find "
        "speakers again with the meetings engine, or give the count"
    )


def suits_meeting_engine(speakers: str) -> bool:
    """Whether a ``--speakers`` value says four people or more (an exact count, or a range from four)."""
    try:
        return DiarizationOptions.from_speakers(speakers).suits_meetings
    except VerbatimError:
        return False


def diarize_document(
    store: ProjectStore,
    document_id: int,
    options: DiarizationOptions | None = None,
    on_progress: Callable[[float], None] | None = None,
    heard: HeardSpeech | None = None,
) -> DiarizationOutcome:
    """Find who spoke when and split the transcript into speaker turns (replaces earlier speakers).

    ``heard``: the speech the transcription run just found (its outcome's), so no VAD runs again there.
    """
    require_writable(store)
    options = options or DiarizationOptions()
    transcript = transcript_repository.load_transcript(store, document_id)
    words = transcript.words
    if not words and document_service.get_document(store, document_id).status in (
        DocumentStatus.IMPORTED,
        DocumentStatus.TRANSCRIBING,
    ):
        raise VerbatimError(store.path, f"document {document_id} has no transcript yet: transcribe it first")
    # a transcript with no words (silence, or only talk too quiet or brief for the transcriber) is a
    # result, not an error: the speaker step still runs, so speech without words reaches the timeline (RTTM)
    from desktop_app.services.study.security_service import open_document_media

    with open_document_media(store, document_id) as audio:  # a file, or the recording embedded in the study
        blocks = _reporting(stream_audio(audio, block_seconds=60.0, name=_media_name(store, document_id)), on_progress)
        result = _label(blocks, words, options, heard)
    unsure = set(result.uncertain_words)
    words = [replace(w, overlap=i in unsure) for i, w in enumerate(result.words)]
    segments = build_segments(words)
    # one journal action: earlier edits stay undoable, codings and memos move with their words, Undo restores the turns
    speaker_turns.replace_turns(store, document_id, segments, [(t.start, t.end, t.speaker) for t in result.turns])
    return DiarizationOutcome(
        document_id,
        len(result.speakers),
        len(segments),
        len(result.uncertain_words),
        result,
        engine_hint(options, result),
    )


def unchecked_transcripts(store: ProjectStore) -> list[int]:
    """The transcribed documents not yet marked as checked: those a study-wide speaker step runs on (one the
    researcher has checked keeps its turns unless named on its own)."""
    return [d.id for d in project_service.list_documents(store) if d.status == DocumentStatus.TRANSCRIBED]


def diarize_in_study(
    study: Path,
    passphrase: str | None,
    document_ids: list[int],
    options: DiarizationOptions,
    on_progress: Callable[[float], None] | None = None,
) -> tuple[list[DiarizationOutcome], list[tuple[int, str]]]:
    """``diarize_document`` on each document, on a connection opened for it (the window's background step).

    Each document is its own undo step. A document the step fails on is reported (its id, the message)
    and left as it was; the others go on. ``on_progress``: seconds of audio read, over all the documents.
    """
    outcomes: list[DiarizationOutcome] = []
    failed: list[tuple[int, str]] = []
    done = 0.0
    with project_service.open_project(study, passphrase=passphrase) as store:
        for document_id in document_ids:
            report = None if on_progress is None else (lambda seconds, before=done: on_progress(before + seconds))
            try:
                outcomes.append(diarize_document(store, document_id, options, report))
            except VerbatimError as exc:
                failed.append((document_id, exc.message))
            done += document_service.get_document(store, document_id).duration or 0.0
    return outcomes, failed


def _label(
    blocks: Iterator[AudioBlock], words: list[Word], options: DiarizationOptions, heard: HeardSpeech | None
) -> DiarizationResult:
    if options.meeting:  # segmentation + CAM++: better counts in meetings, worse on two-person interviews
        from desktop_app.pipeline.speakers import voice_diarization

        found = voice_diarization.embed_speech(blocks)  # hears what the transcriber's VAD dropped too
        return voice_diarization.label_speakers(found, words, options)
    return label_speakers(embed_speech(blocks, options, heard=heard), words, options)


def _media_name(store: ProjectStore, document_id: int) -> str:
    return document_service.get_document(store, document_id).media_path or f"recording of document {document_id}"


def _reporting(blocks: Iterator[AudioBlock], on_progress: Callable[[float], None] | None) -> Iterator[AudioBlock]:
    for start, samples in blocks:
        yield start, samples
        if on_progress is not None:
            on_progress(start + len(samples) / SAMPLE_RATE)
