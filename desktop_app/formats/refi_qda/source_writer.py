"""One document as REFI-QDA sources: an ``AudioSource`` (or ``VideoSource``) with its ``Transcript``,
plus the same text as a ``TextSource``, so every importer finds the codings somewhere.

The transcript carries exact ``SyncPoint``s (position = code-point offset, timeStamp = ms): one at each
line start (the segment's start time), at each word's start and end, and at each line's text end (the
segment's end time), emitted in position order. Each coding is a ``TranscriptSelection`` between two
sync points of its own (its start and end times), a ``PlainTextSelection`` on the text source and an
``AudioSelection`` (begin/end ms). Derived GUIDs are uuid5 of the document's or coding's GUID.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.coding import Coding
from desktop_app.core.span_tracking import span_time_range
from desktop_app.core.text_anchoring import word_char_spans
from desktop_app.formats.qda_snapshot import CODE, CODING, DOCUMENT, QdaDocument, QdaProject, derived_guid
from desktop_app.formats.refi_qda.layout import TranscriptText, transcript_to_text
from desktop_app.formats.refi_qda.notes import NotePlan, add_note_refs
from desktop_app.formats.refi_qda.xml import ElementBuilder, excerpt, milliseconds, xml_datetime, xml_text

MAX_INTERNAL_FILE = 2**31 - 1  # REFI-QDA 1.5, section 8.5
VIDEO_EXTENSIONS = {".mp4", ".m4v", ".mov", ".mkv", ".avi", ".webm", ".wmv", ".mpg", ".mpeg"}


@dataclass
class InternalFile:
    """A file for the archive's ``sources/`` folder: from disk or from bytes."""

    name: str
    path: Path | None = None
    data: bytes | None = None


@dataclass
class SourceContext:
    project: QdaProject
    builder: ElementBuilder
    notes: NotePlan
    embed_media: bool
    report: list[str]
    files: list[InternalFile] = field(default_factory=list)


class SyncPoints:
    """A transcript's sync points, emitted ordered by position (ties keep the order they were added)."""

    def __init__(self, transcript_guid: str) -> None:
        self._base = transcript_guid
        self._points: list[tuple[int, int, str]] = []

    def add(self, position: int, ms: int, role: str) -> str:
        guid = derived_guid(self._base, f"sync:{role}")
        self._points.append((position, ms, guid))
        return guid

    def write(self, transcript: ET.Element, builder: ElementBuilder) -> None:
        order = sorted(range(len(self._points)), key=lambda i: (self._points[i][0], i))
        for i in order:
            position, ms, guid = self._points[i]
            builder.make("SyncPoint", transcript, guid=guid, timeStamp=ms, position=position)


def timing_sync_points(document: QdaDocument, layout: TranscriptText, points: SyncPoints) -> None:
    for index, (segment, line) in enumerate(zip(document.transcript.segments, layout.lines, strict=True)):
        points.add(line.line_start, milliseconds(segment.start), f"segment-start:{index}")
        spans = word_char_spans(layout.segment_text(line), segment.words)
        for number, (word, span) in enumerate(zip(segment.words, spans, strict=True)):
            if span is not None:
                points.add(line.text_start + span[0], milliseconds(word.start), f"word-start:{index}:{number}")
                points.add(line.text_start + span[1], milliseconds(word.end), f"word-end:{index}:{number}")
        points.add(line.text_end, milliseconds(segment.end), f"segment-end:{index}")


@dataclass
class PlacedCoding:
    coding: Coding
    guid: str
    start: int
    end: int
    start_ms: int | None
    end_ms: int | None


def place_codings(ctx: SourceContext, document: QdaDocument, layout: TranscriptText) -> list[PlacedCoding]:
    placed = []
    for coding in (c for c in ctx.project.codings if c.document_id == document.info.id):
        start, end = layout.offset_of(coding.start), layout.offset_of(coding.end)
        if start is None or end is None or end < start:
            ctx.report.append(f"coding {coding.id} in '{document.info.title}': its segments are gone; left out")
            continue
        times: tuple[float | None, float | None] = (coding.start_time, coding.end_time)
        if None in times:
            times = span_time_range(document.transcript.segments, coding.start, coding.end) or (None, None)
        start_ms, end_ms = (milliseconds(t) if t is not None else None for t in times)
        placed.append(PlacedCoding(coding, ctx.project.guids.get(CODING, coding.id), start, end, start_ms, end_ms))
    return placed


