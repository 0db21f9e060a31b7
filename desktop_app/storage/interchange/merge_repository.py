"""The SQL a merge of two coders' copies needs: documents by recording hash, and raw rows to copy.

Reads only. The merge writes through the journal's ``ChangeSet`` so the whole merge is one undo step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop_app.storage.project_store import ProjectStore

Row = dict[str, Any]
_TABLES = {"documents", "media", "segments", "words", "speakers", "memos", "participants", "translations"}


@dataclass(frozen=True)
class DocumentKey:
    """A document as a merge matches it: by its recording's SHA-256 (None without a recording)."""

    id: int
    title: str
    sha256: str | None


def documents(store: ProjectStore) -> list[DocumentKey]:
    rows = store.db.execute(
        "SELECT d.id, d.title, m.sha256 FROM documents d LEFT JOIN media m ON m.id = d.media_id "
        "WHERE d.removed = 0 ORDER BY d.position, d.id"
    ).fetchall()
    return [DocumentKey(int(r[0]), str(r[1]), r[2]) for r in rows]


def rows(store: ProjectStore, table: str, column: str, value: object) -> list[Row]:
    """Every row of ``table`` whose ``column`` is ``value``, in id order (``table`` from a fixed set)."""
    if table not in _TABLES or not column.isidentifier():
        raise ValueError(f"not a table a merge copies: {table}.{column}")
    cursor = store.db.execute(f"SELECT * FROM [{table}] WHERE [{column}] = ? ORDER BY id", [value])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def row(store: ProjectStore, table: str, row_id: int) -> Row | None:
    found = rows(store, table, "id", row_id)
    return found[0] if found else None


def next_document_position(store: ProjectStore) -> int:
    return int(store.db.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM documents").fetchone()[0])


def media_by_hash(store: ProjectStore, sha256: str) -> int | None:
    found = store.db.execute("SELECT id FROM media WHERE sha256 = ? ORDER BY id LIMIT 1", [sha256]).fetchone()
    return int(found[0]) if found else None


def value_id(store: ProjectStore, participant_id: int, attribute_id: int) -> int | None:
    found = store.db.execute(
        "SELECT id FROM attribute_values WHERE participant_id = ? AND attribute_id = ?", [participant_id, attribute_id]
    ).fetchone()
    return int(found[0]) if found else None
