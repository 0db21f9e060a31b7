from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.coding import TextPosition
from desktop_app.core.errors import VerbatimError
from desktop_app.core.transcript import Segment, Word
from desktop_app.services.coding import coding_service
from desktop_app.services.study import document_service, project_service
from desktop_app.services.transcript import turn_service
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository


def _turn(text: str, start: float, speaker: str) -> Segment:
    words = [Word(start + i * 0.5, start + i * 0.5 + 0.4, t, 0.9, speaker) for i, t in enumerate(text.split())]
    return Segment.from_words(words, speaker)


@pytest.fixture
def study(tmp_path: Path) -> tuple[ProjectStore, int]:
    store = project_service.create_project(tmp_path / "s.verbatim")
    with store.journal.action("Add") as changes:
        doc = changes.insert("documents", {"title": "Interview", "created": "2026-01-01"})
    turns = [
        _turn("how was the night shift for you", 0, "S1"),
        _turn("it was hard I felt alone", 5, "S2"),
        _turn("thank you", 10, "S1"),
    ]
    transcript_repository.append_segments(store, doc, None, turns)
    return store, doc


def _texts(store: ProjectStore, doc: int) -> list[tuple[str | None, str]]:
    return [(s.speaker, s.text) for s in transcript_repository.load_transcript(store, doc).segments]


def test_split_merge_and_undo_keep_codings(study: tuple[ProjectStore, int]) -> None:
    store, doc = study
    segments = transcript_repository.load_transcript(store, doc).segments
    second = segments[1].id
    assert second is not None
    code = coding_service.add_code(store, "Isolation")
    coding_service.apply_code(store, doc, code, TextPosition(second, 13), TextPosition(second, 24))  # "felt alone"
    ids = turn_service.split_turn(store, second, 13)
    assert len(ids) == 2
    assert _texts(store, doc) == [
        ("S1", "how was the night shift for you"),
        ("S2", "it was hard I"),
        ("S2", "felt alone"),
        ("S1", "thank you"),
    ]
    assert [e.text for e in coding_service.extracts(store, code)] == ["felt alone"]
    pieces = transcript_repository.load_transcript(store, doc).segments
    assert pieces[2].start == pytest.approx(7.0) and [w.text for w in pieces[2].words] == ["felt", "alone"]
    turn_service.merge_with_next(store, ids[0])
    assert _texts(store, doc)[1] == ("S2", "it was hard I felt alone")
    assert [e.text for e in coding_service.extracts(store, code)] == ["felt alone"]
    document_service.undo(store)
    document_service.undo(store)
    assert _texts(store, doc)[1] == ("S2", "it was hard I felt alone") and len(_texts(store, doc)) == 3
    assert [e.text for e in coding_service.extracts(store, code)] == ["felt alone"]


def test_change_speaker_of_a_stretch_and_a_turn(study: tuple[ProjectStore, int]) -> None:
    store, doc = study
    first = transcript_repository.load_transcript(store, doc).segments[0].id
    assert first is not None
    turn_service.set_speaker(store, first, "S3", (12, 23))  # "night shift"
    assert _texts(store, doc)[:3] == [("S1", "how was the"), ("S3", "night shift"), ("S1", "for you")]
    segments = transcript_repository.load_transcript(store, doc).segments
    assert all(w.speaker == "S3" for w in segments[1].words)
    turn_service.set_speaker(store, segments[-1].id, "S2")  # type: ignore[arg-type]
    assert _texts(store, doc)[-1] == ("S2", "thank you")
    document_service.undo(store)
    document_service.undo(store)
    assert _texts(store, doc)[0] == ("S1", "how was the night shift for you")


def test_times_and_limits(study: tuple[ProjectStore, int]) -> None:
    store, doc = study
    segments = transcript_repository.load_transcript(store, doc).segments
    adjusted = turn_service.set_times(store, segments[1].id, 2.0, 20.0)  # type: ignore[arg-type]
    assert adjusted.start == pytest.approx(segments[0].end) and adjusted.end == pytest.approx(segments[2].start)
    with pytest.raises(VerbatimError, match="last turn"):
        turn_service.merge_with_next(store, segments[-1].id)  # type: ignore[arg-type]
    assert turn_service.split_turn(store, segments[2].id, 0) == [segments[2].id]  # type: ignore[arg-type]


def test_splitting_a_turn_keeps_a_kept_as_spoken_name_on_its_piece(study: tuple[ProjectStore, int]) -> None:
    """The name kept as spoken in the second half of a split turn stays kept, on the new turn (it kept
    pointing at the first piece, past its end, and was pseudonymised again); Undo puts it back."""
    from desktop_app.services.participants import pseudonym_service

    store, doc = study
    pseudonym_service.add_pseudonym(store, "alone", "[feeling]")
    hit = next(h for h in pseudonym_service.preview_hits(store) if h.hit.text == "alone")
    pseudonym_service.set_hit_skipped(store, hit)
    ids = turn_service.split_turn(store, hit.segment_id, 13)  # "it was hard I" | "felt alone"
    [kept] = [h for h in pseudonym_service.preview_hits(store) if h.hit.text == "alone"]
    assert kept.skipped and kept.segment_id == ids[1] and kept.hit.start == 5
    document_service.undo(store)
    [kept] = [h for h in pseudonym_service.preview_hits(store) if h.hit.text == "alone"]
    assert kept.skipped and (kept.segment_id, kept.hit.start) == (hit.segment_id, hit.hit.start)


