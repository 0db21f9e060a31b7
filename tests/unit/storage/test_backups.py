"""Backup files: a consistent copy through the online backup API, encrypted like the study, checked, put back."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.core.errors import ProjectError
from desktop_app.storage import backups
from desktop_app.storage.connection import SQLITE_HEADER, OpenOptions, open_project_db
from desktop_app.storage.project_store import ProjectStore

SECRET = "Anna Svensson works nights at Malmö hospital"


def _add_document(store: ProjectStore, title: str, text: str = SECRET) -> None:
    cursor = store.db.execute("INSERT INTO documents (title, created) VALUES (?, '2026-01-01')", [title])
    store.db.execute(
        "INSERT INTO segments (document_id, seq, start, end, text) VALUES (?, 1, 0, 2, ?)", [cursor.lastrowid, text]
    )


def _titles(path: Path, passphrase: str | None = None) -> list[str]:
    db = open_project_db(path, OpenOptions(readonly=True, passphrase=passphrase))
    try:
        return [r[0] for r in db.execute("SELECT title FROM documents ORDER BY id").fetchall()]
    finally:
        db.conn.close()


def test_backup_is_a_complete_single_file_copy_in_the_folder_beside_the_study(store: ProjectStore) -> None:
    _add_document(store, "P01")
    made = backups.write_backup(store.path, None)
    assert made.path.parent == store.path.with_name("study.verbatim-backups")
    assert made.path.name.startswith("study 20") and made.path.name.endswith("Z.verbatim")
    assert backups.taken_at(made.path) == made.taken
    assert abs(made.taken - datetime.now(UTC)) < timedelta(seconds=30)
    assert made.size == made.path.stat().st_size > 0
    assert _titles(made.path) == ["P01"]
    assert backups.count_documents(made.path, None) == 1
    assert backups.integrity_problems(made.path, None) == []
    # a rollback-journal file: reading it left no -wal/-shm, and nothing else was left in the folder
    assert sorted(p.name for p in made.path.parent.iterdir()) == [made.path.name]
    assert [b.path for b in backups.list_backups(store.path)] == [made.path]


def test_backup_holds_only_what_was_committed_while_an_edit_is_in_progress(store: ProjectStore) -> None:
    _add_document(store, "P01")
    store.db.execute("BEGIN")
    _add_document(store, "P02 (not yet committed)")
    made = backups.write_backup(store.path, None)  # its own read-only connection, as the GUI's timer does
    store.db.execute("COMMIT")
    assert _titles(made.path) == ["P01"]
    assert _titles(store.path) == ["P01", "P02 (not yet committed)"]


def test_backups_are_listed_newest_first_and_other_files_are_ignored(store: ProjectStore) -> None:
    first = backups.write_backup(store.path, None, datetime(2026, 1, 5, 10, 0, tzinfo=UTC))
    second = backups.write_backup(store.path, None, datetime(2026, 1, 5, 10, 10, tzinfo=UTC))
    same_moment = backups.write_backup(store.path, None, datetime(2026, 1, 5, 10, 10, tzinfo=UTC))
    (first.path.parent / "notes.txt").write_text("mine")
    (first.path.parent / "study.verbatim").write_bytes(b"")  # no time in the name: not a backup
    assert same_moment.taken == second.taken + timedelta(microseconds=1)
    assert [b.path for b in backups.list_backups(store.path)] == [same_moment.path, second.path, first.path]
    assert first.path.name == "study 2026-01-05T10-00-00.000000Z.verbatim"


def test_encrypted_study_gets_an_encrypted_backup_that_opens_only_with_its_passphrase(tmp_path: Path) -> None:
    with ProjectStore.create(tmp_path / "Grief study.verbatim", passphrase="blue kettle 42") as store:
        _add_document(store, "P05")
        made = backups.write_backup(store.path, "blue kettle 42")
    data = made.path.read_bytes()
    assert not data.startswith(SQLITE_HEADER)
    assert b"Svensson" not in data and b"Malm" not in data  # (a 3-byte title would turn up in random bytes)
    assert backups.count_documents(made.path, "blue kettle 42") == 1
    with pytest.raises(ProjectError, match="wrong passphrase") as wrong:
        backups.count_documents(made.path, "red kettle 42")
    assert made.path.name in wrong.value.message
    with pytest.raises(ProjectError, match="encrypted: give its passphrase"):
        backups.count_documents(made.path, None)
    with pytest.raises(sqlite3.DatabaseError):  # and plain SQLite cannot read it either
        sqlite3.connect(made.path).execute("SELECT count(*) FROM sqlite_master").fetchone()


def _break_index(path: Path, word: bytes) -> None:
    """Change one of the two copies of ``word`` (table row and UNIQUE index): they then disagree."""
    data = bytearray(path.read_bytes())
    at = data.index(word)
    data[at : at + len(word)] = word.upper()
    path.write_bytes(bytes(data))


def test_integrity_check_finds_a_damaged_backup(store: ProjectStore) -> None:
    store.db.execute("INSERT INTO pseudonyms (identifier, pseudonym) VALUES ('svenssonanna', '[P5]')")
    made = backups.write_backup(store.path, None)
    assert backups.integrity_problems(made.path, None) == []
    _break_index(made.path, b"svenssonanna")
    problems = backups.integrity_problems(made.path, None)
    assert problems and any("index" in p for p in problems), problems


def test_a_file_too_damaged_to_open_is_named(store: ProjectStore) -> None:
    made = backups.write_backup(store.path, None)
    with made.path.open("r+b") as handle:
        handle.write(b"\0" * 4096)
    with pytest.raises(ProjectError) as caught:
        backups.integrity_problems(made.path, None)
    assert made.path.name in caught.value.message


def test_changed_since_sees_commits_but_not_opening(tmp_path: Path) -> None:
    path = tmp_path / "study.verbatim"
    ProjectStore.create(path).close()
    moment = datetime.now(UTC) + timedelta(milliseconds=10)
    while datetime.now(UTC) <= moment:
        pass
    with ProjectStore.open(path) as store:
        assert not backups.changed_since(path, moment), "opening is not a change"
        _add_document(store, "P01")
        assert backups.changed_since(path, moment), "a commit (in the -wal) is"
    assert backups.changed_since(path, moment), "and so is its checkpoint into the study file on close"


def test_require_closed_refuses_while_any_connection_is_open(store: ProjectStore) -> None:
    reader = open_project_db(store.path, OpenOptions(readonly=True))
    with pytest.raises(backups.StudyInUseError, match="close it first"):
        backups.require_closed(store.path, None)
    store.close()
    with pytest.raises(backups.StudyInUseError):  # a read-only connection counts too
        backups.require_closed(store.path, None)
    reader.conn.close()
    backups.require_closed(store.path, None).conn.close()


def test_replace_study_removes_the_old_log_so_it_is_not_replayed_onto_the_restored_file(tmp_path: Path) -> None:
    path = tmp_path / "study.verbatim"
    with ProjectStore.create(path) as store:
        _add_document(store, "P01")
        made = backups.write_backup(path, None)
        _add_document(store, "P02")
        stale_log = Path(f"{path}-wal").read_bytes()  # holds the commit of P02
    assert len(stale_log) > 0 and not Path(f"{path}-wal").exists()
    Path(f"{path}-wal").write_bytes(stale_log)  # as a crash would leave it
    backups.replace_study(path, made.path)
    assert not Path(f"{path}-wal").exists()
    assert not list(tmp_path.glob(".study.verbatim.*.part"))
    with ProjectStore.open(path) as store:
        assert [r[0] for r in store.db.execute("SELECT title FROM documents")] == ["P01"]
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_damaged_study_is_kept_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "study.verbatim"
    path.write_bytes(b"not a study at all" * 100)
    kept = backups.copy_damaged_study(path)
    assert kept.path.read_bytes() == path.read_bytes()
    assert backups.list_backups(path)[0].path == kept.path


def test_backup_into_a_folder_that_cannot_be_made_names_it(tmp_path: Path) -> None:
    path = tmp_path / "study.verbatim"
    ProjectStore.create(path).close()
    backups.backup_folder(path).write_text("a file where the folder should be")
    with pytest.raises(ProjectError, match="cannot hold backups") as caught:
        backups.write_backup(path, None)
    assert "study.verbatim-backups" in caught.value.message
