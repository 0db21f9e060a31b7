"""Full-text search over segment text and its translation (the ``segments_fts`` and ``translations_fts`` indexes).

A turn can match in its original words, its English, or both; each match says which layer it is in.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.storage.project_store import ProjectStore

MATCH_OPEN, MATCH_CLOSE = "\ue000", "\ue001"  # private-use marks around matched terms
ORIGINAL, TRANSLATION = "original", "english"


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
    layer: str = ORIGINAL  # or TRANSLATION: the turn's English matched


_TURN_COLUMNS = "s.document_id, d.title, s.id, s.start, s.end, COALESCE(sp.display_name, sp.label)"
_TURN_JOINS = """JOIN documents d ON d.id = s.document_id
            LEFT JOIN speakers sp ON sp.id = s.speaker_id"""


def search_segments(store: ProjectStore, fts_query: str, limit: int) -> list[SegmentMatch]:
    """Matching turns and translations of documents not removed, in document then turn order, the original
    before its English (raises sqlite3 errors on bad syntax)."""
    rows = store.db.execute(
        f"""SELECT * FROM (
              SELECT {_TURN_COLUMNS}, highlight(segments_fts, 0, '{MATCH_OPEN}', '{MATCH_CLOSE}'),
                     '{ORIGINAL}' AS layer, d.position AS p, s.seq AS q
              FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid {_TURN_JOINS}
              WHERE segments_fts MATCH ? AND d.removed = 0
            UNION ALL
              SELECT {_TURN_COLUMNS}, highlight(translations_fts, 0, '{MATCH_OPEN}', '{MATCH_CLOSE}'),
                     '{TRANSLATION}' AS layer, d.position AS p, s.seq AS q
              FROM translations_fts JOIN translations t ON t.id = translations_fts.rowid
              JOIN segments s ON s.id = t.segment_id {_TURN_JOINS}
              WHERE translations_fts MATCH ? AND d.removed = 0)
            ORDER BY p, document_id, q, layer DESC
            LIMIT ?""",
        [fts_query, fts_query, limit],
    ).fetchall()
    return [SegmentMatch(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows]


def count_matches(store: ProjectStore, fts_query: str) -> int:
    """Matches (a turn's original and its English count apart) in documents not removed (the indexes alone
    answer when no document is removed)."""
    if store.db.execute("SELECT 1 FROM documents WHERE removed != 0 LIMIT 1").fetchone() is None:
        return sum(
            int(store.db.execute(f"SELECT COUNT(*) FROM {index} WHERE {index} MATCH ?", [fts_query]).fetchone()[0])
            for index in ("segments_fts", "translations_fts")
        )
    total = 0
    for index, rows in (
        ("segments_fts", "segments s ON s.id = segments_fts.rowid"),
        ("translations_fts", "translations t ON t.id = translations_fts.rowid JOIN segments s ON s.id = t.segment_id"),
    ):
        row = store.db.execute(
            f"""SELECT COUNT(*) FROM {index} JOIN {rows}
               JOIN documents d ON d.id = s.document_id WHERE {index} MATCH ? AND d.removed = 0""",
            [fts_query],
        ).fetchone()
        total += int(row[0])
    return total
