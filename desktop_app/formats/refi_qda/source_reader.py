"""REFI-QDA sources -> documents, transcripts and codings.

An ``AudioSource``/``VideoSource`` becomes a document linked to its recording (copied out of the
archive into ``media_dir``, or the referenced path); its first ``Transcript`` gives timed segments
and its ``TranscriptSelection`` codings land on the same characters with the sync points' times.
An audio selection's codings that repeat a transcript coding are dropped; others land on the words
spoken in that time. A ``TextSource`` (or a PDF's text ``Representation``) becomes a document whose
segments are its paragraphs, unless it repeats a transcript already read (our own exports carry
both). Lines starting ``Name: `` for a known speaker name become that speaker's turns.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.coding import Coding, Memo
from desktop_app.core.document import DocumentInfo, SpeakerInfo
from desktop_app.core.span_tracking import span_time_range
from desktop_app.core.text_anchoring import tokenize
from desktop_app.core.transcript import Transcript
from desktop_app.formats.qda_snapshot import CODING, DOCUMENT, QdaDocument, QdaMedia, QdaProject
from desktop_app.formats.refi_qda.archive import QdpxArchive
from desktop_app.formats.refi_qda.layout import Side, TranscriptText, layout_for, text_to_lines
from desktop_app.formats.refi_qda.timing import SegmentSource, SyncPoint, Timing, build_segments
from desktop_app.formats.refi_qda.xml import child_text, children, int_attr, normalise_guid


@dataclass
class SourceReader:
    """State shared while reading the ``<Sources>`` of one project."""

    project: QdaProject
    archive: QdpxArchive | None
    base_path: str
    media_dir: Path | None
    speaker_names: set[str]
    code_ids: dict[str, int]
    report: list[str]
    note_refs: list[tuple[str, str, int | None]] = field(default_factory=list)  # note guid, target kind, id
    transcript_texts: dict[str, int] = field(default_factory=dict)
    next_segment_id: int = 1

    def add_note_refs(self, element: ET.Element, kind: str, target: int | None) -> None:
        for ref in children(element, "NoteRef"):
            guid = normalise_guid(ref.get("targetGUID"))
            if guid:
                self.note_refs.append((guid, kind, target))


def split_url(url: str) -> tuple[str, str]:
    """``("internal"|"relative"|"absolute"|"plain", rest)`` of a source path attribute."""
    for scheme in ("internal", "relative", "absolute", "file"):
        if url.lower().startswith(scheme + "://"):
            return ("absolute" if scheme == "file" else scheme), url[len(scheme) + 3 :]
    return "plain", url


def external_path(reader: SourceReader, url: str) -> Path:
    scheme, rest = split_url(url)
    if scheme == "relative":
        return Path(reader.base_path.rstrip("/\\") + "/" + rest.lstrip("/"))
    if len(rest) > 2 and rest[0] == "/" and rest[2] == ":":
        rest = rest[1:]  # absolute:///C:/x -> C:/x
    return Path(rest)


def read_text(reader: SourceReader, element: ET.Element, what: str) -> str | None:
    """``PlainTextContent`` or the file named by ``plainTextPath`` (inside the archive or outside)."""
    content = element.find("PlainTextContent")
    if content is not None:
        return content.text or ""
    url = element.get("plainTextPath")
    if not url:
        reader.report.append(f"{what}: no plain text (only rich text or nothing); skipped")
        return None
    scheme, rest = split_url(url)
    if scheme == "internal":
        text = reader.archive.read_source_text(rest) if reader.archive and "/" not in rest else None
    else:
        path = external_path(reader, url)
        try:
            too_big = path.stat().st_size > (reader.archive.limits.max_text_bytes if reader.archive else 64 * 2**20)
            text = None if too_big else path.read_text("utf-8-sig", errors="replace")
        except OSError:
            text = None
    if text is None:
        reader.report.append(f"{what}: its text file {url!r} was not found; skipped")
    return text


def media_for(reader: SourceReader, element: ET.Element, name: str) -> QdaMedia | None:
    url = element.get("path")
    if not url:
        reader.report.append(f"'{name}': no recording path")
        return None
    scheme, rest = split_url(url)
    if scheme != "internal":
        path = external_path(reader, url)
        if not path.exists():
            reader.report.append(f"'{name}': recording {str(path)!r} not found; linked anyway")
        return QdaMedia(path.name, path)
    guid = normalise_guid(element.get("guid")) or "media"
    if reader.archive is None or reader.archive.source(rest) is None or "/" in rest:
        reader.report.append(f"'{name}': recording {rest!r} is missing from the archive")
        return None
    if reader.media_dir is None:
        reader.report.append(f"'{name}': recording left in the archive (no media folder given)")
        return None
    target = reader.media_dir / f"{guid}{Path(rest).suffix.lower()}"
    extracted = reader.archive.extract_source(rest, target)
    original = element.get("currentPath")
    file_name = external_path(reader, original).name if original else Path(rest).name
    return QdaMedia(file_name, extracted)


def new_document(
    reader: SourceReader, element: ET.Element, text: str, timing: Timing
) -> tuple[QdaDocument, TranscriptText]:
    """A document from ``text``: transcript lines (blank ones kept when timed), speakers found by name."""
    project = reader.project
    title = element.get("name") or f"Document {len(project.documents) + 1}"
    info = DocumentInfo(len(project.documents) + 1, title)
    lines = text_to_lines(text, reader.speaker_names, keep_blank=bool(timing)) if text else []
    order = list(dict.fromkeys(p.speaker for p in lines if p.speaker))
    labels = {name: f"S{i + 1}" for i, name in enumerate(order)}
    segments = build_segments(SegmentSource(text, lines, labels), timing, reader.next_segment_id)
    reader.next_segment_id += len(segments)
    speakers = [SpeakerInfo(label, display_name=name) for name, label in labels.items()]
    document = QdaDocument(info, Transcript(segments), speakers)
    project.documents.append(document)
    guid = normalise_guid(element.get("guid"))
    if guid:
        project.guids.set(DOCUMENT, info.id, guid)
    return document, layout_for(text, lines, [s.id or 0 for s in segments])


@dataclass
class Span:
    """A selection's extent in a document: offsets and, when known, times."""

    start: int
    end: int
    start_time: float | None = None
    end_time: float | None = None


