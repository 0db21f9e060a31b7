"""REFI-QDA in and out: a study as a ``.qdpx`` project or ``.qdc`` codebook, and both brought in.

Export builds a :class:`QdaProject` from the study (stable GUIDs come from ``codes.guid`` and
``codings.guid`` and are saved back); import adds what another tool exported to the open study in
one transaction, so a failed import changes nothing. Each returns a report of what the format could
not carry.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from desktop_app.core.coding import Attribute, AttributeType, Coding, Memo, Participant, TextPosition
from desktop_app.core.errors import ExportError
from desktop_app.formats.qda_snapshot import CODE, CODING, GuidMap, QdaDocument, QdaMedia, QdaProject
from desktop_app.formats.refi_qda.codebook import read_codebook, write_codebook
from desktop_app.formats.refi_qda.project_reader import ProjectImportOptions, read_project
from desktop_app.formats.refi_qda.project_writer import ProjectExportOptions, write_project
from desktop_app.services import document_service
from desktop_app.services.project_service import require_writable
from desktop_app.storage import coding_repository, document_repository, media_repository, transcript_repository
from desktop_app.storage.connection import guarded
from desktop_app.storage.journal import now_iso
from desktop_app.storage.project_store import ProjectStore


def snapshot(store: ProjectStore) -> QdaProject:
    guids = GuidMap()
    for code_id, guid in store.db.execute("SELECT id, guid FROM codes WHERE guid IS NOT NULL").fetchall():
        guids.set(CODE, code_id, guid)
    for coding_id, guid in store.db.execute("SELECT id, guid FROM codings WHERE guid IS NOT NULL").fetchall():
        guids.set(CODING, coding_id, guid)
    documents = document_repository.list_documents(store)
    kept = {d.id for d in documents}
    project = QdaProject(
        name=store.study()["name"],
        codes=coding_repository.list_codes(store),
        attributes=_attributes(store),
        participants=_participants(store),
        documents=[_document(store, d.id) for d in documents],
        codings=[c for c in coding_repository.list_codings(store) if c.document_id in kept],
        memos=_memos(store),
        description=store.study().get("description") or "",
        guids=guids,
    )
    return project


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


def _attributes(store: ProjectStore) -> list[Attribute]:
    rows = store.db.execute("SELECT id, name, type, choices FROM attributes ORDER BY position, id").fetchall()
    return [Attribute(r[0], r[1], AttributeType(r[2]), json.loads(r[3])) for r in rows]


def _participants(store: ProjectStore) -> list[Participant]:
    names = {r[0]: r[1] for r in store.db.execute("SELECT id, name FROM attributes").fetchall()}
    result = []
    for pid, label in store.db.execute("SELECT id, label FROM participants ORDER BY id").fetchall():
        values = store.db.execute(
            "SELECT attribute_id, value FROM attribute_values WHERE participant_id = ?", [pid]
        ).fetchall()
        result.append(Participant(pid, label, {names[a]: v for a, v in values if v is not None}))
    return result


def _memos(store: ProjectStore) -> list[Memo]:
    rows = store.db.execute("SELECT id, target_type, target_id, text, author, created FROM memos").fetchall()
    return [Memo(*r) for r in rows]


def _save_guids(store: ProjectStore, project: QdaProject) -> None:
    with store.db.atomic():
        for (kind, item_id), guid in project.guids.items().items():
            if kind in (CODE, CODING):
                table = "codes" if kind == CODE else "codings"
                store.db.execute(f"UPDATE {table} SET guid = ? WHERE id = ? AND guid IS NULL", [guid, item_id])


def export_project(store: ProjectStore, path: Path, *, embed_media: bool = True) -> list[str]:
    project = snapshot(store)
    report = write_project(project, Path(path), ProjectExportOptions(embed_media=embed_media))
    if not store.readonly:
        _save_guids(store, project)
    return report


def export_codebook(store: ProjectStore, path: Path) -> list[str]:
    project = snapshot(store)
    report = write_codebook(project, Path(path))
    if not store.readonly:
        _save_guids(store, project)
    return report


def import_file(store: ProjectStore, path: Path) -> list[str]:
    """Add a ``.qdc`` codebook or ``.qdpx``/``.qde`` project from another tool to the study."""
    require_writable(store)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".qdc":
        result = read_codebook(path)
    elif suffix in (".qdpx", ".qde"):
        media_dir = store.folder / f"{store.path.stem} media"
        result = read_project(path, ProjectImportOptions(media_dir=media_dir))
    else:
        raise ExportError(path, "is not a REFI-QDA file (.qdpx, .qde or .qdc)")
    with guarded(store.path), store.db.atomic():
        _store_project(store, result.project)
    return result.report


def _store_project(store: ProjectStore, project: QdaProject) -> None:
    code_ids = _store_codes(store, project)
    segment_ids: dict[int, int] = {}
    document_ids: dict[int, int] = {}
    for document in project.documents:
        document_ids[document.info.id] = _store_document(store, document, segment_ids)
    _store_cases(store, project)
    for coding in project.codings:
        if coding.code_id in code_ids and coding.document_id in document_ids:
            _insert(
                store, "codings", coding_repository.coding_row(_remapped(coding, code_ids, document_ids, segment_ids))
            )
    for memo in project.memos:
        _insert(store, "memos", _memo_row(memo, code_ids, document_ids))


def _store_codes(store: ProjectStore, project: QdaProject) -> dict[int, int]:
    ids: dict[int, int] = {}
    pending = list(project.codes)
    while pending:
        ready = [c for c in pending if c.parent_id is None or c.parent_id in ids]
        if not ready:  # a parent that never comes: attach the rest at the top
            ready = pending
        for code in ready:
            ids[code.id] = _insert(
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
        media_id = _insert(store, "media", media_repository.media_row(store, document.media.path, info))
    doc_id = _insert(
        store,
        "documents",
        {
            "title": document.info.title,
            "media_id": media_id,
            "language": document.info.language,
            "field_notes": document.info.field_notes,
            "status": "transcribed" if document.transcript.segments else "imported",
            "created": now_iso(),
            "position": int(store.db.execute("SELECT COALESCE(MAX(position),0)+1 FROM documents").fetchone()[0]),
        },
    )
    old_ids = [s.id for s in document.transcript.segments]
    transcript_repository.append_segments(store, doc_id, None, document.transcript.segments)
    for old, segment in zip(old_ids, document.transcript.segments, strict=True):
        if old is not None and segment.id is not None:
            segment_ids[old] = segment.id
    for speaker in document.speakers:
        store.db.execute(
            "UPDATE speakers SET display_name = ?, color = ? WHERE document_id = ? AND label = ?",
            [speaker.display_name, speaker.color, doc_id, speaker.label],
        )
    return doc_id


def _store_cases(store: ProjectStore, project: QdaProject) -> None:
    attribute_ids = {}
    for attribute in project.attributes:
        existing = store.db.execute("SELECT id FROM attributes WHERE name = ?", [attribute.name]).fetchone()
        attribute_ids[attribute.name] = (
            existing[0]
            if existing
            else _insert(
                store,
                "attributes",
                {
                    "name": attribute.name,
                    "type": attribute.type.value,
                    "choices": json.dumps(attribute.choices),
                },
            )
        )
    for participant in project.participants:
        existing = store.db.execute("SELECT id FROM participants WHERE label = ?", [participant.label]).fetchone()
        pid = existing[0] if existing else _insert(store, "participants", {"label": participant.label})
        for name, value in participant.values.items():
            if name in attribute_ids:
                store.db.execute(
                    "INSERT OR REPLACE INTO attribute_values (participant_id, attribute_id, value) VALUES (?, ?, ?)",
                    [pid, attribute_ids[name], value],
                )


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


def _memo_row(memo: Memo, codes: dict[int, int], documents: dict[int, int]) -> dict[str, Any]:
    target = memo.target_id
    if memo.target_type == "code" and target is not None:
        target = codes.get(target)
    elif memo.target_type == "document" and target is not None:
        target = documents.get(target)
    kind = memo.target_type if target is not None or memo.target_type == "study" else "study"
    return {
        "target_type": kind if kind in ("study", "document", "code") else "study",
        "target_id": target,
        "text": memo.text,
        "author": memo.author,
        "created": memo.created or now_iso(),
        "modified": now_iso(),
    }


def _insert(store: ProjectStore, table: str, values: dict[str, Any]) -> int:
    columns = ", ".join(f"[{c}]" for c in values)
    marks = ", ".join("?" for _ in values)
    cursor = store.db.execute(f"INSERT INTO [{table}] ({columns}) VALUES ({marks})", list(values.values()))
    return int(cursor.lastrowid or 0)
