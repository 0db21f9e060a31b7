"""The pseudonym table (identifier → pseudonym) and the hits a researcher chose to keep as spoken.

Reads only: changes go through the journal in ``pseudonym_service``.
"""

from __future__ import annotations

from desktop_app.storage.project_store import ProjectStore


def entries(store: ProjectStore) -> list[tuple[str, str]]:
    """(identifier, pseudonym) pairs by identifier, ignoring case."""
    rows = store.db.execute("SELECT identifier, pseudonym FROM pseudonyms ORDER BY identifier COLLATE NOCASE")
    return [(str(r[0]), str(r[1])) for r in rows.fetchall()]


def entry_id(store: ProjectStore, identifier: str) -> int | None:
    row = store.db.execute("SELECT id FROM pseudonyms WHERE identifier = ?", [identifier]).fetchone()
    return int(row[0]) if row else None


def all_turn_texts(store: ProjectStore) -> list[str]:
    return [str(r[0]) for r in store.db.execute("SELECT text FROM segments ORDER BY document_id, seq").fetchall()]


def speaker_names(store: ProjectStore) -> list[str]:
    """The names researchers gave speakers (each once)."""
    rows = store.db.execute("SELECT DISTINCT display_name FROM speakers").fetchall()
    return [str(r[0]) for r in rows if r[0]]


def skips(store: ProjectStore) -> set[tuple[int, int, str]]:
    """(turn id, start offset, identifier) of every hit kept as spoken."""
    rows = store.db.execute("SELECT segment_id, start_offset, identifier FROM pseudonym_skips").fetchall()
    return {(int(r[0]), int(r[1]), str(r[2])) for r in rows}


def skips_in(store: ProjectStore, segment_id: int) -> list[tuple[int, int, str]]:
    """(row id, start offset, the words kept) of the hits kept as spoken in one turn."""
    rows = store.db.execute(
        "SELECT id, start_offset, matched_text FROM pseudonym_skips WHERE segment_id = ? ORDER BY start_offset",
        [segment_id],
    ).fetchall()
    return [(int(r[0]), int(r[1]), str(r[2])) for r in rows]


def skip_id(store: ProjectStore, segment_id: int, start_offset: int, identifier: str) -> int | None:
    row = store.db.execute(
        "SELECT id FROM pseudonym_skips WHERE segment_id = ? AND start_offset = ? AND identifier = ?",
        [segment_id, start_offset, identifier],
    ).fetchone()
    return int(row[0]) if row else None


def turns(store: ProjectStore, document_id: int | None = None) -> list[tuple[int, int, str]]:
    """(turn id, document id, text) in reading order, of the study or one document."""
    sql = "SELECT id, document_id, text FROM segments"
    rows = store.db.execute(
        sql + (" WHERE document_id = ?" if document_id is not None else "") + " ORDER BY document_id, seq",
        [document_id] if document_id is not None else [],
    ).fetchall()
    return [(int(r[0]), int(r[1]), str(r[2])) for r in rows]
