"""Audio clips of coded extracts: one file per extract, for presentations, member checks and teaching.

Each clip is named ``<code> - <participant label or document> - <mm.ss>.wav`` (the extract's start
in the recording), optionally padded on both sides. A pseudonymised export names clips by quote
label or pseudonymised title; with ``bleep`` every spoken name or place in the pseudonym table is
also covered by a tone, using the words' times. Recordings are read where they are, embedded ones
straight from the study, so an encrypted study never puts plain audio in a temporary file.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from desktop_app.core.errors import ExportError, MediaError
from desktop_app.formats.audio_clip_writer import CLIP_FORMATS, ClipWriter
from desktop_app.pipeline.audio_excerpt import ExcerptReader, bleep
from desktop_app.services.coding import coding_service
from desktop_app.services.coding.coding_service import Extract
from desktop_app.services.participants import participant_service, pseudonym_service
from desktop_app.services.participants.identifier_times import TimeSpan, identifier_spans
from desktop_app.services.study import security_service
from desktop_app.services.transcript import edit_service
from desktop_app.storage.project_store import ProjectStore

__all__ = ["CLIP_FORMATS", "ClipExport", "ClipOptions", "clip_name", "export_clips"]

UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
NAME_PART_LIMIT = 60  # characters of a code, label or title in a file name


@dataclass(frozen=True)
class ClipOptions:
    padding: float = 0.0  # seconds of audio kept before and after each extract
    pseudonymised: bool = False  # clips named by quote label or pseudonymised title
    bleep: bool = False  # cover spoken identifiers with a tone (implies pseudonymised names)
    include_subcodes: bool = True
    fmt: str = "wav"  # or "flac"
    bleep_margin: float = 0.05  # seconds added to each side of a bleeped word, for loose word times


@dataclass
class ClipExport:
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # extracts without audio times: a note each
    failed: list[str] = field(default_factory=list)  # recordings that are missing or damaged
    audio_seconds: float = 0.0
    bleeps: int = 0
    wall_seconds: float = 0.0


Progress = Callable[[int, int], None]  # (clips done, clips in all)


def export_clips(
    store: ProjectStore,
    code_id: int,
    folder: Path,
    options: ClipOptions = ClipOptions(),
    progress: Progress | None = None,
) -> ClipExport:
    """Write one clip per extract of ``code_id`` into ``folder`` (created if needed)."""
    if options.fmt not in CLIP_FORMATS:
        raise ExportError(folder, f"unknown clip format {options.fmt!r} (use {', '.join(CLIP_FORMATS)})")
    if options.padding < 0:
        raise ExportError(folder, "the padding cannot be negative")
    started = time.perf_counter()
    _make_folder(Path(folder))
    items = coding_service.extracts(store, code_id, include_subcodes=options.include_subcodes)
    namer = _ClipNamer(store, options)
    result = ClipExport()
    done = 0
    for document_id, group in groupby(items, key=lambda e: e.coding.document_id):
        extracts = list(group)
        try:
            _export_document(store, document_id, extracts, Path(folder), options, namer, result)
        except MediaError as exc:
            result.failed.append(f"{len(extracts)} extract(s) of {extracts[0].document_title}: {exc.message}")
        done += len(extracts)
        if progress is not None:
            progress(done, len(items))
    result.wall_seconds = time.perf_counter() - started
    return result


def _make_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise ExportError(folder, "is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(folder, f"cannot be created ({exc.strerror or exc})") from exc


def _export_document(
    store: ProjectStore,
    document_id: int,
    extracts: list[Extract],
    folder: Path,
    options: ClipOptions,
    namer: _ClipNamer,
    result: ClipExport,
) -> None:
    spans = identifier_spans(store, document_id) if options.bleep else []
    with _open_recording(store, document_id) as reader:
        for item in extracts:
            start, end = item.coding.start_time, item.coding.end_time
            if start is None or end is None:
                result.skipped.append(f"{namer.describe(item)}: the coded text has no audio times")
                continue
            clip_start, clip_end = max(0.0, start - options.padding), end + options.padding
            inside = _overlapping(spans, clip_start, clip_end, options.bleep_margin)
            path = folder / f"{namer.name(item)}.{options.fmt}"
            with ClipWriter(path, reader.sample_rate, reader.channels, options.fmt) as clip:
                for block in reader.stream(clip_start, clip_end):
                    clip.write((bleep(block, inside, margin=options.bleep_margin) if inside else block).samples)
            result.written.append(path)
            result.audio_seconds += clip.seconds
            result.bleeps += len(inside)


def _open_recording(store: ProjectStore, document_id: int) -> ExcerptReader:
    """The recording on disk by path (FFmpeg reads it directly), or an embedded one as a stream from the study."""
    path, embedded = security_service.engine_audio(store, document_id)
    if embedded is None:
        return ExcerptReader(path)
    stream = security_service.open_document_media(store, document_id)
    try:
        return ExcerptReader(stream, name=str(path), owns=stream)
    except BaseException:
        stream.close()
        raise


def _overlapping(spans: list[TimeSpan], start: float, end: float, margin: float) -> list[TimeSpan]:
    return [(a, b) for a, b in spans if b + margin > start and a - margin < end]


class _ClipNamer:
    """File names for clips: unique within one export, safe on Windows, macOS and Linux."""

    def __init__(self, store: ProjectStore, options: ClipOptions) -> None:
        self.store = store
        self.pseudonymised = options.pseudonymised or options.bleep
        self.transform = pseudonym_service.text_transform(store) if self.pseudonymised else (lambda text: text)
        self.quote_labels = participant_service.quote_labels(store)
        self.participants: dict[int, dict[str, str]] = {}
        self.used: set[str] = set()

    def source(self, item: Extract) -> str:
        """The participant's quote label when the speaker is linked to one, else the document title."""
        if item.coding.document_id not in self.participants:
            speakers = edit_service.load_speakers(self.store, item.coding.document_id)
            self.participants[item.coding.document_id] = {
                label: self.quote_labels.get(info.participant, info.participant)
                for label, info in speakers.items()
                if info.participant
            }
        participant = self.participants[item.coding.document_id].get(item.speaker or "")
        return self.transform(participant or item.document_title)

    def describe(self, item: Extract) -> str:
        return f"{item.code.name} - {self.source(item)}"

    def name(self, item: Extract) -> str:
        seconds = int(item.coding.start_time or 0.0)
        stem = clip_name(item.code.name, self.source(item), seconds)
        unique, number = stem, 2
        while unique.casefold() in self.used:
            unique, number = f"{stem} ({number})", number + 1
        self.used.add(unique.casefold())
        return unique


def clip_name(code: str, source: str, seconds: int) -> str:
    """``Night shifts - Peer support worker 5 - 03.07``: code, who or where, minutes.seconds."""
    parts = [_safe(code) or "code", _safe(source) or "document", f"{seconds // 60:02d}.{seconds % 60:02d}"]
    return " - ".join(parts)


def _safe(text: str) -> str:
    cleaned = " ".join(UNSAFE_IN_NAMES.sub("_", text).split())
    return cleaned[:NAME_PART_LIMIT].strip(" .")
