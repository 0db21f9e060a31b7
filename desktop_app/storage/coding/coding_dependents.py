"""What hangs on a code or a coding (its realist tag, C–M–O links, memos), so deleting one can journal
their removal too and undo brings them all back; and which document a coding is in."""

from __future__ import annotations

from desktop_app.storage.project_store import ProjectStore


def document_of_coding(store: ProjectStore, coding_id: int) -> int | None:
    row = store.db.execute("SELECT document_id FROM codings WHERE id = ?", [coding_id]).fetchone()
    return int(row[0]) if row else None


def coding_dependents(store: ProjectStore, coding_id: int) -> list[tuple[str, int]]:
    """(table, row id) of the realist tag, C–M–O links and memos of a coding."""
    found: list[tuple[str, int]] = []
    for table in ("realist_tags", "cmo_members"):
        rows = store.db.execute(f"SELECT id FROM {table} WHERE coding_id = ?", [coding_id]).fetchall()
        found.extend((table, int(r[0])) for r in rows)
    return found + [("memos", memo_id) for memo_id in memo_ids(store, "coding", coding_id)]


def memo_ids(store: ProjectStore, target_type: str, target_id: int) -> list[int]:
    rows = store.db.execute(
        "SELECT id FROM memos WHERE target_type = ? AND target_id = ?", [target_type, target_id]
    ).fetchall()
    return [int(r[0]) for r in rows]