def add_codings(
    reader: SourceReader, selection: ET.Element, document: QdaDocument, layout: TranscriptText, span: Span
) -> list[Coding]:
    """The ``<Coding>``s of a selection as codings on ``span``; a selection without codes gives a segment memo."""
    start = layout.position_at(span.start, Side.START)
    end = layout.position_at(max(span.end, span.start), Side.END)
    if start is None or end is None:
        reader.report.append(f"'{document.info.title}': a selection on empty text was skipped")
        return []
    if span.start_time is None and document.transcript.words:
        times = span_time_range(document.transcript.segments, start, end)
        span.start_time, span.end_time = times if times else (None, None)
    description = child_text(selection, "Description")
    made = []
    for element in children(selection, "Coding"):
        ref = element.find("CodeRef")
        code_id = reader.code_ids.get(normalise_guid(ref.get("targetGUID")) or "") if ref is not None else None
        if code_id is None:
            reader.report.append(f"'{document.info.title}': a coding with an unknown code was skipped")
            continue
        coding = Coding(
            len(reader.project.codings) + 1, code_id, document.info.id, start, end, span.start_time, span.end_time,
            reader.project.user_name(element.get("creatingUser")), element.get("creationDateTime", ""), description,
        )  # fmt: skip
        reader.project.codings.append(coding)
        made.append(coding)
        guid = normalise_guid(element.get("guid"))
        if guid:
            reader.project.guids.set(CODING, coding.id, guid)
        reader.add_note_refs(element, "coding", coding.id)
    if not made:
        if description:
            reader.project.memos.append(Memo(len(reader.project.memos) + 1, "segment", start.segment_id, description))
        reader.add_note_refs(selection, "segment", start.segment_id)
    return made


def _sync_points(transcript: ET.Element) -> list[SyncPoint]:
    points = []
    for element in children(transcript, "SyncPoint"):
        guid = normalise_guid(element.get("guid"))
        position = int_attr(element, "position")
        if guid and position is not None:
            points.append(SyncPoint(guid, position, int_attr(element, "timeStamp")))
    return points


def _referenced(transcript: ET.Element) -> set[str]:
    refs = set()
    for selection in children(transcript, "TranscriptSelection"):
        for name in ("fromSyncPoint", "toSyncPoint"):
            guid = normalise_guid(selection.get(name))
            if guid:
                refs.add(guid)
    return refs


def _transcript_codings(
    reader: SourceReader, transcript: ET.Element, document: QdaDocument, layout: TranscriptText
) -> list[Coding]:
    points = {p.guid: p for p in _sync_points(transcript)}
    made = []
    for selection in children(transcript, "TranscriptSelection"):
        low = points.get(normalise_guid(selection.get("fromSyncPoint")) or "")
        high = points.get(normalise_guid(selection.get("toSyncPoint")) or "")
        if low is None or high is None:
            reader.report.append(f"'{document.info.title}': a transcript selection without its sync points was skipped")
            continue
        times = [p.ms / 1000 if p.ms is not None else None for p in (low, high)]
        made += add_codings(reader, selection, document, layout, Span(low.position, high.position, times[0], times[1]))
    return made


