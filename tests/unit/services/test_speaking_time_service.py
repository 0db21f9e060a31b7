"""Speaking time per participant group across a real coded study."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.errors import VerbatimError
from desktop_app.services.participants import participant_service
from desktop_app.services.speakers.speaking_time_service import ALL_PARTICIPANTS, UNLINKED, grouped_speaking_time
from tests.fixtures.analysis_study import AnalysisStudy, make_analysis_study


@pytest.fixture
def study(tmp_path: Path) -> AnalysisStudy:
    return make_analysis_study(tmp_path)


def test_participants_grouped_by_an_attribute_then_the_unlinked(study: AnalysisStudy) -> None:
    # Words last 0.4 s, 0.5 s apart: a turn of n words lasts 0.5 n - 0.1 s.
    groups = grouped_speaking_time(study.store, "group")
    assert [(g.name, [r.name for r in g.rows], g.linked) for g in groups] == [
        ("Peer support worker", ["Peer support worker 5"], True),
        ("Manager", ["M2"], True),
        (UNLINKED, ["PSW 5 interview: S1", "Manager 2 interview: S1"], False),
    ]
    assert groups[1].seconds == pytest.approx(5.4 + 3.4)
    assert sum(g.seconds for g in groups) == pytest.approx(5.4 + 6.4 + 4.9 + 1.9 + 5.4 + 3.4 + 1.9)
    ungrouped = grouped_speaking_time(study.store)
    assert [g.name for g in ungrouped] == [ALL_PARTICIPANTS, UNLINKED] and len(ungrouped[0].rows) == 2


def test_a_participant_without_the_value_is_not_set(study: AnalysisStudy) -> None:
    participant_service.set_value(study.store, "M2", "group", None)
    names = [g.name for g in grouped_speaking_time(study.store, "group")]
    assert names == ["Peer support worker", "(not set)", UNLINKED]
    with pytest.raises(VerbatimError, match="colour"):
        grouped_speaking_time(study.store, "colour")


def test_a_voice_heard_only_without_words_adds_its_talk(study: AnalysisStudy) -> None:
    """The speaker step heard two voices with no words in the manager's interview (S3: 2.0 s in two stretches
    that overlap; S4: 1.5 s): S3 is linked to Peer support worker 5, who then talked in two documents;
    S4, linked to nobody, is a row of its own. As the Speakers tab counts them."""
    from desktop_app.services.speakers import speaker_service, speaker_turns
    from desktop_app.storage.transcripts import transcript_repository

    store = study.store
    _, manager = study.base.documents
    before = {r.name: r for g in grouped_speaking_time(store) for r in g.rows}
    turns = transcript_repository.load_transcript(store, manager).segments
    timeline = [(t.start, t.end, t.speaker or "") for t in turns] + [
        (1.0, 2.5, "S3"),
        (2.0, 3.0, "S3"),
        (8.0, 9.5, "S4"),
    ]
    speaker_turns.replace_turns(store, manager, turns, timeline)
    speaker_service.link_participant(store, manager, "S2", "M2")  # the speaker step resets links
    speaker_service.link_participant(store, manager, "S3", "Peer support worker 5")
    rows = {r.name: r for g in grouped_speaking_time(store) for r in g.rows}
    worker = rows["Peer support worker 5"]
    assert worker.seconds == pytest.approx(before["Peer support worker 5"].seconds + 2.0)
    earlier = before["Peer support worker 5"]
    assert earlier.documents == 1 and (worker.documents, worker.turns, worker.words) == (2, earlier.turns, earlier.words)
    voice = rows["Manager 2 interview: S4"]
    assert (voice.seconds, voice.turns, voice.words, voice.documents, voice.is_participant) == (1.5, 0, 0, 1, False)
    assert rows["M2"] == before["M2"]
    assert {s.label: s.speaking_seconds for s in speaker_service.speaker_stats(store, manager)}["S3"] == 2.0
