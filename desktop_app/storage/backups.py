"""Rolling backup copies of a study file, kept in a folder beside it (``Study.verbatim-backups/``).

A backup is written with SQLite's online backup API from a read-only connection, so it is a
consistent snapshot even while the study is being edited (WAL lets readers and the writer work
side by side). Both connections come from :func:`open_project_db`: the copy of an encrypted study
is encrypted with the same passphrase, page by page, and never exists in plain text on disk.
Each copy is written under a temporary name, synced and only then renamed, so a backup that is
listed is a complete one. Backups use the rollback journal, so reading one leaves no side files.

Restoring replaces the study file atomically: the backup is copied to a temporary file in the
study's folder, synced, the study's stale ``-wal``/``-shm`` removed (SQLite would otherwise replay
the old study's log onto the restored file), then renamed over the study.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils

from desktop_app.core.errors import ProjectError
from desktop_app.storage.connection import DATABASE_ERRORS, OpenOptions, open_project_db, translate_error
from desktop_app.storage.durable_files import SIDE_FILES, remove_with_side_files, sync_file, sync_folder
from desktop_app.storage.project_store import PROJECT_SUFFIX

FOLDER_SUFFIX = ".verbatim-backups"
_STAMP_FORMAT = "%Y-%m-%dT%H-%M-%S.%fZ"
_NAME = re.compile(r" (\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{6}Z)" + re.escape(PROJECT_SUFFIX) + "$")


class StudyInUseError(ProjectError):
    """The study is open in some connection, so its file cannot be replaced now."""


@dataclass(frozen=True)
class BackupFile:
    """One backup: its file, when it was taken (UTC, from its name) and its size in bytes."""

    path: Path
    taken: datetime
    size: int


def backup_folder(study: Path) -> Path:
    """``Study.verbatim`` keeps its backups in ``Study.verbatim-backups`` beside it."""
    study = Path(study)
    return study.with_name(study.stem + FOLDER_SUFFIX)


def backup_name(study: Path, taken: datetime) -> str:
    """``Study 2026-01-05T10-30-00.123456Z.verbatim``: the study's name, then the UTC time (no colons, for Windows)."""
    return f"{Path(study).stem} {taken.astimezone(UTC).strftime(_STAMP_FORMAT)}{PROJECT_SUFFIX}"


def taken_at(backup: Path) -> datetime | None:
    """When ``backup`` was taken, read from its name; None for a file not named like a backup."""
    match = _NAME.search(Path(backup).name)
    if match is None:
        return None
    return datetime.strptime(match.group(1), _STAMP_FORMAT).replace(tzinfo=UTC)


def list_backups(study: Path) -> list[BackupFile]:
    """The study's backups, newest first (files in the folder not named like a backup are ignored)."""
    folder = backup_folder(study)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        taken = taken_at(path)
        if taken is not None and path.is_file():
            found.append(BackupFile(path, taken, path.stat().st_size))
    return sorted(found, key=lambda b: b.taken, reverse=True)


def write_backup(study: Path, passphrase: str | None, taken: datetime | None = None) -> BackupFile:
    """Copy the study, as it is committed now, into its backup folder; return the new backup."""
    study = Path(study)
    source = open_project_db(study, OpenOptions(readonly=True, passphrase=passphrase))
    try:
        return write_backup_from(source, study, passphrase, taken)
    finally:
        source.conn.close()


def write_backup_from(
    source: sqlite_utils.Database, study: Path, passphrase: str | None, taken: datetime | None = None
) -> BackupFile:
    """Back up the study open as ``source`` (a connection no other thread is using)."""
    folder = backup_folder(study)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise ProjectError(folder, f"cannot hold backups: {_os_problem(exc)}") from exc
    when = taken or datetime.now(UTC)
    target = folder / backup_name(study, when)
    while target.exists():  # two backups within a microsecond: the second one a microsecond later
        when += timedelta(microseconds=1)
        target = folder / backup_name(study, when)
    temporary = folder / f".{target.name}.{secrets.token_hex(4)}.part"
    try:
        _copy_pages(source, temporary, passphrase)
        sync_file(temporary)
        os.replace(temporary, target)
        sync_folder(folder)
    except OSError as exc:
        raise ProjectError(target, f"could not be written: {_os_problem(exc)}") from exc
    finally:
        remove_with_side_files(temporary)
    return BackupFile(target, when, target.stat().st_size)


def _copy_pages(source: sqlite_utils.Database, temporary: Path, passphrase: str | None) -> None:
    copy = open_project_db(temporary, OpenOptions(create=True, passphrase=passphrase))
    try:
        source.conn.backup(copy.conn)  # both from one driver (sqlcipher3 when keyed)
        copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file; reading it leaves no side files
    except DATABASE_ERRORS as exc:
        raise translate_error(temporary, exc) from exc
    finally:
        copy.conn.close()


