"""``verbatim transcribe``: Whisper on the study's recordings, with progress, resuming where a run stopped."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command
from desktop_app.cli.speakers import diarize
from desktop_app.cli.study_access import add_study_argument, open_study
from desktop_app.core.errors import VerbatimError


def register(sub: Subparsers) -> None:
    p = add_command(
        sub, "transcribe", cmd_transcribe, help="transcribe documents (resumes where a previous run stopped)"
    )
    add_study_argument(p)
    p.add_argument("documents", nargs="*", type=int, metavar="DOC_ID")
    p.add_argument("--all", action="store_true", help="every document not yet transcribed")
    p.add_argument("--model", default="base", help="base (default, multilingual), tiny.en, or an imported model")
    p.add_argument("--language", default="auto", help="auto, or a code such as en, sv, de, sw, he, hi")
    p.add_argument("--glossary", type=Path, help="a text file of names and terms, one per line")
    p.add_argument("--keep-fillers", action="store_true", help="keep um, uh and false starts (verbatim style)")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    p.add_argument("--restart", action="store_true", help="discard a partial transcript and start over")
    p.add_argument("--speakers", help="also split into speaker turns: auto, a count (3) or a range (2-5)")
    p.add_argument("--json", action="store_true", help="print one JSON object per event")


def cmd_transcribe(args: argparse.Namespace) -> int:
    from desktop_app.cli.progress import TranscriptionPrinter
    from desktop_app.services import transcription_service as ts

    options = ts.TranscriptionOptions(
        model=args.model,
        language=args.language,
        device=args.device,
        keep_fillers=args.keep_fillers,
        glossary=_read_glossary(args.glossary),
    )
    with open_study(args) as store:
        targets = ts.pending_documents(store) if args.all or not args.documents else args.documents
        if not targets:
            print("Nothing to transcribe: every document is transcribed.")
            return EXIT_OK
        printer = TranscriptionPrinter(store, as_json=args.json)
        for position, document_id in enumerate(targets, 1):
            printer.begin(document_id, position, len(targets))
            outcome = ts.transcribe_document(store, document_id, options, printer.listener, restart=args.restart)
            printer.end(outcome)
            if args.speakers:
                diarize(store, document_id, args.speakers, outcome.heard)
    return EXIT_OK


def _read_glossary(path: Path | None) -> list[str]:
    if path is None:
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise VerbatimError(path, f"cannot be read as a UTF-8 text file ({exc})") from exc
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]
