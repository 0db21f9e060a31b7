"""Transcribing again, without the engine: what counts as work, and how new turns are put next to it.

The engine's turns are written by hand here (times chosen to fall between the kept turns or over
them), so each rule is checked exactly; tests/integration/test_transcribe_again.py runs the real one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.coding import Coding, TextPosition
from desktop_app.core.text.retranscription_merge import carry_speakers, place_coding, words_between_kept
from desktop_app.core.transcript import Segment, Word
from desktop_app.services.coding import coding_service, memo_service
from desktop_app.services.study import document_service, project_service
from desktop_app.services.transcript import edit_service, turn_service
from desktop_app.services.transcription.retranscription import (
    ExistingWork,
    RetranscribeMode,
    apply_new_transcript,
    existing_work,
)
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository


def _words(text: str, start: float, speaker: str | None = None) -> list[Word]:
    return [Word(start + i * 0.5, start + i * 0.5 + 0.4, t, 0.9, speaker) for i, t in enumerate(text.split())]


def _turn(text: str, start: float, speaker: str | None = None) -> Segment:
    return Segment.from_words(_words(text, start, speaker))


TURNS = [  # (text, start, speaker): 10 s apart, so every stretch between them is clear
    ("I felt alone on the night shift", 0.0, "S1"),
    ("what helped you then", 10.0, "S2"),
    ("peer support made the difference", 20.0, "S1"),
    ("tell me more about that", 30.0, "S2"),
]


@pytest.fixture
def study(tmp_path: Path) -> tuple[ProjectStore, int, list[int]]:
    store = project_service.create_project(tmp_path / "s.verbatim")
    with store.journal.action("Add") as changes:
        doc = changes.insert("documents", {"title": "PSW 5", "created": "2026-01-01", "status": "transcribed"})
    transcript_repository.append_segments(store, doc, None, [_turn(*t) for t in TURNS])
    ids = [s.id for s in transcript_repository.load_transcript(store, doc).segments]
    return store, doc, [i for i in ids if i is not None]


def _engine_turns() -> list[Segment]:
    """What a new run 'hears': the same talk, worded a little differently, no speakers."""
    said = [
        ("I felt so alone on the night shift", 0.0),
        ("what helped you then", 10.0),
        ("peer support made a difference", 20.0),
        ("tell me more about it", 30.0),
    ]
    return [_turn(text, start) for text, start in said]


def _texts(store: ProjectStore, doc: int) -> list[tuple[str, str | None]]:
    return [(s.text, s.speaker) for s in transcript_repository.load_transcript(store, doc).segments]


def test_nothing_done_is_no_work(study: tuple[ProjectStore, int, list[int]]) -> None:
    store, doc, _ = study
    assert existing_work(store, doc) == ExistingWork(0, 0, 0, frozenset())
    assert not existing_work(store, doc).any


def test_splitting_a_turn_corrects_it_but_not_the_turns_renumbered_after_it(
    study: tuple[ProjectStore, int, list[int]],
) -> None:
    store, doc, ids = study
    pieces = turn_service.split_turn(store, ids[0], 8)  # renumbers every later turn
    work = existing_work(store, doc)
    assert work.kept_segment_ids == set(pieces) and work.corrected_turns == 2


def test_undone_corrections_are_not_work_and_a_speaker_change_is(study: tuple[ProjectStore, int, list[int]]) -> None:
    store, doc, ids = study
    edit_service.update_segment_text(store, ids[1], "what helped you then (pause)")
    document_service.undo(store)
    assert not existing_work(store, doc).any
    turn_service.set_speaker(store, ids[3], "S3")
    assert existing_work(store, doc).kept_segment_ids == {ids[3]}


def test_a_coding_across_turns_keeps_every_turn_it_covers(study: tuple[ProjectStore, int, list[int]]) -> None:
    store, doc, ids = study
    code = coding_service.add_code(store, "Support")
    coding_service.apply_code(store, doc, code, TextPosition(ids[1], 5), TextPosition(ids[2], 4))
    memo_service.add_memo(store, "segment", ids[3], "ask again")
    work = existing_work(store, doc)
    assert (work.corrected_turns, work.codings, work.memos) == (0, 1, 1)
    assert work.kept_segment_ids == {ids[1], ids[2], ids[3]}
    assert work.describe() == "1 coding and 1 memo"


def test_keep_corrections_replaces_only_the_untouched_turns_with_speakers_carried(
    study: tuple[ProjectStore, int, list[int]],
) -> None:
    store, doc, ids = study
    edit_service.update_segment_text(store, ids[2], "peer support (sighs) made the difference")
    report = apply_new_transcript(store, doc, None, RetranscribeMode.KEEP_CORRECTIONS, _engine_turns())
    assert _texts(store, doc) == [
        ("I felt so alone on the night shift", "S1"),  # new words, the old turn's speaker
        ("what helped you then", "S2"),
        ("peer support (sighs) made the difference", "S1"),  # kept exactly
        ("tell me more about it", "S2"),
    ]
    assert (report.kept_turns, report.new_turns) == (1, 3)
    assert transcript_repository.load_transcript(store, doc).segments[2].id == ids[2]
    document_service.undo(store)
    assert _texts(store, doc)[0] == ("I felt alone on the night shift", "S1")


def test_replace_moves_codings_to_their_words_and_removes_those_whose_words_are_gone(
    study: tuple[ProjectStore, int, list[int]],
) -> None:
    store, doc, ids = study
    code = coding_service.add_code(store, "Night")
    kept = coding_service.apply_code(
        store, doc, code, TextPosition(ids[0], 20), TextPosition(ids[0], 31)
    )  # "night shift"
    gone = coding_service.apply_code(store, doc, code, TextPosition(ids[3], 19), TextPosition(ids[3], 23))  # "that"
    before = store.db.execute("SELECT * FROM codings ORDER BY id").fetchall()
    report = apply_new_transcript(store, doc, None, RetranscribeMode.REPLACE, _engine_turns())
    assert report.codings_moved == 1 and report.codings_removed == ["Night on “that” at 00:00:32"]
    (moved,) = coding_service.extracts(store, code)
    assert moved.coding.id == kept and moved.text == "night shift"
    assert gone not in {c.id for c in coding_service.codings(store, doc)}
    document_service.undo(store)
    assert store.db.execute("SELECT * FROM codings ORDER BY id").fetchall() == before


def test_placing_a_coding_ignores_case_and_punctuation_and_allows_part_words() -> None:
    new = [Segment(0.0, 5.0, "Well, Night-shifts are hard.", id=7)]
    coding = Coding(1, 1, 1, TextPosition(1, 0), TextPosition(1, 9), 0.0, 2.0)
    placed = place_coding(coding, "night shift", new)
    assert placed.start == TextPosition(7, 6) and placed.end == TextPosition(7, 17)
    assert new[0].text[6:17] == "Night-shift"
    far = Coding(1, 1, 1, TextPosition(1, 0), TextPosition(1, 9), 60.0, 62.0)  # said a minute later: not this
    assert place_coding(far, "night shift", new).start is None


def test_new_words_inside_kept_turns_are_dropped_and_the_rest_grouped_by_stretch() -> None:
    kept = [_turn("kept one", 10.0), _turn("kept two", 20.0)]
    words = _words("a b", 0.0) + _words("c", 10.2) + _words("d e", 15.0) + _words("f", 25.0)
    groups = words_between_kept(words, kept)
    assert {k: [w.text for w in v] for k, v in groups.items()} == {0: ["a", "b"], 1: ["d", "e"], 2: ["f"]}
    heard = [Word(13.0, 13.4, "x", 0.9), Word(15.5, 15.9, "y", 0.9)]
    carried = carry_speakers(heard, [_turn("p", 12.0, "S1"), _turn("q", 16.0, "S2")])
    assert [w.speaker for w in carried] == ["S1", "S2"]  # the nearest old turn


def test_only_the_audio_outside_kept_turns_is_transcribed_again() -> None:
    from desktop_app.core.text.retranscription_merge import stretches_between

    kept = [(10.0, 14.0), (20.0, 24.0), (24.1, 30.0)]  # the last two 0.1 s apart: no word fits between
    assert stretches_between(kept, 40.0) == [(0.0, 10.5), (13.5, 20.5), (29.5, 40.0)]
    assert stretches_between([], 40.0) == [(0.0, 40.0)]
    assert stretches_between([(0.0, 40.0)], 40.0) == []  # everything kept: nothing to transcribe


def test_turns_written_by_transcribing_again_are_not_corrections(study: tuple[ProjectStore, int, list[int]]) -> None:
    store, doc, ids = study
    edit_service.update_segment_text(store, ids[2], "peer support (sighs) made the difference")
    apply_new_transcript(store, doc, None, RetranscribeMode.KEEP_CORRECTIONS, _engine_turns())
    assert existing_work(store, doc).kept_segment_ids == {ids[2]}  # still only the researcher's one
    apply_new_transcript(store, doc, None, RetranscribeMode.REPLACE, _engine_turns())
    assert not existing_work(store, doc).any  # all the engine's now: nothing to ask about
