"""``verbatim backup | backups | restore``: rolling backups of a study, made, listed and put back by hand."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command, emit_json
from desktop_app.cli.study_access import add_study_argument, open_study, study_passphrase
from desktop_app.core.errors import VerbatimError
from desktop_app.services.study import backup_service
from desktop_app.services.study.backup_service import BackupPolicy


def register(sub: Subparsers) -> None:
    p = add_command(sub, "backup", cmd_backup, help="back up a study now (into STUDY.verbatim-backups/ beside it)")
    add_study_argument(p)
    p.add_argument("--keep", type=int, default=backup_service.DEFAULT_KEEP, help="backups to keep (default 10)")
    p = add_command(sub, "backups", cmd_backups, help="list a study's backups (time, age, size, documents)")
    add_study_argument(p)
    p.add_argument("--json", action="store_true")
    p = add_command(
        sub, "restore", cmd_restore, help="put a backup in place of the study (the current state is backed up first)"
    )
    add_study_argument(p)
    p.add_argument("backup", metavar="BACKUP_NAME_OR_PATH")
    p.add_argument("--keep", type=int, default=backup_service.DEFAULT_KEEP, help="backups to keep (default 10)")


def _policy(args: argparse.Namespace) -> BackupPolicy:
    if args.keep < 1:
        raise VerbatimError(None, "--keep must be at least 1")
    return BackupPolicy(keep=args.keep)


def cmd_backup(args: argparse.Namespace) -> int:
    policy = _policy(args)
    with open_study(args) as store:  # checks the passphrase, and upgrades an old study before it is copied
        started = time.perf_counter()
        made = backup_service.backup_now(store.path, store.passphrase, policy)
    print(f"Backed up {args.study} to {made.path} ({made.size / 1e6:.1f} MB in {time.perf_counter() - started:.2f} s)")
    return EXIT_OK


def cmd_backups(args: argparse.Namespace) -> int:
    with open_study(args, readonly=True) as store:
        entries = backup_service.list_backups(store.path, store.passphrase)
    if args.json:
        emit_json(
            {"folder": str(backup_service.backup_folder(Path(args.study))), "backups": [e.to_json() for e in entries]}
        )
        return EXIT_OK
    if not entries:
        print(f"No backups of {args.study} yet.")
    for e in entries:
        documents = _documents(e.documents) if e.documents is not None else f"unreadable: {e.problem}"
        local = e.taken.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        print(f"{e.name}  {local}  {backup_service.describe_age(e.age()):>12}  {e.size / 1e6:>7.1f} MB  {documents}")
    return EXIT_OK


def _documents(count: int) -> str:
    return f"{count} document" + ("" if count == 1 else "s")


def cmd_restore(args: argparse.Namespace) -> int:
    policy = _policy(args)
    backup = backup_service.find_backup(Path(args.study), args.backup)
    # Not opened first: a study too damaged to open is what a restore is for. The backup must open
    # with this passphrase and pass its integrity check before anything changes.
    before = backup_service.restore(Path(args.study), backup, study_passphrase(args), policy)
    print(f"Restored {args.study} from {backup.name}")
    print(f"The study as it was is kept as {before.path.name} (restore that to undo)")
    return EXIT_OK
