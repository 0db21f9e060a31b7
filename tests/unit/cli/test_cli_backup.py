"""``verbatim backup | backups | restore`` through the real CLI entry point, on studies with real recordings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from desktop_app.cli import run
from desktop_app.services.study import backup_service

SECRET = "blue kettle 42"


def _json(args: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    capsys.readouterr()
    assert run(args) == 0
    return json.loads(capsys.readouterr().out)


def _titles(study: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[str]:
    return [d["title"] for d in _json(["info", str(study), "--json", *extra], capsys)["documents"]]


@pytest.fixture
def study(tmp_path: Path, shared_data: Path) -> Path:
    path = tmp_path / "Nurses.verbatim"
    assert run(["new", str(path)]) == 0
    assert run(["import", str(path), str(shared_data / "jfk.flac")]) == 0
    return path


def test_backup_list_and_restore_by_name(study: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(["backup", str(study)]) == 0
    made = capsys.readouterr().out
    assert made.startswith(f"Backed up {study} to ") and "Nurses.verbatim-backups" in made
    assert run(["import", str(study), str(shared_data / "pyannote_sample.wav")]) == 0
    assert _titles(study, capsys) == ["jfk", "pyannote_sample"]

    listed = _json(["backups", str(study), "--json"], capsys)
    assert listed["folder"] == str(study.with_name("Nurses.verbatim-backups"))
    [entry] = listed["backups"]
    assert entry["documents"] == 1 and entry["problem"] is None and entry["size"] > 0

    capsys.readouterr()
    assert run(["restore", str(study), entry["name"]]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0] == f"Restored {study} from {entry['name']}"
    assert _titles(study, capsys) == ["jfk"]

    assert run(["backups", str(study)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "2 documents" in lines[0] and "1 document" in lines[1]
    undo = said[1].split("kept as ")[1].split(" (restore")[0]
    assert run(["restore", str(study), undo]) == 0
    assert _titles(study, capsys) == ["jfk", "pyannote_sample"]


def test_backup_keeps_the_last_k(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(3):
        assert run(["backup", str(study), "--keep", "2"]) == 0
    assert len(_json(["backups", str(study), "--json"], capsys)["backups"]) == 2
    capsys.readouterr()
    assert run(["backup", str(study), "--keep", "0"]) == 2
    assert capsys.readouterr().err.strip() == "verbatim: error: --keep must be at least 1"


def test_restore_refuses_a_damaged_backup_and_an_unknown_name_in_one_line(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["backup", str(study)]) == 0
    [made] = backup_service.list_backups(study, None)
    with made.path.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xff" * 4096)  # the second page, the root of the first table, is rubbish now
    before = study.read_bytes()
    capsys.readouterr()
    assert run(["restore", str(study), made.name]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and made.name in err[0], err
    assert study.read_bytes() == before
    assert run(["restore", str(study), "Nurses 1999-01-01T00-00-00.000000Z.verbatim"]) == 2
    assert "is neither a backup of Nurses.verbatim" in capsys.readouterr().err


def test_restore_rescues_a_study_too_damaged_to_open(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["backup", str(study)]) == 0
    [made] = backup_service.list_backups(study, None)
    study.write_bytes(b"\0" * 100_000)
    Path(f"{study}-wal").unlink(missing_ok=True)
    capsys.readouterr()
    assert run(["info", str(study)]) == 2
    assert run(["restore", str(study), str(made.path)]) == 0
    assert _titles(study, capsys) == ["jfk"]


def test_encrypted_study_backs_up_encrypted_and_restores_with_the_passphrase_file(
    tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n")
    study = tmp_path / "Grief.verbatim"
    recording = tmp_path / "P05.flac"
    shutil.copy(shared_data / "jfk.flac", recording)
    key = ["--passphrase-file", str(secret)]
    assert run(["new", str(study), "--encrypt", *key]) == 0
    assert run(["import", str(study), str(recording), "--embed", *key]) == 0
    assert run(["backup", str(study), *key]) == 0
    [made] = backup_service.list_backups(study, SECRET)
    assert not made.path.read_bytes().startswith(b"SQLite format 3") and b"fLaC" not in made.path.read_bytes()
    study.write_bytes(b"\0" * 100_000)
    assert run(["restore", str(study), made.name, *key]) == 0
    assert _titles(study, capsys, *key) == ["P05"]
    assert _json(["backups", str(study), "--json", *key], capsys)["backups"][1]["documents"] == 1
