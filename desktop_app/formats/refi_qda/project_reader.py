"""Read a REFI-QDA project (``.qdpx``, or a bare ``.qde``) from any tool into a :class:`QdaProject`.

Parsing is hardened (defusedxml: entity declarations refused; see :mod:`archive` for the zip
checks), and no file outside the archive (``absolute://``, ``file://``, ``relative://``, ``../``) is
read unless ``allow_external_files``: each is listed in ``ImportResult.external_files`` either way. Namespace versions or no namespace read alike. Users, codes, variables, cases, sources
(:mod:`refi_qda_source_reader`), notes and sets are read; notes become memos on what refers to them
(unreferenced notes become study memos), notes in the ``Field notes`` set become the field notes of
their document, sets of codes become code sets and ``Speaker: <name>`` sets name the speakers whose
turns start ``<name>: `` (without such sets, prefixes that start most lines of a text are taken as
speakers). A note holding a ``PlainTextSelection`` (an annotation) is a memo on the segment where
that selection starts, or on the document when it covers the whole text. Case descriptions become
participant notes; values of variables given to sources become document variables. Links and
graphs are reported as skipped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.coding import Memo
from desktop_app.core.errors import ExportError
from desktop_app.formats.qda_snapshot import CODE, MEMO, PARTICIPANT, ImportResult, QdaProject, QdaUser
from desktop_app.formats.refi_qda.archive import ImportLimits, QdpxArchive
from desktop_app.formats.refi_qda.codebook import read_code_set, read_codes
from desktop_app.formats.refi_qda.layout import Side
from desktop_app.formats.refi_qda.notes import FIELD_NOTES_SET
from desktop_app.formats.refi_qda.project_writer import PARTICIPANT_PREFIX, SPEAKER_SET_PREFIX
from desktop_app.formats.refi_qda.source_reader import SourceReader, read_sources, read_text
from desktop_app.formats.refi_qda.variables import read_cases, read_source_variables, read_variables
from desktop_app.formats.refi_qda.xml import child_text, children, int_attr, normalise_guid, parse_xml


@dataclass
class ProjectImportOptions:
    """``media_dir``: where recordings inside the archive are copied (None: they stay behind, reported)."""

    media_dir: Path | None = None
    limits: ImportLimits = field(default_factory=ImportLimits)
    allow_external_files: bool = False


@dataclass
class SetsFound:
    speaker_names: set[str] = field(default_factory=set)
    speaker_links: list[tuple[str, str, set[str]]] = field(default_factory=list)  # name, participant, sources
    field_notes: set[str] = field(default_factory=set)
    code_sets: list[ET.Element] = field(default_factory=list)


def _read_users(root: ET.Element, project: QdaProject) -> None:
    users = root.find("Users")
    for element in children(users, "User") if users is not None else ():
        guid = normalise_guid(element.get("guid"))
        if guid:
            project.users.append(QdaUser(element.get("name") or element.get("id") or guid, guid))


def _scan_sets(root: ET.Element, report: list[str]) -> SetsFound:
    found = SetsFound()
    sets = root.find("Sets")
    for element in children(sets, "Set") if sets is not None else ():
        name = element.get("name", "")
        if name.startswith(SPEAKER_SET_PREFIX):
            speaker = name.removeprefix(SPEAKER_SET_PREFIX)
            found.speaker_names.add(speaker)
            description = child_text(element, "Description")
            if description.startswith(PARTICIPANT_PREFIX):
                sources = {g for r in children(element, "MemberSource") if (g := normalise_guid(r.get("targetGUID")))}
                found.speaker_links.append((speaker, description.removeprefix(PARTICIPANT_PREFIX).strip(), sources))
        elif name == FIELD_NOTES_SET:
            found.field_notes |= {
                g for r in children(element, "MemberNote") if (g := normalise_guid(r.get("targetGUID")))
            }
        elif element.find("MemberCode") is not None:
            found.code_sets.append(element)
        else:
            report.append(f"set '{name}' (of sources or notes) has no place in Verbatim; skipped")
    return found


@dataclass
class NoteText:
    name: str
    text: str
    author: str
    created: str
    selection: tuple[int, int] | None = None


def _read_notes(root: ET.Element, reader: SourceReader) -> dict[str, NoteText]:
    notes: dict[str, NoteText] = {}
    element_list = root.find("Notes")
    for element in children(element_list, "Note") if element_list is not None else ():
        guid = normalise_guid(element.get("guid"))
        text = _note_text(element, reader)
        if guid and text is not None:
            author = reader.project.user_name(element.get("creatingUser") or element.get("modifyingUser"))
            created = element.get("creationDateTime") or element.get("modifiedDateTime") or ""
            notes[guid] = NoteText(element.get("name", ""), text, author, created, _annotation_span(element))
    return notes


def _annotation_span(note: ET.Element) -> tuple[int, int] | None:
    selection = note.find("PlainTextSelection")
    if selection is None:
        return None
    start, end = int_attr(selection, "startPosition"), int_attr(selection, "endPosition")
    return (start, max(end, start)) if start is not None and end is not None else None


def _note_target(reader: SourceReader, note: NoteText, kind: str, target: int | None) -> tuple[str, int | None]:
    """An annotation referred to from a document is a memo on the segment where it starts (or the document)."""
    layout = reader.layouts.get(target) if kind == "document" and target is not None else None
    if note.selection is None or layout is None:
        return kind, target
    start, end = note.selection
    if start <= 0 and end >= len(layout.text.rstrip()):
        return kind, target
    position = layout.position_at(start, Side.START)
    return ("segment", position.segment_id) if position is not None else (kind, target)


def _note_text(element: ET.Element, reader: SourceReader) -> str | None:
    text = read_text(reader, element, f"note '{element.get('name', '')}'")
    description = child_text(element, "Description")
    if text is not None and description:
        return f"{description}\n\n{text}" if text else description
    return text


def _attach_notes(reader: SourceReader, notes: dict[str, NoteText], sets: SetsFound) -> None:
    project, used = reader.project, set()
    for guid, kind, target in dict.fromkeys(reader.note_refs):
        note = notes.get(guid)
        if note is None:
            reader.report.append(f"a reference to a missing note ({guid}) was skipped")
            continue
        used.add(guid)
        document = project.document(target) if kind == "document" and target is not None else None
        if guid in sets.field_notes and document is not None:
            info = document.info
            info.field_notes = f"{info.field_notes}\n\n{note.text}" if info.field_notes else note.text
            continue
        kind, target = _note_target(reader, note, kind, target)
        project.memos.append(Memo(len(project.memos) + 1, kind, target, note.text, note.author, note.created))
        project.guids.set(MEMO, len(project.memos), guid)
    for guid, note in notes.items():
        if guid not in used:
            project.memos.append(Memo(len(project.memos) + 1, "study", None, note.text, note.author, note.created))
            project.guids.set(MEMO, len(project.memos), guid)


def read_project_xml(
    data: bytes, path: Path, archive: QdpxArchive | None, options: ProjectImportOptions
) -> ImportResult:
    root = parse_xml(data, path)
    if root.tag != "Project":
        raise ExportError(path, f"not a REFI-QDA project (root element is {root.tag!r})")
    result = ImportResult(QdaProject(name=root.get("name") or path.stem))
    project, report = result.project, result.report
    project.description = child_text(root, "Description")
    _read_users(root, project)
    codebook = _read_codebook(root, project, report)
    sets = _scan_sets(root, report)
    project.code_sets += [c for c in (read_code_set(e, project) for e in sets.code_sets) if c is not None]
    variables, cases = root.find("Variables"), root.find("Cases")
    if variables is not None:
        read_variables(variables, project, report)
    case_sources = read_cases(cases, project, report) if cases is not None else {}
    case_guids = _drop_case_codes(project)
    code_ids = {g: i for (kind, i), g in project.guids.items().items() if kind == CODE and g not in case_guids}
    reader = SourceReader(
        project, archive, root.get("basePath", ""), options.media_dir, sets.speaker_names, code_ids, report
    )
    reader.allow_external = options.allow_external_files
    reader.case_guids = case_guids
    sources = root.find("Sources")
    if sources is not None:
        if not sets.speaker_names:
            reader.guess_speakers = True
        read_sources(reader, sources)
        read_source_variables(reader, sources, cases)
        _drop_document_only_variables(project)
    result.external_files = list(dict.fromkeys(reader.external))
    reader.add_note_refs(root, "study", None)
    _add_code_note_refs(reader, codebook, code_ids)
    _attach_notes(reader, _read_notes(root, reader), sets)
    _link_participants(project, case_sources)
    _link_speakers(project, sets.speaker_links)
    report += [f"{tag.lower()} are not supported; skipped" for tag in ("Links", "Graphs") if root.find(tag) is not None]
    return result


def _read_codebook(root: ET.Element, project: QdaProject, report: list[str]) -> ET.Element | None:
    """The codes of the project's CodeBook, read into ``project``; the CodeBook (its codes' notes come later)."""
    codebook = root.find("CodeBook")
    codes = codebook.find("Codes") if codebook is not None else None
    if codes is not None:
        read_codes(codes, project, report)
    return codebook


def _add_code_note_refs(reader: SourceReader, codebook: ET.Element | None, code_ids: dict[str, int]) -> None:
    """Notes a code refers to become memos on that code."""
    for element in codebook.iter("Code") if codebook is not None else ():
        code_id = code_ids.get(normalise_guid(element.get("guid")) or "")
        if code_id is not None:
            reader.add_note_refs(element, "code", code_id)


def _link_participants(project: QdaProject, case_sources: dict[int, list[str]]) -> None:
    """A speaker named like a case whose sources include the speaker's document belongs to that participant."""
    guids = project.guids.items()
    for participant in project.participants:
        refs = set(case_sources.get(participant.id, []))
        for document in project.documents:
            if guids.get(("document", document.info.id)) in refs:
                for speaker in document.speakers:
                    if speaker.name == participant.label:
                        speaker.participant = participant.label


