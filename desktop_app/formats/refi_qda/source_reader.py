"""REFI-QDA sources -> documents, transcripts and codings.

An ``AudioSource``/``VideoSource`` becomes a document linked to its recording (copied out of the
archive into ``media_dir``; a file outside the archive only when the user allowed external files);
its first ``Transcript`` gives timed segments and its ``TranscriptSelection`` codings land on the
same characters with the sync points' times. An audio selection's codings that repeat a transcript
coding are dropped; others land on the words spoken in that time, or, with no words there, become
time-range codings on the document's first segment. A ``TextSource`` (or a PDF's text
``Representation``) becomes a document whose segments are its lines, unless it is the copy of a
transcript Verbatim's complete export adds (GUID derived from the media source's, same text); one whose GUID Verbatim derived
from a media source without a transcript (the export for another QDA tool) is that recording's
transcript. Lines starting ``Name: `` for a known speaker name become that speaker's turns.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.coding import Coding, Memo
from desktop_app.core.document import DocumentInfo, SpeakerInfo
from desktop_app.core.text.span_tracking import span_time_range
from desktop_app.core.text.text_anchoring import tokenize
from desktop_app.core.transcript import Transcript
from desktop_app.formats.qda_snapshot import CODING, DOCUMENT, QdaDocument, QdaMedia, QdaProject, derived_guid
from desktop_app.formats.refi_qda.archive import QdpxArchive
from desktop_app.formats.refi_qda.layout import (
    Side,
    TranscriptText,
    guess_speaker_names,
    layout_for,
    stamped,
    text_to_lines,
)
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
    transcript_copies: dict[str, tuple[str, int]] = field(default_factory=dict)  # text source GUID -> (text, doc)
    layouts: dict[int, TranscriptText] = field(default_factory=dict)  # by document id
    paired: dict[str, ET.Element] = field(default_factory=dict)  # text source GUID -> its media source
    allow_external: bool = False
    guess_speakers: bool = False  # no speaker sets: take "Name: " prefixes that start most lines
    case_guids: set[str] = field(default_factory=set)  # codes that are case links (case_links)
    external: list[str] = field(default_factory=list)  # files outside the archive it refers to
    next_segment_id: int = 1

    def paired_guids(self) -> dict[str, str]:
        """Text source GUID -> the GUID of the media source it is the transcript of."""
        return {t: g for t, m in self.paired.items() if (g := normalise_guid(m.get("guid")))}

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
    """Where a ``relative://``, ``absolute://``, ``file://`` or plain path points on this computer."""
    scheme, rest = split_url(url)
    if scheme == "relative":
        return Path(reader.base_path.rstrip("/\\") + "/" + rest.lstrip("/"))
    if len(rest) > 2 and rest[0] == "/" and rest[2] == ":":
        rest = rest[1:]  # absolute:///C:/x -> C:/x
    return Path(rest)


def outside_allowed(reader: SourceReader, url: str, what: str) -> bool:
    """Whether a file outside the archive may be read; it is listed either way, and reported when not.

    A project received from someone else must not read the researcher's own files unless they chose to.
    """
    path = str(external_path(reader, url))
    reader.external.append(path)
    if not reader.allow_external:
        reader.report.append(f"{what}: refers to {path!r} outside the project; not read (external files not allowed)")
    return reader.allow_external


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
    elif not outside_allowed(reader, url, what):
        return None
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
        if not outside_allowed(reader, url, f"'{name}'"):
            return None
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
    file_name = Path(original.replace("\\", "/")).name if original else Path(rest).name
    if not original and Path(name).suffix.lower() == Path(rest).suffix.lower():
        file_name = Path(name).name  # QualCoder names a recording's source after its file
    return QdaMedia(file_name, extracted)


def source_title(element: ET.Element) -> str:
    """The source's name, without the recording's extension Verbatim adds to a media source's name."""
    name = element.get("name") or ""
    suffix = Path(element.get("path") or "").suffix
    return name[: -len(suffix)] if suffix and name.lower().endswith(suffix.lower()) and name != suffix else name


def new_document(
    reader: SourceReader, element: ET.Element, text: str, timing: Timing
) -> tuple[QdaDocument, TranscriptText]:
    """A document from ``text``: transcript lines (blank ones kept when timed), speakers found by name."""
    project = reader.project
    title = source_title(element) or f"Document {len(project.documents) + 1}"
    info = DocumentInfo(len(project.documents) + 1, title)
    names = reader.speaker_names or (guess_speaker_names(text) if reader.guess_speakers else set())
    lines = text_to_lines(text, names, keep_blank=bool(timing), stamps=stamped(text)) if text else []
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
    layout = layout_for(text, lines, [s.id or 0 for s in segments])
    reader.layouts[info.id] = layout
    return document, layout


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
        ref_guid = normalise_guid(ref.get("targetGUID")) if ref is not None else None
        if ref_guid in reader.case_guids:
            continue  # a case linked to this document, not a coding
        code_id = reader.code_ids.get(ref_guid or "")
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
    """The text of the words spoken from ``begin`` to ``end`` seconds; without words, of the timed lines
    overlapping that time (a time-range coding on the recording's transcript)."""
    low = high = None
    for segment, line in zip(document.transcript.segments, layout.lines, strict=True):
        for word, token_start in zip(segment.words, _token_starts(segment.text), strict=False):
            if word.end > begin and word.start < end:
                low = line.text_start + token_start if low is None else low
                high = line.text_start + token_start + len(word.text)
    if low is None:
        for segment, line in zip(document.transcript.segments, layout.lines, strict=True):
            if segment.end > segment.start and segment.end > begin and segment.start < end:
                low = line.text_start if low is None else low
                high = line.text_end
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
                f"'{document.info.title}': a {kind.lower()} coding at {begin / 1000:.1f}-{end / 1000:.1f} s has no "
                "timed transcript to land on; skipped"
            )
            continue
        add_codings(reader, selection, document, layout, span)


