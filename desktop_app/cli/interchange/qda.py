"""``verbatim qda``: REFI-QDA projects and codebooks out of and into a study (QualCoder, MAXQDA, NVivo, ATLAS.ti…).

Export is for another QDA tool by default (each coding once, the transcript as a text source);
``--complete`` adds the transcript with word times and every coding as transcript, audio and text
selections, which Verbatim reads back whole but other tools show three times; ``--pseudonymised``
applies the study's pseudonyms and leaves the recordings out. Import never reads a
file outside the archive unless ``--allow-external-files`` is given: the files are listed instead.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command
from desktop_app.cli.study_access import add_study_argument, open_study
from desktop_app.services.interchange import interchange_service
from desktop_app.services.interchange.interchange_service import Representation


def register(sub: Subparsers) -> None:
    p = add_command(sub, "qda", cmd_qda, help="REFI-QDA: export a .qdpx project or .qdc codebook, or import one")
    p.add_argument("action", choices=["export", "import"])
    add_study_argument(p)
    p.add_argument("file", type=Path, help=".qdpx (project), .qdc (codebook) or .qde")
    p.add_argument(
        "--reference-media", action="store_true", help="leave recordings out, naming each by its file name only"
    )
    p.add_argument(
        "--complete",
        action="store_true",
        help="export: also the timed transcript, each coding three ways (for Verbatim; other tools show duplicates)",
    )
    p.add_argument(
        "--pseudonymised",
        action="store_true",
        help="export: the study's pseudonyms applied to every text, recordings left out (for co-authors)",
    )
    p.add_argument(
        "--allow-external-files",
        action="store_true",
        help="import: read files the project names outside its archive (absolute, relative or file:// paths)",
    )


def cmd_qda(args: argparse.Namespace) -> int:
    path: Path = args.file
    if args.action == "export":
        representation = Representation.COMPLETE if args.complete else Representation.FOR_QDA_TOOL
        with open_study(args) as store:
            if path.suffix.lower() == ".qdc":
                report = interchange_service.export_codebook(store, path)
            else:
                report = interchange_service.export_project(
                    store,
                    path,
                    embed_media=not args.reference_media,
                    representation=representation,
                    pseudonymised=args.pseudonymised,
                )
        print(f"Wrote {path}")
    else:
        with open_study(args) as store:
            outcome = interchange_service.import_exchange_file(
                store, path, allow_external_files=args.allow_external_files
            )
        print(f"Imported {path}: {outcome.summary}")
        report = outcome.report
        if outcome.external_files and not args.allow_external_files:
            print(f"  This project refers to {len(outcome.external_files)} file(s) outside it, not read:")
            print("".join(f"    {name}\n" for name in outcome.external_files), end="")
            print("  To import them, run again on a new study with --allow-external-files.")
    for line in report:
        print(f"  note: {line}")
    return EXIT_OK
