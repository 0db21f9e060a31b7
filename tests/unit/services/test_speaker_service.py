from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.errors import VerbatimError
from desktop_app.core.transcript import Segment, Word
from desktop_app.services.speakers import speaker_service
from desktop_app.services.study import document_service, project_service
from desktop_app.storage.transcripts import transcript_repository


def _turn(text: str, start: float, speaker: str) -> Segment:
    words = [Word(start + i * 0.5, start + i * 0.5 + 0.4, t, 0.9, speaker) for i, t in enumerate(text.split())]
    return Segment.from_words(words, speaker)


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "s.verbatim"
    with project_service.create_project(path) as store:
        with store.journal.action("Add") as changes:
            doc = changes.insert("documents", {"title": "FG 1", "created": "2026-01-01"})
        turns = [
            _turn("welcome everyone", 0, "S1"),
            _turn("thanks I am Anna", 2, "S2"),
            _turn("and I am David", 5, "S3"),
            _turn("let us begin", 8, "S1"),
        ]
        transcript_repository.append_segments(store, doc, None, turns)
    return path


def test_stats_rename_merge_link_undo(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["speakers", str(study), "1", "--json"]) == 0
    stats = {s["label"]: s for s in json.loads(capsys.readouterr().out)["speakers"]}
    assert stats["S1"]["turns"] == 2 and stats["S1"]["words"] == 5
    assert stats["S2"]["word_share"] == pytest.approx(4 / 13, abs=1e-3)
    assert stats["S1"]["speaking_seconds"] == pytest.approx(0.9 + 1.4)
    assert run(["speakers", str(study), "1", "rename", "S1", "Interviewer"]) == 0
    assert run(["speakers", str(study), "1", "merge", "S3", "S2"]) == 0
    assert run(["speakers", str(study), "1", "link", "S2", "--participant", "P05"]) == 0
    with project_service.open_project(study) as store:
        stats2 = {s.label: s for s in speaker_service.speaker_stats(store, 1)}
        assert set(stats2) == {"S1", "S2"} and stats2["S1"].name == "Interviewer"
        assert stats2["S2"].participant == "P05" and stats2["S2"].words == 8
        segments = transcript_repository.load_transcript(store, 1).segments
        assert [s.speaker for s in segments] == ["S1", "S2", "S2", "S1"]
        assert all(w.speaker == "S2" for w in segments[2].words)
        document_service.undo(store)  # link
        document_service.undo(store)  # merge
        assert [s.speaker for s in transcript_repository.load_transcript(store, 1).segments] == ["S1", "S2", "S3", "S1"]
        with pytest.raises(VerbatimError, match="no speaker 'S9'"):
            speaker_service.rename_speaker(store, 1, "S9", "x")


def test_merging_speakers_carries_the_timeline_and_undo_restores_it(study: Path) -> None:
    from desktop_app.storage.transcripts import speaker_timeline_repository

    timeline = [(0.0, 1.0, "S1"), (2.0, 4.0, "S2"), (4.5, 6.0, "S3"), (6.5, 7.0, "S3")]
    with project_service.open_project(study) as store:
        with store.db.atomic():
            speaker_timeline_repository.save_timeline(store, 1, timeline)
        speaker_service.merge_speakers(store, 1, "S3", "S2")
        merged = speaker_timeline_repository.load_timeline(store, 1)
        assert [label for _, _, label in merged] == ["S1", "S2", "S2", "S2"]
        document_service.undo(store)
        assert speaker_timeline_repository.load_timeline(store, 1) == timeline


def test_a_voice_heard_only_without_words_is_a_speaker_to_hear_name_and_merge(study: Path) -> None:
    """The speaker step's timeline holds S4, who said no transcribed word (talk over someone, or too quiet
    for the transcriber): S4 gets a row, its time from the timeline (stretches joined where they overlap),
    a sample to listen to; merging it into S2 carries its talk (RTTM); Undo brings it back."""
    from desktop_app.services.speakers import speaker_turns
    from desktop_app.storage.transcripts import speaker_timeline_repository

    with project_service.open_project(study) as store:
        turns = transcript_repository.load_transcript(store, 1).segments
        timeline = [(0.0, 1.0, "S1"), (2.0, 4.0, "S2"), (2.5, 3.5, "S4"), (3.0, 4.2, "S4"), (5.0, 7.0, "S3")]
        speaker_turns.replace_turns(store, 1, turns, timeline)
        stats = {s.label: s for s in speaker_service.speaker_stats(store, 1)}
        assert set(stats) == {"S1", "S2", "S3", "S4"}
        assert stats["S4"].heard_without_words and stats["S4"].turns == 0 and stats["S4"].words == 0
        assert stats["S4"].speaking_seconds == pytest.approx(1.7)  # 2.5-4.2, not 1.0 + 1.2
        assert not stats["S2"].heard_without_words and stats["S2"].speaking_seconds == pytest.approx(1.9)
        assert speaker_service.voice_sample(store, 1, "S4") == (3.0, 4.2)  # its longest stretch
        speaker_service.merge_speakers(store, 1, "S4", "S2")
        labels = [label for _, _, label in speaker_timeline_repository.load_timeline(store, 1)]
        assert labels == ["S1", "S2", "S2", "S2", "S3"]
        assert "S4" not in transcript_repository.list_speakers(store, 1)
        document_service.undo(store)
        assert speaker_service.speaker_stats(store, 1)[-1].label == "S4"
        document_service.undo(store)  # the speaker step: no timeline, no S4
        assert set(transcript_repository.list_speakers(store, 1)) == {"S1", "S2", "S3"}
