"""Write a study as a REFI-QDA ``.qdpx``: a zip with ``project.qde`` and a flat ``sources/`` folder.

``project.qde`` holds, in schema order: Users, CodeBook, Variables, Cases (participants with their
attribute values and the sources they speak in), Sources (see :mod:`source_writer` for the two
representations), Notes (memos, field notes), Sets (code sets such as realist C-M-O tags,
``Field notes``, and in the complete representation ``Speaker: <name>`` sets, which other tools
turn into meaningless file attributes), Description and the study memos' NoteRefs. Everything the
format cannot carry is listed in the returned report.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path

from desktop_app.core.errors import ExportError
from desktop_app.formats.qda_snapshot import PROJECT, QdaProject, derived_guid
from desktop_app.formats.refi_qda.case_links import build_case_codes
from desktop_app.formats.refi_qda.codebook import build_code_set, build_codes
from desktop_app.formats.refi_qda.internal_files import InternalFile
from desktop_app.formats.refi_qda.notes import (
    FIELD_NOTES_SET,
    NoteOutput,
    NotePlan,
    add_note_refs,
    build_notes,
    plan_notes,
)
from desktop_app.formats.refi_qda.source_writer import SourceContext, build_document_sources, source_guids
from desktop_app.formats.refi_qda.variables import build_cases, build_variables
from desktop_app.formats.refi_qda.xml import (
    PROJECT_NS,
    XSI_NS,
    ElementBuilder,
    qualified,
    replace_atomically,
    serialise,
    xml_datetime,
    xml_text,
)

SPEAKER_SET_PREFIX = "Speaker: "
PARTICIPANT_PREFIX = "Participant: "
ORIGIN = "Verbatim"


class Representation(Enum):
    """How codings are written: once (what other QDA tools import cleanly) or every way (for Verbatim)."""

    FOR_QDA_TOOL = "tool"
    COMPLETE = "complete"


@dataclass
class ProjectExportOptions:
    """``embed_media``: recordings go inside the archive (else they are named by file name only)."""

    embed_media: bool = True
    created: datetime | None = None
    representation: Representation = Representation.FOR_QDA_TOOL


@dataclass
class ProjectXml:
    """The ``project.qde`` bytes, the files for ``sources/``, and the report."""

    xml: bytes
    files: list[InternalFile] = field(default_factory=list)
    report: list[str] = field(default_factory=list)


def _speaker_sets(project: QdaProject, builder: ElementBuilder, report: list[str]) -> list[ET.Element]:
    """A set per speaker name (and participant linked), of the sources where that voice speaks.

    A linked speaker's set says ``Participant: <label>`` in its description, so a re-import links it again.
    """
    members: dict[tuple[str, str | None], list[str]] = {}
    for document in project.documents:
        linked = {s.name: s.participant for s in document.speakers}
        for name in dict.fromkeys(document.speaker_names()[label] for label in document.transcript.speakers):
            members.setdefault((name, linked.get(name)), []).extend(source_guids(project, document))
    base = project.guids.get(PROJECT, 0)
    sets = []
    for (name, participant), sources in members.items():
        element = builder.make(
            "Set",
            guid=derived_guid(base, f"speaker:{name}:{participant or ''}"),
            name=xml_text(SPEAKER_SET_PREFIX + name, "speaker", report),
        )
        if participant:
            builder.text("Description", element, xml_text(PARTICIPANT_PREFIX + participant, "participant", report))
        for guid in sources:
            builder.make("MemberSource", element, targetGUID=guid)
        sets.append(element)
    return sets


def _build_sets(project: QdaProject, plan: NotePlan, ctx: SourceContext, report: list[str]) -> ET.Element | None:
    builder = ctx.builder
    elements = [build_code_set(project, s, builder, report) for s in project.code_sets]
    if ctx.complete:
        elements += _speaker_sets(project, builder, report)
    if plan.field_notes:
        field_notes = builder.make(
            "Set", guid=derived_guid(project.guids.get(PROJECT, 0), "field-notes"), name=FIELD_NOTES_SET
        )
        for guid in plan.field_notes:
            builder.make("MemberNote", field_notes, targetGUID=guid)
        elements.append(field_notes)
    if not elements:
        return None  # an empty <Sets/> does not validate
    sets = builder.make("Sets")
    sets.extend(elements)
    return sets


def _build_users(project: QdaProject, builder: ElementBuilder, report: list[str]) -> ET.Element | None:
    if not project.users:
        return None
    users = builder.make("Users")
    for user in project.users:
        if not user.guid:
            project.user_guid(user.name)
        builder.make("User", users, guid=user.guid, name=xml_text(user.name, "user name", report))
    return users


def _root(project: QdaProject, created: str, builder: ElementBuilder, report: list[str]) -> ET.Element:
    root = builder.make(
        "Project",
        name=xml_text(project.name, "study name", report),
        origin=ORIGIN,
        creatingUserGUID=project.users[0].guid if project.users and project.users[0].guid else None,
        creationDateTime=created,
    )
    root.set(
        qualified(XSI_NS, "schemaLocation"),
        f"{PROJECT_NS} http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd",
    )
    return root


def _unsupported(project: QdaProject, report: list[str], complete: bool) -> None:
    words = [w for d in project.documents for w in d.transcript.words]
    if words and complete:
        report.append("word confidence and 'edited' flags are not part of REFI-QDA; word times are (as sync points)")
    elif words:
        report.append("word timings are not written for another QDA tool; choose 'complete' to keep them")
    review = sum(c.needs_review for c in project.codings)
    if review:
        report.append(f"{review} coding(s) marked 'needs review': the mark is not part of REFI-QDA")
    if not complete and any(s.participant for d in project.documents for s in d.speakers):
        report.append("which speaker is which participant is carried only as the case's source references")
    if any(s.color for d in project.documents for s in d.speakers):
        report.append("speaker colours are not part of REFI-QDA")


def project_xml(project: QdaProject, options: ProjectExportOptions | None = None) -> ProjectXml:
    """Build ``project.qde`` and the list of internal source files."""
    options = options or ProjectExportOptions()
    report: list[str] = []
    builder = ElementBuilder(PROJECT_NS)
    plan = plan_notes(project, report)
    created = xml_datetime(options.created or datetime.now().astimezone()) or "1970-01-01T00:00:00Z"
    complete = options.representation is Representation.COMPLETE
    ctx = SourceContext(project, builder, plan, options.embed_media, report, complete, created)
    parts: list[ET.Element | None] = [None]  # Users come last: coders and authors add users on the way
    codes = build_codes(project, builder, report, plan.by_code)
    case_codes = [] if complete else build_case_codes(project, builder, report)
    if case_codes:
        codes = codes if codes is not None else builder.make("Codes")
        codes.extend(case_codes)
    if codes is not None:
        codebook = builder.make("CodeBook")
        codebook.append(codes)
        parts.append(codebook)
    parts += [build_variables(project, builder, report), build_cases(project, builder, report)]
    sources = builder.make("Sources")
    for document in project.documents:
        sources.extend(build_document_sources(ctx, document))
    parts += [
        sources if len(sources) else None,
        build_notes(project, plan, NoteOutput(builder, report, ctx.files, created)),
    ]
    parts.append(_build_sets(project, plan, ctx, report))
    parts[0] = _build_users(project, builder, report)
    root = _root(project, created, builder, report)
    root.extend(p for p in parts if p is not None)
    if project.description:
        builder.text("Description", root, xml_text(project.description, "study description", report))
    add_note_refs(root, plan.study, builder)
    _unsupported(project, report, complete)
    return ProjectXml(serialise(root, PROJECT_NS), ctx.files, report)


def write_project(project: QdaProject, path: Path, options: ProjectExportOptions | None = None) -> list[str]:
    """Write ``path`` (a ``.qdpx``) through a temporary file; returns what the format could not carry."""
    built = project_xml(project, options)
    temp = path.with_name(f".{path.name}.part")
    try:
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", built.xml)
            for item in built.files:
                arcname = f"sources/{item.name}"
                if item.data is not None:
                    archive.writestr(arcname, item.data)
                elif item.path is not None:
                    archive.write(item.path, arcname, compress_type=zipfile.ZIP_STORED)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ExportError(path, f"cannot write: {exc.strerror or exc}") from exc
    replace_atomically(temp, path)
    return built.report
