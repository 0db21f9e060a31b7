"""Transcribing a corrected, coded document again (real engine, tiny.en, generated speech).

Before this, Transcribe on such a document silently replaced the corrections and broke undo for the
whole history ("words row N has been removed since"), or failed on a coded one with "FOREIGN KEY
constraint failed". Now it asks first (``WorkAtRiskError`` naming what would change), and either
mode is one undoable step: undo brings back the exact earlier text and codings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.coding import TextPosition
from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.services.coding import coding_service, memo_service
from desktop_app.services.study import document_service, import_service, project_service
from desktop_app.services.transcript import edit_service
from desktop_app.services.transcription.transcription_service import (
    RetranscribeMode,
    WorkAtRiskError,
    transcribe_document,
    work_at_risk,
)
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository
from tests.fixtures.speech import SpeechFixture

pytestmark = pytest.mark.slow
TINY = TranscriptionOptions(model="tiny.en", language="en")


def _snapshot(
    store: ProjectStore, doc: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Turns (id, text, speaker), codings (every column) and memos, exactly."""
    turns = [
        (s.id, s.text, s.speaker, s.start, s.end) for s in transcript_repository.load_transcript(store, doc).segments
    ]
    codings = store.db.execute("SELECT * FROM codings WHERE document_id = ? ORDER BY id", [doc]).fetchall()
    memos = store.db.execute("SELECT id, target_type, target_id, text FROM memos ORDER BY id").fetchall()
    return turns, codings, memos


@pytest.fixture
def worked_on(tmp_path: Path, focus_group_speech: SpeechFixture) -> tuple[ProjectStore, int, dict[str, int]]:
    """A transcribed focus group with a corrected turn, a coding on the third turn, and a memo on the fifth."""
    store = project_service.create_project(tmp_path / "study.verbatim")
    (document,) = import_service.import_recordings(store, [focus_group_speech.wav]).imported
    transcribe_document(store, document.id, TINY)
    turns = transcript_repository.load_transcript(store, document.id).segments
    assert len(turns) >= 7, [t.text for t in turns]
    first, second, third = (t.id for t in turns[0:5:2])
    assert first and second and third
    edit_service.update_segment_text(store, first, turns[0].text + " (laughs)")
    code = coding_service.add_code(store, "Working life")
    coding = coding_service.apply_code(store, document.id, code, TextPosition(second, 0), TextPosition(second, 8))
    memo = memo_service.add_memo(store, "segment", third, "Ask about home visits")
    return store, document.id, {"corrected": first, "coded": second, "memo_turn": third, "coding": coding, "memo": memo}


def test_asks_first_and_names_what_would_change(worked_on: tuple[ProjectStore, int, dict[str, int]]) -> None:
    store, doc, _ = worked_on
    before = _snapshot(store, doc)
    work = work_at_risk(store, doc, TINY)
    assert work is not None and (work.corrected_turns, work.codings, work.memos) == (1, 1, 1)
    with pytest.raises(WorkAtRiskError) as raised:
        transcribe_document(store, doc, TINY)
    assert "1 corrected turn, 1 coding and 1 memo" in raised.value.message
    assert _snapshot(store, doc) == before  # nothing touched, not even the status
    assert document_service.get_document(store, doc).status.value == "transcribed"


def test_keep_corrections_loses_nothing_and_undo_restores_exactly(
    worked_on: tuple[ProjectStore, int, dict[str, int]],
) -> None:
    store, doc, ids = worked_on
    turns_before, codings_before, memos_before = _snapshot(store, doc)
    outcome = transcribe_document(store, doc, TINY, again=RetranscribeMode.KEEP_CORRECTIONS)
    assert outcome.again is not None and outcome.again.kept_turns == 3 and not outcome.again.codings_removed
    turns_after, codings_after, memos_after = _snapshot(store, doc)
    kept = {t[0]: t for t in turns_before if t[0] in (ids["corrected"], ids["coded"], ids["memo_turn"])}
    assert {t[0]: t for t in turns_after if t[0] in kept} == kept  # same rows, same text, same times
    assert codings_after == codings_before and memos_after == memos_before  # 0 lost, not even moved
    assert "(laughs)" in next(t[1] for t in turns_after if t[0] == ids["corrected"])
    assert [t[3] for t in turns_after] == sorted(t[3] for t in turns_after)  # new turns in place, in time order
    spoken = " ".join(t[1] for t in turns_after).lower()
    assert "anna" in spoken and "quiet room" in spoken  # the stretches between were transcribed again
    assert len(turns_after) > 3

    document_service.undo(store)
    assert _snapshot(store, doc) == (turns_before, codings_before, memos_before)
    undone = [document_service.undo(store) for _ in range(4)]  # no "removed since": the history is valid
    assert [e.label if e else None for e in undone] == [
        "Add memo on segment",
        "Code with Working life",
        "Add code Working life",
        "Edit text",
    ]
    assert "(laughs)" not in transcript_repository.load_transcript(store, doc).segments[0].text
    assert coding_service.codings(store, doc) == []