def add_coding(ctx: SourceContext, parent: ET.Element, placed: PlacedCoding, role: str) -> None:
    """``Description`` (the coding's memo) then the ``Coding`` element with its code and notes."""
    coding, builder = placed.coding, ctx.builder
    if coding.memo:
        builder.text("Description", parent, xml_text(coding.memo, f"memo of coding {coding.id}", ctx.report))
    element = builder.make(
        "Coding",
        parent,
        guid=placed.guid if role == "transcript" else derived_guid(placed.guid, role),
        creatingUser=ctx.project.user_guid(coding.coder) if coding.coder else None,
        creationDateTime=xml_datetime(coding.created),
    )
    builder.make("CodeRef", element, targetGUID=ctx.project.guids.get(CODE, coding.code_id))
    add_note_refs(element, ctx.notes.by_coding.get(coding.id, []), builder)


def _selection_attrs(ctx: SourceContext, placed: PlacedCoding, text: str, role: str) -> dict[str, str | int | None]:
    coding = placed.coding
    return {
        "guid": derived_guid(placed.guid, f"{role}-selection"),
        "name": xml_text(excerpt(text[placed.start : placed.end]), "selection", []),
        "creatingUser": ctx.project.user_guid(coding.coder) if coding.coder else None,
        "creationDateTime": xml_datetime(coding.created),
    }


@dataclass
class NoteSpan:
    """A segment with memos: its text extent, times (ms) and note GUIDs."""

    start: int
    end: int
    start_ms: int
    end_ms: int
    note_guids: list[str]


def segment_note_spans(ctx: SourceContext, document: QdaDocument, layout: TranscriptText) -> list[NoteSpan]:
    spans = []
    for segment, line in zip(document.transcript.segments, layout.lines, strict=True):
        guids = ctx.notes.by_segment.get(segment.id, []) if segment.id is not None else []
        if guids:
            spans.append(
                NoteSpan(line.text_start, line.text_end, milliseconds(segment.start), milliseconds(segment.end), guids)
            )
    return spans


def build_transcript(
    ctx: SourceContext, document: QdaDocument, layout: TranscriptText, placed: list[PlacedCoding]
) -> ET.Element:
    builder, base = ctx.builder, ctx.project.guids.get(DOCUMENT, document.info.id)
    guid = derived_guid(base, "transcript")
    transcript = builder.make("Transcript", guid=guid, name=xml_text(document.info.title, "document title", ctx.report))
    builder.text("PlainTextContent", transcript, layout.text)
    points = SyncPoints(guid)
    timing_sync_points(document, layout, points)
    selections = []
    for item in placed:
        if item.start_ms is None or item.end_ms is None:
            ctx.report.append(f"coding {item.coding.id}: no time known; not a transcript selection")
            continue
        from_guid = points.add(item.start, item.start_ms, f"coding-start:{item.guid}")
        to_guid = points.add(item.end, item.end_ms, f"coding-end:{item.guid}")
        attrs = _selection_attrs(ctx, item, layout.text, "transcript")
        selection = builder.make("TranscriptSelection", fromSyncPoint=from_guid, toSyncPoint=to_guid, **attrs)
        add_coding(ctx, selection, item, "transcript")
        selections.append(selection)
    for number, span in enumerate(segment_note_spans(ctx, document, layout)):
        from_guid = points.add(span.start, span.start_ms, f"note-start:{number}")
        to_guid = points.add(span.end, span.end_ms, f"note-end:{number}")
        selection = builder.make(
            "TranscriptSelection",
            guid=derived_guid(guid, f"note-selection:{number}"),
            fromSyncPoint=from_guid,
            toSyncPoint=to_guid,
        )
        add_note_refs(selection, span.note_guids, builder)
        selections.append(selection)
    points.write(transcript, builder)
    transcript.extend(selections)
    return transcript


def absolute_url(path: Path) -> str:
    """``absolute:///C:/x.wav`` or ``absolute:///home/x.wav`` (forward slashes, as the spec shows)."""
    posix = path.absolute().as_posix()
    return "absolute://" + (posix if posix.startswith("/") else "/" + posix)


def _media_size(document: QdaDocument) -> int | None:
    media = document.media
    if media is None:
        return None
    if media.data is not None:
        return len(media.data)
    try:
        return media.path.stat().st_size if media.path is not None else None
    except OSError:
        return None