def _media_selection_span(document: QdaDocument, layout: TranscriptText, begin: float, end: float) -> Span | None:
    """The text of the words spoken from ``begin`` to ``end`` seconds."""
    low = high = None
    for segment, line in zip(document.transcript.segments, layout.lines, strict=True):
        for word, token_start in zip(segment.words, _token_starts(segment.text), strict=False):
            if word.end > begin and word.start < end:
                low = line.text_start + token_start if low is None else low
                high = line.text_start + token_start + len(word.text)
    return Span(low, high, begin, end) if low is not None and high is not None else None


def _token_starts(text: str) -> list[int]:
    return [t.start for t in tokenize(text)]


def _media_codings(
    reader: SourceReader,
    source: ET.Element,
    kind: str,
    document: QdaDocument,
    layout: TranscriptText,
    known: list[Coding],
) -> None:
    seen = {(c.code_id, round((c.start_time or 0) * 1000), round((c.end_time or 0) * 1000)) for c in known}
    for selection in children(source, f"{kind}Selection"):
        begin, end = int_attr(selection, "begin"), int_attr(selection, "end")
        codes = [reader.code_ids.get(normalise_guid(r.get("targetGUID")) or "") for r in selection.iter("CodeRef")]
        if begin is None or end is None or all((c, begin, end) in seen for c in codes):
            continue
        span = _media_selection_span(document, layout, begin / 1000, end / 1000)
        if span is None:
            reader.report.append(
                f"'{document.info.title}': a {kind.lower()} selection has no transcribed words; skipped"
            )
            continue
        add_codings(reader, selection, document, layout, span)


def read_media_source(reader: SourceReader, source: ET.Element, kind: str) -> None:
    name = source.get("name") or "recording"
    transcripts = list(children(source, "Transcript"))
    if len(transcripts) > 1:
        reader.report.append(f"'{name}': {len(transcripts) - 1} further transcript(s) skipped")
    text = read_text(reader, transcripts[0], f"transcript of '{name}'") if transcripts else None
    transcript = transcripts[0] if transcripts and text is not None else None
    points = _sync_points(transcript) if transcript is not None else []
    timing = Timing(points, _referenced(transcript) if transcript is not None else ())
    document, layout = new_document(reader, source, text or "", timing)
    document.media = media_for(reader, source, name)
    document.info.media_path = str(document.media.path) if document.media and document.media.path else None
    codings = _transcript_codings(reader, transcript, document, layout) if transcript is not None else []
    if transcript is not None:
        reader.transcript_texts.setdefault(text or "", document.info.id)
        reader.add_note_refs(transcript, "document", document.info.id)
    _media_codings(reader, source, kind, document, layout, codings)
    reader.add_note_refs(source, "document", document.info.id)


def read_text_source(reader: SourceReader, source: ET.Element, what: str) -> None:
    text = read_text(reader, source, what)
    if text is None:
        return
    duplicate = reader.transcript_texts.get(text)
    if duplicate is not None and text:
        reader.report.append(f"{what}: same text as a transcript already imported; not imported twice")
        reader.add_note_refs(source, "document", duplicate)
        return
    document, layout = new_document(reader, source, text, Timing([]))
    for selection in children(source, "PlainTextSelection"):
        low, high = int_attr(selection, "startPosition"), int_attr(selection, "endPosition")
        if low is None or high is None:
            reader.report.append(f"{what}: a selection without positions was skipped")
            continue
        add_codings(reader, selection, document, layout, Span(low, high))
    if source.find("Coding") is not None:
        add_codings(reader, source, document, layout, Span(0, len(text)))
    reader.add_note_refs(source, "document", document.info.id)


def read_sources(reader: SourceReader, sources: ET.Element) -> None:
    """Read every source (media sources first, so a text source repeating a transcript is known)."""
    ordered = sorted(sources, key=lambda e: e.tag not in ("AudioSource", "VideoSource"))
    for source in ordered:
        name = f"'{source.get('name') or source.tag}'"
        if source.tag in ("AudioSource", "VideoSource"):
            read_media_source(reader, source, source.tag.removesuffix("Source"))
        elif source.tag == "TextSource":
            read_text_source(reader, source, name)
        elif source.tag == "PDFSource" and source.find("Representation") is not None:
            reader.report.append(f"{name}: the PDF itself is not imported, only its text")
            representation = source.find("Representation")
            if representation is not None:
                representation.set("name", source.get("name") or "PDF")
                read_text_source(reader, representation, name)
        else:
            reader.report.append(f"{name}: {source.tag} is not supported; skipped")
