"""Transcribe with speakers on generated and real two-party speech, then work with the speakers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.services import project_service
from desktop_app.storage import transcript_repository
from tests.fixtures.speech import SpeechFixture

pytestmark = pytest.mark.slow


def test_transcribe_with_speakers_splits_the_interview(
    tmp_path: Path, interview_speech: SpeechFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    study = tmp_path / "s.verbatim"
    run(["new", str(study)])
    run(["import", str(study), str(interview_speech.wav)])
    assert run(["transcribe", str(study), "--all", "--model", "tiny.en", "--speakers", "auto"]) == 0
    assert "Speakers: 2 found" in capsys.readouterr().out
    with project_service.open_project(study) as store:
        segments = transcript_repository.load_transcript(store, 1).segments
    for reference in interview_speech.turns:
        inside = [w for s in segments for w in s.words if reference["start"] <= w.start < reference["end"]]
        labels = [w.speaker for w in inside]
        top = max(set(labels), key=labels.count)
        assert labels.count(top) / len(labels) >= 0.9, reference["text"]
    assert all(len({w.speaker for w in s.words}) == 1 for s in segments), "segments never mix speakers"
    assert run(["export", str(study), "1", "--format", "json", "-o", str(tmp_path / "t.json")]) == 0
    data = json.loads((tmp_path / "t.json").read_text())
    assert {s["speaker"] for s in data["segments"]} == {"S1", "S2"}
    assert run(["diarize", str(study), "1", "--speakers", "3"]) == 0
    assert "Speakers: 3 found" in capsys.readouterr().out


def test_diarize_needs_a_transcript(tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = tmp_path / "s.verbatim"
    run(["new", str(study)])
    run(["import", str(study), str(shared_data / "jfk.flac")])
    capsys.readouterr()
    assert run(["diarize", str(study), "1"]) == 2
    assert "transcribe it first" in capsys.readouterr().err
    assert run(["diarize", str(study), "1", "--speakers", "two"]) == 2


def test_words_in_unclear_speech_are_flagged_and_kept(tmp_path: Path, shared_data: Path) -> None:
    from desktop_app.gui.transcript.transcript_table_model import OVERLAP_ROLE, TEXT, TranscriptTableModel

    study = tmp_path / "s.verbatim"
    run(["new", str(study)])
    run(["import", str(study), str(shared_data / "pyannote_sample.wav")])
    assert run(["transcribe", str(study), "--all", "--model", "tiny.en", "--speakers", "2"]) == 0
    with project_service.open_project(study) as store:
        segments = transcript_repository.load_transcript(store, 1).segments
    flagged = [w for s in segments for w in s.words if w.overlap]
    assert 0 < len(flagged) < sum(len(s.words) for s in segments) / 2
    model = TranscriptTableModel()
    model.set_transcript(segments, {})
    row = next(i for i, s in enumerate(segments) if any(w.overlap for w in s.words))
    spans = model.data(model.index(row, TEXT), OVERLAP_ROLE)
    assert spans and all(segments[row].text[a:b] for a, b in spans)
