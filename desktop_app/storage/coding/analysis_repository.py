"""The read queries behind analysis: coded spans, extracts with their turns, frequencies, speaking time,
coders and intercoder comparisons.

Long id lists are read in chunks, because SQLite limits the number of ``?`` variables in a statement.
"""

from __future__ import annotations

from typing import Any

from desktop_app.storage.project_store import ProjectStore

CHUNK = 5000

_SPAN_SQL = """SELECT c.id, c.code_id, c.document_id, a.seq, c.start_offset, b.seq, c.end_offset
FROM codings c JOIN segments a ON a.id = c.start_segment_id JOIN segments b ON b.id = c.end_segment_id
JOIN documents d ON d.id = c.document_id AND d.removed = 0"""

_EXTRACT_SQL = """SELECT c.id, c.code_id, c.document_id, c.start_segment_id, c.start_offset, c.end_segment_id,
    c.end_offset, c.start_time, c.end_time, c.coder, c.created, c.memo, c.needs_review, d.title,
    COALESCE(sp.display_name, sp.label), p.label
FROM codings c JOIN documents d ON d.id = c.document_id JOIN segments a ON a.id = c.start_segment_id
LEFT JOIN speakers sp ON sp.id = a.speaker_id LEFT JOIN participants p ON p.id = sp.participant_id
WHERE c.id IN ({marks})"""

_TEXT_SQL = """SELECT c.id, s.id, s.text FROM codings c JOIN segments a ON a.id = c.start_segment_id
JOIN segments b ON b.id = c.end_segment_id
JOIN segments s ON s.document_id = c.document_id AND s.seq BETWEEN a.seq AND b.seq
WHERE c.id IN ({marks}) ORDER BY c.id, s.seq"""

_FREQUENCY_SQL = """SELECT c.code_id, {key}, COUNT(*), COUNT(DISTINCT sp.participant_id)
FROM codings c JOIN documents d ON d.id = c.document_id AND d.removed = 0
JOIN segments a ON a.id = c.start_segment_id LEFT JOIN speakers sp ON sp.id = a.speaker_id
{join} GROUP BY 1, 2"""

_SPEAKING_SQL = """SELECT
    COALESCE(p.label, d.title || ': ' || COALESCE(sp.display_name, sp.label, 'unknown speaker')),
    p.id IS NOT NULL, SUM(MAX(s.end - s.start, 0)), COUNT(*),
    SUM(CASE WHEN trim(s.text) = '' THEN 0
        ELSE length(trim(s.text)) - length(replace(trim(s.text), ' ', '')) + 1 END),
    COUNT(DISTINCT s.document_id)
FROM segments s JOIN documents d ON d.id = s.document_id AND d.removed = 0
LEFT JOIN speakers sp ON sp.id = s.speaker_id LEFT JOIN participants p ON p.id = sp.participant_id
GROUP BY 1, 2 ORDER BY 3 DESC, 1"""


def _marks(values: list[Any]) -> str:
    return ", ".join("?" for _ in values)


def _filter_sql(document_ids: list[int] | None, attribute_values: dict[int, list[str]]) -> tuple[str, list[object]]:
    """Conditions on ``c`` (codings) and ``a`` (the start turn): these documents, and a speaker whose
    participant has one of the values of every attribute given."""
    where: list[str] = []
    params: list[object] = []
    if document_ids is not None:
        where.append(f"c.document_id IN ({_marks(document_ids)})" if document_ids else "0")
        params.extend(document_ids)
    for attribute_id, values in attribute_values.items():
        where.append(
            "EXISTS (SELECT 1 FROM speakers sp JOIN attribute_values av ON av.participant_id = sp.participant_id "
            f"WHERE sp.id = a.speaker_id AND av.attribute_id = ? AND av.value IN ({_marks(values)}))"
        )
        params.extend([attribute_id, *values])
    return (" AND " + " AND ".join(where)) if where else "", params


def span_rows(
    store: ProjectStore,
    code_ids: list[int] | None,
    document_ids: list[int] | None = None,
    attribute_values: dict[int, list[str]] | None = None,
) -> list[tuple[int, int, int, int, int, int, int]]:
    """(coding, code, document, start seq, start offset, end seq, end offset) of the codings of
    ``code_ids`` (every code if None) in present documents that pass the filters."""
    condition, params = _filter_sql(document_ids, attribute_values or {})
    chunks = [None] if code_ids is None else [code_ids[i : i + CHUNK] for i in range(0, len(code_ids), CHUNK)]
    result: list[tuple[int, int, int, int, int, int, int]] = []
    for chunk in chunks:
        codes_sql = "" if chunk is None else f" AND c.code_id IN ({_marks(chunk)})"
        rows = store.db.execute(f"{_SPAN_SQL} WHERE 1{codes_sql}{condition}", [*(chunk or []), *params]).fetchall()
        result.extend(tuple(r) for r in rows)
    return result


