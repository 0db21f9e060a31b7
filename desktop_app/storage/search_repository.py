"""Full-text search over segment text (the ``segments_fts`` FTS5 index)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.storage.project_store import ProjectStore

MATCH_OPEN, MATCH_CLOSE = "\ue000", "\ue001"  # private-use marks around matched terms


@dataclass(frozen=True)
class SegmentMatch:
    """One segment whose text matches, with its matches marked by ``MATCH_OPEN``/``MATCH_CLOSE``."""

    document_id: int
    document_title: str
    segment_id: int
    start: float
    end: float
    speaker: str | None
    marked_text: str


def search_segments(store: ProjectStore, fts_query: str, limit: int) -> list[SegmentMatch]:
    """Segments of documents not removed, in document then turn order (raises sqlite3 errors on bad syntax)."""
    rows = store.db.execute(
        f"""SELECT s.document_id, d.title, s.id, s.start, s.end, COALESCE(sp.display_name, sp.label),
                   highlight(segments_fts, 0, '{MATCH_OPEN}', '{MATCH_CLOSE}')
            FROM segments_fts
            JOIN segments s ON s.id = segments_fts.rowid
            JOIN documents d ON d.id = s.document_id
            LEFT JOIN speakers sp ON sp.id = s.speaker_id
            WHERE segments_fts MATCH ? AND d.removed = 0
            ORDER BY d.position, d.id, s.seq
            LIMIT ?""",
        [fts_query, limit],
    ).fetchall()
    return [SegmentMatch(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]


def count_matches(store: ProjectStore, fts_query: str) -> int:
    """Matching segments of documents not removed (the index alone answers when no document is removed)."""
    if store.db.execute("SELECT 1 FROM documents WHERE removed != 0 LIMIT 1").fetchone() is None:
        return int(store.db.execute("SELECT COUNT(*) FROM segments_fts WHERE segments_fts MATCH ?", [fts_query]).fetchone()[0])
    row = store.db.execute(
        """SELECT COUNT(*) FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid
           JOIN documents d ON d.id = s.document_id WHERE segments_fts MATCH ? AND d.removed = 0""",
        [fts_query],
    ).fetchone()
    return int(row[0])