def media_path_attrs(ctx: SourceContext, document: QdaDocument, guid: str) -> dict[str, str | int | None]:
    """``path``/``currentPath`` of the recording: inside the archive when asked and possible, else absolute."""
    media, title = document.media, document.info.title
    original = media.path if media is not None and media.path is not None else None
    if original is None and document.info.media_path:
        original = Path(document.info.media_path)
    current = absolute_url(original) if original is not None else None
    bytes_only = media is not None and media.data is not None and original is None
    if bytes_only and not ctx.embed_media:
        ctx.report.append(f"'{title}': the recording exists only inside the study; embedded in the archive")
    if (ctx.embed_media or bytes_only) and media is not None:
        size = _media_size(document)
        if size is not None and size <= MAX_INTERNAL_FILE:
            name = f"{guid}{Path(media.file_name).suffix.lower()}"
            ctx.files.append(InternalFile(name, media.path if media.data is None else None, media.data))
            return {"path": f"internal://{name}", "currentPath": current}
        problem = "cannot be read" if size is None else "is over the format's 2 GB limit for embedded files"
        ctx.report.append(f"'{title}': the recording {problem}; referenced by its path instead")
    if current is None:
        ctx.report.append(f"'{title}': no recording known; the audio source has no path")
    return {"path": current}


def _is_video(document: QdaDocument) -> bool:
    name = document.media.file_name if document.media else document.info.media_path or ""
    return Path(name).suffix.lower() in VIDEO_EXTENSIONS


def build_media_source(
    ctx: SourceContext, document: QdaDocument, layout: TranscriptText, placed: list[PlacedCoding]
) -> ET.Element:
    builder, guid = ctx.builder, ctx.project.guids.get(DOCUMENT, document.info.id)
    kind = "Video" if _is_video(document) else "Audio"
    source = builder.make(
        f"{kind}Source",
        guid=guid,
        name=xml_text(document.info.title, "document title", ctx.report),
        **media_path_attrs(ctx, document, guid),
    )
    source.append(build_transcript(ctx, document, layout, placed))
    for item in placed:
        if item.start_ms is None or item.end_ms is None:
            continue
        attrs = _selection_attrs(ctx, item, layout.text, "media")
        selection = builder.make(
            f"{kind}Selection", source, begin=item.start_ms, end=max(item.end_ms, item.start_ms), **attrs
        )
        add_coding(ctx, selection, item, "media")
    add_note_refs(source, ctx.notes.by_document.get(document.info.id, []), builder)
    return source


def build_text_source(
    ctx: SourceContext, document: QdaDocument, layout: TranscriptText, placed: list[PlacedCoding]
) -> ET.Element:
    builder = ctx.builder
    guid = derived_guid(ctx.project.guids.get(DOCUMENT, document.info.id), "text-source")
    ctx.files.append(InternalFile(f"{guid}.txt", data=layout.text.encode("utf-8")))
    source = builder.make(
        "TextSource",
        guid=guid,
        name=xml_text(document.info.title, "document title", ctx.report),
        plainTextPath=f"internal://{guid}.txt",
    )
    for item in placed:
        attrs = _selection_attrs(ctx, item, layout.text, "text")
        selection = builder.make("PlainTextSelection", source, startPosition=item.start, endPosition=item.end, **attrs)
        add_coding(ctx, selection, item, "text")
    for number, span in enumerate(segment_note_spans(ctx, document, layout)):
        selection = builder.make(
            "PlainTextSelection",
            source,
            guid=derived_guid(guid, f"note-selection:{number}"),
            startPosition=span.start,
            endPosition=span.end,
        )
        add_note_refs(selection, span.note_guids, builder)
    add_note_refs(source, ctx.notes.by_document.get(document.info.id, []), builder)
    return source


def build_document_sources(ctx: SourceContext, document: QdaDocument) -> list[ET.Element]:
    """The media source (with transcript) and the text source for ``document``."""
    layout = transcript_to_text(document.transcript, document.speaker_names())
    if layout.changed_segments:
        ctx.report.append(
            f"'{document.info.title}': {layout.changed_segments} segment(s) lost control characters or line breaks"
        )
    placed = place_codings(ctx, document, layout)
    return [build_media_source(ctx, document, layout, placed), build_text_source(ctx, document, layout, placed)]
