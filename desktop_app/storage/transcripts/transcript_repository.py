"""Segments, words and speakers of a document, stored as the engine produces them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop_app.core.document import SpeakerInfo
from desktop_app.core.transcript import Segment, Transcript, Word
from desktop_app.storage.journal import ChangeSet
from desktop_app.storage.project_store import ProjectStore


def speaker_ids(store: ProjectStore, document_id: int) -> dict[str, int]:
    rows = store.db.execute("SELECT label, id FROM speakers WHERE document_id = ?", [document_id]).fetchall()
    return {label: int(sid) for label, sid in rows}


def ensure_speaker(store: ProjectStore, document_id: int, label: str) -> int:
    existing = speaker_ids(store, document_id).get(label)
    if existing is not None:
        return existing
    cursor = store.db.execute("INSERT INTO speakers (document_id, label) VALUES (?, ?)", [document_id, label])
    return int(cursor.lastrowid or 0)


def list_speakers(store: ProjectStore, document_id: int) -> dict[str, SpeakerInfo]:
    rows = store.db.execute(
        """SELECT s.label, s.display_name, s.color, p.label FROM speakers s
           LEFT JOIN participants p ON p.id = s.participant_id
           WHERE s.document_id = ? ORDER BY s.id""",
        [document_id],
    ).fetchall()
    return {r[0]: SpeakerInfo(label=r[0], display_name=r[1], color=r[2], participant=r[3]) for r in rows}


def append_segments(store: ProjectStore, document_id: int, run_id: int | None, segments: list[Segment]) -> None:
    """Store finished segments (with their words) at the end of the document, in one transaction."""
    with store.db.atomic():
        seq = store.db.execute(
            "SELECT COALESCE(MAX(seq), 0) FROM segments WHERE document_id = ?", [document_id]
        ).fetchone()[0]
        for segment in segments:
            seq += 1
            speaker = ensure_speaker(store, document_id, segment.speaker) if segment.speaker else None
            cursor = store.db.execute(
                "INSERT INTO segments (document_id, run_id, seq, start, end, speaker_id, text) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [document_id, run_id, seq, segment.start, segment.end, speaker, segment.text],
            )
            segment.id = int(cursor.lastrowid or 0)
            _insert_words(store, document_id, segment.id, segment.words)


def insert_segment(
    changes: ChangeSet,
    document_id: int,
    run_id: int | None,
    seq: int,
    segment: Segment,
    speaker: Callable[[str | None], int | None],
) -> int:
    """Write ``segment`` and its words as rows of the journal action ``changes`` (so one Undo takes them
    out again); ``speaker`` gives the speaker row of a label. Sets and returns the segment's id."""
    segment.id = changes.insert(
        "segments",
        {
            "document_id": document_id,
            "run_id": run_id,
            "seq": seq,
            "start": segment.start,
            "end": segment.end,
            "speaker_id": speaker(segment.speaker),
            "text": segment.text,
        },
    )
    for i, word in enumerate(segment.words):
        changes.insert(
            "words",
            {
                "segment_id": segment.id,
                "seq": i,
                "start": word.start,
                "end": word.end,
                "text": word.text,
                "probability": word.probability,
                "speaker_id": speaker(word.speaker),
                "edited": int(word.edited),
                "overlap": int(word.overlap),
            },
        )
    return segment.id


