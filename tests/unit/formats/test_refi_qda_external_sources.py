"""A project received from someone else must not read the researcher's own files.

Sources and notes that point outside the archive (``absolute://``, ``file://``, ``relative://`` with
a ``basePath`` or ``../``, a bare path) are listed and reported, never read, unless the user allows
external files; then they are read like any other.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.formats.refi_qda.project_reader import ProjectImportOptions, read_project
from desktop_app.services.study import project_service
from desktop_app.storage.interchange import interchange_repository
from desktop_app.storage.transcripts import document_repository, transcript_repository

SECRET = "my own diary: do not share"


def _qdpx(path: Path, sources: str, notes: str = "", base: str = "") -> Path:
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Crafted"{f' basePath="{base}"' if base else ""}>
  <Sources>{sources}</Sources>{notes}
</Project>"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
    return path


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    (home / "diary.txt").write_text(SECRET, "utf-8")
    return home / "diary.txt"


def _urls(secret: Path, tmp_path: Path) -> list[tuple[str, str]]:
    inside = tmp_path / "inside"
    inside.mkdir(exist_ok=True)
    return [
        (f"absolute://{secret.as_posix()}", ""),
        (f"file://{secret.as_posix()}", ""),
        (secret.as_posix(), ""),
        ("relative://diary.txt", secret.parent.as_posix()),
        ("relative://../home/diary.txt", inside.as_posix()),
    ]


def test_external_text_sources_are_listed_not_read(tmp_path: Path, secret: Path) -> None:
    for number, (url, base) in enumerate(_urls(secret, tmp_path)):
        source = (
            f'<TextSource guid="2f1e5c1a-0000-4000-8000-00000000000{number}" name="Innocent" plainTextPath="{url}"/>'
        )
        path = _qdpx(tmp_path / f"crafted{number}.qdpx", source, base=base)
        result = read_project(path)
        assert result.project.documents == [], url
        assert [Path(f).resolve() for f in result.external_files] == [secret.resolve()], url
        assert any("outside the project; not read" in line for line in result.report), url
        allowed = read_project(path, ProjectImportOptions(allow_external_files=True)).project
        assert [s.text for s in allowed.documents[0].transcript.segments] == [SECRET], url


def test_external_notes_and_recordings_are_not_read(tmp_path: Path, secret: Path) -> None:
    sources = f"""<AudioSource guid="2f1e5c1a-0000-4000-8000-0000000000a1" name="talk.wav"
        path="absolute://{secret.as_posix()}"/>"""
    notes = f"""<Notes><Note guid="2f1e5c1a-0000-4000-8000-0000000000b1" name="Journal"
        plainTextPath="absolute://{secret.as_posix()}"/></Notes>"""
    result = read_project(_qdpx(tmp_path / "notes.qdpx", sources, notes))
    assert result.project.memos == []
    assert result.project.documents[0].media is None and result.project.documents[0].info.media_path is None
    assert result.external_files == [secret.as_posix()]  # named twice, listed once
    assert sum("not read" in line for line in result.report) == 2


def test_cli_import_lists_them_and_needs_the_flag(
    tmp_path: Path, secret: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = f'<TextSource guid="2f1e5c1a-0000-4000-8000-0000000000c1" name="x" plainTextPath="absolute://{secret.as_posix()}"/>'
    crafted = _qdpx(tmp_path / "crafted.qdpx", source)
    study = tmp_path / "study.verbatim"
    with project_service.create_project(study):
        pass
    capsys.readouterr()
    assert run(["qda", "import", str(study), str(crafted)]) == 0
    out = capsys.readouterr().out
    assert "refers to 1 file(s) outside it, not read" in out and secret.as_posix() in out
    assert "--allow-external-files" in out and SECRET not in out
    with project_service.open_project(study) as store:
        assert document_repository.list_documents(store) == []
        assert all(SECRET not in m.text for m in interchange_repository.memos(store))
    assert run(["qda", "import", str(study), str(crafted), "--allow-external-files"]) == 0
    with project_service.open_project(study) as store:
        (document,) = document_repository.list_documents(store)
        assert transcript_repository.load_transcript(store, document.id).segments[0].text == SECRET
