"""Realist evaluation: context/mechanism/outcome tags on codings and the C–M–O configurations linking them.

Reads only: changes go through the journal in ``realist_service``.
"""

from __future__ import annotations

from desktop_app.storage.project_store import ProjectStore


def coding_exists(store: ProjectStore, coding_id: int) -> bool:
    return store.db.execute("SELECT 1 FROM codings WHERE id = ?", [coding_id]).fetchone() is not None


def tag_rows(store: ProjectStore) -> list[tuple[int, str, str | None]]:
    """(coding id, role, polarity) of every tag."""
    rows = store.db.execute("SELECT coding_id, role, polarity FROM realist_tags").fetchall()
    return [(int(r[0]), str(r[1]), r[2]) for r in rows]


def tag_id(store: ProjectStore, coding_id: int) -> int | None:
    row = store.db.execute("SELECT id FROM realist_tags WHERE coding_id = ?", [coding_id]).fetchone()
    return int(row[0]) if row else None


def member_ids_of_coding(store: ProjectStore, coding_id: int) -> list[int]:
    rows = store.db.execute("SELECT id FROM cmo_members WHERE coding_id = ?", [coding_id]).fetchall()
    return [int(r[0]) for r in rows]


def member_ids_of_configuration(store: ProjectStore, configuration_id: int) -> list[int]:
    rows = store.db.execute("SELECT id FROM cmo_members WHERE configuration_id = ?", [configuration_id]).fetchall()
    return [int(r[0]) for r in rows]


def member_id(store: ProjectStore, configuration_id: int, coding_id: int) -> int | None:
    row = store.db.execute(
        "SELECT id FROM cmo_members WHERE configuration_id = ? AND coding_id = ?", [configuration_id, coding_id]
    ).fetchone()
    return int(row[0]) if row else None


def members(store: ProjectStore) -> list[tuple[int, int]]:
    """(configuration id, coding id) of every link, in the order they were made."""
    rows = store.db.execute("SELECT configuration_id, coding_id FROM cmo_members ORDER BY id").fetchall()
    return [(int(r[0]), int(r[1])) for r in rows]


def configuration_rows(store: ProjectStore) -> list[tuple[int, str, str]]:
    """(id, name, notes) of every configuration, oldest first."""
    rows = store.db.execute("SELECT id, name, notes FROM cmo_configurations ORDER BY id").fetchall()
    return [(int(r[0]), str(r[1]), str(r[2] or "")) for r in rows]