@contextlib.contextmanager
def open_backup(backup: Path, passphrase: str | None) -> Iterator[sqlite_utils.Database]:
    """A read-only connection to a backup (any ``.verbatim`` file); its errors name the backup."""
    db = open_project_db(Path(backup), OpenOptions(readonly=True, passphrase=passphrase))
    try:
        yield db
    except DATABASE_ERRORS as exc:
        raise translate_error(Path(backup), exc) from exc
    finally:
        db.conn.close()


def count_documents(backup: Path, passphrase: str | None) -> int:
    with open_backup(backup, passphrase) as db:
        return int(db.execute("SELECT count(*) FROM documents WHERE removed = 0").fetchone()[0])


def integrity_problems(backup: Path, passphrase: str | None) -> list[str]:
    """``PRAGMA integrity_check`` of a backup: [] when it is sound, else SQLite's findings.

    A file that cannot be opened at all (not a study, wrong passphrase, damaged header) raises
    :class:`ProjectError` naming it.
    """
    with open_backup(backup, passphrase) as db:
        rows = [str(r[0]) for r in db.execute("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows


def changed_since(study: Path, moment: datetime) -> bool:
    """Whether the study file was written after ``moment``.

    Every commit lands in the ``-wal`` file, and checkpoints write the study file itself; opening
    a study creates an empty ``-wal``, which is not a change.
    """
    study = Path(study)
    limit = moment.timestamp()
    if study.stat().st_mtime > limit:
        return True
    wal = Path(f"{study}-wal")
    with contextlib.suppress(FileNotFoundError):
        stat = wal.stat()
        return stat.st_size > 0 and stat.st_mtime > limit
    return False


def require_closed(study: Path, passphrase: str | None) -> sqlite_utils.Database:
    """Open the study as its only user, or refuse when any other connection has it open.

    Every WAL connection holds a shared lock on the study while it is open; an exclusive lock
    therefore succeeds only when no other connection, in this process or another, has it open.
    """
    try:
        db = open_project_db(Path(study), OpenOptions(passphrase=passphrase))
    except ProjectError as exc:
        if "locked" in exc.problem:  # another program holds it: in use, not damaged
            raise StudyInUseError(study, exc.problem) from exc
        raise
    try:
        db.execute("PRAGMA busy_timeout = 0")
        db.execute("PRAGMA locking_mode = EXCLUSIVE")
        db.execute("BEGIN EXCLUSIVE")
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything committed is now in the study file itself
    except DATABASE_ERRORS as exc:
        db.conn.close()
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise StudyInUseError(study, "is open (in this window or another program): close it first") from exc
        raise translate_error(Path(study), exc) from exc
    return db


def copy_damaged_study(study: Path, taken: datetime | None = None) -> BackupFile:
    """Keep the raw bytes of a study that cannot be opened (with its ``-wal``), as a listed backup."""
    study = Path(study)
    folder = backup_folder(study)
    target = folder / backup_name(study, taken or datetime.now(UTC))
    try:
        folder.mkdir(exist_ok=True)
        for suffix in ("", "-wal"):
            if Path(f"{study}{suffix}").exists():
                shutil.copyfile(f"{study}{suffix}", f"{target}{suffix}")
    except OSError as exc:
        raise ProjectError(target, f"could not be written: {_os_problem(exc)}") from exc
    return BackupFile(target, taken_at(target) or datetime.now(UTC), target.stat().st_size)


def replace_study(study: Path, backup: Path) -> None:
    """Put a copy of ``backup`` in place of the study file, atomically (no connection may be open)."""
    study = Path(study)
    temporary = study.with_name(f".{study.name}.{secrets.token_hex(4)}.part")
    try:
        shutil.copyfile(backup, temporary)
        sync_file(temporary)
        for suffix in SIDE_FILES:  # the old study's log must not be replayed onto the restored file
            Path(f"{study}{suffix}").unlink(missing_ok=True)
        os.replace(temporary, study)
        sync_folder(study.parent)
    except OSError as exc:
        raise ProjectError(study, f"could not be replaced by {Path(backup).name}: {_os_problem(exc)}") from exc
    finally:
        temporary.unlink(missing_ok=True)


def pre_upgrade_copies(study: Path) -> list[Path]:
    """The copies kept beside ``study`` before its format was upgraded (``STUDY.verbatim.v1.bak``)."""
    return sorted(p for p in Path(study).parent.glob(f"{glob.escape(Path(study).name)}.v*.bak") if p.is_file())


def remove_backup(backup: BackupFile) -> None:
    remove_with_side_files(backup.path)


def remove_partial_copies(study: Path) -> int:
    """Delete the ``.part`` files a backup or a rewrite killed half-way left in the backup folder; return how many.

    They are never listed nor restored, and a partial copy of a plain study is plain text.
    """
    folder = backup_folder(Path(study))
    if not folder.is_dir():
        return 0
    partial = [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".part") and p.is_file()]
    for path in partial:
        remove_with_side_files(path)
    return len(partial)


def _os_problem(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    return exc.strerror or str(exc)
