"""``verbatim import``: recordings (one document each) or a REFI-QDA project or codebook into a study."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app.cli.registry import EXIT_OK, EXIT_USAGE, Subparsers, add_command
from desktop_app.cli.study_access import add_study_argument, open_study
from desktop_app.core.timecode import format_hms
from desktop_app.services.study import import_service, security_service
from desktop_app.services.study.project_service import ProjectStore

REFI_SUFFIXES = {".qdpx", ".qdc", ".qde"}


def register(sub: Subparsers) -> None:
    p = add_command(
        sub, "import", cmd_import, help="add recordings (one document each), or a REFI-QDA .qdpx/.qdc, to a study"
    )
    add_study_argument(p)
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--embed", action="store_true", help="store the recordings inside the study file")


def cmd_import(args: argparse.Namespace) -> int:
    paths = [Path(f) for f in args.files]
    exchange = [p for p in paths if p.suffix.lower() in REFI_SUFFIXES]
    with open_study(args) as store:
        for path in exchange:  # projects and codebooks from MAXQDA, NVivo, ATLAS.ti, QualCoder…
            from desktop_app.services.interchange import interchange_service

            report = interchange_service.import_file(store, path)
            print(f"Imported {path}" + "".join(f"\n  note: {line}" for line in report))
        files = import_service.expand_media_paths(p for p in paths if p not in exchange)
        result = import_service.import_recordings(store, files)
        if args.embed:
            _embed_documents(store, [doc.id for doc in result.imported])
    for doc in result.imported:
        print(f"Imported {doc.title} (document {doc.id}, {format_hms(doc.duration or 0)})")
    for note in result.skipped:
        print(f"Skipped {note}")
    for error in result.failed:
        print(f"verbatim: error: {error.message}", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_USAGE


def _embed_documents(store: ProjectStore, document_ids: list[int]) -> None:
    """``verbatim import --embed``: copy the new documents' recordings into the study."""
    for document_id in document_ids:
        stored = security_service.embed_document_media(store, document_id)
        print(f"Embedded document {document_id} ({stored / 1e6:.1f} MB)")
