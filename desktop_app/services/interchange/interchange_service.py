"""REFI-QDA in and out: a study as a ``.qdpx`` project or ``.qdc`` codebook, and both brought in.

Export builds a :class:`QdaProject` from the study: codes' and codings' GUIDs are kept in the study
and every other GUID derives from the study's own, so each export of a study names its elements
alike. It is written for another QDA tool (each coding once) or complete (everything, for Verbatim).
Import adds what another tool exported to the open study in one transaction, so a failed import
changes nothing; files the project refers to outside its archive are read only when the user allows
it (``external_files`` lists them first). Each returns a report of what the format could not carry.
All SQL is in :mod:`desktop_app.storage.interchange.interchange_repository`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.core.coding import Coding, Memo, TextPosition
from desktop_app.core.errors import ExportError
from desktop_app.formats.qda_snapshot import CODE, CODING, GuidMap, QdaDocument, QdaMedia, QdaProject
from desktop_app.formats.refi_qda.codebook import read_codebook, write_codebook
from desktop_app.formats.refi_qda.project_reader import ProjectImportOptions, read_project
from desktop_app.formats.refi_qda.project_writer import ProjectExportOptions, Representation, write_project
from desktop_app.services.interchange import qda_pseudonymise
from desktop_app.services.study import document_service
from desktop_app.services.study.project_service import require_writable
from desktop_app.storage.coding import coding_repository
from desktop_app.storage.connection import guarded
from desktop_app.storage.interchange import interchange_repository as repo
from desktop_app.storage.journal import now_iso
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import document_repository, media_repository, transcript_repository

__all__ = [
    "ImportOutcome",
    "Representation",
    "export_codebook",
    "export_project",
    "external_files",
    "import_exchange_file",
    "import_file",
    "snapshot",
]


def snapshot(store: ProjectStore) -> QdaProject:
    guids = GuidMap(namespace=repo.study_guid(store))
    for kind in (CODE, CODING):
        for item_id, guid in repo.saved_guids(store, kind).items():
            guids.set(kind, item_id, guid)
    documents = document_repository.list_documents(store)
    kept = {d.id for d in documents}
    participants, notes = repo.participants(store)
    return QdaProject(
        name=store.study()["name"],
        codes=coding_repository.list_codes(store),
        attributes=repo.attributes(store),
        participants=participants,
        documents=[_document(store, d.id) for d in documents],
        codings=[c for c in coding_repository.list_codings(store) if c.document_id in kept],
        memos=repo.memos(store),
        description=store.study().get("description") or "",
        guids=guids,
        participant_notes=notes,
    )


def _document(store: ProjectStore, document_id: int) -> QdaDocument:
    info = document_service.get_document(store, document_id)
    media = None
    try:
        path = document_service.media_path(store, document_id)
        media = QdaMedia(path.name, path=path)
    except Exception:  # a missing recording is reported by the writer as not carried
        media = None
    return QdaDocument(
        info,
        transcript_repository.load_transcript(store, document_id),
        list(transcript_repository.list_speakers(store, document_id).values()),
        media,
    )


def _save_guids(store: ProjectStore, project: QdaProject) -> None:
    with store.db.atomic():
        for kind in (CODE, CODING):
            repo.save_guids(store, kind, {i: g for (k, i), g in project.guids.items().items() if k == kind})


def export_project(
    store: ProjectStore,
    path: Path,
    *,
    embed_media: bool = True,
    representation: Representation = Representation.FOR_QDA_TOOL,
    pseudonymised: bool = False,
) -> list[str]:
    """Write the study as a ``.qdpx``; see :class:`Representation` for the two shapes.

    ``pseudonymised``: with the study's pseudonyms applied and without recordings
    (:mod:`qda_pseudonymise`), for co-authors who must not see identifiers.
    """
    project = snapshot(store)
    notes = qda_pseudonymise.pseudonymise_project(store, project) if pseudonymised else []
    options = ProjectExportOptions(embed_media=embed_media, representation=representation)
    report = notes + write_project(project, Path(path), options)
    if not store.readonly:
        _save_guids(store, project)
    return report


def export_codebook(store: ProjectStore, path: Path) -> list[str]:
    project = snapshot(store)
    report = write_codebook(project, Path(path))
    if not store.readonly:
        _save_guids(store, project)
    return report


def external_files(path: Path) -> list[str]:
    """The files outside the archive that a ``.qdpx``/``.qde`` refers to (none read), to ask the user first."""
    path = Path(path)
    if path.suffix.lower() not in (".qdpx", ".qde"):
        return []
    return read_project(path, ProjectImportOptions(media_dir=None)).external_files


@dataclass
class ImportOutcome:
    """What an import brought in (``summary``), what it could not (``report``, one line each, with the
    reason), and the files outside the archive the project named (read only when allowed)."""

    summary: str
    report: list[str] = field(default_factory=list)
    external_files: list[str] = field(default_factory=list)


def import_file(store: ProjectStore, path: Path, *, allow_external_files: bool = False) -> list[str]:
    """Add a ``.qdc`` codebook or ``.qdpx``/``.qde`` project from another tool; returns what was left out."""
    return import_exchange_file(store, path, allow_external_files=allow_external_files).report


def import_exchange_file(store: ProjectStore, path: Path, *, allow_external_files: bool = False) -> ImportOutcome:
    """Add a ``.qdc`` codebook or ``.qdpx``/``.qde`` project from another tool to the study, in one transaction."""
    require_writable(store)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".qdc":
        result = read_codebook(path)
    elif suffix in (".qdpx", ".qde"):
        media_dir = store.folder / f"{store.path.stem} media"
        options = ProjectImportOptions(media_dir=media_dir, allow_external_files=allow_external_files)
        result = read_project(path, options)
    else:
        raise ExportError(path, "is not a REFI-QDA file (.qdpx, .qde or .qdc)")
    with guarded(store.path), store.db.atomic():
        _store_project(store, result.project)
    return ImportOutcome(_summary(result.project), result.report, result.external_files)


def _summary(project: QdaProject) -> str:
    counts = [
        (len(project.codes), "code"),
        (len(project.documents), "document"),
        (len(project.codings), "coding"),
        (len(project.memos), "memo"),
        (len(project.participants), "participant"),
        (sum(len(p.values) for p in project.participants), "attribute value"),
        (sum(len(v) for v in project.document_variables.values()), "document variable value"),
        (len(project.participant_notes), "participant description"),
        (int(bool(project.description)), "study description"),
    ]
    return "imported " + (", ".join(f"{n} {what}{'s' if n != 1 else ''}" for n, what in counts if n) or "nothing")


def _store_project(store: ProjectStore, project: QdaProject) -> None:
    ids: dict[str, dict[int, int]] = {"code": _store_codes(store, project), "segment": {}, "document": {}, "coding": {}}
    _store_cases(store, project)
    for document in project.documents:
        ids["document"][document.info.id] = _store_document(store, document, ids["segment"])
    _store_document_variables(store, project, ids["document"])
    current = repo.study_description(store)
    if project.description and project.description not in current:
        repo.set_study_description(store, f"{current}\n\n{project.description}" if current else project.description)
    for coding in project.codings:
        if coding.code_id in ids["code"] and coding.document_id in ids["document"]:
            row = coding_repository.coding_row(_remapped(coding, ids["code"], ids["document"], ids["segment"]))
            row["guid"] = project.guids.items().get((CODING, coding.id))
            ids["coding"][coding.id] = repo.insert(store, "codings", row)
    for memo in project.memos:
        repo.insert(store, "memos", _memo_row(memo, ids))


def _store_codes(store: ProjectStore, project: QdaProject) -> dict[int, int]:
    ids: dict[int, int] = {}
    pending = list(project.codes)
    while pending:
        ready = [c for c in pending if c.parent_id is None or c.parent_id in ids]
        if not ready:  # a parent that never comes: attach the rest at the top
            ready = pending
        for code in ready:
            ids[code.id] = repo.insert(
                store,
                "codes",
                {
                    "name": code.name,
                    "parent_id": ids.get(code.parent_id) if code.parent_id else None,
                    "color": code.color,
                    "description": code.description,
                    "codable": int(code.codable),
                    "position": code.position,
                    "guid": project.guids.items().get((CODE, code.id)),
                },
            )
        pending = [c for c in pending if c not in ready]
    return ids


def _store_document(store: ProjectStore, document: QdaDocument, segment_ids: dict[int, int]) -> int:
    media_id = None
    if document.media is not None and document.media.path is not None and document.media.path.is_file():
        from desktop_app.pipeline.media_probe import probe_media

        info = probe_media(document.media.path)
        media_id = repo.insert(store, "media", media_repository.media_row(store, document.media.path, info))
    doc_id = repo.insert(
        store,
        "documents",
        {
            "title": document.info.title,
            "media_id": media_id,
            "language": document.info.language,
            "interviewer": document.info.interviewer,
            "field_notes": document.info.field_notes,
            "status": "transcribed" if document.transcript.segments else "imported",
            "created": now_iso(),
            "position": repo.next_document_position(store),
        },
    )
    old_ids = [s.id for s in document.transcript.segments]
    transcript_repository.append_segments(store, doc_id, None, document.transcript.segments)
    for old, segment in zip(old_ids, document.transcript.segments, strict=True):
        if old is not None and segment.id is not None:
            segment_ids[old] = segment.id
    for speaker in document.speakers:
        found = repo.participant(store, speaker.participant) if speaker.participant else None
        repo.name_speaker(
            store, doc_id, speaker.label, speaker.display_name, speaker.color, found[0] if found else None
        )
    return doc_id


def _store_cases(store: ProjectStore, project: QdaProject) -> None:
    attribute_ids = {}
    for attribute in project.attributes:
        existing = repo.attribute_id(store, attribute.name)
        attribute_ids[attribute.name] = existing or repo.insert(
            store,
            "attributes",
            {"name": attribute.name, "type": attribute.type.value, "choices": json.dumps(attribute.choices)},
        )
    for participant in project.participants:
        found = repo.participant(store, participant.label)
        pid = found[0] if found else repo.insert(store, "participants", {"label": participant.label})
        notes = project.participant_notes.get(participant.id, "")
        if notes and (found is None or notes not in found[1]):
            repo.set_participant_notes(store, pid, f"{found[1]}\n\n{notes}" if found and found[1] else notes)
        for name, value in participant.values.items():
            if name in attribute_ids:
                repo.set_value(store, pid, attribute_ids[name], value)


def _store_document_variables(store: ProjectStore, project: QdaProject, documents: dict[int, int]) -> None:
    """Another tool's variables of a source: interviewer, recorded date and language are the document's own;
    any other becomes a document memo listing them."""
    for old_id, values in project.document_variables.items():
        doc_id = documents.get(old_id)
        if doc_id is None:
            continue
        rest = dict(values)
        for name, column in DOCUMENT_FIELDS.items():
            value = next((rest.pop(k) for k in list(rest) if k.strip().lower() == name), None)
            if value:
                repo.set_document_field(store, doc_id, column, value)
        if rest:
            text = "Variables from the imported project:\n" + "\n".join(f"{k}: {v}" for k, v in rest.items())
            project.memos.append(Memo(0, "document", old_id, text))


DOCUMENT_FIELDS = {"interviewer": "interviewer", "recorded date": "recorded_date", "language": "language"}


def _remapped(coding: Coding, codes: dict[int, int], documents: dict[int, int], segments: dict[int, int]) -> Coding:
    return Coding(
        0,
        codes[coding.code_id],
        documents[coding.document_id],
        TextPosition(segments.get(coding.start.segment_id, coding.start.segment_id), coding.start.offset),
        TextPosition(segments.get(coding.end.segment_id, coding.end.segment_id), coding.end.offset),
        coding.start_time,
        coding.end_time,
        coding.coder,
        coding.created or now_iso(),
        coding.memo,
        coding.needs_review,
    )


def _memo_row(memo: Memo, ids: dict[str, dict[int, int]]) -> dict[str, Any]:
    """The memo on its imported target; one whose target did not come in is a study memo saying so."""
    kind, target, text = memo.target_type, memo.target_id, memo.text
    if kind != "study":
        target = ids.get(kind, {}).get(target) if target is not None else None
        if target is None:
            text = f"(was on a {kind} that was not imported)\n{text}"
            kind = "study"
    return {
        "target_type": kind,
        "target_id": target,
        "text": text,
        "author": memo.author,
        "created": memo.created or now_iso(),
        "modified": now_iso(),
    }
