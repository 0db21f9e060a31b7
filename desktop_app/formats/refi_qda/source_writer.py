"""One document as REFI-QDA sources, in one of two representations.

A document without a recording is a ``TextSource`` only. A document with one is an ``AudioSource``
(or ``VideoSource``) plus a ``TextSource`` holding the transcript's text (``plainTextPath`` files).

- *for another QDA tool* (the default): each coding once, as a ``PlainTextSelection`` on the text
  source; the media source holds the recording only. This is what QualCoder, MAXQDA and NVivo import
  without duplicates; word timings do not travel.
- *complete*: the media source also holds a ``Transcript`` with exact ``SyncPoint``s (position =
  code-point offset, timeStamp = ms: each line start and text end, each word's start and end) and
  each coding as a ``TranscriptSelection`` and an ``AudioSelection`` besides the text selection, so
  Verbatim gets everything back; other tools show such a coding three times.

Every source, selection and coding carries a ``creationDateTime`` (its own, else the export's). A
recording's local path is never written: it goes inside the archive, or is named ``relative://`` by
its file name. Derived GUIDs are uuid5 of the document's or coding's GUID.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.coding import Coding
from desktop_app.core.text.span_tracking import span_time_range
from desktop_app.core.text.text_anchoring import word_char_spans
from desktop_app.formats.qda_snapshot import CODE, CODING, DOCUMENT, QdaDocument, QdaProject, derived_guid
from desktop_app.formats.refi_qda.case_links import add_case_selections
from desktop_app.formats.refi_qda.document_variables import add_document_values
from desktop_app.formats.refi_qda.internal_files import InternalFile, text_file
from desktop_app.formats.refi_qda.layout import TranscriptText, transcript_to_text
from desktop_app.formats.refi_qda.notes import NotePlan, add_note_refs
from desktop_app.formats.refi_qda.xml import ElementBuilder, excerpt, milliseconds, xml_datetime, xml_text

MAX_INTERNAL_FILE = 2**31 - 1  # REFI-QDA 1.5, section 8.5
VIDEO_EXTENSIONS = {".mp4", ".m4v", ".mov", ".mkv", ".avi", ".webm", ".wmv", ".mpg", ".mpeg"}


@dataclass
class SourceContext:
    """What writing the sources needs; ``created`` is the export's date, for elements without their own."""

    project: QdaProject
    builder: ElementBuilder
    notes: NotePlan
    embed_media: bool
    report: list[str]
    complete: bool = False
    created: str = "1970-01-01T00:00:00Z"
    files: list[InternalFile] = field(default_factory=list)

    def date(self, value: str | None) -> str:
        return xml_datetime(value) or self.created


def has_recording(document: QdaDocument) -> bool:
    return document.media is not None or bool(document.info.media_path)


def text_source_guid(project: QdaProject, document: QdaDocument) -> str:
    return derived_guid(project.guids.get(DOCUMENT, document.info.id), "text-source")


def source_guids(project: QdaProject, document: QdaDocument) -> list[str]:
    """The GUIDs of the sources written for ``document`` (for cases and sets that refer to them)."""
    text = text_source_guid(project, document)
    return [project.guids.get(DOCUMENT, document.info.id), text] if has_recording(document) else [text]


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
        guid=placed.guid if role == ("transcript" if ctx.complete else "text") else derived_guid(placed.guid, role),
        creatingUser=ctx.project.user_guid(coding.coder) if coding.coder else None,
        creationDateTime=ctx.date(coding.created),
    )
    builder.make("CodeRef", element, targetGUID=ctx.project.guids.get(CODE, coding.code_id))
    add_note_refs(element, ctx.notes.by_coding.get(coding.id, []), builder)


def _selection_attrs(ctx: SourceContext, placed: PlacedCoding, text: str, role: str) -> dict[str, str | int | None]:
    coding = placed.coding
    return {
        "guid": derived_guid(placed.guid, f"{role}-selection"),
        "name": xml_text(excerpt(text[placed.start : placed.end]), "selection", []),
        "creatingUser": ctx.project.user_guid(coding.coder) if coding.coder else None,
        "creationDateTime": ctx.date(coding.created),
    }


def annotate_segment_notes(ctx: SourceContext, document: QdaDocument, layout: TranscriptText) -> list[str]:
    """Make the memos on this document's segments annotations on their lines; returns their GUIDs."""
    guids: list[str] = []
    for segment, line in zip(document.transcript.segments, layout.lines, strict=True):
        found = ctx.notes.by_segment.get(segment.id, []) if segment.id is not None else []
        ctx.notes.annotate(found, line.text_start, line.text_end)
        guids += found
    return guids


