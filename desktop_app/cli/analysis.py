"""``verbatim stats | kappa | report``: code frequencies, intercoder agreement, and the tables a paper needs."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command, add_text_layer_argument, emit_json, fail
from desktop_app.cli.study_access import add_study_argument, open_study
from desktop_app.core.text.text_layer import TextLayer
from desktop_app.services.analysis import analysis_service, intercoder_service, report_service
from desktop_app.services.analysis.analysis_tables import table2


def register(sub: Subparsers) -> None:
    p = add_command(sub, "stats", cmd_stats, help="code frequencies (by document or attribute) and co-occurrence")
    add_study_argument(p)
    p.add_argument("--by", default="document", help="an attribute name (default: by document)")
    p.add_argument("--json", action="store_true")
    p = add_command(sub, "kappa", cmd_kappa, help="intercoder agreement and Cohen's kappa per code")
    add_study_argument(p)
    p.add_argument("--coders", nargs=2, required=True, metavar=("A", "B"))
    p.add_argument("--json", action="store_true")
    p = add_command(sub, "report", cmd_report, help="quote list, member-checking report, Table 2 or CMO table")
    add_study_argument(p)
    p.add_argument("kind", choices=["quotes", "member-check", "table2", "cmo"])
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--by", help="the attribute Table 2 groups by")
    p.add_argument("--pseudonymised", action="store_true", help="quotes through the pseudonym table")
    p.add_argument("--quotes", type=int, default=3, help="quotes per theme in a member-checking report")
    add_text_layer_argument(p)


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


def cmd_report(args: argparse.Namespace) -> int:
    options = report_service.ReportOptions(
        pseudonymise=args.pseudonymised, quotes_per_theme=args.quotes, text_layer=TextLayer(args.text)
    )
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
            from desktop_app.services.coding import realist_service

            table = table2(store, args.by) if args.kind == "table2" else realist_service.cmo_table(store)
            report_service.write_table(table, args.output)
            print(f"Wrote {table.title} ({len(table.rows)} rows) to {args.output}")
    return EXIT_OK