def _drop_case_codes(project: QdaProject) -> set[str]:
    """Codes carrying a case's GUID link the case to documents (NVivo's way): not codes. Returns the GUIDs."""
    guids = project.guids.items()
    case_guids = {g for (kind, _), g in guids.items() if kind == PARTICIPANT}
    project.codes = [c for c in project.codes if guids.get((CODE, c.id)) not in case_guids]
    return case_guids


def _drop_document_only_variables(project: QdaProject) -> None:
    """A variable only sources have values for is a document variable, not a participant attribute."""
    on_documents = {name for values in project.document_variables.values() for name in values}
    on_people = {name for p in project.participants for name in p.values}
    project.attributes = [a for a in project.attributes if a.name not in on_documents or a.name in on_people]


def _link_speakers(project: QdaProject, links: list[tuple[str, str, set[str]]]) -> None:
    """Speakers named in a ``Speaker:`` set that names a participant belong to that participant."""
    labels = {p.label for p in project.participants}
    guids = project.guids.items()
    for name, participant, sources in links:
        for document in project.documents:
            if participant in labels and guids.get(("document", document.info.id)) in sources:
                for speaker in document.speakers:
                    if speaker.name == name:
                        speaker.participant = participant


def read_project(path: Path, options: ProjectImportOptions | None = None) -> ImportResult:
    """Read a ``.qdpx`` (or a bare ``project.qde``); raises ``ExportError`` naming the file when refused."""
    options = options or ProjectImportOptions()
    if not zipfile.is_zipfile(path):
        try:
            if path.stat().st_size > options.limits.max_xml_bytes:
                raise ExportError(path, "refused: the project XML is too large")
            data = path.read_bytes()
        except OSError as exc:
            raise ExportError(path, f"cannot read: {exc.strerror or exc}") from exc
        return read_project_xml(data, path, None, options)
    with QdpxArchive(path, options.limits) as archive:
        return read_project_xml(archive.project_xml(), path, archive, options)
