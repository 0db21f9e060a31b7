"""The SQL that makes a working copy of a study for a second coder (on the copy, never the original).

The copy is made page by page from the open study (as a backup is), then trimmed: documents not
chosen, their codings and memos, codings for a blind copy, recordings for a copy without audio. The
copy starts with an empty undo history (its entries would name rows the copy no longer has) and is
vacuumed, so what was removed is gone from the file, not left in free pages.
"""

from __future__ import annotations

from pathlib import Path

from desktop_app.storage.connection import DATABASE_ERRORS, OpenOptions, open_project_db, translate_error
from desktop_app.storage.project_store import ProjectStore

CODER_KEY = "working_copy.coder"


def copy_pages(store: ProjectStore, target: Path) -> None:
    """Write the study as it is committed now to ``target`` (a new file), with the same encryption."""
    copy = open_project_db(target, OpenOptions(create=True, passphrase=store.passphrase))
    try:
        store.db.conn.backup(copy.conn)
        copy.execute("PRAGMA journal_mode = DELETE")
    except DATABASE_ERRORS as exc:
        raise translate_error(target, exc) from exc
    finally:
        copy.conn.close()


def document_ids(store: ProjectStore) -> list[int]:
    return [int(r[0]) for r in store.db.execute("SELECT id FROM documents ORDER BY position, id").fetchall()]


def drop_documents(store: ProjectStore, keep: set[int]) -> int:
    """Delete every document not in ``keep`` with its codings, turns and memos; returns how many went."""
    gone = [d for d in document_ids(store) if d not in keep]
    for document in gone:
        segments = [r[0] for r in store.db.execute("SELECT id FROM segments WHERE document_id = ?", [document])]
        codings = [r[0] for r in store.db.execute("SELECT id FROM codings WHERE document_id = ?", [document])]
        _drop_memos(store, "segment", segments)
        _drop_memos(store, "coding", codings)
        _drop_memos(store, "document", [document])
        store.db.execute("DELETE FROM codings WHERE document_id = ?", [document])
        store.db.execute("DELETE FROM documents WHERE id = ?", [document])
    store.db.execute("DELETE FROM media WHERE id NOT IN (SELECT media_id FROM documents WHERE media_id IS NOT NULL)")
    return len(gone)


def drop_codings(store: ProjectStore) -> int:
    """Every coding and coding memo (a blind copy); returns how many codings went."""
    count = int(store.db.execute("SELECT COUNT(*) FROM codings").fetchone()[0])
    store.db.execute("DELETE FROM memos WHERE target_type = 'coding'")
    store.db.execute("DELETE FROM codings")
    return count


def drop_audio(store: ProjectStore) -> int:
    """Recordings out of the copy (embedded bytes and paths); each keeps its name and SHA-256 for relinking
    and for matching documents when the copies are merged. Returns how many recordings."""
    count = int(store.db.execute("SELECT COUNT(*) FROM media").fetchone()[0])
    store.db.execute("DELETE FROM media_chunks")
    store.db.execute("UPDATE media SET rel_path = NULL, abs_path = NULL, embedded = 0")
    return count


def finish(store: ProjectStore, coder: str) -> None:
    """Empty undo history, the coder's name kept, free pages dropped."""
    store.db.execute("DELETE FROM journal")
    store.db.execute("DELETE FROM settings WHERE key = ?", [CODER_KEY])
    store.db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [CODER_KEY, coder])


def vacuum(store: ProjectStore) -> None:
    store.db.execute("VACUUM")


def _drop_memos(store: ProjectStore, kind: str, ids: list[int]) -> None:
    for target in ids:
        store.db.execute("DELETE FROM memos WHERE target_type = ? AND target_id = ?", [kind, target])
