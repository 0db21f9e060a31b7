"""The JSON transcript schema (issue 3) and reading it back into a bundle."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from desktop_app.core.errors import ExportError
from desktop_app.formats import formats
from desktop_app.formats.json_transcript import read_json
from desktop_app.formats.transcript_bundle import TranscriptBundle
from tests.unit.formats.transcript_samples import empty_bundle, hostile_bundle, interview_bundle


def test_schema_fields_in_seconds(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    formats.write("json", interview_bundle(), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert {"document", "language", "model", "segments"} <= set(data)
    assert data["language"] == "en"
    assert data["model"] == {"name": "tiny.en", "sha256": "a" * 64}
    assert data["document"]["title"] == "Interview 7: Peer support"
    first = data["segments"][1]
    assert set(first) >= {"start", "end", "speaker", "speaker_name", "text", "words"}
    assert (first["start"], first["speaker"], first["speaker_name"]) == (3.5, "S2", "Participant 5")
    assert first["text"] == "I started as a volunteer in 2019."
    assert first["words"][0] == {"start": 3.5, "end": 3.85, "word": "I", "probability": 0.9, "speaker": "S2"}


def transcript_state(bundle: TranscriptBundle) -> object:
    return [asdict(s) for s in bundle.transcript.segments], bundle.transcript.language


@pytest.mark.parametrize("make", [interview_bundle, hostile_bundle, empty_bundle])
def test_round_trip(tmp_path: Path, make: object) -> None:
    assert callable(make)
    original: TranscriptBundle = make()
    if original.transcript.segments:
        original.transcript.segments[0].words[1].edited = True
    path = tmp_path / "t.json"
    formats.write("json", original, path)
    back = read_json(path)
    assert transcript_state(back) == transcript_state(original)
    assert back.document == original.document
    assert back.speakers == original.speakers
    assert back.model == original.model and back.participants == original.participants


def test_file_is_utf8_with_characters_unescaped(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    formats.write("json", hostile_bundle(), path)
    raw = path.read_bytes().decode("utf-8")
    assert "שלום" in raw and "😀" in raw and "नमस्ते" in raw


def test_transform_reaches_text_words_and_names(tmp_path: Path) -> None:
    bundle = interview_bundle()
    bundle.text_transform = lambda text: text.replace("volunteer", "[role]").replace("Participant 5", "P-X")
    path = tmp_path / "t.json"
    formats.write("json", bundle, path)
    raw = path.read_text(encoding="utf-8")
    assert "volunteer" not in raw and "Participant 5" not in raw
    back = read_json(path)
    assert back.speakers["S2"].name == "P-X"
    assert "[role]" in [w.text for w in back.transcript.words]


def test_reads_a_bare_segments_file_with_names_per_segment(tmp_path: Path) -> None:
    path = tmp_path / "bare.json"
    segments = [{"start": 0, "end": 1.5, "speaker": "S1", "speaker_name": "Ann", "text": " Hi there "}]
    path.write_text(json.dumps({"segments": segments}), encoding="utf-8")
    bundle = read_json(path)
    assert bundle.transcript.segments[0].text == "Hi there"
    assert bundle.speaker_name("S1") == "Ann"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00", "not valid JSON"),
        (b'{"segments": "nope"}', "not a transcript JSON"),
        (b'{"segments": [{"start": "x", "end": 1, "text": "a"}]}', "not a transcript JSON"),
        (b'{"segments": [{"end": 1, "text": "a"}]}', "not a transcript JSON"),
    ],
)
def test_bad_files_raise_export_error_naming_the_file(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ExportError) as caught:
        read_json(path)
    assert caught.value.path == str(path) and problem in caught.value.problem


def test_missing_file_raises_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot read"):
        read_json(tmp_path / "absent.json")


def test_transform_reaches_media_file_names_in_json_eaf_and_rttm(tmp_path: Path) -> None:
    bundle = interview_bundle()
    bundle.document.media_path = "/data/recordings/Jane Smith interview.wav"
    bundle.text_transform = lambda text: text.replace("Jane Smith", "P05")
    for name in ("json", "eaf", "rttm"):
        path = tmp_path / f"t.{name}"
        formats.write(name, bundle, path)
        raw = path.read_text(encoding="utf-8")
        assert "Jane" not in raw and "P05" in raw, name
    assert read_json(tmp_path / "t.json").document.media_path == "/data/recordings/P05 interview.wav"
