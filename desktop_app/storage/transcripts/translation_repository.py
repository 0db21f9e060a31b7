"""The translation layer's rows: English (or another language) beside each turn, aligned by segment id.

Writes go through the journal's :class:`ChangeSet` in the services; this module only reads, and
finds the rows a turn's deletion must journal first (their foreign key cascades, and undo must
bring them back with the turn).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desktop_app.storage.project_store import ProjectStore

ENGLISH = "en"


@dataclass(frozen=True)
class TranslationRow:
    id: int
    segment_id: int
    text: str
    source_text: str
    model: str
    edited: bool


_COLUMNS = "t.id, t.segment_id, t.text, t.source_text, t.model, t.edited"


def _row(raw: tuple[object, ...]) -> TranslationRow:
    return TranslationRow(int(str(raw[0])), int(str(raw[1])), str(raw[2]), str(raw[3]), str(raw[4]), bool(raw[5]))


def for_document(store: ProjectStore, document_id: int, language: str = ENGLISH) -> dict[int, TranslationRow]:
    """The document's translations by segment id (turns without one are absent)."""
    rows = store.db.execute(
        f"""SELECT {_COLUMNS} FROM translations t JOIN segments s ON s.id = t.segment_id
            WHERE s.document_id = ? AND t.language = ?""",
        [document_id, language],
    ).fetchall()
    return {int(r[1]): _row(r) for r in rows}


def segment_ids(store: ProjectStore, document_id: int) -> list[int]:
    """The document's turns as they are now (a translation that ran meanwhile may name turns since merged)."""
    return [int(r[0]) for r in store.db.execute("SELECT id FROM segments WHERE document_id = ?", [document_id])]


def for_segment(store: ProjectStore, segment_id: int, language: str = ENGLISH) -> TranslationRow | None:
    raw = store.db.execute(
        f"SELECT {_COLUMNS} FROM translations t WHERE t.segment_id = ? AND t.language = ?", [segment_id, language]
    ).fetchone()
    return _row(raw) if raw else None


def for_segments(store: ProjectStore, segment_ids: Iterable[int], language: str = ENGLISH) -> dict[int, str]:
    """Translated text by segment id, for the turns an export or report quotes."""
    ids = sorted(set(segment_ids))
    found: dict[int, str] = {}
    for first in range(0, len(ids), 500):  # stay under SQLite's host-parameter limit
        chunk = ids[first : first + 500]
        marks = ", ".join("?" for _ in chunk)
        rows = store.db.execute(
            f"SELECT segment_id, text FROM translations WHERE language = ? AND segment_id IN ({marks})",
            [language, *chunk],
        ).fetchall()
        found.update({int(r[0]): str(r[1]) for r in rows})
    return found


def for_span(store: ProjectStore, first_segment_id: int, last_segment_id: int, language: str = ENGLISH) -> list[str]:
    """The translations of the turns from one turn to another (inclusive) of a document, in order: the
    English of a coded extract, which may cross turns."""
    rows = store.db.execute(
        """SELECT t.text FROM segments s JOIN translations t ON t.segment_id = s.id AND t.language = ?
           WHERE s.document_id = (SELECT document_id FROM segments WHERE id = ?)
             AND s.seq BETWEEN (SELECT seq FROM segments WHERE id = ?) AND (SELECT seq FROM segments WHERE id = ?)
           ORDER BY s.seq""",
        [language, first_segment_id, first_segment_id, last_segment_id],
    ).fetchall()
    return [str(r[0]) for r in rows if str(r[0]).strip()]


def row_ids_of_segments(store: ProjectStore, segment_ids: Iterable[int]) -> list[int]:
    """Every translation row (any language) of these turns, so deleting a turn can journal them first."""
    found: list[int] = []
    for segment_id in segment_ids:
        rows = store.db.execute("SELECT id FROM translations WHERE segment_id = ?", [segment_id]).fetchall()
        found.extend(int(r[0]) for r in rows)
    return found


def study_has_translation(store: ProjectStore, language: str = ENGLISH) -> bool:
    row = store.db.execute("SELECT 1 FROM translations WHERE language = ? LIMIT 1", [language]).fetchone()
    return row is not None


def document_has_translation(store: ProjectStore, document_id: int, language: str = ENGLISH) -> bool:
    row = store.db.execute(
        """SELECT 1 FROM translations t JOIN segments s ON s.id = t.segment_id
           WHERE s.document_id = ? AND t.language = ? LIMIT 1""",
        [document_id, language],
    ).fetchone()
    return row is not None
