"""English beside the original for a German document (the shared Common Voice clip, twice), with the real base model."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.errors import ModelError, VerbatimError
from desktop_app.core.transcript import Segment
from desktop_app.services.study import import_service, project_service
from desktop_app.services.transcription import translation_layer, translation_service
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository

pytestmark = pytest.mark.slow
GERMAN = "Der hinter diesem Portal liegende Raum wurde als Leichenhalle genutzt."


@pytest.fixture
def study(tmp_path: Path, shared_data: Path) -> Path:
    recording = tmp_path / "interview-de.wav"
    subprocess.run(["sox", shared_data / "cv_de.wav", shared_data / "cv_de.wav", recording], check=True)
    path = tmp_path / "study.verbatim"
    store = project_service.create_project(path)
    import_service.import_recordings(store, [recording])
    document = project_service.list_documents(store)[0].id
    turns = [Segment(0.0, 5.25, GERMAN, "Interviewer"), Segment(5.26, 10.5, GERMAN, "Participant")]
    transcript_repository.append_segments(store, document, None, turns)
    store.db.execute("UPDATE documents SET language = 'de', status = 'transcribed'")
    store.close()
    return path


def open_store(path: Path) -> ProjectStore:
    return project_service.open_project(path, readonly=True)


def test_each_turn_gets_english_beside_it(study: Path) -> None:
    with open_store(study) as store:
        turns = translation_service.translate_document(store, 1, "base", device="cpu")
    assert [(t.speaker, t.original) for t in turns] == [("Interviewer", GERMAN), ("Participant", GERMAN)]
    for turn in turns:
        words = set(turn.english.lower().replace(".", "").split())
        assert {"portal", "this", "used"} <= words, turn.english  # what base gets right in both copies
        assert not words & {"der", "diesem", "raum", "wurde", "genutzt"}, "English, not the German again"


def test_an_english_document_and_an_english_only_model_are_refused(study: Path) -> None:
    with open_store(study) as store, pytest.raises(ModelError, match="tiny.en understands English only"):
        translation_service.translate_document(store, 1, "tiny.en", device="cpu")
    with project_service.open_project(study) as store:
        store.db.execute("UPDATE documents SET language = 'en'")
    with open_store(study) as store, pytest.raises(VerbatimError, match="is in English; there is nothing to translate"):
        translation_service.translate_document(store, 1, "base")


def test_the_cli_writes_a_csv_and_json_and_with_no_store_leaves_the_study_alone(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = study.read_bytes()
    out = tmp_path / "english.csv"
    assert run(["translate", str(study), "1", "--device", "cpu", "-o", str(out), "--no-store"]) == 0
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["speaker"] for r in rows] == ["Interviewer", "Participant"] and rows[0]["original"] == GERMAN
    assert "portal" in rows[1]["english"].lower() and "wurde" not in rows[1]["english"].lower()
    capsys.readouterr()
    assert run(["translate", str(study), "1", "--device", "cpu", "--json", "--no-store"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["turns"]) == 2 and data["model"] == "base"
    assert study.read_bytes() == before, "--no-store does not change the study"


def test_the_cli_keeps_the_english_searchable_exportable_and_undoable(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["translate", str(study), "1", "--device", "cpu"]) == 0
    assert "Kept the English of 2 turns in the study" in capsys.readouterr().out
    with open_store(study) as store:
        stored = translation_layer.load(store, 1)
        first, second = (s.id for s in transcript_repository.load_transcript(store, 1).segments if s.id is not None)
    assert [stored[first].source_text, stored[second].source_text] == [GERMAN, GERMAN]
    assert all("portal" in row.text.lower() for row in stored.values()), stored
    assert run(["search", str(study), "portal"]) == 0
    out = capsys.readouterr().out
    assert "(English) Interviewer:" in out and "(English) Participant:" in out and "Portal" in out  # both layers
    both = tmp_path / "both.txt"
    assert run(["export", str(study), "1", "-f", "txt", "-o", str(both), "--text", "both"]) == 0
    assert f"{GERMAN} ({stored[first].text})" in both.read_text(encoding="utf-8")

    with project_service.open_project(study) as store:
        translation_layer.update_translation(store, second, "The room behind this portal was a mortuary.")
    capsys.readouterr()
    assert run(["translate", str(study), "1", "--device", "cpu"]) == 1
    assert "1 translated turn(s) were corrected by hand" in capsys.readouterr().err
    assert run(["translate", str(study), "1", "--device", "cpu", "--keep-corrections"]) == 0
    with open_store(study) as store:
        assert translation_layer.load(store, 1)[second].text == "The room behind this portal was a mortuary."
    assert run(["translate", str(study), "1", "--device", "cpu", "--replace"]) == 0
    with open_store(study) as store:
        assert translation_layer.load(store, 1)[second].text == stored[second].text, "the engine's English again"
    assert run(["undo", str(study)]) == 0
    with open_store(study) as store:
        assert translation_layer.load(store, 1)[second].text == "The room behind this portal was a mortuary."


def test_a_document_without_a_transcript_says_so(
    tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.verbatim"
    store = project_service.create_project(path)
    import_service.import_recordings(store, [shared_data / "cv_de.wav"])
    store.close()
    assert run(["translate", str(path), "1"]) == 2
    assert "has no transcript yet; transcribe it first" in capsys.readouterr().err
