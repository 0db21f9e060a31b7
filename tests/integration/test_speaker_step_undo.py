"""The speaker step is one undoable action: earlier edits stay undoable, codings and memos follow their words.

Real engine (the default GE2E speaker step) on the generated two-voice interview. The transcript is
written as a transcription without speakers would leave it: two turns, each holding both voices.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from desktop_app.core.coding import TextPosition
from desktop_app.core.transcript import Segment, Word
from desktop_app.services.coding import coding_service, memo_service
from desktop_app.services.speakers.diarization_service import DiarizationOptions, diarize_document
from desktop_app.services.study import document_service, import_service, project_service
from desktop_app.services.study.project_service import ProjectStore
from desktop_app.services.transcript import edit_service
from desktop_app.storage.transcripts import speaker_timeline_repository, transcript_repository
from tests.fixtures.speech import ReferenceTurn, SpeechFixture

pytestmark = pytest.mark.slow

CODED = "community mental health service"


def _words(turn: ReferenceTurn) -> list[Word]:
    texts = turn["text"].split()
    start, end = turn["start"], turn["end"]
    step = (end - start) / len(texts)
    return [Word(start + i * step, start + (i + 0.8) * step, t, 0.9) for i, t in enumerate(texts)]


def _study(tmp_path: Path, speech: SpeechFixture) -> tuple[ProjectStore, int]:
    store = project_service.create_project(tmp_path / "study.verbatim")
    (doc,) = import_service.import_recordings(store, [speech.wav]).imported
    pairs = [speech.turns[0:2], speech.turns[2:4]]  # each stored turn holds a question and its answer
    turns = [Segment.from_words([w for t in pair for w in _words(t)]) for pair in pairs]
    transcript_repository.append_segments(store, doc.id, None, turns)
    return store, doc.id


Turns = list[tuple[int | None, str | None, str]]  # row id, speaker, text


def _state(store: ProjectStore, doc: int) -> tuple[Turns, Sequence[tuple[object, ...]], Sequence[tuple[object, ...]], object]:
    """Everything the step touches, exactly: turns (row id, speaker, text), codings (rows), memo targets."""
    segments = edit_service.load_transcript(store, doc).segments
    turns = [(s.id, s.speaker, s.text) for s in segments]
    codings = [
        (c.id, c.code_id, c.start, c.end, coding_service.span_text(segments, c.start, c.end))
        for c in coding_service.codings(store, doc)
    ]
    memos = [(m.id, m.target_id, m.text) for m in memo_service.memos(store, "segment")]
    return turns, codings, memos, speaker_timeline_repository.load_timeline(store, doc)


def test_the_speaker_step_is_undone_as_one_step_through_earlier_edits(
    tmp_path: Path, interview_speech: SpeechFixture
) -> None:
    store, doc = _study(tmp_path, interview_speech)
    original = _state(store, doc)
    first, second = edit_service.load_transcript(store, doc).segments
    assert first.id is not None and second.id is not None
    edit_service.update_segment_text(store, first.id, first.text.replace("Of course.", "Of course, yes."))
    edited = _state(store, doc)
    code = coding_service.add_code(store, "Services")
    corrected = edit_service.load_transcript(store, doc).segments[0]
    at = corrected.text.index(CODED)
    coding_service.apply_code(store, doc, code, TextPosition(first.id, at), TextPosition(first.id, at + len(CODED)))
    memo_service.add_memo(store, "segment", second.id, "clinic mornings")
    before = _state(store, doc)

    outcome = diarize_document(store, doc, DiarizationOptions())

    assert outcome.speakers == 2
    after = _state(store, doc)
    turns, codings, memos, timeline = after
    assert len(turns) >= 4 and len({speaker for _, speaker, _ in turns}) == 2
    assert " ".join(t for _, _, t in turns) == " ".join(t for _, _, t in before[0])
    assert [c[-1] for c in codings] == [CODED]
    (memo,) = memos
    memo_turn = next(t for t in turns if t[0] == memo[1])
    assert "What does a typical day" in memo_turn[2]  # the turn where the memo's old turn began
    assert timeline
    assert document_service.next_undo_label(store) == "find speakers"

    document_service.undo(store)  # the speaker step: the exact earlier turns, codings, memo and timeline
    assert _state(store, doc) == before
    document_service.undo(store)  # the memo
    document_service.undo(store)  # the coding
    assert _state(store, doc) == edited
    document_service.undo(store)  # the code
    document_service.undo(store)  # the correction typed before the speaker step
    assert _state(store, doc) == original
    for _ in range(5):
        document_service.redo(store)
    assert _state(store, doc) == after
    store.close()


def test_a_document_without_the_step_gets_a_timeline_that_undo_empties(
    tmp_path: Path, interview_speech: SpeechFixture
) -> None:
    store, doc = _study(tmp_path, interview_speech)
    diarize_document(store, doc, DiarizationOptions())
    assert speaker_timeline_repository.load_timeline(store, doc)
    document_service.undo(store)
    assert speaker_timeline_repository.load_timeline(store, doc) == []
    assert {s.speaker for s in edit_service.load_transcript(store, doc).segments} == {None}
    store.close()


def test_a_name_kept_as_spoken_stays_kept_on_its_words_through_the_step(
    tmp_path: Path, interview_speech: SpeechFixture
) -> None:
    """"clinic" is kept as spoken in the second stored turn (a question and its answer). The step splits that
    turn by voice: the decision moves to the answer's turn, on the same word; Undo puts it back."""
    from desktop_app.services.participants import pseudonym_service

    store, doc = _study(tmp_path, interview_speech)
    pseudonym_service.add_pseudonym(store, "clinic", "[place]")
    (hit,) = pseudonym_service.preview_hits(store, doc)
    pseudonym_service.set_hit_skipped(store, hit)
    before = pseudonym_service.preview_hits(store, doc)

    diarize_document(store, doc, DiarizationOptions())

    (moved,) = pseudonym_service.preview_hits(store, doc)
    segments = {s.id: s for s in edit_service.load_transcript(store, doc).segments}
    assert moved.skipped and moved.segment_id != hit.segment_id
    assert segments[moved.segment_id].text.startswith("Most mornings")
    assert segments[moved.segment_id].text[moved.hit.start : moved.hit.end] == "clinic"
    document_service.undo(store)
    assert pseudonym_service.preview_hits(store, doc) == before
    store.close()


