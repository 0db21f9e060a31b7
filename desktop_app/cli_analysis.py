"""``verbatim participants | attributes | stats | kappa | report``: cases, attributes and analysis outputs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.cli import EXIT_OK, PARSER_EXTENSIONS, command, emit_json, fail
from desktop_app.cli_security import open_study
from desktop_app.services import analysis_service, intercoder_service, participant_service, report_service
from desktop_app.services.analysis_tables import table2


def _add_parsers(sub: Any) -> None:
    p = sub.add_parser("participants", help="list, add, set attribute values of, or import participants")
    p.add_argument("study")
    p.add_argument("action", nargs="?", choices=["list", "add", "set", "import", "template"], default="list")
    p.add_argument("args", nargs="*", help="add LABEL | set LABEL ATTR VALUE | import FILE.csv | template TEXT")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("attributes", help="list or add participant attributes")
    p.add_argument("study")
    p.add_argument("action", nargs="?", choices=["list", "add"], default="list")
    p.add_argument("name", nargs="?")
    p.add_argument("--type", default="text", help="text, integer, decimal, date, boolean (yes/no), category")
    p.add_argument("--choices", default="", help="a category's choices, comma separated")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("stats", help="code frequencies (by document or attribute) and co-occurrence")
    p.add_argument("study")
    p.add_argument("--by", default="document", help="an attribute name (default: by document)")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("kappa", help="intercoder agreement and Cohen's kappa per code")
    p.add_argument("study")
    p.add_argument("--coders", nargs=2, required=True, metavar=("A", "B"))
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("report", help="quote list, member-checking report, Table 2 or CMO table")
    p.add_argument("study")
    p.add_argument("kind", choices=["quotes", "member-check", "table2", "cmo"])
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--by", help="the attribute Table 2 groups by")
    p.add_argument("--pseudonymised", action="store_true", help="quotes through the pseudonym table")
    p.add_argument("--quotes", type=int, default=3, help="quotes per theme in a member-checking report")


PARSER_EXTENSIONS.append(_add_parsers)


@command("participants")
def cmd_participants(args: argparse.Namespace) -> int:
    usage = {"add": 1, "set": 3, "import": 1, "template": 1, "list": 0}
    if len(args.args) != usage[args.action]:
        return fail(
            f"usage: participants STUDY {args.action} "
            + {
                "add": "LABEL",
                "set": "LABEL ATTRIBUTE VALUE",
                "import": "FILE.csv",
                "template": "'{group} {number}'",
                "list": "",
            }[args.action]
        )
    with open_study(args, readonly=args.action == "list") as store:
        if args.action == "add":
            participant_service.add_participant(store, args.args[0])
            print(f"Added participant {args.args[0]!r}")
        elif args.action == "set":
            value = participant_service.set_value(store, *args.args)
            print(f"{args.args[0]}: {args.args[1]} = {value if value is not None else '(cleared)'}")
        elif args.action == "import":
            summary = participant_service.import_csv(store, Path(args.args[0]))
            added = f"; new attributes: {', '.join(summary.attributes_added)}" if summary.attributes_added else ""
            print(
                f"Imported {summary.participants_added} new and {summary.participants_updated} updated participants, "
                f"{summary.values_set} values{added}"
            )
        elif args.action == "template":
            participant_service.set_label_template(store, args.args[0])
        people = participant_service.participants(store)
        labels = participant_service.quote_labels(store)
        names = [a.name for a in participant_service.attributes(store)]
    if args.action != "list":
        return EXIT_OK
    if args.json:
        emit_json(
            {
                "attributes": names,
                "participants": [
                    {"label": p.label, "quote_label": labels[p.label], "values": p.values} for p in people
                ],
            }
        )
        return EXIT_OK
    for p in people:
        values = ", ".join(f"{k}={v}" for k, v in p.values.items())
        shown = f"  ({labels[p.label]})" if labels[p.label] != p.label else ""
        print(f"{p.label}{shown}" + (f": {values}" if values else ""))
    return EXIT_OK


@command("attributes")
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


@command("stats")
def cmd_stats(args: argparse.Namespace) -> int:
    with open_study(args, readonly=True) as store:
        table = analysis_service.frequencies(store, args.by)
        matrix = analysis_service.cooccurrence(store)
    if args.json:
        emit_json({"frequencies": table.to_json(), "cooccurrence": matrix.to_json()})
        return EXIT_OK
    width = max([len(r.code.name) for r in table.rows] + [4])
    print(f"Codings by {table.by}")
    print(f"{'Code':<{width}}  " + "  ".join(f"{c[:14]:>14}" for c in table.columns) + f"  {'Total':>6}")
    for row in table.rows:
        print(f"{row.code.name:<{width}}  " + "  ".join(f"{n:>14}" for n in row.codings) + f"  {row.total:>6}")
    print("\nCo-occurrence (overlapping codings in the same document)")
    for code, counts in zip(matrix.codes, matrix.counts, strict=True):
        print(f"{code.name:<{width}}  " + " ".join(f"{n:>4}" for n in counts))
    return EXIT_OK


@command("kappa")
def cmd_kappa(args: argparse.Namespace) -> int:
    with open_study(args, readonly=True) as store:
        report = intercoder_service.compare_coders(store, *args.coders)
    if args.json:
        emit_json(report.to_json())
        return EXIT_OK
    print(f"{report.coder_a} vs {report.coder_b} over {len(report.documents)} document(s)")
    for row in report.by_code:
        s = row.stats
        print(
            f"{row.code.name:<28} agreement {s.agreement:7.2%}  kappa {s.kappa:6.3f}  "
            f"(both {s.both}, only {report.coder_a} {s.only_a}, only {report.coder_b} {s.only_b}, of {s.total})"
        )
    return EXIT_OK


@command("report")
def cmd_report(args: argparse.Namespace) -> int:
    options = report_service.ReportOptions(pseudonymise=args.pseudonymised, quotes_per_theme=args.quotes)
    with open_study(args, readonly=True) as store:
        if args.kind == "quotes":
            count = report_service.write_quote_list(store, args.output, options)
            print(f"Wrote {count} quotes to {args.output}")
        elif args.kind == "member-check":
            count = report_service.write_member_check(store, args.output, options)
            print(f"Wrote a member-checking report with {count} quotes to {args.output}")
        else:
            if args.kind == "table2" and not args.by:
                return fail("usage: report STUDY table2 --by ATTRIBUTE -o OUT.docx|xlsx|csv")
            from desktop_app.services import realist_service

            table = table2(store, args.by) if args.kind == "table2" else realist_service.cmo_table(store)
            report_service.write_table(table, args.output)
            print(f"Wrote {table.title} ({len(table.rows)} rows) to {args.output}")
    return EXIT_OK
