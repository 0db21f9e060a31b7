"""Memos on the study, a document, a code, a coding or a turn: what they are attached to, and reading them.

Reads only: changes go through the journal in ``memo_service`` (and ``coding_service``, which removes a
code's or coding's memos with it).
"""

from __future__ import annotations

from typing import Any

from desktop_app.core.coding import Memo
from desktop_app.storage.project_store import ProjectStore

TARGET_TABLES = {"document": "documents", "code": "codes", "coding": "codings", "segment": "segments"}
_COLUMNS = "id, target_type, target_id, text, author, created"


def _memo(row: Any) -> Memo:
    return Memo(row[0], row[1], row[2], row[3], row[4], row[5])


def target_exists(store: ProjectStore, target_type: str, target_id: int) -> bool:
    table = TARGET_TABLES[target_type]
    return store.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [target_id]).fetchone() is not None


def list_memos(store: ProjectStore, target_type: str | None, target_id: int | None, *, by_target: bool) -> list[Memo]:
    """Oldest first: all memos, those of ``target_type``, or (``by_target``) one target's."""
    where: list[str] = []
    params: list[object] = []
    if target_type is not None:
        where.append("target_type = ?")
        params.append(target_type)
        if by_target:
            where.append("target_id IS ?")
            params.append(target_id)
    sql = f"SELECT {_COLUMNS} FROM memos" + (f" WHERE {' AND '.join(where)}" if where else "")
    return [_memo(r) for r in store.db.execute(sql + " ORDER BY id", params).fetchall()]


def get_memo(store: ProjectStore, memo_id: int) -> Memo | None:
    row = store.db.execute(f"SELECT {_COLUMNS} FROM memos WHERE id = ?", [memo_id]).fetchone()
    return _memo(row) if row else None


def modified(store: ProjectStore, memo_id: int) -> str:
    row = store.db.execute("SELECT modified FROM memos WHERE id = ?", [memo_id]).fetchone()
    return str(row[0]) if row else ""