def build_transcript(
    ctx: SourceContext, document: QdaDocument, layout: TranscriptText, placed: list[PlacedCoding]
) -> ET.Element:
    builder, base = ctx.builder, ctx.project.guids.get(DOCUMENT, document.info.id)
    guid = derived_guid(base, "transcript")
    transcript = builder.make(
        "Transcript",
        guid=guid,
        name=xml_text(document.info.title, "document title", ctx.report),
        plainTextPath=text_file(ctx.files, guid, layout.text),
        creationDateTime=ctx.created,
    )
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
    points.write(transcript, builder)
    transcript.extend(selections)
    return transcript


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


def _file_name(document: QdaDocument) -> str:
    if document.media is not None:
        return document.media.file_name
    return Path(document.info.media_path or "recording").name


def media_path_attrs(ctx: SourceContext, document: QdaDocument, guid: str) -> dict[str, str | int | None]:
    """``path`` of the recording: inside the archive when asked and possible, else its file name only.

    The local path is never written: it can hold a participant's name or the researcher's account.
    """
    media, title = document.media, document.info.title
    bytes_only = media is not None and media.data is not None and media.path is None
    if bytes_only and not ctx.embed_media:
        ctx.report.append(f"'{title}': the recording exists only inside the study; embedded in the archive")
    if (ctx.embed_media or bytes_only) and media is not None:
        size = _media_size(document)
        if size is not None and size <= MAX_INTERNAL_FILE:
            name = f"{guid}{Path(media.file_name).suffix.lower()}"
            ctx.files.append(InternalFile(name, media.path if media.data is None else None, media.data))
            return {"path": f"internal://{name}"}
        problem = "cannot be read" if size is None else "is over the format's 2 GB limit for embedded files"
        ctx.report.append(f"'{title}': the recording {problem}; referred to by its file name instead")
    name = _file_name(document)
    ctx.report.append(f"'{title}': the recording is not in the archive; it is named relative://{name}")
    return {"path": f"relative://{name}"}


def _is_video(document: QdaDocument) -> bool:
    return Path(_file_name(document)).suffix.lower() in VIDEO_EXTENSIONS


def _media_name(document: QdaDocument) -> str:
    """The title with the recording's extension, so the media source and the text source differ by name."""
    suffix = Path(_file_name(document)).suffix.lower()
    title = document.info.title
    return title if not suffix or title.lower().endswith(suffix) else title + suffix


def build_media_source(
    ctx: SourceContext, document: QdaDocument, layout: TranscriptText, placed: list[PlacedCoding]
) -> ET.Element:
    builder, guid = ctx.builder, ctx.project.guids.get(DOCUMENT, document.info.id)
    kind = "Video" if _is_video(document) else "Audio"
    source = builder.make(
        f"{kind}Source",
        guid=guid,
        name=xml_text(_media_name(document), "document title", ctx.report),
        creationDateTime=ctx.created,
        **media_path_attrs(ctx, document, guid),
    )
    if ctx.complete:
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
    """The text with each coding as a ``PlainTextSelection``; segment memos (and, without a recording,
    document memos) are annotations referred to from here."""
    builder = ctx.builder
    guid = text_source_guid(ctx.project, document)
    source = builder.make(
        "TextSource",
        guid=guid,
        name=xml_text(document.info.title, "document title", ctx.report),
        plainTextPath=text_file(ctx.files, guid, layout.text),
        creationDateTime=ctx.created,
    )
    written: set[tuple[int, int, int, str]] = set()
    for item in placed:
        key = (item.start, item.end, item.coding.code_id, item.coding.coder)
        if key in written and not ctx.complete:  # QualCoder's unique key: one code, span and coder
            ctx.report.append(f"coding {item.coding.id} repeats another on the same words by the same coder; once")
            continue
        written.add(key)
        attrs = _selection_attrs(ctx, item, layout.text, "text")
        selection = builder.make("PlainTextSelection", source, startPosition=item.start, endPosition=item.end, **attrs)
        add_coding(ctx, selection, item, "text")
    if not ctx.complete:
        add_case_selections(ctx.project, source, document, len(layout.text), builder, ctx.created)
    notes = annotate_segment_notes(ctx, document, layout)
    if not has_recording(document):
        document_notes = ctx.notes.by_document.get(document.info.id, [])
        ctx.notes.annotate(document_notes, 0, len(layout.text))
        notes += document_notes
    add_note_refs(source, notes, builder)
    add_document_values(ctx.project, source, document, builder, ctx.report)
    return source


def build_document_sources(ctx: SourceContext, document: QdaDocument) -> list[ET.Element]:
    """The text source, after the media source when the document has a recording."""
    layout = transcript_to_text(document.transcript, document.speaker_names())
    if layout.changed_segments:
        ctx.report.append(
            f"'{document.info.title}': {layout.changed_segments} segment(s) lost control characters or line breaks"
        )
    placed = place_codings(ctx, document, layout)
    text = build_text_source(ctx, document, layout, placed)
    if not has_recording(document) and any(s.end > 0 for s in document.transcript.segments):
        ctx.report.append(
            f"'{document.info.title}': no recording, so its times are not carried (a text source has none)"
        )
    return [build_media_source(ctx, document, layout, placed), text] if has_recording(document) else [text]
