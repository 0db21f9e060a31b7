"""The reading order of a document's turns (``seq``), which splitting a turn has to make room in."""

from __future__ import annotations

from desktop_app.storage.project_store import ProjectStore


def turn_seq(store: ProjectStore, segment_id: int) -> int:
    return int(store.db.execute("SELECT seq FROM segments WHERE id = ?", [segment_id]).fetchone()[0])


def turns_after(store: ProjectStore, document_id: int, after_seq: int) -> list[tuple[int, int]]:
    """(id, seq) of the turns after ``after_seq``, last first, so renumbering upward never collides."""
    rows = store.db.execute(
        "SELECT id, seq FROM segments WHERE document_id = ? AND seq > ? ORDER BY seq DESC", [document_id, after_seq]
    ).fetchall()
    return [(int(r[0]), int(r[1])) for r in rows]