def test_replace_all_moves_codings_reports_lost_ones_and_undoes(
    worked_on: tuple[ProjectStore, int, dict[str, int]],
) -> None:
    store, doc, ids = worked_on
    before = _snapshot(store, doc)
    coded_text = coding_service.extracts(store, coding_service.find_code(store, "Working life").id)[0].text
    outcome = transcribe_document(store, doc, TINY, again=RetranscribeMode.REPLACE)  # no FOREIGN KEY error
    report = outcome.again
    assert report is not None and report.codings_moved == 1 and report.codings_removed == []
    assert report.memos_moved == 1
    turns = transcript_repository.load_transcript(store, doc).segments
    assert not any("(laughs)" in t.text for t in turns)  # the correction was replaced, as asked
    (extract,) = coding_service.extracts(store, coding_service.find_code(store, "Working life").id)
    assert extract.text.lower() == coded_text.lower()  # the coding follows its words into the new turns
    (memo,) = memo_service.memos(store, "segment")
    assert memo.target_id in {t.id for t in turns}

    document_service.undo(store)
    assert _snapshot(store, doc) == before
    document_service.redo(store)
    assert not any("(laughs)" in t.text for t in transcript_repository.load_transcript(store, doc).segments)
    document_service.undo(store)
    assert _snapshot(store, doc) == before


def test_replace_reports_a_coding_whose_words_are_gone(worked_on: tuple[ProjectStore, int, dict[str, int]]) -> None:
    store, doc, ids = worked_on
    turn = transcript_repository.load_transcript(store, doc).segments[0]
    code = coding_service.add_code(store, "Humour")
    start = turn.text.index("(laughs)")
    coding_service.apply_code(
        store, doc, code, TextPosition(ids["corrected"], start), TextPosition(ids["corrected"], start + 8)
    )
    before = _snapshot(store, doc)
    report = transcribe_document(store, doc, TINY, again=RetranscribeMode.REPLACE).again
    assert report is not None and len(report.codings_removed) == 1
    assert report.codings_removed[0].startswith("Humour on “(laughs)”")
    assert "removed because the coded words are gone" in report.summary()
    document_service.undo(store)
    assert _snapshot(store, doc) == before  # the removed coding is back, with everything else


def test_cli_refuses_to_replace_corrections_unless_told(
    worked_on: tuple[ProjectStore, int, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop_app.cli import run

    store, doc, ids = worked_on
    before = _snapshot(store, doc)
    study = str(store.path)
    store.close()
    assert run(["transcribe", study, str(doc), "--model", "tiny.en", "--language", "en"]) != 0  # refused
    said = capsys.readouterr().err
    assert "1 corrected turn, 1 coding and 1 memo" in said and "--keep-corrections" in said and "--replace" in said
    assert run(["transcribe", study, str(doc), "--model", "tiny.en", "--language", "en", "--keep-corrections"]) == 0
    assert "Kept 3 turns you corrected, coded or annotated" in capsys.readouterr().out
    with project_service.open_project(Path(study)) as reopened:
        turns_before, codings_before, memos_before = before
        turns_after, codings_after, memos_after = _snapshot(reopened, doc)
        assert codings_after == codings_before and memos_after == memos_before
        assert next(t for t in turns_after if t[0] == ids["corrected"]) == turns_before[0]
