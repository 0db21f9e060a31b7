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
