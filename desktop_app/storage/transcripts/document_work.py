"""What a researcher has done to a document's transcript: turns corrected, coded, given memos.

Transcribing again must not throw this away unasked, so it is found here, from the rows and the
edit journal: a turn is *corrected* when it holds typed words, or when an action still on the undo
stack changed its text, speaker, times or words (renumbering turns when another is split is not a
correction of them).
"""

from __future__ import annotations

import json
from typing import Any

from desktop_app.storage.project_store import ProjectStore

_CORRECTING_COLUMNS = ("text", "speaker_id", "start", "end")


def segment_ids(store: ProjectStore, document_id: int) -> set[int]:
    rows = store.db.execute("SELECT id FROM segments WHERE document_id = ?", [document_id]).fetchall()
    return {int(r[0]) for r in rows}


def segments_with_typed_words(store: ProjectStore, document_id: int) -> set[int]:
    rows = store.db.execute(
        "SELECT DISTINCT w.segment_id FROM words w JOIN segments s ON s.id = w.segment_id "
        "WHERE s.document_id = ? AND w.edited = 1",
        [document_id],
    ).fetchall()
    return {int(r[0]) for r in rows}


def segments_changed_by_journal(store: ProjectStore, document_id: int, not_by: tuple[str, ...] = ()) -> set[int]:
    """Turns of the document that an action still on the undo stack corrected (not the actions labelled ``not_by``)."""
    ids = segment_ids(store, document_id)
    touched: set[int] = set()
    marks = ", ".join("?" for _ in not_by)
    sql = "SELECT changes FROM journal WHERE undone = 0" + (f" AND label NOT IN ({marks})" if not_by else "")
    for (raw,) in store.db.execute(sql, list(not_by)).fetchall():
        for change in json.loads(raw):
            touched.update(_corrected_segment(change))
    return touched & ids


def _corrected_segment(change: dict[str, Any]) -> list[int]:
    before, after = change.get("before"), change.get("after")
    if change["table"] == "words":
        return [int(row["segment_id"]) for row in (before, after) if row]
    if change["table"] != "segments":
        return []
    if before and after and all(before.get(c) == after.get(c) for c in _CORRECTING_COLUMNS):
        return []  # only renumbered
    return [int(change["id"])]


def coded_segment_ids(store: ProjectStore, document_id: int) -> set[int]:
    """Every turn a coding covers, from its first turn to its last."""
    rows = store.db.execute(
        """SELECT s.id FROM codings c
           JOIN segments a ON a.id = c.start_segment_id
           JOIN segments b ON b.id = c.end_segment_id
           JOIN segments s ON s.document_id = c.document_id AND s.seq BETWEEN a.seq AND b.seq
           WHERE c.document_id = ?""",
        [document_id],
    ).fetchall()
    return {int(r[0]) for r in rows}


def coding_count(store: ProjectStore, document_id: int) -> int:
    return int(store.db.execute("SELECT COUNT(*) FROM codings WHERE document_id = ?", [document_id]).fetchone()[0])


def segment_memos(store: ProjectStore, document_id: int) -> dict[int, int]:
    """Memo id -> the turn it is written on, for the document's turns."""
    rows = store.db.execute(
        """SELECT m.id, m.target_id FROM memos m JOIN segments s ON s.id = m.target_id
           WHERE m.target_type = 'segment' AND s.document_id = ?""",
        [document_id],
    ).fetchall()
    return {int(r[0]): int(r[1]) for r in rows}


def coding_memo_count(store: ProjectStore, document_id: int) -> int:
    """Memos on the document's codings: their own memo text and memo rows written on them."""
    inline = store.db.execute(
        "SELECT COUNT(*) FROM codings WHERE document_id = ? AND memo != ''", [document_id]
    ).fetchone()[0]
    rows = store.db.execute(
        """SELECT COUNT(*) FROM memos m JOIN codings c ON c.id = m.target_id
           WHERE m.target_type = 'coding' AND c.document_id = ?""",
        [document_id],
    ).fetchone()[0]
    return int(inline) + int(rows)


def pseudonym_skip_ids(store: ProjectStore, segment_ids_: set[int]) -> list[int]:
    if not segment_ids_:
        return []
    marks = ", ".join("?" for _ in segment_ids_)
    rows = store.db.execute(f"SELECT id FROM pseudonym_skips WHERE segment_id IN ({marks})", list(segment_ids_))
    return [int(r[0]) for r in rows.fetchall()]


def pseudonym_skips_of(store: ProjectStore, document_id: int) -> list[tuple[int, int, int]]:
    """(row id, turn id, start offset) of the document's hits kept as spoken."""
    rows = store.db.execute(
        "SELECT k.id, k.segment_id, k.start_offset FROM pseudonym_skips k JOIN segments s ON s.id = k.segment_id "
        "WHERE s.document_id = ?",
        [document_id],
    ).fetchall()
    return [(int(r[0]), int(r[1]), int(r[2])) for r in rows]


def segments_with_pseudonym_decisions(store: ProjectStore, document_id: int) -> set[int]:
    return {segment_id for _, segment_id, _ in pseudonym_skips_of(store, document_id)}
