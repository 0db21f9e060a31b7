"""``verbatim export``: transcripts as docx, txt, srt, vtt, eaf, json or rttm, optionally pseudonymised."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command, add_text_layer_argument, fail
from desktop_app.cli.study_access import add_study_argument, open_study
from desktop_app.core.errors import VerbatimError
from desktop_app.core.text.text_layer import TextLayer
from desktop_app.services.exports import export_service
from desktop_app.services.participants import pseudonym_service
from desktop_app.services.study import project_service
from desktop_app.services.study.project_service import ProjectStore


def register(sub: Subparsers) -> None:
    p = add_command(sub, "export", cmd_export, help="write transcripts as docx, txt, srt, vtt, eaf, json or rttm")
    add_study_argument(p)
    p.add_argument("document", nargs="?", type=int, metavar="DOC_ID")
    p.add_argument("--all", action="store_true", help="every transcribed document (-o names a folder)")
    p.add_argument("--format", "-f", required=True, help="docx, txt, txt-maxqda, txt-nvivo, srt, vtt, eaf, json, rttm")
    p.add_argument("-o", "--output", type=Path, required=True, help="file (or folder with --all)")
    p.add_argument("--no-timestamps", action="store_true")
    p.add_argument("--line-numbers", action="store_true")
    p.add_argument("--pauses", action="store_true", help="show pauses as (.), (..), (3 s)")
    p.add_argument("--labels", action="store_true", help="speaker labels (S1) instead of names")
    p.add_argument(
        "--overlap-marks",
        choices=["slashes", "brackets"],
        help="mark talk spoken over someone else: //like this// or [overlapping] like this",
    )
    p.add_argument("--pseudonymised", action="store_true", help="replace names and places by their pseudonyms")
    add_text_layer_argument(p)


def cmd_export(args: argparse.Namespace) -> int:
    options = export_service.ExportOptions(
        timestamps=not args.no_timestamps,
        line_numbers=args.line_numbers,
        include_pauses=args.pauses,
        speaker_names=not args.labels,
        overlap_marks=args.overlap_marks or "",
        text_layer=TextLayer(args.text),
    )
    with open_study(args, readonly=True) as store:
        if args.pseudonymised:
            written = _export_pseudonymised(store, args, options)
        elif args.all:
            ids = [d.id for d in project_service.list_documents(store) if d.status.value in ("transcribed", "checked")]
            written = export_service.export_documents(store, ids, args.format, args.output, options)
        elif args.document is None:
            return fail("export needs a DOC_ID or --all")
        else:
            written = [export_service.export_document(store, args.document, args.format, args.output, options)]
    for path in written:
        print(f"Wrote {path}")
    return EXIT_OK


def _export_pseudonymised(
    store: ProjectStore, args: argparse.Namespace, options: export_service.ExportOptions
) -> list[Path]:
    """``--pseudonymised``: every name and place replaced; the key stays out."""
    if args.all:
        return pseudonym_service.export_all_pseudonymised(store, args.format, args.output, options)
    if args.document is None:
        raise VerbatimError(Path(args.study), "export needs a DOC_ID or --all")
    return [pseudonym_service.export_pseudonymised(store, args.document, args.format, args.output, options)]