def extract_rows(
    store: ProjectStore, coding_ids: list[int]
) -> tuple[dict[int, tuple[Any, ...]], dict[int, list[tuple[int, str]]]]:
    """For each coding: its row (coding columns, document title, speaker name, participant label), and
    the (turn id, text) of every turn it covers, in order."""
    rows: dict[int, tuple[Any, ...]] = {}
    pieces: dict[int, list[tuple[int, str]]] = {}
    for i in range(0, len(coding_ids), CHUNK):
        chunk = coding_ids[i : i + CHUNK]
        marks = _marks(chunk)
        rows.update((r[0], tuple(r)) for r in store.db.execute(_EXTRACT_SQL.format(marks=marks), chunk))
        for coding_id, segment_id, text in store.db.execute(_TEXT_SQL.format(marks=marks), chunk):
            pieces.setdefault(coding_id, []).append((segment_id, text))
    return rows, pieces


def frequency_rows(store: ProjectStore, attribute_id: int | None, not_set: str) -> list[tuple[int, Any, int, int]]:
    """(code, key, codings, distinct participants): the key is the document id, or with ``attribute_id``
    the start turn's participant's value of it (``not_set`` when none)."""
    if attribute_id is None:
        sql, params = _FREQUENCY_SQL.format(key="c.document_id", join=""), []
    else:
        sql = _FREQUENCY_SQL.format(
            key="COALESCE(av.value, ?)",
            join="LEFT JOIN attribute_values av ON av.participant_id = sp.participant_id AND av.attribute_id = ?",
        )
        params = [not_set, attribute_id]
    return [(int(r[0]), r[1], int(r[2]), int(r[3])) for r in store.db.execute(sql, params).fetchall()]


def speaking_time_rows(store: ProjectStore) -> list[tuple[Any, ...]]:
    """(who, is a participant, seconds, turns, words, documents), most talk first."""
    return [tuple(r) for r in store.db.execute(_SPEAKING_SQL).fetchall()]


def turnless_speakers(store: ProjectStore) -> list[tuple[int, str, str, str | None, str | None]]:
    """(document id, title, label, display name, participant) of the speakers with no turn (voices heard
    only without words: their talk is in the document's speaker timeline), in documents not removed."""
    rows = store.db.execute(
        """SELECT d.id, d.title, sp.label, sp.display_name, p.label FROM speakers sp
           JOIN documents d ON d.id = sp.document_id AND d.removed = 0
           LEFT JOIN participants p ON p.id = sp.participant_id
           WHERE NOT EXISTS (SELECT 1 FROM segments s WHERE s.speaker_id = sp.id)
           ORDER BY d.id, sp.id"""
    ).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2]), r[3], r[4]) for r in rows]


def participant_documents(store: ProjectStore) -> set[tuple[str, int]]:
    """(participant, document id) wherever a speaker linked to the participant has a turn."""
    rows = store.db.execute(
        """SELECT DISTINCT p.label, s.document_id FROM segments s JOIN speakers sp ON sp.id = s.speaker_id
           JOIN participants p ON p.id = sp.participant_id"""
    ).fetchall()
    return {(str(r[0]), int(r[1])) for r in rows}


def coders(store: ProjectStore) -> list[str]:
    rows = store.db.execute(
        """SELECT DISTINCT c.coder FROM codings c JOIN documents d ON d.id = c.document_id AND d.removed = 0
           ORDER BY c.coder COLLATE NOCASE"""
    ).fetchall()
    return [str(r[0] or "") for r in rows]


def documents_coded_by_both(store: ProjectStore, coder_a: str, coder_b: str) -> list[int]:
    rows = store.db.execute(
        """SELECT c.document_id FROM codings c JOIN documents d ON d.id = c.document_id AND d.removed = 0
           WHERE c.coder IN (?, ?) GROUP BY c.document_id HAVING COUNT(DISTINCT c.coder) = 2
           ORDER BY d.position, d.id""",
        [coder_a, coder_b],
    ).fetchall()
    return [int(r[0]) for r in rows]


def turn_lengths(store: ProjectStore, document_id: int) -> list[tuple[int, int]]:
    """(turn id, characters) of a document's turns in order."""
    rows = store.db.execute(
        "SELECT id, length(text) FROM segments WHERE document_id = ? ORDER BY seq", [document_id]
    ).fetchall()
    return [(int(r[0]), int(r[1])) for r in rows]


def document_titles(store: ProjectStore, *, include_removed: bool = False) -> list[tuple[int, str]]:
    """(id, title) of the documents in study order."""
    where = "" if include_removed else " WHERE removed = 0"
    rows = store.db.execute(f"SELECT id, title FROM documents{where} ORDER BY position, id").fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]
