"""``verbatim new | info | undo``: make a study, see what is in it, take back the last change."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command, emit_json
from desktop_app.cli.study_access import add_study_argument, new_study_passphrase, open_study
from desktop_app.core.timecode import format_hms
from desktop_app.services.study import document_service, project_service


def register(sub: Subparsers) -> None:
    p = add_command(sub, "new", cmd_new, help="create a study file")
    add_study_argument(p, passphrase_help="with --encrypt: the new passphrase on its first line")
    p.add_argument("--name", help="study name (default: the file name)")
    p.add_argument("--encrypt", action="store_true", help="encrypt with a passphrase (asked for, or --passphrase-file)")
    p = add_command(sub, "info", cmd_info, help="list a study's documents")
    add_study_argument(p)
    p.add_argument("--json", action="store_true")
    p = add_command(sub, "undo", cmd_undo, help="undo (or --redo) the last change in a study")
    add_study_argument(p)
    p.add_argument("--redo", action="store_true")


def cmd_new(args: argparse.Namespace) -> int:
    passphrase = new_study_passphrase(args) if args.encrypt else None
    store = project_service.create_project(Path(args.study), name=args.name, passphrase=passphrase)
    print(f"Created {store.path}" + (" (encrypted)" if passphrase else ""))
    store.close()
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    with open_study(args, readonly=True) as store:
        summary = project_service.study_summary(store)
    if args.json:
        emit_json(summary)
        return EXIT_OK
    study = summary["study"]
    print(f"{study['name']} — {study['documents']} documents, {format_hms(study['total_duration'])} of audio")
    for d in summary["documents"]:
        duration = format_hms(d["duration"]) if d["duration"] is not None else "--:--:--"
        print(f"  {d['id']:>4}  {duration}  {d['status']:<12} {d['language'] or '-':<4} {d['title']}")
    return EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    with open_study(args) as store:
        entry = document_service.redo(store) if args.redo else document_service.undo(store)
    print(f"{'Redid' if args.redo else 'Undid'}: {entry.label}" if entry else "Nothing to undo.")
    return EXIT_OK
