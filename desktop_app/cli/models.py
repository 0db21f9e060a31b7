"""``verbatim models``: the Whisper models on this machine, their checksums, and importing one by hand."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.registry import EXIT_FAILED, EXIT_OK, Subparsers, add_command, emit_json, fail


def register(sub: Subparsers) -> None:
    p = add_command(sub, "models", cmd_models, help="list, verify or import Whisper models")
    p.add_argument("action", nargs="?", choices=["list", "verify", "import"], default="list")
    p.add_argument("folder", nargs="?")
    p.add_argument("--name", help="name for an imported model (default: the folder name)")
    p.add_argument("--json", action="store_true")


def cmd_models(args: argparse.Namespace) -> int:
    from desktop_app.services import model_service

    if args.action == "import":
        if not args.folder:
            return fail("models import needs a FOLDER")
        entries = [model_service.import_model(Path(args.folder), args.name)]
    elif args.action == "verify":
        entries = model_service.verify_models()
    else:
        entries = model_service.list_models()
    if args.json:
        emit_json({"models": [e.to_json() for e in entries]})
    else:
        for e in entries:
            state = {True: "verified", False: "HASH MISMATCH", None: "not checked"}[e.verified]
            print(f"{e.name:<16} {e.source:<8} {e.size / 1e6:>8.1f} MB  {state:<13} {e.path}")
    bad = [e for e in entries if e.verified is False]
    return EXIT_FAILED if bad else EXIT_OK
