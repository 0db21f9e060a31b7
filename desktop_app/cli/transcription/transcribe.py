"""``verbatim transcribe``: Whisper on the study's recordings, with progress, resuming where a run stopped."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command
from desktop_app.cli.study_access import add_study_argument, open_study
from desktop_app.cli.transcription.cluster import add_cluster_options
from desktop_app.cli.transcription.speakers import diarize, engine_note
from desktop_app.cli.transcription.targets import documents_to_transcribe
from desktop_app.core.errors import VerbatimError

if TYPE_CHECKING:
    from desktop_app.services.study.project_service import ProjectStore
    from desktop_app.services.transcription.transcription_service import (
        TranscriptionListener,
        TranscriptionOptions,
        TranscriptionOutcome,
    )


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
    again = p.add_mutually_exclusive_group()
    again.add_argument(
        "--keep-corrections",
        action="store_true",
        help="a document with corrections, codings or memos: keep those turns exactly, transcribe only the stretches between",
    )
    again.add_argument(
        "--replace",
        action="store_true",
        help="such a document: replace every turn (codings follow their words; undoable)",
    )
    p.add_argument("--speakers", help="also split into speaker turns: auto, a count (3) or a range (2-5)")
    p.add_argument(
        "--meeting",
        action="store_true",
        help="with --speakers: the meeting engine (speaker segmentation + CAM++ voices), for meetings and focus"
        " groups: overlapping talk and more voices told apart; the default suits interviews",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object per event")
    add_cluster_options(p)  # --cluster ADDRESS and its options (cli/cluster.py)


def cmd_transcribe(args: argparse.Namespace) -> int:
    from desktop_app.cli.progress import TranscriptionPrinter
    from desktop_app.services.transcription import transcription_service as ts

    options = ts.TranscriptionOptions(
        model=args.model,
        language=args.language,
        device=args.device,
        keep_fillers=args.keep_fillers,
        glossary=_read_glossary(args.glossary),
    )
    if args.meeting and not args.speakers:
        raise VerbatimError(None, "--meeting chooses how speakers are found: give --speakers too (auto, 3 or 2-5)")
    if args.speakers:
        engine_note(args.speakers, args.meeting)
    if args.cluster:  # a Dask cluster or GPU server; without it nothing touches the network
        from desktop_app.cli.transcription.cluster import transcribe_on_cluster

        return transcribe_on_cluster(args, options)
    with open_study(args) as store:
        targets = documents_to_transcribe(store, args)
        if not targets:
            return EXIT_OK
        printer = TranscriptionPrinter(store, as_json=args.json)
        for position, document_id in enumerate(targets, 1):
            printer.begin(document_id, position, len(targets))
            outcome = _transcribe(store, document_id, options, printer.listener, args)
            printer.end(outcome)
            if outcome.again is not None:  # speakers were carried over from the turns replaced
                print(outcome.again.summary())
            elif args.speakers:
                diarize(store, document_id, args.speakers, outcome.heard, meeting=args.meeting)
    return EXIT_OK


def _transcribe(
    store: ProjectStore,
    document_id: int,
    options: TranscriptionOptions,
    listener: TranscriptionListener,
    args: argparse.Namespace,
) -> TranscriptionOutcome:
    """One document; a corrected, coded or annotated one is transcribed again only as the flags say."""
    from desktop_app.services.transcription import transcription_service as ts

    mode = (
        ts.RetranscribeMode.KEEP_CORRECTIONS
        if args.keep_corrections
        else ts.RetranscribeMode.REPLACE
        if args.replace
        else None
    )
    try:
        return ts.transcribe_document(store, document_id, options, listener, restart=args.restart, again=mode)
    except ts.WorkAtRiskError as exc:
        raise VerbatimError(
            exc.path,
            f"document {document_id} has {exc.work.describe()}; transcribing it again would replace them. "
            "Run again with --keep-corrections (keep those turns exactly, transcribe only the stretches between) "
            "or --replace (replace everything; 'verbatim undo' brings it back)",
        ) from None


def _read_glossary(path: Path | None) -> list[str]:
    if path is None:
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise VerbatimError(path, f"cannot be read as a UTF-8 text file ({exc})") from exc
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]
