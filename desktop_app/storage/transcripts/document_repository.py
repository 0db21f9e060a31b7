"""Documents (interviews, focus groups): list, add, rename, notes, status, remove (all undoable)."""

from __future__ import annotations

from typing import Any

from desktop_app.core.document import DocumentInfo, DocumentStatus
from desktop_app.storage.journal import ChangeSet, now_iso
from desktop_app.storage.project_store import ProjectStore

_SELECT = """
SELECT d.id, d.title, d.status, d.language, d.recorded_date, d.interviewer, d.field_notes,
       m.abs_path, m.duration, d.setting, d.interview_format
FROM documents d LEFT JOIN media m ON m.id = d.media_id
"""


def _info(row: Any) -> DocumentInfo:
    return DocumentInfo(
        id=row[0],
        title=row[1],
        status=DocumentStatus(row[2]),
        language=row[3],
        recorded_date=row[4],
        interviewer=row[5],
        field_notes=row[6],
        media_path=row[7],
        duration=row[8],
        setting=row[9],
        interview_format=row[10],
    )


def list_documents(store: ProjectStore, *, include_removed: bool = False) -> list[DocumentInfo]:
    where = "" if include_removed else " WHERE d.removed = 0"
    rows = store.db.execute(_SELECT + where + " ORDER BY d.position, d.id").fetchall()
    return [_info(r) for r in rows]


def get_document(store: ProjectStore, document_id: int) -> DocumentInfo | None:
    row = store.db.execute(_SELECT + " WHERE d.id = ? AND d.removed = 0", [document_id]).fetchone()
    return _info(row) if row else None


def document_media_id(store: ProjectStore, document_id: int) -> int | None:
    row = store.db.execute("SELECT media_id FROM documents WHERE id = ?", [document_id]).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def add_document(changes: ChangeSet, store: ProjectStore, title: str, media_id: int | None) -> int:
    position = store.db.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM documents").fetchone()[0]
    return changes.insert(
        "documents", {"title": title, "media_id": media_id, "position": position, "created": now_iso()}
    )


def update_document(changes: ChangeSet, document_id: int, **values: Any) -> None:
    if "status" in values:
        values["status"] = DocumentStatus(values["status"]).value
    changes.update("documents", document_id, values)


def set_status(store: ProjectStore, document_id: int, status: DocumentStatus) -> None:
    """Status changes made by the engine (transcribing/transcribed) are not user edits: not journaled."""
    with store.db.atomic():
        store.db.execute("UPDATE documents SET status = ? WHERE id = ?", [status.value, document_id])


def set_language(store: ProjectStore, document_id: int, language: str | None) -> None:
    with store.db.atomic():
        store.db.execute("UPDATE documents SET language = ? WHERE id = ?", [language, document_id])