def read_media_source(reader: SourceReader, source: ET.Element, kind: str, paired: ET.Element | None = None) -> None:
    """A recording and its transcript: the first ``Transcript``, else ``paired`` (a text source)."""
    name = source.get("name") or "recording"
    transcripts = list(children(source, "Transcript"))
    if len(transcripts) > 1:
        reader.report.append(f"'{name}': {len(transcripts) - 1} further transcript(s) skipped")
    text_element = transcripts[0] if transcripts else paired
    text = read_text(reader, text_element, f"transcript of '{name}'") if text_element is not None else None
    transcript = transcripts[0] if transcripts and text is not None else None
    points = _sync_points(transcript) if transcript is not None else []
    timing = Timing(points, _referenced(transcript) if transcript is not None else ())
    document, layout = new_document(reader, source, text or "", timing)
    document.media = media_for(reader, source, name)
    document.info.media_path = str(document.media.path) if document.media and document.media.path else None
    codings = _transcript_codings(reader, transcript, document, layout) if transcript is not None else []
    guid = normalise_guid(source.get("guid"))
    if transcript is not None:
        if guid:  # Verbatim's complete export repeats the transcript as a text source with this GUID
            reader.transcript_copies[derived_guid(guid, "text-source")] = (text or "", document.info.id)
        reader.add_note_refs(transcript, "document", document.info.id)
    if paired is not None and text is not None:
        codings += _text_codings(reader, paired, document, layout, f"'{name}'")
        reader.add_note_refs(paired, "document", document.info.id)
    _media_codings(reader, source, kind, document, layout, codings)
    reader.add_note_refs(source, "document", document.info.id)


def _text_codings(
    reader: SourceReader, source: ET.Element, document: QdaDocument, layout: TranscriptText, what: str
) -> list[Coding]:
    made = []
    for selection in children(source, "PlainTextSelection"):
        low, high = int_attr(selection, "startPosition"), int_attr(selection, "endPosition")
        if low is None or high is None:
            reader.report.append(f"{what}: a selection without positions was skipped")
            continue
        made += add_codings(reader, selection, document, layout, Span(low, high))
    if source.find("Coding") is not None:
        made += add_codings(reader, source, document, layout, Span(0, len(layout.text)))
    return made


def read_text_source(reader: SourceReader, source: ET.Element, what: str) -> None:
    text = read_text(reader, source, what)
    if text is None:
        return
    copy_of = reader.transcript_copies.get(normalise_guid(source.get("guid")) or "")
    if copy_of is not None and copy_of[0] == text:
        reader.report.append(f"{what}: the text of a transcript already imported; not imported twice")
        reader.add_note_refs(source, "document", copy_of[1])
        return
    document, layout = new_document(reader, source, text, Timing([]))
    _text_codings(reader, source, document, layout, what)
    reader.add_note_refs(source, "document", document.info.id)


def _pair_text_sources(reader: SourceReader, sources: ET.Element) -> None:
    """Text sources that are the transcript of a media source without one (Verbatim's export for other tools)."""
    texts = {normalise_guid(e.get("guid")): e for e in children(sources, "TextSource")}
    for source in sources:
        guid = normalise_guid(source.get("guid"))
        if source.tag in ("AudioSource", "VideoSource") and guid and source.find("Transcript") is None:
            text = texts.get(derived_guid(guid, "text-source"))
            if text is not None:
                reader.paired[derived_guid(guid, "text-source")] = source


def read_sources(reader: SourceReader, sources: ET.Element) -> None:
    """Read every source (media sources first, so a text source repeating a transcript is known)."""
    _pair_text_sources(reader, sources)
    by_media = {normalise_guid(m.get("guid")): t for t, m in reader.paired.items()}
    texts = {normalise_guid(e.get("guid")): e for e in children(sources, "TextSource")}
    ordered = sorted(sources, key=lambda e: e.tag not in ("AudioSource", "VideoSource"))
    for source in ordered:
        name = f"'{source.get('name') or source.tag}'"
        guid = normalise_guid(source.get("guid"))
        if source.tag in ("AudioSource", "VideoSource"):
            paired = texts.get(by_media.get(guid)) if guid in by_media else None
            read_media_source(reader, source, source.tag.removesuffix("Source"), paired)
        elif source.tag == "TextSource" and guid in reader.paired:
            continue  # read with its recording
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
