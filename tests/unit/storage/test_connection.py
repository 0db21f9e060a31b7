from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from desktop_app.core.errors import ProjectError
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.schema import APPLICATION_ID, CURRENT_VERSION


def test_new_project_has_identity_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "s.verbatim"
    with ProjectStore.create(path, name="Peer support study") as store:
        assert store.study()["name"] == "Peer support study"
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert raw.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "s.verbatim"
    ProjectStore.create(path).close()
    with pytest.raises(ProjectError, match="already exists"):
        ProjectStore.create(path)


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"", "is empty"), (b"hello, this is text\n" * 10, "not a Verbatim project")],
)
def test_open_refuses_non_projects(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "x.verbatim"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match=problem) as info:
        ProjectStore.open(path)
    assert str(path) in str(info.value)


def test_open_refuses_other_sqlite_databases(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(ProjectError, match="not a Verbatim project"):
        ProjectStore.open(path)


def test_open_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="does not exist"):
        ProjectStore.open(tmp_path / "nope.verbatim")


def test_newer_project_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "future.verbatim"
    ProjectStore.create(path).close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {CURRENT_VERSION + 5}")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="newer version"):
        ProjectStore.open(path)
    assert path.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_project_is_refused_for_writing(tmp_path: Path) -> None:
    path = tmp_path / "ro.verbatim"
    ProjectStore.create(path).close()
    path.chmod(0o444)
    with pytest.raises(ProjectError, match="read-only"):
        ProjectStore.open(path)
    with ProjectStore.open(path, readonly=True) as store:
        assert store.study()["name"] == "ro"


def test_encrypted_project_needs_its_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "secret.verbatim"
    with ProjectStore.create(path, passphrase="correct horse") as store:
        store.db.execute("UPDATE study SET description = 'confidential'")
    assert b"confidential" not in path.read_bytes()
    with pytest.raises(ProjectError, match="encrypted"):
        ProjectStore.open(path)
    with pytest.raises(ProjectError, match="wrong passphrase"):
        ProjectStore.open(path, passphrase="wrong")
    with ProjectStore.open(path, passphrase="correct horse") as store:
        assert store.study()["description"] == "confidential"