def _insert_words(store: ProjectStore, document_id: int, segment_id: int, words: list[Word]) -> None:
    rows = []
    for i, word in enumerate(words):
        speaker = ensure_speaker(store, document_id, word.speaker) if word.speaker else None
        rows.append(
            (
                segment_id,
                i,
                word.start,
                word.end,
                word.text,
                word.probability,
                speaker,
                int(word.edited),
                int(word.overlap),
            )
        )
    store.db.conn.executemany(
        "INSERT INTO words (segment_id, seq, start, end, text, probability, speaker_id, edited, overlap) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def _labels_by_id(store: ProjectStore, document_id: int) -> dict[int, str]:
    return {sid: label for label, sid in speaker_ids(store, document_id).items()}


def _word(row: tuple[Any, ...], labels: dict[int, str]) -> Word:
    """A word from ``(start, end, text, probability, speaker_id, edited, overlap)``."""
    start, end, text, probability, speaker_id, edited, overlap = row
    return Word(
        start,
        end,
        text,
        1.0 if probability is None else probability,
        labels.get(speaker_id),
        bool(edited),
        bool(overlap),
    )


def load_transcript(store: ProjectStore, document_id: int, *, words: bool | set[int] = True) -> Transcript:
    """A document's segments in order; with their words (all, none, or only for the segment ids given)."""
    labels = _labels_by_id(store, document_id)
    segments: dict[int, Segment] = {}
    for sid, start, end, speaker_id, text in store.db.execute(
        "SELECT id, start, end, speaker_id, text FROM segments WHERE document_id = ? ORDER BY seq",
        [document_id],
    ).fetchall():
        segments[sid] = Segment(start=start, end=end, text=text, speaker=labels.get(speaker_id), id=sid)
    if words is True:
        rows = store.db.execute(
            """SELECT w.segment_id, w.start, w.end, w.text, w.probability, w.speaker_id, w.edited, w.overlap FROM words w
               JOIN segments s ON s.id = w.segment_id WHERE s.document_id = ? ORDER BY s.seq, w.seq""",
            [document_id],
        ).fetchall()
    elif words:
        marks = ", ".join("?" for _ in words)
        rows = store.db.execute(
            "SELECT segment_id, start, end, text, probability, speaker_id, edited, overlap FROM words "
            f"WHERE segment_id IN ({marks}) ORDER BY segment_id, seq",
            list(words),
        ).fetchall()
    else:
        rows = []
    for row in rows:
        segments[row[0]].words.append(_word(row[1:], labels))
    language = store.db.execute("SELECT language FROM documents WHERE id = ?", [document_id]).fetchone()
    return Transcript(segments=list(segments.values()), language=language[0] if language else None)


def last_word_end(store: ProjectStore, document_id: int) -> float:
    """Where a resumed run should start: the end of the last stored segment (0 when none)."""
    row = store.db.execute("SELECT MAX(end) FROM segments WHERE document_id = ?", [document_id]).fetchone()
    return float(row[0] or 0.0)


def has_segments(store: ProjectStore, document_id: int) -> bool:
    row = store.db.execute("SELECT 1 FROM segments WHERE document_id = ? LIMIT 1", [document_id]).fetchone()
    return row is not None


def clear_transcript(store: ProjectStore, document_id: int) -> None:
    with store.db.atomic():
        store.db.execute("DELETE FROM segments WHERE document_id = ?", [document_id])
        store.db.execute("DELETE FROM speakers WHERE document_id = ?", [document_id])


def load_segment(store: ProjectStore, segment_id: int) -> tuple[int, Segment]:
    """One segment with its words, and the document it belongs to."""
    row = store.db.execute(
        "SELECT document_id, start, end, speaker_id, text FROM segments WHERE id = ?", [segment_id]
    ).fetchone()
    if row is None:
        raise KeyError(segment_id)
    document_id = int(row[0])
    labels = _labels_by_id(store, document_id)
    segment = Segment(start=row[1], end=row[2], text=row[4], speaker=labels.get(row[3]), id=segment_id)
    for word_row in store.db.execute(
        "SELECT start, end, text, probability, speaker_id, edited, overlap FROM words WHERE segment_id = ? ORDER BY seq",
        [segment_id],
    ).fetchall():
        segment.words.append(_word(word_row, labels))
    return document_id, segment


def word_row_ids(store: ProjectStore, segment_id: int) -> list[int]:
    rows = store.db.execute("SELECT id FROM words WHERE segment_id = ? ORDER BY seq", [segment_id]).fetchall()
    return [int(r[0]) for r in rows]


def segments_between(store: ProjectStore, start_id: int, end_id: int) -> list[Segment]:
    """The turns from ``start_id`` to ``end_id`` in order (text and speaker, no words): one indexed query."""
    rows = store.db.execute(
        """SELECT s.id, s.start, s.end, s.text, sp.label FROM segments s
           LEFT JOIN speakers sp ON sp.id = s.speaker_id
           WHERE s.document_id = (SELECT document_id FROM segments WHERE id = :a)
             AND s.seq BETWEEN (SELECT seq FROM segments WHERE id = :a) AND (SELECT seq FROM segments WHERE id = :b)
           ORDER BY s.seq""",
        {"a": start_id, "b": end_id},
    ).fetchall()
    return [Segment(start=r[1], end=r[2], text=r[3], speaker=r[4], id=r[0]) for r in rows]
