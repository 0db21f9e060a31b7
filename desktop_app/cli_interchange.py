"""``verbatim qda``: REFI-QDA projects and codebooks out of and into a study (MAXQDA, NVivo, ATLAS.ti…)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.cli import EXIT_OK, PARSER_EXTENSIONS, command
from desktop_app.cli_security import open_study
from desktop_app.services import interchange_service


def _add_parser(sub: Any) -> None:
    p = sub.add_parser("qda", help="REFI-QDA: export a .qdpx project or .qdc codebook, or import one")
    p.add_argument("action", choices=["export", "import"])
    p.add_argument("study")
    p.add_argument("file", type=Path, help=".qdpx (project), .qdc (codebook) or .qde")
    p.add_argument("--reference-media", action="store_true", help="refer to recordings instead of embedding them")


PARSER_EXTENSIONS.append(_add_parser)


@command("qda")
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
