"""Encrypting a study in place encrypts its backups; changing the passphrase re-keys them; copies change nothing.

Otherwise the backups beside an encrypted study would keep the whole study readable without a
passphrase, or with the one the user meant to retire.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.core.errors import ProjectError
from desktop_app.services.study import backup_service, project_service, security_service
from desktop_app.storage import backups, encryption
from desktop_app.storage.backups import StudyInUseError
from desktop_app.storage.connection import SQLITE_HEADER
from desktop_app.storage.project_store import ProjectStore

pytestmark = pytest.mark.slow  # every open of an encrypted file derives its key (PBKDF2, about 0.3 s)

SECRET = "Anna Svensson works nights at Malmö hospital"
OLD, NEW = "blue kettle 42", "red kettle 43"


def _add_document(store: ProjectStore, title: str) -> None:
    with store.journal.action(f"Add {title}") as changes:
        document = changes.insert("documents", {"title": title, "created": "2026-01-01"})
        changes.insert("segments", {"document_id": document, "seq": 1, "start": 0, "end": 2, "text": SECRET})


def _taken(backup: Path) -> datetime:
    when = backups.taken_at(backup)
    assert when is not None, f"{backup.name} is not named as a backup"
    return when


def _study_with_backups(path: Path, passphrase: str | None, count: int) -> list[Path]:
    """A study of ``count`` documents with one backup after each: backup i holds i + 1 documents."""
    made = []
    with project_service.create_project(path, passphrase=passphrase) as store:
        for n in range(count):
            _add_document(store, f"P{n + 1:02d}")
            made.append(backups.write_backup(path, passphrase).path)
    return made


def _documents(backup: Path, passphrase: str | None) -> list[str]:
    with backups.open_backup(backup, passphrase) as db:
        return [r[0] for r in db.execute("SELECT title FROM documents ORDER BY id")]


def _folder_names(study: Path) -> list[str]:
    return sorted(p.name for p in backups.backup_folder(study).iterdir())


def test_encrypting_in_place_encrypts_every_backup_and_deletes_an_unreadable_one(tmp_path: Path) -> None:
    study = tmp_path / "Nurses.verbatim"
    made = _study_with_backups(study, None, 3)
    damaged = made[-1].with_name(backups.backup_name(study, _taken(made[-1]) + timedelta(seconds=1)))
    damaged.write_bytes(made[0].read_bytes()[:100] + b"\xff" * 8092)  # a SQLite header, then rubbish
    partial = backups.backup_folder(study) / f".{made[0].name}.0a1b2c3d.part"  # a backup killed half-way
    shutil.copy(made[0], partial)

    done = security_service.encrypt_study(study, NEW)

    assert done.backups is not None
    assert (done.backups.reencrypted, done.backups.unchanged) == (3, 0)
    assert [(p, "damaged" in problem) for p, problem in done.backups.deleted] == [(damaged, True)]
    assert done.backups.summary() == "3 backups re-encrypted with the new passphrase; 1 unreadable backup deleted"
    assert _folder_names(study) == sorted(p.name for p in made), "no damaged, partial or temporary file is left"
    for n, backup in enumerate(made, 1):
        data = backup.read_bytes()
        assert not data.startswith(SQLITE_HEADER) and b"Svensson" not in data
        assert _documents(backup, NEW) == [f"P{i:02d}" for i in range(1, n + 1)]
        with pytest.raises(ProjectError, match="encrypted: give its passphrase"):
            _documents(backup, None)
    assert [e.documents for e in backup_service.list_backups(study, NEW)] == [3, 2, 1]
    restored_from = backup_service.restore(study, made[0], NEW)  # a re-encrypted backup restores as any other
    assert encryption.is_encrypted(restored_from.path)
    with project_service.open_project(study, passphrase=NEW) as store:
        assert [d.title for d in project_service.list_documents(store)] == ["P01"]


def test_changing_the_passphrase_rekeys_every_backup(tmp_path: Path) -> None:
    study = tmp_path / "Grief study.verbatim"
    [made] = _study_with_backups(study, OLD, 1)
    plain_leftover = made.with_name(backups.backup_name(study, _taken(made) - timedelta(days=1)))
    encryption.decrypt_copy(made, plain_leftover, OLD)  # e.g. from before the study was encrypted
    foreign = made.with_name(backups.backup_name(study, _taken(made) - timedelta(days=2)))
    encryption.encrypt_copy(plain_leftover, foreign, "some older passphrase")

    done = security_service.rekey_study(study, OLD, NEW)

    assert (done.reencrypted, done.unchanged) == (2, 0)
    assert [p for p, _problem in done.deleted] == [foreign] and not foreign.exists()
    for backup in (made, plain_leftover):
        assert encryption.is_encrypted(backup) and not encryption.opens_with(backup, OLD)
        assert _documents(backup, NEW) == ["P01"]
    again = backup_service.reencrypt_backups(study, OLD, NEW)  # a second try (say after a crash) changes nothing
    assert (again.reencrypted, again.unchanged, again.deleted) == (0, 2, ())


def test_a_copy_encrypted_or_decrypted_leaves_the_backups_as_they_are(tmp_path: Path) -> None:
    plain = tmp_path / "Plain.verbatim"
    [plain_backup] = _study_with_backups(plain, None, 1)
    secret = tmp_path / "Secret.verbatim"
    [secret_backup] = _study_with_backups(secret, OLD, 1)
    before = {p: p.read_bytes() for p in (plain_backup, secret_backup)}

    copy = security_service.encrypt_study(plain, NEW, tmp_path / "Encrypted copy.verbatim")
    decrypted = security_service.decrypt_study(secret, OLD, tmp_path / "Decrypted copy.verbatim")

    assert copy.backups is None and decrypted.backups is None
    assert {p: p.read_bytes() for p in before} == before
    assert not backups.backup_folder(copy.path).exists() and not backups.backup_folder(decrypted.path).exists()


def test_a_study_open_elsewhere_is_not_encrypted_under_its_feet(tmp_path: Path) -> None:
    study = tmp_path / "Nurses.verbatim"
    [backup] = _study_with_backups(study, None, 1)
    with project_service.open_project(study), pytest.raises(StudyInUseError, match="close it first"):
        security_service.encrypt_study(study, NEW)
    assert not encryption.is_encrypted(study) and not encryption.is_encrypted(backup)


def test_encrypting_in_place_also_encrypts_the_copy_kept_before_a_format_upgrade(tmp_path: Path) -> None:
    study = tmp_path / "Nurses.verbatim"
    _study_with_backups(study, None, 1)
    kept = study.with_name(f"{study.name}.v5.bak")  # what opening an older study writable leaves beside it
    shutil.copy(study, kept)
    assert kept.read_bytes().startswith(SQLITE_HEADER)

    done = security_service.encrypt_study(study, NEW)

    assert done.backups is not None and done.backups.reencrypted == 2
    data = kept.read_bytes()
    assert not data.startswith(SQLITE_HEADER) and b"Svensson" not in data
    assert _documents(kept, NEW) == ["P01"]