def test_merging_turns_keeps_a_kept_as_spoken_name_through_undo_and_redo(study: tuple[ProjectStore, int]) -> None:
    """A name the researcher kept as spoken in the second turn stays kept on the merged turn, and Undo
    brings it back on its own turn (it used to vanish in SQLite's cascade, out of the journal's sight)."""
    from desktop_app.services.participants import pseudonym_service

    store, doc = study
    pseudonym_service.add_pseudonym(store, "alone", "[feeling]")
    hit = next(h for h in pseudonym_service.preview_hits(store) if h.hit.text == "alone")
    pseudonym_service.set_hit_skipped(store, hit)
    first = transcript_repository.load_transcript(store, doc).segments[0].id
    assert first is not None
    turn_service.merge_with_next(store, first)
    [kept] = [h for h in pseudonym_service.preview_hits(store) if h.hit.text == "alone"]
    assert kept.skipped and kept.segment_id == first  # on the merged turn, at its new place
    document_service.undo(store)
    [kept] = [h for h in pseudonym_service.preview_hits(store) if h.hit.text == "alone"]
    assert kept.skipped and kept.segment_id == hit.segment_id and kept.hit.start == hit.hit.start
    document_service.redo(store)
    assert all(h.skipped for h in pseudonym_service.preview_hits(store) if h.hit.text == "alone")


def test_inserting_a_turn_the_transcriber_missed(study: tuple[ProjectStore, int]) -> None:
    """A remark heard at 6.5 s under S2's answer, typed by the researcher for a new speaker S3: it goes in time
    order, its words are typed and overlapping (S2 talks then), codings stay put; one Undo takes it out."""
    store, doc = study
    code = coding_service.add_code(store, "Isolation")
    second = transcript_repository.load_transcript(store, doc).segments[1]
    assert second.id is not None
    coding_service.apply_code(store, doc, code, TextPosition(second.id, 0), TextPosition(second.id, 11))

    turn_id = turn_service.insert_turn(store, doc, 6.5, 9.2, "  Same   on our ward. ", "S3")

    segments = transcript_repository.load_transcript(store, doc).segments
    assert [(s.speaker, s.text) for s in segments] == [
        ("S1", "how was the night shift for you"),
        ("S2", "it was hard I felt alone"),
        ("S3", "Same on our ward."),
        ("S1", "thank you"),
    ]
    inserted = segments[2]
    assert inserted.id == turn_id and (inserted.start, inserted.end) == (6.5, 9.2)
    assert all(w.edited and w.speaker == "S3" and w.probability == 1.0 for w in inserted.words)
    assert [w.overlap for w in inserted.words] == [True, True, True, False]  # S2 talks to 7.9 s; "ward." from 8.2 s
    assert inserted.words[0].start == 6.5 and inserted.words[-1].end == 9.2
    (coding,) = coding_service.codings(store, doc)
    assert coding_service.span_text(segments, coding.start, coding.end) == "it was hard"
    assert "S3" in transcript_repository.list_speakers(store, doc)
    assert document_service.next_undo_label(store) == "insert turn at 00:00:06"

    document_service.undo(store)
    assert [t for _, t in _texts(store, doc)] == ["how was the night shift for you", "it was hard I felt alone", "thank you"]
    assert "S3" not in transcript_repository.list_speakers(store, doc)


def test_inserting_a_turn_refuses_what_cannot_be_a_turn(study: tuple[ProjectStore, int]) -> None:
    store, doc = study
    media = {"file_name": "i.wav", "sha256": "0", "size": 1, "duration": 12.0, "codec": "pcm", "channels": 1}
    media_id = store.db.execute(
        "INSERT INTO media (file_name, sha256, size, duration, codec, channels, sample_rate, added) "
        "VALUES (:file_name, :sha256, :size, :duration, :codec, :channels, 16000, '2026-01-01')",
        media,
    ).lastrowid
    store.db.execute("UPDATE documents SET media_id = ? WHERE id = ?", [media_id, doc])
    with pytest.raises(VerbatimError, match="type what was said"):
        turn_service.insert_turn(store, doc, 1.0, 2.0, "   ", "S1")
    with pytest.raises(VerbatimError, match="the end must come after the start"):
        turn_service.insert_turn(store, doc, 3.0, 3.0, "yes", "S1")
    with pytest.raises(VerbatimError, match="'Interview' is 00:00:12 long: a turn cannot start at 00:00:13"):
        turn_service.insert_turn(store, doc, 13.0, 14.0, "yes", "S1")
    turn_service.insert_turn(store, doc, 11.5, 14.0, "bye", "S1")  # ends with the recording
    assert transcript_repository.load_transcript(store, doc).segments[-1].end == 12.0
    assert len(_texts(store, doc)) == 4


def test_a_turn_typed_into_a_transcript_with_no_words(study: tuple[ProjectStore, int]) -> None:
    """A recording the transcriber wrote nothing for (one quiet remark): the researcher types the remark."""
    store, _ = study
    with store.journal.action("Add") as changes:
        doc = changes.insert("documents", {"title": "Quiet", "created": "2026-01-01", "status": "transcribed"})
    turn_service.insert_turn(store, doc, 20.7, 21.4, "Mm-hmm.", "S1")
    turn_service.insert_turn(store, doc, 2.0, 3.0, "Right.", None)  # before it, nobody's yet
    assert _texts(store, doc) == [(None, "Right."), ("S1", "Mm-hmm.")]
