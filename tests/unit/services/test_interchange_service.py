from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xmlschema

from desktop_app.cli import run
from desktop_app.core.coding import TextPosition
from desktop_app.core.transcript import Segment, Word
from desktop_app.services.coding import coding_service
from desktop_app.services.speakers import speaker_service
from desktop_app.services.study import import_service, project_service
from desktop_app.storage.transcripts import transcript_repository

REFI = Path(__file__).resolve().parents[3].parent / "shared" / "refi-qda"


def _turn(text: str, start: float, speaker: str) -> Segment:
    words = [Word(start + i * 0.5, start + i * 0.5 + 0.4, t, 0.9, speaker) for i, t in enumerate(text.split())]
    return Segment.from_words(words, speaker)


@pytest.fixture
def coded_study(tmp_path: Path, shared_data: Path) -> Path:
    path = tmp_path / "a" / "study.verbatim"
    path.parent.mkdir()
    with project_service.create_project(path) as store:
        (doc,) = import_service.import_recordings(store, [shared_data / "jfk.flac"]).imported
        turns = [_turn("I felt alone on the night shift", 0, "S1"), _turn("peer support helped — שלום 😀", 5, "S2")]
        transcript_repository.append_segments(store, doc.id, None, turns)
        speaker_service.rename_speaker(store, doc.id, "S2", "Peer support worker 5")
        s1, s2 = (s.id for s in transcript_repository.load_transcript(store, doc.id).segments)
        theme = coding_service.add_code(store, "Isolation & <night>", color="#aa0000")
        code = coding_service.add_code(store, "Night shifts", parent_id=theme)
        coding_service.apply_code(store, doc.id, code, TextPosition(s1, 2), TextPosition(s1, 12), coder="AB")  # type: ignore[arg-type]
        coding_service.apply_code(store, doc.id, theme, TextPosition(s1, 16), TextPosition(s2, 12))  # type: ignore[arg-type]
    return path


def test_qdpx_export_validates_and_round_trips(coded_study: Path, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    assert run(["qda", "export", str(coded_study), str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        xmlschema.XMLSchema(str(REFI / "Project-mrt2019.xsd")).validate(archive.read("project.qde"))
        assert any(n.startswith("sources/") and n.endswith(".flac") for n in archive.namelist())
    target = tmp_path / "b" / "copy.verbatim"
    target.parent.mkdir()
    assert run(["new", str(target)]) == 0
    assert run(["qda", "import", str(target), str(out)]) == 0
    with project_service.open_project(target) as store:
        codes = {c.name: c for c in coding_service.codes(store)}
        assert codes["Night shifts"].parent_id == codes["Isolation & <night>"].id
        assert codes["Isolation & <night>"].color.lower() == "#aa0000"
        texts = sorted(e.text for e in coding_service.extracts(store, codes["Isolation & <night>"].id))
        assert texts == ["felt alone", "the night shift peer support"]
        (doc,) = project_service.list_documents(store)
        segments = transcript_repository.load_transcript(store, doc.id).segments
        assert segments[1].text == "peer support helped — שלום 😀"
        assert transcript_repository.list_speakers(store, doc.id)["S2"].name == "Peer support worker 5"


def test_codebook_export_validates_and_guids_are_stable(coded_study: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one.qdc", tmp_path / "two.qdc"
    assert run(["qda", "export", str(coded_study), str(first)]) == 0
    assert run(["qda", "export", str(coded_study), str(second)]) == 0
    xmlschema.XMLSchema(str(REFI / "Codebook.xsd")).validate(str(first))
    assert first.read_text() == second.read_text()


def test_import_atlas_sample_and_reject_other_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = tmp_path / "s.verbatim"
    run(["new", str(study)])
    assert run(["import", str(study), str(REFI / "atlas-ti-sample-project.qdpx")]) == 0
    with project_service.open_project(study) as store:
        names = {c.name for c in coding_service.codes(store)}
    assert "Commits" in names and len(names) == 3
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    capsys.readouterr()
    assert run(["qda", "import", str(study), str(bad)]) == 2
    assert "not a REFI-QDA file" in capsys.readouterr().err
