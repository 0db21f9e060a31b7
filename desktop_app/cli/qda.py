"""``verbatim qda``: REFI-QDA projects and codebooks out of and into a study (MAXQDA, NVivo, ATLAS.ti…)."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command
from desktop_app.cli.study_access import add_study_argument, open_study
from desktop_app.services import interchange_service


def register(sub: Subparsers) -> None:
    p = add_command(sub, "qda", cmd_qda, help="REFI-QDA: export a .qdpx project or .qdc codebook, or import one")
    p.add_argument("action", choices=["export", "import"])
    add_study_argument(p)
    p.add_argument("file", type=Path, help=".qdpx (project), .qdc (codebook) or .qde")
    p.add_argument("--reference-media", action="store_true", help="refer to recordings instead of embedding them")


def cmd_qda(args: argparse.Namespace) -> int:
    path: Path = args.file
    if args.action == "export":
        with open_study(args) as store:
            if path.suffix.lower() == ".qdc":
                report = interchange_service.export_codebook(store, path)
            else:
                report = interchange_service.export_project(store, path, embed_media=not args.reference_media)
        print(f"Wrote {path}")
    else:
        with open_study(args) as store:
            report = interchange_service.import_file(store, path)
        print(f"Imported {path}")
    for line in report:
        print(f"  note: {line}")
    return EXIT_OK
