"""The headless front end: ``verbatim <command>``, over the same services as the GUI.

Known problems (bad files, projects that cannot be opened) print one line naming the file and
exit with status 2; nothing is written to a study by a command that fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app import __version__
from desktop_app.core.errors import CancelledError, VerbatimError
from desktop_app.core.timecode import format_hms
from desktop_app.services import document_service, import_service, project_service

if TYPE_CHECKING:
    from desktop_app.pipeline.speakers.windows import HeardSpeech

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        COMMANDS[name] = handler
        return handler

    return register


def is_cli_invocation(args: list[str]) -> bool:
    return bool(args) and (args[0] in COMMANDS or args[0] in {"-h", "--help", "--version"})


def emit_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def fail(message: str) -> int:
    print(f"verbatim: error: {message}", file=sys.stderr)
    return EXIT_USAGE


@command("new")
def cmd_new(args: argparse.Namespace) -> int:
    passphrase = _cli_security.new_study_passphrase(args) if args.encrypt else None
    store = project_service.create_project(Path(args.study), name=args.name, passphrase=passphrase)
    print(f"Created {store.path}" + (" (encrypted)" if passphrase else ""))
    store.close()
    return EXIT_OK


REFI_SUFFIXES = {".qdpx", ".qdc", ".qde"}


@command("import")
def cmd_import(args: argparse.Namespace) -> int:
    paths = [Path(f) for f in args.files]
    exchange = [p for p in paths if p.suffix.lower() in REFI_SUFFIXES]
    with _cli_security.open_study(args) as store:
        for path in exchange:  # projects and codebooks from MAXQDA, NVivo, ATLAS.ti, QualCoder…
            from desktop_app.services import interchange_service

            report = interchange_service.import_file(store, path)
            print(f"Imported {path}" + "".join(f"\n  note: {line}" for line in report))
        files = import_service.expand_media_paths(p for p in paths if p not in exchange)
        result = import_service.import_recordings(store, files)
        if args.embed:
            _cli_security.embed_documents(store, [doc.id for doc in result.imported])
    for doc in result.imported:
        print(f"Imported {doc.title} (document {doc.id}, {format_hms(doc.duration or 0)})")
    for note in result.skipped:
        print(f"Skipped {note}")
    for error in result.failed:
        print(f"verbatim: error: {error.message}", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_USAGE


@command("info")
def cmd_info(args: argparse.Namespace) -> int:
    with _cli_security.open_study(args, readonly=True) as store:
        summary = project_service.study_summary(store)
    if args.json:
        emit_json(summary)
        return EXIT_OK
    study = summary["study"]
    print(f"{study['name']} — {study['documents']} documents, {format_hms(study['total_duration'])} of audio")
    for d in summary["documents"]:
        duration = format_hms(d["duration"]) if d["duration"] is not None else "--:--:--"
        print(f"  {d['id']:>4}  {duration}  {d['status']:<12} {d['language'] or '-':<4} {d['title']}")
    return EXIT_OK


@command("models")
def cmd_models(args: argparse.Namespace) -> int:
    from desktop_app.services import model_service

    if args.action == "import":
        if not args.folder:
            return fail("models import needs a FOLDER")
        entries = [model_service.import_model(Path(args.folder), args.name)]
    elif args.action == "verify":
        entries = model_service.verify_models()
    else:
        entries = model_service.list_models()
    if args.json:
        emit_json({"models": [e.to_json() for e in entries]})
    else:
        for e in entries:
            state = {True: "verified", False: "HASH MISMATCH", None: "not checked"}[e.verified]
            print(f"{e.name:<16} {e.source:<8} {e.size / 1e6:>8.1f} MB  {state:<13} {e.path}")
    bad = [e for e in entries if e.verified is False]
    return EXIT_FAILED if bad else EXIT_OK


@command("undo")
def cmd_undo(args: argparse.Namespace) -> int:
    with _cli_security.open_study(args) as store:
        entry = document_service.redo(store) if args.redo else document_service.undo(store)
    print(f"{'Redid' if args.redo else 'Undid'}: {entry.label}" if entry else "Nothing to undo.")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="verbatim", description="Offline transcription and coding of interviews.")
    parser.add_argument("--version", action="version", version=f"Verbatim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("new", help="create a study file")
    p.add_argument("study")
    p.add_argument("--name", help="study name (default: the file name)")
    p.add_argument("--encrypt", action="store_true", help="encrypt with a passphrase (asked for, or --passphrase-file)")
    p = sub.add_parser("import", help="add recordings (one document each), or a REFI-QDA .qdpx/.qdc, to a study")
    p.add_argument("study")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--embed", action="store_true", help="store the recordings inside the study file")
    p = sub.add_parser("info", help="list a study's documents")
    p.add_argument("study")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("models", help="list, verify or import Whisper models")
    p.add_argument("action", nargs="?", choices=["list", "verify", "import"], default="list")
    p.add_argument("folder", nargs="?")
    p.add_argument("--name", help="name for an imported model (default: the folder name)")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("undo", help="undo (or --redo) the last change in a study")
    p.add_argument("study")
    p.add_argument("--redo", action="store_true")
    for extend in PARSER_EXTENSIONS:
        extend(sub)
    _cli_security.add_passphrase_options(sub)  # after every extension, so no command on a study lacks it
    return parser


PARSER_EXTENSIONS: list[Callable[[Any], None]] = []


def run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except VerbatimError as exc:
        return fail(exc.message)
    except OSError as exc:  # the file system said no (a name too long, no permission): one line, no traceback
        if exc.filename is None:
            raise
        return fail(f"{exc.filename}: {exc.strerror or exc}")
    except (CancelledError, KeyboardInterrupt):
        print("Cancelled; finished work is kept in the study.", file=sys.stderr)
        return 130


def _add_transcribe_parser(sub: Any) -> None:
    p = sub.add_parser("transcribe", help="transcribe documents (resumes where a previous run stopped)")
    p.add_argument("study")
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


PARSER_EXTENSIONS.append(_add_transcribe_parser)


@command("transcribe")
def cmd_transcribe(args: argparse.Namespace) -> int:
    from desktop_app.cli_progress import TranscriptionPrinter
    from desktop_app.services import transcription_service as ts

    options = ts.TranscriptionOptions(
        model=args.model,
        language=args.language,
        device=args.device,
        keep_fillers=args.keep_fillers,
        glossary=_read_glossary(args.glossary),
    )
    with _cli_security.open_study(args) as store:
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
                _diarize(store, document_id, args.speakers, outcome.heard)
    return EXIT_OK


def _read_glossary(path: Path | None) -> list[str]:
    if path is None:
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise VerbatimError(path, f"cannot be read as a UTF-8 text file ({exc})") from exc
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _add_export_parser(sub: Any) -> None:
    p = sub.add_parser("export", help="write transcripts as docx, txt, srt, vtt, eaf, json or rttm")
    p.add_argument("study")
    p.add_argument("document", nargs="?", type=int, metavar="DOC_ID")
    p.add_argument("--all", action="store_true", help="every transcribed document (-o names a folder)")
    p.add_argument("--format", "-f", required=True, help="docx, txt, txt-maxqda, txt-nvivo, srt, vtt, eaf, json, rttm")
    p.add_argument("-o", "--output", type=Path, required=True, help="file (or folder with --all)")
    p.add_argument("--no-timestamps", action="store_true")
    p.add_argument("--line-numbers", action="store_true")
    p.add_argument("--pauses", action="store_true", help="show pauses as (.), (..), (3 s)")
    p.add_argument("--labels", action="store_true", help="speaker labels (S1) instead of names")
    p.add_argument("--pseudonymised", action="store_true", help="replace names and places by their pseudonyms")


PARSER_EXTENSIONS.append(_add_export_parser)


@command("export")
def cmd_export(args: argparse.Namespace) -> int:
    from desktop_app.services import export_service

    options = export_service.ExportOptions(
        timestamps=not args.no_timestamps,
        line_numbers=args.line_numbers,
        include_pauses=args.pauses,
        speaker_names=not args.labels,
    )
    with _cli_security.open_study(args, readonly=True) as store:
        if args.pseudonymised:
            written = _cli_security.export_pseudonymised(store, args, options)
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


from desktop_app import cli_analysis as _cli_analysis  # noqa: E402,F401  (registers its commands)
from desktop_app import cli_clips as _cli_clips  # noqa: E402,F401  (registers its commands)
from desktop_app import cli_coding as _cli_coding  # noqa: E402,F401  (registers its commands)
from desktop_app import cli_interchange as _cli_interchange  # noqa: E402,F401  (registers its commands)
from desktop_app import cli_speakers as _cli_speakers  # noqa: E402,F401  (registers its commands)

# isort: off
from desktop_app import cli_security as _cli_security  # noqa: E402  (registers its commands)
# isort: on


def _diarize(store: Any, document_id: int, speakers: str, heard: HeardSpeech | None = None) -> None:
    from desktop_app.services import diarization_service

    options = diarization_service.DiarizationOptions.from_speakers(speakers)
    outcome = diarization_service.diarize_document(store, document_id, options, heard=heard)
    print(f"Speakers: {outcome.speakers} found, {outcome.turns} turns ({outcome.uncertain_words} words uncertain)")


def _add_diarize_parser(sub: Any) -> None:
    p = sub.add_parser("diarize", help="redo speaker turns on a transcript (keeps text corrections)")
    p.add_argument("study")
    p.add_argument("document", type=int, metavar="DOC_ID")
    p.add_argument("--speakers", default="auto", help="auto, a count (3) or a range (2-5)")


PARSER_EXTENSIONS.append(_add_diarize_parser)


@command("diarize")
def cmd_diarize(args: argparse.Namespace) -> int:
    with _cli_security.open_study(args) as store:
        _diarize(store, args.document, args.speakers)
    return EXIT_OK


from desktop_app import cli_backup as _cli_backup  # noqa: E402,F401  (registers its commands)
