"""What every command shares: exit codes, one-line errors, JSON output, and how a command is registered.

A command is a subparser whose defaults carry its handler (``add_command``), so the parser itself is
the registry: there is no module-level table that importing a command module fills in as a side
effect, and the list of commands is the explicit list in ``desktop_app.cli``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from desktop_app.core.text.text_layer import TEXT_LAYERS

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
Handler = Callable[[argparse.Namespace], int]
Subparsers = Any  # argparse's _SubParsersAction, which the standard library does not name publicly


def add_command(sub: Subparsers, name: str, handler: Handler, *, help: str) -> argparse.ArgumentParser:
    """A subcommand that runs ``handler``. Long options are never abbreviated: ``--passphrase SECRET``
    must be an error, not taken for ``--passphrase-file``."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help, allow_abbrev=False)
    parser.set_defaults(handler=handler)
    return parser


def add_text_layer_argument(parser: argparse.ArgumentParser) -> None:
    """``--text``: which words the command writes, for the commands that show transcript text."""
    parser.add_argument(
        "--text",
        choices=TEXT_LAYERS,
        default="original",
        help="the original words, their stored English ('verbatim translate'), or both: 'original (English)'",
    )


def emit_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def fail(message: str) -> int:
    """One line on stderr, no traceback; the exit status of a known problem."""
    print(f"verbatim: error: {message}", file=sys.stderr)
    return EXIT_USAGE
