"""``verbatim participants | attributes``: the study's cases and what is known about them (age, site, role…)."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command, emit_json, fail
from desktop_app.cli.study_access import add_study_argument, open_study
from desktop_app.services.participants import participant_import, participant_service
from desktop_app.services.study.project_service import ProjectStore


def register(sub: Subparsers) -> None:
    p = add_command(
        sub, "participants", cmd_participants, help="list, add, set attribute values of, or import participants"
    )
    add_study_argument(p)
    p.add_argument("action", nargs="?", choices=["list", "add", "set", "import", "template"], default="list")
    p.add_argument("args", nargs="*", help="add LABEL | set LABEL ATTR VALUE | import FILE.csv | template TEXT")
    p.add_argument("--json", action="store_true")
    p = add_command(sub, "attributes", cmd_attributes, help="list or add participant attributes")
    add_study_argument(p)
    p.add_argument("action", nargs="?", choices=["list", "add"], default="list")
    p.add_argument("name", nargs="?")
    p.add_argument("--type", default="text", help="text, integer, decimal, date, boolean (yes/no), category")
    p.add_argument("--choices", default="", help="a category's choices, comma separated")
    p.add_argument("--json", action="store_true")


# action -> (number of arguments, how to write them)
USAGE = {
    "add": (1, "LABEL"),
    "set": (3, "LABEL ATTRIBUTE VALUE"),
    "import": (1, "FILE.csv"),
    "template": (1, "'{group} {number}'"),
    "list": (0, ""),
}


def cmd_participants(args: argparse.Namespace) -> int:
    count, usage = USAGE[args.action]
    if len(args.args) != count:
        return fail(f"usage: participants STUDY {args.action} {usage}")
    with open_study(args, readonly=args.action == "list") as store:
        if args.action != "list":
            _change(store, args.action, args.args)
            return EXIT_OK
        people = participant_service.participants(store)
        labels = participant_service.quote_labels(store)
        names = [a.name for a in participant_service.attributes(store)]
    if args.json:
        rows = [{"label": p.label, "quote_label": labels[p.label], "values": p.values} for p in people]
        emit_json({"attributes": names, "participants": rows})
        return EXIT_OK
    for p in people:
        values = ", ".join(f"{k}={v}" for k, v in p.values.items())
        shown = f"  ({labels[p.label]})" if labels[p.label] != p.label else ""
        print(f"{p.label}{shown}" + (f": {values}" if values else ""))
    return EXIT_OK


def _change(store: ProjectStore, action: str, arguments: list[str]) -> None:
    """add, set, import or template: one undoable change, and a line saying what it was."""
    if action == "add":
        participant_service.add_participant(store, arguments[0])
        print(f"Added participant {arguments[0]!r}")
    elif action == "set":
        value = participant_service.set_value(store, *arguments)
        print(f"{arguments[0]}: {arguments[1]} = {value if value is not None else '(cleared)'}")
    elif action == "import":
        summary = participant_import.import_participants_csv(store, Path(arguments[0]))
        added = f"; new attributes: {', '.join(summary.attributes_added)}" if summary.attributes_added else ""
        print(
            f"Imported {summary.participants_added} new and {summary.participants_updated} updated participants, "
            f"{summary.values_set} values{added}"
        )
    elif action == "template":
        participant_service.set_label_template(store, arguments[0])


def cmd_attributes(args: argparse.Namespace) -> int:
    with open_study(args, readonly=args.action == "list") as store:
        if args.action == "add":
            if not args.name:
                return fail("usage: attributes STUDY add NAME --type T [--choices a,b]")
            kind = participant_service.parse_type(store, args.type)
            choices = [c for c in args.choices.split(",") if c.strip()]
            participant_service.add_attribute(store, args.name, kind, choices)
            print(f"Added attribute {args.name!r} ({kind.value})")
            return EXIT_OK
        found = participant_service.attributes(store)
    if args.json:
        emit_json({"attributes": [{"name": a.name, "type": a.type.value, "choices": a.choices} for a in found]})
        return EXIT_OK
    for a in found:
        print(f"{a.name:<24} {a.type.value}" + (f"  [{', '.join(a.choices)}]" if a.choices else ""))
    return EXIT_OK
