"""``verbatim new | import | info | undo``: real files through the real CLI entry point."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.cli import run
from tests.fixtures.media_formats import AUDIO_FORMATS, VIDEO_CODECS, transcode, truncate, video_without_audio
from tests.fixtures.speech import SpeechFixture


def _info(study: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert run(["info", str(study), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "study.verbatim"
    assert run(["new", str(path)]) == 0
    return path


def test_new_import_info_json(study: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["import", str(study), str(shared_data / "jfk.flac"), str(shared_data / "pyannote_sample.wav")]) == 0
    data = _info(study, capsys)
    assert data["study"]["name"] == "study"
    docs = data["documents"]
    assert [d["title"] for d in docs] == ["jfk", "pyannote_sample"]
    assert set(docs[0]) == {"id", "title", "media_path", "duration", "status", "language"}
    assert docs[0]["duration"] == pytest.approx(11.0, abs=0.05)
    assert docs[1]["duration"] == pytest.approx(30.0, abs=0.05)
    assert all(d["status"] == "imported" for d in docs)
    assert Path(docs[0]["media_path"]).samefile(shared_data / "jfk.flac")


def test_every_supported_format_imports(
    study: Path, tmp_path: Path, interview_speech: SpeechFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [
        transcode(
            interview_speech.wav,
            tmp_path / f"interview{suffix.replace('.', '_')}{suffix}",
            with_video=suffix in VIDEO_CODECS,
        )
        for suffix in AUDIO_FORMATS
    ]
    assert run(["import", str(study), *map(str, files)]) == 0
    docs = _info(study, capsys)["documents"]
    assert len(docs) == len(AUDIO_FORMATS)
    for doc in docs:
        assert doc["duration"] == pytest.approx(interview_speech.duration, abs=0.1), doc["title"]


def _bad_inputs(tmp_path: Path, interview_speech: SpeechFixture) -> list[tuple[Path, str]]:
    text = tmp_path / "notes.mp3"
    text.write_text("these are my interview notes, not audio\n" * 50)
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    mp3 = transcode(interview_speech.wav, tmp_path / "full.mp3")
    return [
        (text, "not an audio or video file"),
        (empty, "is empty"),
        (truncate(mp3, tmp_path / "cut.mp3"), "truncated"),
        (video_without_audio(tmp_path / "screen.mp4"), "no audio track"),
        (tmp_path / "missing.wav", "does not exist"),
    ]


def test_bad_files_get_one_clear_line_and_change_nothing(
    study: Path, tmp_path: Path, shared_data: Path, interview_speech: SpeechFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["import", str(study), str(shared_data / "jfk.flac")]) == 0
    before = _info(study, capsys)
    for bad, problem in _bad_inputs(tmp_path, interview_speech):
        capsys.readouterr()
        assert run(["import", str(study), str(bad)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0, err
        assert str(bad) in err and problem in err, err
        assert "Traceback" not in err
    assert _info(study, capsys) == before


def test_one_bad_file_does_not_cost_the_good_ones(
    study: Path, tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF0000WAVEjunk")
    assert run(["import", str(study), str(bad), str(shared_data / "jfk.flac")]) == 2
    assert [d["title"] for d in _info(study, capsys)["documents"]] == ["jfk"]


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: p.write_text("not a database"), "not a Verbatim project"),
        (lambda p: p.write_bytes(b""), "is empty"),
    ],
)
def test_bad_project_files(tmp_path: Path, shared_data: Path, make, problem: str, capsys) -> None:
    path = tmp_path / "x.verbatim"
    make(path)
    assert run(["import", str(path), str(shared_data / "jfk.flac")]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and problem in err


def test_media_relinked_by_hash_when_study_folder_moves(
    tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "fieldwork"
    (folder / "audio").mkdir(parents=True)
    shutil.copy(shared_data / "jfk.flac", folder / "audio" / "jfk.flac")
    study = folder / "study.verbatim"
    assert run(["new", str(study)]) == 0
    assert run(["import", str(study), str(folder / "audio" / "jfk.flac")]) == 0
    moved = tmp_path / "moved"
    folder.rename(moved)
    (moved / "audio" / "jfk.flac").rename(moved / "audio" / "renamed.flac")
    from desktop_app.services.study import document_service, project_service

    with project_service.open_project(moved / "study.verbatim") as store:
        doc = project_service.list_documents(store)[0]
        assert document_service.media_path(store, doc.id) == moved / "audio" / "renamed.flac"
    assert _info(moved / "study.verbatim", capsys)["documents"][0]["media_path"] == str(
        moved / "audio" / "renamed.flac"
    )


def test_undo_via_cli(study: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["import", str(study), str(shared_data / "jfk.flac")]) == 0
    assert run(["undo", str(study)]) == 0
    assert _info(study, capsys)["documents"] == []
    assert run(["undo", str(study), "--redo"]) == 0
    assert len(_info(study, capsys)["documents"]) == 1


def test_module_entry_point_runs_offline(study: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "desktop_app", "info", str(study)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert "0 documents" in out.stdout
