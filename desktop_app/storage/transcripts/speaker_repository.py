"""Which turns and words a speaker said: what merging one speaker into another has to move.

Reads only: the merge itself goes through the journal in ``speaker_service``. Creating and listing a
document's speakers lives with the transcript (``transcript_repository``), which writes them.
"""

from __future__ import annotations

from desktop_app.storage.project_store import ProjectStore


def segment_ids_spoken_by(store: ProjectStore, speaker_id: int) -> list[int]:
    rows = store.db.execute("SELECT id FROM segments WHERE speaker_id = ?", [speaker_id]).fetchall()
    return [int(r[0]) for r in rows]


def word_ids_spoken_by(store: ProjectStore, speaker_id: int) -> list[int]:
    rows = store.db.execute("SELECT id FROM words WHERE speaker_id = ?", [speaker_id]).fetchall()
    return [int(r[0]) for r in rows]
