"""Nothing lost: rolling backups of a study, listing them, checking them, and restoring one.

Backups are taken when a study is opened and every ``interval_minutes`` while it is edited, but
only when the study has changed since the newest backup (an idle window must not push the last
useful backups out). The newest ``keep`` are kept. A restore first backs up the study as it is
now, so restoring can itself be undone by restoring that backup.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop_app.core.errors import ProjectError
from desktop_app.storage import backups, encryption
from desktop_app.storage.backups import BackupFile
from desktop_app.storage.durable_files import remove_with_side_files
from desktop_app.storage.encryption import is_encrypted

log = logging.getLogger("verbatim")

DEFAULT_INTERVAL_MINUTES = 10
DEFAULT_KEEP = 10

__all__ = [
    "BackupFile",
    "BackupPolicy",
    "BackupEntry",
    "BackupsReencrypted",
    "backup_now",
    "backup_if_due",
    "list_backups",
    "reencrypt_backups",
    "restore",
]


@dataclass(frozen=True)
class BackupPolicy:
    interval_minutes: float = DEFAULT_INTERVAL_MINUTES
    keep: int = DEFAULT_KEEP

    def __post_init__(self) -> None:
        if self.keep < 1:
            raise ValueError("keep at least one backup")
        if self.interval_minutes <= 0:
            raise ValueError("the backup interval must be positive")


@dataclass(frozen=True)
class BackupEntry:
    """A backup as the user sees it; ``documents`` is None when the backup cannot be read."""

    path: Path
    taken: datetime
    size: int
    documents: int | None
    problem: str | None = None

    @property
    def name(self) -> str:
        return self.path.name

    def age(self, now: datetime | None = None) -> timedelta:
        return (now or datetime.now(UTC)) - self.taken

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "path": str(self.path),
            "taken": self.taken.isoformat(),
            "size": self.size,
            "documents": self.documents,
            "problem": self.problem,
        }


def backup_folder(study: Path) -> Path:
    return backups.backup_folder(Path(study))


def backup_now(study: Path, passphrase: str | None, policy: BackupPolicy = BackupPolicy()) -> BackupFile:
    """Back up the study now (it may be open for editing meanwhile), then drop the oldest beyond ``keep``."""
    made = backups.write_backup(Path(study), passphrase)
    prune(study, policy.keep)
    return made


def is_due(study: Path, policy: BackupPolicy = BackupPolicy(), now: datetime | None = None) -> bool:
    """Whether a backup should be taken: none yet, or the newest is older than the interval and the study changed."""
    existing = backups.list_backups(Path(study))
    if not existing:
        return True
    newest = existing[0].taken
    old_enough = (now or datetime.now(UTC)) - newest >= timedelta(minutes=policy.interval_minutes)
    return old_enough and backups.changed_since(Path(study), newest)


def backup_if_due(
    study: Path, passphrase: str | None, policy: BackupPolicy = BackupPolicy(), now: datetime | None = None
) -> BackupFile | None:
    """The periodic backup (on open and while editing): take one when :func:`is_due`, else None."""
    if not is_due(study, policy, now):
        return None
    return backup_now(study, passphrase, policy)


def prune(study: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` backups; return the removed files."""
    removed = []
    for old in backups.list_backups(Path(study))[keep:]:
        backups.remove_backup(old)
        removed.append(old.path)
    return removed


def list_backups(study: Path, passphrase: str | None) -> list[BackupEntry]:
    """The study's backups, newest first, each with its documents counted from the backup itself."""
    entries = []
    for found in backups.list_backups(Path(study)):
        try:
            documents, problem = backups.count_documents(found.path, passphrase), None
        except ProjectError as exc:
            documents, problem = None, exc.problem
        entries.append(BackupEntry(found.path, found.taken, found.size, documents, problem))
    return entries


def find_backup(study: Path, name_or_path: str | Path) -> Path:
    """A backup given by its file name (in the study's backup folder) or by a path to any study file."""
    given = Path(name_or_path)
    in_folder = backups.backup_folder(Path(study)) / given.name
    if given.name == str(name_or_path) and in_folder.is_file():
        return in_folder
    if given.is_file():
        return given
    raise ProjectError(given, f"is neither a backup of {Path(study).name} (see 'verbatim backups') nor a file")


def check_backup(backup: Path, passphrase: str | None) -> None:
    """Refuse a backup that fails ``PRAGMA integrity_check``, naming the file and the first problems."""
    problems = backups.integrity_problems(Path(backup), passphrase)
    if problems:
        shown = "; ".join(problems[:3]) + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else "")
        raise ProjectError(backup, f"failed its integrity check and cannot be restored: {shown}")


