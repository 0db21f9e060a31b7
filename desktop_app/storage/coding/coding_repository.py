"""The codebook tree and the codings on transcript spans."""

from __future__ import annotations

from typing import Any

from desktop_app.core.coding import Code, Coding, TextPosition
from desktop_app.storage.journal import ChangeSet, now_iso
from desktop_app.storage.project_store import ProjectStore

_CODING_COLUMNS = (
    "id, code_id, document_id, start_segment_id, start_offset, end_segment_id, end_offset, "
    "start_time, end_time, coder, created, memo, needs_review"
)


def list_codes(store: ProjectStore) -> list[Code]:
    rows = store.db.execute(
        "SELECT id, name, parent_id, color, description, codable, position FROM codes ORDER BY position, id"
    ).fetchall()
    return [Code(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows]


def get_code(store: ProjectStore, code_id: int) -> Code | None:
    return next((c for c in list_codes(store) if c.id == code_id), None)


def add_code(changes: ChangeSet, store: ProjectStore, code: Code) -> int:
    position = store.db.execute(
        "SELECT COALESCE(MAX(position), -1) + 1 FROM codes WHERE parent_id IS ?", [code.parent_id]
    ).fetchone()[0]
    return changes.insert(
        "codes",
        {
            "name": code.name,
            "parent_id": code.parent_id,
            "color": code.color,
            "description": code.description,
            "codable": int(code.codable),
            "position": position,
        },
    )


def _coding(row: Any) -> Coding:
    return Coding(
        id=row[0],
        code_id=row[1],
        document_id=row[2],
        start=TextPosition(row[3], row[4]),
        end=TextPosition(row[5], row[6]),
        start_time=row[7],
        end_time=row[8],
        coder=row[9],
        created=row[10],
        memo=row[11],
        needs_review=bool(row[12]),
    )


def list_codings(
    store: ProjectStore, *, document_id: int | None = None, code_ids: list[int] | None = None
) -> list[Coding]:
    where, params = [], []
    if document_id is not None:
        where.append("document_id = ?")
        params.append(document_id)
    if code_ids is not None:
        where.append(f"code_id IN ({', '.join('?' for _ in code_ids)})" if code_ids else "0")
        params.extend(code_ids)
    sql = f"SELECT {_CODING_COLUMNS} FROM codings" + (f" WHERE {' AND '.join(where)}" if where else "")
    return [_coding(r) for r in store.db.execute(sql + " ORDER BY id", params).fetchall()]


def codings_touching(store: ProjectStore, segment_ids: list[int]) -> list[Coding]:
    marks = ", ".join("?" for _ in segment_ids)
    rows = store.db.execute(
        f"SELECT {_CODING_COLUMNS} FROM codings WHERE start_segment_id IN ({marks}) OR end_segment_id IN ({marks})",
        [*segment_ids, *segment_ids],
    ).fetchall()
    return [_coding(r) for r in rows]


def coding_row(coding: Coding) -> dict[str, Any]:
    return {
        "code_id": coding.code_id,
        "document_id": coding.document_id,
        "start_segment_id": coding.start.segment_id,
        "start_offset": coding.start.offset,
        "end_segment_id": coding.end.segment_id,
        "end_offset": coding.end.offset,
        "start_time": coding.start_time,
        "end_time": coding.end_time,
        "coder": coding.coder,
        "created": coding.created or now_iso(),
        "memo": coding.memo,
        "needs_review": int(coding.needs_review),
    }


def coded_documents(store: ProjectStore) -> list[tuple[int, int]]:
    """(code id, document id) of every coding."""
    return [(r[0], r[1]) for r in store.db.execute("SELECT code_id, document_id FROM codings").fetchall()]


def code_usage(store: ProjectStore) -> dict[int, tuple[int, int]]:
    """Per code: (codings, documents)."""
    rows = store.db.execute(
        "SELECT code_id, COUNT(*), COUNT(DISTINCT document_id) FROM codings GROUP BY code_id"
    ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}
