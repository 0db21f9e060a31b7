"""The headless front end: ``verbatim <command>``, over the same services as the GUI.

Each command group is a module named for what the user does, with a ``register(subparsers)`` that
adds its commands; ``COMMAND_MODULES`` lists them explicitly (the order of ``verbatim --help``).
Known problems (bad files, projects that cannot be opened, a mistyped command) print one line naming
the file or word and exit with status 2; nothing is written to a study by a command that fails.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from types import ModuleType

from desktop_app import __version__
from desktop_app.cli import (
    analysis,
    backup,
    coding,
    details,
    importing,
    participants,
    pseudonyms,
    search,
    security,
    study,
)
from desktop_app.cli.interchange import clips, copy, export, merge, qda
from desktop_app.cli.registry import fail
from desktop_app.cli.transcription import cluster, models, speakers, transcribe, translate
from desktop_app.core.errors import CancelledError, VerbatimError

COMMAND_MODULES: tuple[ModuleType, ...] = (
    study,
    details,
    importing,
    transcribe,
    cluster,
    speakers,
    export,
    coding,
    search,
    participants,
    analysis,
    pseudonyms,
    clips,
    qda,
    merge,
    copy,
    security,
    backup,
    models,
    translate,
)
STUDY_SUFFIX = ".verbatim"


def build_parser() -> argparse.ArgumentParser:
    return _parser_and_commands()[0]


def command_names() -> list[str]:
    return list(_parser_and_commands()[1])


def _parser_and_commands() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(prog="verbatim", description="Offline transcription and coding of interviews.")
    parser.add_argument("--version", action="version", version=f"Verbatim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser, dict(sub.choices)


def starts_gui(args: list[str]) -> bool:
    """``verbatim`` alone, or ``verbatim STUDY.verbatim``, opens the window; everything else is a command.

    A mistyped command must not start the GUI: on a server or over ssh it would hang with no display.
    """
    if not args:
        return True
    first = args[0]
    if len(args) > 1 or first.startswith("-") or first in command_names():
        return False
    return first.lower().endswith(STUDY_SUFFIX) or Path(first).exists()


def unknown_command(argv: list[str]) -> str | None:
    """What is wrong with a first word that names no command (with the closest command), else None."""
    if not argv or argv[0].startswith("-"):
        return None
    names = command_names()
    if argv[0] in names:
        return None
    close = difflib.get_close_matches(argv[0], names, n=1)
    hint = f"did you mean '{close[0]}'?" if close else "'verbatim --help' lists the commands"
    return f"unknown command '{argv[0]}'; {hint}"


def run(argv: list[str]) -> int:
    problem = unknown_command(argv)
    if problem:
        return fail(problem)
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except VerbatimError as exc:
        return fail(exc.message)
    except OSError as exc:  # the file system said no (a name too long, no permission): one line, no traceback
        if exc.filename is None:
            raise
        return fail(f"{exc.filename}: {exc.strerror or exc}")
    except (CancelledError, KeyboardInterrupt):
        print("Cancelled; finished work is kept in the study.", file=sys.stderr)
        return 130


def main(argv: list[str] | None = None) -> int:
    """``verbatim-cli``-style entry: a command, never the GUI."""
    return run(list(sys.argv[1:] if argv is None else argv))


__all__ = ["build_parser", "command_names", "main", "run", "starts_gui", "unknown_command"]
