"""``verbatim pseudonyms``: the table that replaces names and places in exports, its hits, and its key."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command, emit_json, fail
from desktop_app.cli.study_access import add_study_argument, open_study
from desktop_app.services.participants import pseudonym_service
from desktop_app.services.study.project_service import ProjectStore


def register(sub: Subparsers) -> None:
    p = add_command(
        sub, "pseudonyms", cmd_pseudonyms, help="pseudonym table: suggest, add, remove, list, hits, skip, export-key"
    )
    add_study_argument(p)
    p.add_argument("action", choices=["suggest", "add", "remove", "list", "hits", "skip", "unskip", "export-key"])
    p.add_argument("args", nargs="*", help="add IDENTIFIER PSEUDONYM | remove IDENTIFIER | skip/unskip HIT_NUMBER")
    p.add_argument("-o", "--output", type=Path, help="export-key: the CSV file to write")
    p.add_argument("--document", type=int, help="hits: one document only")
    p.add_argument("--json", action="store_true")


def cmd_pseudonyms(args: argparse.Namespace) -> int:
    readonly = args.action in ("suggest", "list", "hits", "export-key")
    with open_study(args, readonly=readonly) as store:
        return _pseudonyms_action(store, args)


def _pseudonyms_action(store: ProjectStore, args: argparse.Namespace) -> int:
    action, rest = args.action, args.args
    if action == "add":
        if len(rest) != 2:
            return fail("usage: pseudonyms STUDY add IDENTIFIER PSEUDONYM")
        pseudonym_service.add_pseudonym(store, rest[0], rest[1])
    elif action == "remove":
        if len(rest) != 1:
            return fail("usage: pseudonyms STUDY remove IDENTIFIER")
        pseudonym_service.remove_pseudonym(store, rest[0])
    elif action == "export-key":
        if args.output is None:
            return fail("export-key needs -o FILE")
        print(f"Wrote the key to {pseudonym_service.export_key(store, args.output)}; keep it apart from exports")
        return EXIT_OK
    elif action == "suggest":
        return _print_suggestions(store, args.json)
    elif action in ("hits", "skip", "unskip"):
        return _hits(store, args)
    return _print_table(store, args.json)


def _print_table(store: ProjectStore, as_json: bool) -> int:
    entries = pseudonym_service.list_pseudonyms(store)
    if as_json:
        emit_json({"pseudonyms": [{"identifier": e.identifier, "pseudonym": e.pseudonym} for e in entries]})
    for e in [] if as_json else entries:
        print(f"{e.identifier}\t{e.pseudonym}")
    return EXIT_OK


def _print_suggestions(store: ProjectStore, as_json: bool) -> int:
    found = pseudonym_service.suggest(store)
    if as_json:
        emit_json({"suggestions": [{"identifier": s.identifier, "reason": s.reason, "count": s.count} for s in found]})
    for s in [] if as_json else found:
        print(f"{s.identifier:<30} {s.reason:<13} {s.count:>4}")
    return EXIT_OK


def _hits(store: ProjectStore, args: argparse.Namespace) -> int:
    hits = pseudonym_service.preview_hits(store, args.document)
    if args.action in ("skip", "unskip"):
        if len(args.args) != 1 or not args.args[0].isdigit() or not 1 <= int(args.args[0]) <= len(hits):
            return fail(f"usage: pseudonyms STUDY {args.action} HIT_NUMBER (1 to {len(hits)}, see 'hits')")
        pseudonym_service.set_hit_skipped(store, hits[int(args.args[0]) - 1], args.action == "skip")
        hits = pseudonym_service.preview_hits(store, args.document)
    rows = [
        {"hit": n, "document": h.document_id, "text": h.hit.text, "pseudonym": h.hit.replacement, "kept": h.skipped}
        for n, h in enumerate(hits, 1)
    ]
    if args.json:
        emit_json({"hits": rows})
    for row, h in [] if args.json else zip(rows, hits, strict=True):
        state = "keep" if row["kept"] else "replace"
        print(
            f"{row['hit']:>4}  doc {row['document']:<4} {state:<8} {row['text']} -> {row['pseudonym']}  …{h.context}…"
        )
    return EXIT_OK
