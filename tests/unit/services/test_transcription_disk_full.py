"""A full disk while a recording is being transcribed: one message naming the study, nothing stored is lost,
and the next run resumes where this one stopped.

The disk fills after the engine's first batch of segments: the study may not grow by a page more
(``max_page_count``), and rows of another document take the last free bytes of the pages the next
words would go to, so the next batch cannot be stored, whatever its size.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.errors import ProjectError
from desktop_app.pipeline.engine_process import SegmentsReady
from desktop_app.services.study import import_service, project_service
from desktop_app.services.transcription import transcription_service as ts
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import run_repository
from tests.fixtures.speech import SpeechFixture

pytestmark = pytest.mark.slow  # two short transcriptions with the real engine

FULL = "cannot be written: the disk is full. Free some space; everything saved before is kept"
OPTIONS = ts.TranscriptionOptions(model="tiny.en", language="en")


def _texts(store: ProjectStore, document_id: int) -> list[str]:
    rows = store.db.execute("SELECT text FROM segments WHERE document_id = ? ORDER BY seq", [document_id])
    return [r[0] for r in rows]


def _fill_the_disk(store: ProjectStore, other_document: int) -> None:
    """No page more, and words of another document until the last page the words go to has no room left."""
    db = store.db
    segment = db.execute(
        "INSERT INTO segments (document_id, seq, start, end, text) VALUES (?, 1, 0, 1, 'x')", [other_document]
    ).lastrowid
    db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")
    with pytest.raises(Exception, match="full"):
        while True:  # as small as any word can be: every word stored after these needs a new page
            db.execute(
                "INSERT INTO words (segment_id, seq, start, end, text, probability) VALUES (?, 0, 0.5, 0.5, 'x', 0.5)",
                [segment],
            )


def test_full_disk_during_transcription_keeps_the_stored_segments_and_resumes(
    tmp_path: Path, interview_speech: SpeechFixture
) -> None:
    path = tmp_path / "Nurses.verbatim"
    store = project_service.create_project(path)
    document = import_service.import_recordings(store, [interview_speech.wav]).imported[0].id
    other = store.db.execute("INSERT INTO documents (title, created) VALUES ('filler', 'x')").lastrowid
    first_batch: list[str] = []

    def on_segments(_document: int, event: SegmentsReady) -> None:
        if not first_batch:
            first_batch.extend(s.text for s in event.segments)
            _fill_the_disk(store, int(other or 0))

    with pytest.raises(ProjectError) as caught:
        ts.transcribe_document(store, document, OPTIONS, ts.TranscriptionListener(on_segments=on_segments))
    assert caught.value.message == f"{path}: {FULL}"
    assert first_batch and _texts(store, document) == first_batch, "the batch stored before is kept"
    [run] = run_repository.list_runs(store, document)
    assert (run.state, run.error) == ("failed", FULL)
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()

    with project_service.open_project(path) as store:  # space freed: the filler goes, the run resumes
        store.db.execute("DELETE FROM documents WHERE id = ?", [other])
        assert ts.pending_documents(store) == [document]
        outcome = ts.transcribe_document(store, document, OPTIONS)
        assert outcome.state == "finished" and outcome.resumed_from > 0
        texts = _texts(store, document)
    assert texts[: len(first_batch)] == first_batch and len(texts) > len(first_batch)
    assert "afternoon" in " ".join(texts).lower(), "the last turn was transcribed after the resume"
