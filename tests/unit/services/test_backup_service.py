"""Rolling backups: taken when due and only after changes, the last K kept, listed, checked, restored, undone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from desktop_app.core.errors import ProjectError
from desktop_app.services.study import backup_service, document_service, project_service
from desktop_app.services.study.backup_service import BackupPolicy
from desktop_app.storage import backups
from desktop_app.storage.project_store import ProjectStore

LATER = timedelta(minutes=11)


def _add_document(store: ProjectStore, title: str) -> int:
    with store.journal.action(f"Add {title}") as changes:
        return changes.insert("documents", {"title": title, "created": "2026-01-01"})


def _titles(path: Path, passphrase: str | None = None) -> list[str]:
    with project_service.open_project(path, readonly=True, passphrase=passphrase) as store:
        return [d.title for d in project_service.list_documents(store)]


@pytest.fixture
def study(tmp_path: Path) -> Path:
    with project_service.create_project(tmp_path / "Nurses.verbatim") as store:
        _add_document(store, "P01")
    return tmp_path / "Nurses.verbatim"


def test_backup_is_due_at_first_then_only_after_the_interval_and_a_change(study: Path) -> None:
    with project_service.open_project(study) as store:
        first = backup_service.backup_if_due(study, None)
        assert first is not None
        assert backup_service.backup_if_due(study, None) is None, "not due again straight away"
        later = first.taken + LATER
        assert backup_service.backup_if_due(study, None, now=later) is None, "nothing changed: no copy of a copy"
        _add_document(store, "P02")
        assert backup_service.backup_if_due(study, None, now=first.taken + timedelta(minutes=9)) is None
        second = backup_service.backup_if_due(study, None, now=later)
        assert second is not None and second.taken > first.taken
    assert [e.documents for e in backup_service.list_backups(study, None)] == [2, 1]


def test_only_the_last_k_backups_are_kept(study: Path) -> None:
    policy = BackupPolicy(keep=3)
    made = [backup_service.backup_now(study, None, policy) for _ in range(5)]
    kept = [e.path for e in backup_service.list_backups(study, None)]
    assert kept == [m.path for m in reversed(made[2:])], "the newest three, newest first"
    assert not made[0].path.exists() and not made[1].path.exists()


def test_listing_reads_each_backup_and_reports_unreadable_ones(study: Path) -> None:
    good = backup_service.backup_now(study, None)
    damaged = backups.backup_folder(study) / backups.backup_name(study, good.taken + timedelta(seconds=1))
    damaged.write_bytes(good.path.read_bytes()[:100] + b"\xff" * 8092)  # a SQLite header, then rubbish
    entries = backup_service.list_backups(study, None)
    assert [(e.path, e.documents) for e in entries] == [(damaged, None), (good.path, 1)]
    assert entries[0].problem is not None and "damaged" in entries[0].problem
    assert entries[1].size == good.path.stat().st_size
    assert entries[1].to_json()["documents"] == 1


def test_restore_puts_the_study_back_and_can_itself_be_undone(study: Path) -> None:
    early = backup_service.backup_now(study, None)
    with project_service.open_project(study) as store:
        second = _add_document(store, "P02")
        document_service.rename_document(store, second, "P02 renamed")
    before = backup_service.restore(study, early.path, None)
    assert _titles(study) == ["P01"]
    assert backup_service.list_backups(study, None)[0].path == before.path
    assert before.taken > early.taken
    assert backup_service.list_backups(study, None)[0].documents == 2
    with project_service.open_project(study) as store:  # the restored study opens and works as usual
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert document_service.undo(store) is not None  # its undo history is the backup's
        assert not project_service.list_documents(store)
    backup_service.restore(study, before.path, None)
    assert _titles(study) == ["P01", "P02 renamed"]


def test_restore_is_refused_while_the_study_is_open(study: Path) -> None:
    early = backup_service.backup_now(study, None)
    with project_service.open_project(study) as store:
        _add_document(store, "P02")
        with pytest.raises(ProjectError, match="close it first") as caught:
            backup_service.restore(study, early.path, None)
        assert "Nurses.verbatim" in caught.value.message
        assert len(project_service.list_documents(store)) == 2
    assert len(backup_service.list_backups(study, None)) == 1, "no backup of a study that was not restored"


def test_a_backup_failing_its_integrity_check_is_refused_naming_it(study: Path) -> None:
    with project_service.open_project(study) as store:
        store.db.execute("INSERT INTO pseudonyms (identifier, pseudonym) VALUES ('svenssonanna', '[P5]')")
    made = backup_service.backup_now(study, None)
    data = bytearray(made.path.read_bytes())
    at = data.index(b"svenssonanna")
    data[at : at + 12] = b"SVENSSONANNA"  # the row and its UNIQUE index no longer agree
    made.path.write_bytes(bytes(data))
    original = study.read_bytes()
    with pytest.raises(ProjectError, match="failed its integrity check") as caught:
        backup_service.restore(study, made.path, None)
    assert made.path.name in caught.value.message and "index" in caught.value.problem
    assert study.read_bytes() == original
    assert len(backup_service.list_backups(study, None)) == 1


def test_a_damaged_study_is_kept_byte_for_byte_before_it_is_restored(study: Path) -> None:
    early = backup_service.backup_now(study, None)
    study.write_bytes(b"garbage after a crash" * 1000)
    before = backup_service.restore(study, early.path, None)
    assert before.path.read_bytes() == b"garbage after a crash" * 1000
    assert _titles(study) == ["P01"]


def test_find_backup_by_name_or_path(study: Path, tmp_path: Path) -> None:
    made = backup_service.backup_now(study, None)
    assert backup_service.find_backup(study, made.path.name) == made.path
    assert backup_service.find_backup(study, str(made.path)) == made.path
    with pytest.raises(ProjectError, match="is neither a backup of Nurses.verbatim"):
        backup_service.find_backup(study, "Nurses 1999-01-01T00-00-00.000000Z.verbatim")


def test_encrypted_study_restores_with_its_passphrase_and_refuses_a_plain_backup(tmp_path: Path) -> None:
    study = tmp_path / "Grief.verbatim"
    with project_service.create_project(study, passphrase="blue kettle 42") as store:
        _add_document(store, "P05")
    early = backup_service.backup_now(study, "blue kettle 42")
    with project_service.open_project(study, passphrase="blue kettle 42") as store:
        _add_document(store, "P06")
    plain = tmp_path / "plain.verbatim"
    project_service.create_project(plain).close()
    with pytest.raises(ProjectError, match="is not encrypted but the study is"):
        backup_service.restore(study, plain, "blue kettle 42")
    backup_service.restore(study, early.path, "blue kettle 42")
    assert _titles(study, "blue kettle 42") == ["P05"]
    assert [e.documents for e in backup_service.list_backups(study, "blue kettle 42")] == [2, 1]
