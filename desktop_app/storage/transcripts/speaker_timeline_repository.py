"""The speaker step's who-spoke-when per document: overlapping turns and talk without words included.

The transcript's segments hold only what has words; the timeline also holds the stretches where
two people talk at once and the speech Whisper wrote nothing for, which RTTM exports and DER
scoring need. It is kept as one JSON value per document in the study's ``settings`` table (inside
the study file, encrypted with it; no schema step), replaced each time the speaker step runs.
"""

from __future__ import annotations

from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.study_values import load_value, save_value

Turn = tuple[float, float, str]  # start, end, speaker label


def _key(document_id: int) -> str:
    return f"speaker_timeline:{document_id}"


def encode(turns: list[Turn]) -> list[list[object]]:
    return [[round(a, 3), round(b, 3), label] for a, b, label in turns]


def timeline_row(store: ProjectStore, document_id: int) -> int | None:
    """The settings row holding the document's timeline (for a journaled update), or None."""
    row = store.db.execute("SELECT id FROM settings WHERE key = ?", [_key(document_id)]).fetchone()
    return int(row[0]) if row else None


def save_timeline(store: ProjectStore, document_id: int, turns: list[Turn]) -> None:
    """Replace the document's timeline (call inside the transaction that writes its segments)."""
    save_value(store, _key(document_id), encode(turns))


def load_timeline(store: ProjectStore, document_id: int) -> list[Turn]:
    """The document's timeline, in time order; empty when the speaker step never ran (or wrote none)."""
    try:
        return [(float(a), float(b), str(label)) for a, b, label in load_value(store, _key(document_id)) or []]
    except (ValueError, TypeError):
        return []  # a damaged value: exports fall back to the segments, as before the timeline existed
