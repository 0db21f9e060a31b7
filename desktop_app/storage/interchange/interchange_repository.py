"""The SQL behind REFI-QDA export and import: what a snapshot reads and what an import adds.

Exports read codes' and codings' saved GUIDs, attributes, participants (with their notes), memos
and the study's own GUID (a ``settings`` row, made on the first export of a writable study, so
every export of it gives the same GUIDs). Imports insert rows as they come; the service runs them
in one transaction.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from desktop_app.core.coding import Attribute, AttributeType, Memo, Participant
from desktop_app.storage.project_store import ProjectStore

STUDY_GUID_KEY = "refi_qda.study_guid"
_GUID_TABLES = {"code": "codes", "coding": "codings"}


def saved_guids(store: ProjectStore, kind: str) -> dict[int, str]:
    """GUIDs saved by earlier exports or imports for ``kind`` (``code`` or ``coding``), by id."""
    table = _GUID_TABLES[kind]
    rows = store.db.execute(f"SELECT id, guid FROM {table} WHERE guid IS NOT NULL").fetchall()
    return {int(r[0]): str(r[1]) for r in rows}


def save_guids(store: ProjectStore, kind: str, guids: dict[int, str]) -> None:
    """Keep the GUIDs an export gave, where none was kept yet."""
    table = _GUID_TABLES[kind]
    for item_id, guid in guids.items():
        store.db.execute(f"UPDATE {table} SET guid = ? WHERE id = ? AND guid IS NULL", [guid, item_id])


def study_guid(store: ProjectStore) -> str:
    """The study's GUID: the saved one; else a new one saved (or, read-only, one derived from the study)."""
    row = store.db.execute("SELECT value FROM settings WHERE key = ?", [STUDY_GUID_KEY]).fetchone()
    if row and row[0]:
        return str(row[0])
    if store.readonly:
        study = store.study()
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"verbatim-study:{study.get('created')}:{study.get('name')}"))
    guid = str(uuid.uuid4())
    with store.db.atomic():
        store.db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [STUDY_GUID_KEY, guid])
    return guid


def attributes(store: ProjectStore) -> list[Attribute]:
    rows = store.db.execute("SELECT id, name, type, choices FROM attributes ORDER BY position, id").fetchall()
    return [Attribute(r[0], r[1], AttributeType(r[2]), json.loads(r[3])) for r in rows]


def participants(store: ProjectStore) -> tuple[list[Participant], dict[int, str]]:
    """Every participant with attribute values by name, and the participants' notes by id."""
    names = {r[0]: r[1] for r in store.db.execute("SELECT id, name FROM attributes").fetchall()}
    result, notes = [], {}
    for pid, label, note in store.db.execute("SELECT id, label, notes FROM participants ORDER BY id").fetchall():
        values = store.db.execute(
            "SELECT attribute_id, value FROM attribute_values WHERE participant_id = ?", [pid]
        ).fetchall()
        result.append(Participant(pid, label, {names[a]: v for a, v in values if v is not None}))
        if note:
            notes[pid] = str(note)
    return result, notes


def memos(store: ProjectStore) -> list[Memo]:
    rows = store.db.execute("SELECT id, target_type, target_id, text, author, created FROM memos").fetchall()
    return [Memo(*r) for r in rows]


def insert(store: ProjectStore, table: str, values: dict[str, Any]) -> int:
    columns = ", ".join(f"[{c}]" for c in values)
    marks = ", ".join("?" for _ in values)
    cursor = store.db.execute(f"INSERT INTO [{table}] ({columns}) VALUES ({marks})", list(values.values()))
    return int(cursor.lastrowid or 0)


def next_document_position(store: ProjectStore) -> int:
    return int(store.db.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM documents").fetchone()[0])


def name_speaker(
    store: ProjectStore,
    document_id: int,
    label: str,
    display_name: str | None,
    color: str | None,
    participant_id: int | None = None,
) -> None:
    store.db.execute(
        "UPDATE speakers SET display_name = ?, color = ?, participant_id = ? WHERE document_id = ? AND label = ?",
        [display_name, color, participant_id, document_id, label],
    )


def attribute_id(store: ProjectStore, name: str) -> int | None:
    row = store.db.execute("SELECT id FROM attributes WHERE name = ?", [name]).fetchone()
    return int(row[0]) if row else None


def participant(store: ProjectStore, label: str) -> tuple[int, str] | None:
    """(id, notes) of the participant called ``label``."""
    row = store.db.execute("SELECT id, notes FROM participants WHERE label = ?", [label]).fetchone()
    return (int(row[0]), str(row[1] or "")) if row else None


def set_participant_notes(store: ProjectStore, participant_id: int, notes: str) -> None:
    store.db.execute("UPDATE participants SET notes = ? WHERE id = ?", [notes, participant_id])


def set_value(store: ProjectStore, participant_id: int, attribute_id_: int, value: str) -> None:
    store.db.execute(
        "INSERT INTO attribute_values (participant_id, attribute_id, value) VALUES (?, ?, ?) "
        "ON CONFLICT (participant_id, attribute_id) DO UPDATE SET value = excluded.value",
        [participant_id, attribute_id_, value],
    )


def study_description(store: ProjectStore) -> str:
    row = store.db.execute("SELECT description FROM study WHERE id = 1").fetchone()
    return str(row[0] or "") if row else ""


def set_study_description(store: ProjectStore, text: str) -> None:
    store.db.execute("UPDATE study SET description = ? WHERE id = 1", [text])


_DOCUMENT_FIELDS = {"interviewer", "recorded_date", "language"}


def set_document_field(store: ProjectStore, document_id: int, column: str, value: str) -> None:
    """Set one of a document's own fields (interviewer, recorded_date, language)."""
    if column not in _DOCUMENT_FIELDS:
        raise ValueError(f"not a document field: {column}")
    store.db.execute(f"UPDATE documents SET {column} = ? WHERE id = ?", [value, document_id])