def test_turns_the_speaker_step_made_are_not_the_researchers_corrections(
    tmp_path: Path, interview_speech: SpeechFixture
) -> None:
    """Transcribing again after the speaker step: its turns hold the engine's words regrouped, so they are not
    "corrected turns" to keep (every turn was, and keeping corrections transcribed nothing again); a word
    then typed by the researcher is."""
    from desktop_app.services.transcription import retranscription

    store, doc = _study(tmp_path, interview_speech)
    diarize_document(store, doc, DiarizationOptions())
    work = retranscription.existing_work(store, doc)
    assert (work.corrected_turns, work.kept_segment_ids) == (0, frozenset())
    assert retranscription.stretches_to_transcribe(store, doc) != []
    first = edit_service.load_transcript(store, doc).segments[0]
    assert first.id is not None
    edit_service.update_segment_text(store, first.id, first.text.replace("joining", "meeting"))
    assert retranscription.existing_work(store, doc).kept_segment_ids == {first.id}
    store.close()


def test_names_stay_with_their_voices_when_the_step_runs_again(
    tmp_path: Path, interview_speech: SpeechFixture
) -> None:
    """The researcher named the interviewer and linked the other voice to P05; running the step again (the
    same way, then asking for three speakers) keeps each name on the voice it was given to."""
    from desktop_app.services.speakers import speaker_service

    store, doc = _study(tmp_path, interview_speech)
    diarize_document(store, doc, DiarizationOptions())
    first = edit_service.load_transcript(store, doc).segments[0]
    interviewer = first.speaker
    assert interviewer is not None and first.text.startswith("Thank you for joining me")
    other = next(s.speaker for s in edit_service.load_transcript(store, doc).segments if s.speaker != interviewer)
    assert other is not None
    speaker_service.rename_speaker(store, doc, interviewer, "Interviewer")
    speaker_service.link_participant(store, doc, other, "P05")

    def named() -> dict[str, tuple[str, str | None]]:
        speakers = transcript_repository.list_speakers(store, doc)
        turns = edit_service.load_transcript(store, doc).segments
        return {s.text[:20]: (speakers[s.speaker].name, speakers[s.speaker].participant) for s in turns if s.speaker}

    before = named()
    assert before["Thank you for joinin"] == ("Interviewer", None)
    diarize_document(store, doc, DiarizationOptions())
    assert named() == before
    diarize_document(store, doc, DiarizationOptions(num_speakers=3))
    after = named()
    assert after["Thank you for joinin"] == ("Interviewer", None)
    assert any(participant == "P05" for _, participant in after.values())
    assert len(transcript_repository.list_speakers(store, doc)) == 3
    document_service.undo(store)
    assert named() == before
    store.close()
