"""Participants (cases), their typed attributes and values, and the study's settings rows.

Reads only: changes go through the journal (``ChangeSet``) in the services, so they can be undone.
"""

from __future__ import annotations

import json

from desktop_app.core.coding import Attribute, AttributeType
from desktop_app.storage.project_store import ProjectStore


def list_attributes(store: ProjectStore) -> list[Attribute]:
    rows = store.db.execute("SELECT id, name, type, choices FROM attributes ORDER BY position, id").fetchall()
    return [Attribute(r[0], r[1], AttributeType(r[2]), list(json.loads(r[3] or "[]"))) for r in rows]


def next_attribute_position(store: ProjectStore) -> int:
    return int(store.db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM attributes").fetchone()[0])


def count_values_of(store: ProjectStore, attribute_id: int) -> int:
    row = store.db.execute(
        "SELECT COUNT(*) FROM attribute_values WHERE attribute_id = ? AND value IS NOT NULL", [attribute_id]
    ).fetchone()
    return int(row[0])


def value_ids_of_attribute(store: ProjectStore, attribute_id: int) -> list[int]:
    rows = store.db.execute("SELECT id FROM attribute_values WHERE attribute_id = ?", [attribute_id]).fetchall()
    return [int(r[0]) for r in rows]


def value_ids_of_participant(store: ProjectStore, participant_id: int) -> list[int]:
    rows = store.db.execute("SELECT id FROM attribute_values WHERE participant_id = ?", [participant_id]).fetchall()
    return [int(r[0]) for r in rows]


def value_id(store: ProjectStore, participant_id: int, attribute_id: int) -> int | None:
    row = store.db.execute(
        "SELECT id FROM attribute_values WHERE participant_id = ? AND attribute_id = ?", [participant_id, attribute_id]
    ).fetchone()
    return int(row[0]) if row else None


def stored_values(store: ProjectStore) -> list[tuple[int, int, str]]:
    """(participant id, attribute id, value) of every value that is set."""
    rows = store.db.execute(
        "SELECT participant_id, attribute_id, value FROM attribute_values WHERE value IS NOT NULL"
    ).fetchall()
    return [(int(r[0]), int(r[1]), str(r[2])) for r in rows]


def distinct_values(store: ProjectStore, attribute_id: int) -> set[str]:
    rows = store.db.execute(
        "SELECT DISTINCT value FROM attribute_values WHERE attribute_id = ? AND value IS NOT NULL", [attribute_id]
    ).fetchall()
    return {str(r[0]) for r in rows}


def participant_labels(store: ProjectStore) -> list[tuple[int, str]]:
    """(id, label) of every participant, by label ignoring case."""
    rows = store.db.execute("SELECT id, label FROM participants ORDER BY label COLLATE NOCASE").fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]


def participant_id(store: ProjectStore, label: str, *, ignore_case: bool = True) -> int | None:
    sql = "SELECT id FROM participants WHERE label = ?" + (" COLLATE NOCASE" if ignore_case else "")
    row = store.db.execute(sql, [label]).fetchone()
    return int(row[0]) if row else None


def speaker_ids_of_participant(store: ProjectStore, participant_id_: int) -> list[int]:
    rows = store.db.execute("SELECT id FROM speakers WHERE participant_id = ?", [participant_id_]).fetchall()
    return [int(r[0]) for r in rows]


def setting(store: ProjectStore, key: str) -> tuple[int, str] | None:
    """(row id, value) of a study setting, or None when it was never set."""
    row = store.db.execute("SELECT id, value FROM settings WHERE key = ?", [key]).fetchone()
    return (int(row[0]), str(row[1])) if row else None
