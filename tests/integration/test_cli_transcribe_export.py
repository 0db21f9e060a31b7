"""The CLI end to end: new -> import -> transcribe -> export, on a real recording."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli import run
from tests.fixtures.scoring import wer

pytestmark = pytest.mark.slow


def test_transcribe_and_export_json(tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = tmp_path / "s.verbatim"
    assert run(["new", str(study)]) == 0
    assert run(["import", str(study), str(shared_data / "jfk.flac")]) == 0
    assert run(["transcribe", str(study), "--all", "--model", "tiny.en"]) == 0
    out = capsys.readouterr().out
    assert "real time" in out and "ask not what your country" in out.lower()
    assert run(["export", str(study), "1", "--format", "json", "-o", str(tmp_path / "t.json")]) == 0
    data = json.loads((tmp_path / "t.json").read_text())
    assert {"document", "language", "model", "segments"} <= set(data)
    assert data["language"] == "en" and data["model"]["name"] == "tiny.en"
    segment = data["segments"][0]
    assert {"start", "end", "speaker", "text", "words"} <= set(segment)
    assert {"start", "end", "word", "probability", "speaker"} <= set(segment["words"][0])
    text = " ".join(s["text"] for s in data["segments"])
    assert wer((shared_data / "jfk.txt").read_text(), text) < 0.1
    assert run(["transcribe", str(study), "--all", "--model", "tiny.en"]) == 0
    assert "Nothing to transcribe" in capsys.readouterr().out
    assert run(["export", str(study), "--all", "--format", "srt", "-o", str(tmp_path / "subs")]) == 0
    assert (tmp_path / "subs" / "jfk.srt").read_text().startswith("1\n00:00:00,")


def test_export_errors_are_one_line(tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = tmp_path / "s.verbatim"
    run(["new", str(study)])
    run(["import", str(study), str(shared_data / "jfk.flac")])
    capsys.readouterr()
    assert run(["export", str(study), "1", "--format", "json", "-o", str(tmp_path / "t.json")]) == 2
    assert "no transcript yet" in capsys.readouterr().err
    assert run(["export", str(study), "1", "--format", "pdf", "-o", str(tmp_path / "t.pdf")]) == 2
    assert "unknown export format" in capsys.readouterr().err
