from __future__ import annotations

from pathlib import Path

from desktop_app.core.transcript import Segment, Word
from desktop_app.services.study import document_service, project_service
from desktop_app.services.transcript import edit_service
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository


def _store_with_turn(tmp_path: Path) -> tuple[ProjectStore, int, int]:
    store = project_service.create_project(tmp_path / "s.verbatim")
    with store.journal.action("Add") as changes:
        doc = changes.insert("documents", {"title": "Interview", "created": "2026-01-01"})
    words = [Word(1.0, 1.4, "we"), Word(1.5, 1.9, "went"), Word(2.0, 2.3, "to"), Word(2.4, 3.0, "malmo")]
    transcript_repository.append_segments(store, doc, None, [Segment.from_words(words, "S1")])
    segment_id = transcript_repository.load_transcript(store, doc).segments[0].id
    assert segment_id is not None
    return store, doc, segment_id


def test_text_edit_keeps_times_of_unchanged_words_and_undoes(tmp_path: Path) -> None:
    store, doc, seg = _store_with_turn(tmp_path)
    edited = edit_service.update_segment_text(store, seg, "we  went back to Malmö")
    assert edited.text == "we went back to Malmö"
    times = {w.text: (w.start, w.end) for w in edited.words}
    assert times["we"] == (1.0, 1.4) and times["went"] == (1.5, 1.9) and times["to"] == (2.0, 2.3)
    assert times["Malmö"] == (2.4, 3.0), "a corrected word keeps the time of the word it replaced"
    assert 1.9 <= times["back"][0] <= times["back"][1] <= 2.0
    back = next(w for w in edited.words if w.text == "back")
    assert back.edited
    hits = store.db.execute("SELECT rowid FROM segments_fts WHERE segments_fts MATCH 'Malmö'").fetchall()
    assert hits == [(seg,)]
    document_service.undo(store)
    restored = transcript_repository.load_segment(store, seg)[1]
    assert restored.text == "we went to malmo"
    assert [(w.text, w.start) for w in restored.words] == [("we", 1.0), ("went", 1.5), ("to", 2.0), ("malmo", 2.4)]
    document_service.redo(store)
    assert transcript_repository.load_segment(store, seg)[1].text == "we went back to Malmö"


def test_several_turns_edited_at_once_are_one_undo_step(tmp_path: Path) -> None:
    store, doc, first = _store_with_turn(tmp_path)
    words = [Word(4.0, 4.4, "and"), Word(4.5, 4.9, "stayed"), Word(5.0, 5.6, "there")]
    transcript_repository.append_segments(store, doc, None, [Segment.from_words(words, "S2")])
    second = transcript_repository.load_transcript(store, doc).segments[1].id
    assert second is not None
    stored = edit_service.update_segment_texts(store, {first: "we went ", second: "there"})
    assert stored[first].text == "we went" and stored[second].text == "there"
    assert [(w.text, w.start) for w in stored[second].words] == [("there", 5.0)], "unchanged words keep their times"
    assert document_service.undo(store).label == "Edit text in 2 turns"
    texts = [s.text for s in transcript_repository.load_transcript(store, doc).segments]
    assert texts == ["we went to malmo", "and stayed there"]
    before = store.journal.undo_entry()
    assert edit_service.update_segment_texts(store, {first: "we went to  malmo"})[first].text == "we went to malmo"
    assert store.journal.undo_entry() == before, "a turn typed back to its stored text journals nothing"