def restore(study: Path, backup: Path, passphrase: str | None, policy: BackupPolicy = BackupPolicy()) -> BackupFile:
    """Replace the study by ``backup``; return the backup of the study as it was just before.

    The study must be closed everywhere first (the caller closes its own connection). The backup
    must open with the study's passphrase and pass its integrity check, else nothing changes.
    """
    study, backup = Path(study), Path(backup)
    if backup.resolve() == study.resolve():
        raise ProjectError(backup, "is the study itself, not a backup of it")
    _check_same_encryption(backup, passphrase)
    check_backup(backup, passphrase)
    before = _back_up_before_restore(study, passphrase)
    backups.replace_study(study, backup)
    log.info("restored %s from %s (the previous state is in %s)", study, backup.name, before.path.name)
    prune_keeping(study, policy.keep, before.path, backup)
    return before


def prune_keeping(study: Path, keep: int, *protected: Path) -> None:
    """Prune, but never the backup just restored nor the one that undoes the restore."""
    keep_paths = {p.resolve() for p in protected}
    for old in backups.list_backups(Path(study))[keep:]:
        if old.path.resolve() not in keep_paths:
            backups.remove_backup(old)


def _check_same_encryption(backup: Path, passphrase: str | None) -> None:
    if passphrase is not None and not is_encrypted(backup):
        raise ProjectError(
            backup,
            "is not encrypted but the study is: restoring it would leave the study readable without a passphrase",
        )


def _back_up_before_restore(study: Path, passphrase: str | None) -> BackupFile:
    """The study as it is now, kept as a backup; a study too damaged to open is kept byte for byte."""
    if not study.exists():
        raise ProjectError(study, "does not exist: nothing to restore into")
    try:
        db = backups.require_closed(study, passphrase)
    except backups.StudyInUseError:
        raise
    except ProjectError as exc:  # damaged, unreadable, or not openable here: keep it exactly as it is
        log.warning("%s cannot be opened (%s); keeping its raw bytes before the restore", study, exc.problem)
        return backups.copy_damaged_study(study)
    try:
        return backups.write_backup_from(db, study, passphrase)
    finally:
        db.conn.close()


@dataclass(frozen=True)
class BackupsReencrypted:
    """What :func:`reencrypt_backups` did: backups rewritten, already right, and deleted (with why)."""

    reencrypted: int = 0
    unchanged: int = 0
    deleted: tuple[tuple[Path, str], ...] = ()

    def summary(self) -> str:
        """One line for the CLI and the status bar (``3 backups re-encrypted with the new passphrase; …``)."""
        parts = [
            f"{self.reencrypted} backup{'' if self.reencrypted == 1 else 's'} re-encrypted with the new passphrase"
        ]
        if self.unchanged:
            parts.append(f"{self.unchanged} already had the new passphrase")
        if self.deleted:
            count = len(self.deleted)
            parts.append(f"{count} unreadable backup{'' if count == 1 else 's'} deleted")
        return "; ".join(parts)


def reencrypt_backups(study: Path, passphrase: str | None, new_passphrase: str) -> BackupsReencrypted:
    """Bring every backup of ``study`` to ``new_passphrase``, after the study itself was encrypted or re-keyed.

    ``passphrase`` is the study's passphrase before (None: it was plain). Otherwise the old backups
    would stay readable without a passphrase, or with one the user meant to retire. A backup that
    cannot be rewritten (damaged, under some other passphrase, or the disk is full) is deleted and
    reported: it is never left in its old form. Each backup is rewritten through a temporary file
    beside it and an atomic rename, so a backup that is listed is always whole.
    """
    study = Path(study)
    encryption.check_passphrase(study, new_passphrase)  # before any backup is touched, let alone deleted
    backups.remove_partial_copies(study)
    reencrypted, unchanged, deleted = 0, 0, []
    # The rolling backups, and the copy kept beside the study before a format upgrade (STUDY.verbatim.vN.bak).
    copies = [found.path for found in backups.list_backups(study)] + backups.pre_upgrade_copies(study)
    for copy in copies:
        try:
            if _reencrypt(copy, passphrase, new_passphrase):
                reencrypted += 1
            else:
                unchanged += 1
        except ProjectError as exc:
            remove_with_side_files(copy)
            problem = exc.problem if not copy.exists() else f"{exc.problem}; it could not be deleted either"
            deleted.append((copy, problem))
            log.warning("deleted backup %s: it could not be re-encrypted (%s)", copy, problem)
    return BackupsReencrypted(reencrypted, unchanged, tuple(deleted))


def _reencrypt(backup: Path, passphrase: str | None, new_passphrase: str) -> bool:
    """Rewrite one backup with ``new_passphrase``; False when it has it already."""
    if not is_encrypted(backup):  # from before the study was encrypted (or left plain by an older version)
        encryption.reencrypt_in_place(backup, None, new_passphrase)
        return True
    if passphrase is None or passphrase == new_passphrase:
        if encryption.opens_with(backup, new_passphrase):
            return False
        raise ProjectError(backup, "is encrypted with another passphrase, or damaged")
    try:
        encryption.reencrypt_in_place(backup, passphrase, new_passphrase)
    except ProjectError:
        if encryption.opens_with(backup, new_passphrase):  # e.g. the second try after an interrupted change
            return False
        raise
    return True


def describe_age(age: timedelta) -> str:
    """``just now``, ``12 min ago``, ``3 h ago``, ``2 days ago``: how long ago a backup was taken."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"
