"""Opening the study a command names, encrypted or not, and reading passphrases.

A passphrase comes from ``--passphrase-file`` (its first line) or a prompt without echo; it is
never accepted on the command line, where other users and shell history would see it. Like ssh
with a private key, a passphrase file that other users may read is used, with a warning.
Every command on a study adds its STUDY argument with ``add_study_argument``, which brings the
``--passphrase-file`` option with it, so no command can forget it.
"""

from __future__ import annotations

import argparse
import getpass
import os
import stat
import sys
from pathlib import Path

from desktop_app.core.errors import VerbatimError
from desktop_app.services.study import project_service, security_service
from desktop_app.services.study.project_service import ProjectStore

OTHERS_MAY_READ = stat.S_IRGRP | stat.S_IROTH


def add_study_argument(
    parser: argparse.ArgumentParser, *, passphrase_help: str = "passphrase on its first line"
) -> None:
    """The STUDY positional and its ``--passphrase-file``, called where the positional belongs."""
    parser.add_argument("study")
    parser.add_argument("--passphrase-file", type=Path, metavar="FILE", help=passphrase_help)


def read_passphrase_file(path: Path) -> str:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise VerbatimError(path, "passphrase file not found") from exc
    except IsADirectoryError as exc:
        raise VerbatimError(path, "is a folder, not a passphrase file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise VerbatimError(path, f"cannot be read as a passphrase file ({exc})") from exc
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise VerbatimError(path, "passphrase file is empty: put the passphrase on its first line")
    _warn_if_others_may_read(path)
    return lines[0]


def _warn_if_others_may_read(path: Path) -> None:
    if os.name != "posix":  # Windows has no such mode bits; its ACLs are the user's profile's
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & OTHERS_MAY_READ:
        print(
            f"verbatim: warning: passphrase file {path} can be read by other users (permissions {mode:04o}); "
            f"make it private with: chmod 600 '{path}'",
            file=sys.stderr,
        )


def file_or_prompt(path: Path | None, prompt: str, *, confirm: bool = False) -> str:
    """The passphrase from ``path``, or asked for without echo (twice when ``confirm``)."""
    if path is not None:
        return read_passphrase_file(path)
    first = getpass.getpass(f"{prompt}: ")
    if confirm and getpass.getpass(f"{prompt} (again): ") != first:
        raise VerbatimError("passphrase", "the two passphrases differ; nothing was changed")
    return first


def study_passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase for ``args.study``: from the file given, or asked for if the study is encrypted."""
    given = getattr(args, "passphrase_file", None)
    if given is not None:
        return read_passphrase_file(given)
    if security_service.is_encrypted(Path(args.study)) and _interactive():
        return getpass.getpass(f"Passphrase for {Path(args.study).name}: ")
    return None  # not encrypted, or no one to ask: opening says what is wrong


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def open_study(args: argparse.Namespace, *, readonly: bool = False) -> ProjectStore:
    """Open ``args.study`` for a command, encrypted or not."""
    return project_service.open_project(Path(args.study), readonly=readonly, passphrase=study_passphrase(args))


def new_study_passphrase(args: argparse.Namespace) -> str:
    """For ``verbatim new --encrypt``: the passphrase, with the warning that it cannot be recovered."""
    print(security_service.FORGOTTEN_PASSPHRASE_WARNING, file=sys.stderr)
    return file_or_prompt(getattr(args, "passphrase_file", None), "New passphrase", confirm=True)
