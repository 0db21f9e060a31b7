"""``verbatim translate STUDY DOC``: English beside each turn of a document in another language.

Translates each turn (Whisper's translate task, a multilingual model; ``base`` unless ``--model``),
keeps the English in the study as the document's translation layer (one step 'verbatim undo'
takes back), and prints it, or writes it as JSON or a CSV to quote from. Translations corrected by
hand are never replaced silently: ``--keep-corrections`` keeps them, ``--replace`` replaces them.
``--no-store`` only prints, leaving the study as it was.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from desktop_app.cli.registry import EXIT_FAILED, EXIT_OK, Subparsers, add_command, emit_json, fail
from desktop_app.cli.study_access import add_study_argument, open_study
from desktop_app.core.timecode import format_hms
from desktop_app.services.transcription import translation_service
from desktop_app.services.transcription.translation_layer import CorrectedTranslationsError, Overwrite
from desktop_app.services.transcription.translation_service import TranslatedTurn
from desktop_app.storage.project_store import ProjectStore


def register(sub: Subparsers) -> None:
    p = add_command(sub, "translate", cmd_translate, help="English beside each turn of a document in another language")
    add_study_argument(p)
    p.add_argument("document", type=int, help="document id (see 'verbatim info')")
    p.add_argument("--model", default=translation_service.DEFAULT_MODEL, help="a multilingual model (default: base)")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    p.add_argument("-o", "--output", type=Path, help="write a CSV (time, speaker, original, English)")
    p.add_argument("--json", action="store_true")
    again = p.add_mutually_exclusive_group()
    again.add_argument(
        "--keep-corrections", action="store_true", help="translating again: keep the turns whose English you corrected"
    )
    again.add_argument(
        "--replace",
        action="store_true",
        help="translating again: replace corrected English too ('verbatim undo' brings it back)",
    )
    again.add_argument("--no-store", action="store_true", help="print the English only; the study is not changed")


def cmd_translate(args: argparse.Namespace) -> int:
    if args.output is not None and args.output.suffix.lower() != ".csv":
        return fail(f"{args.output}: the translation is written as .csv")
    mode = (
        Overwrite.REPLACE if args.replace else Overwrite.KEEP_CORRECTED if args.keep_corrections else Overwrite.REFUSE
    )
    with open_study(args, readonly=args.no_store) as store:
        try:
            turns = _translate(store, args, mode)
        except CorrectedTranslationsError as exc:
            print(
                f"{exc.message}. Run again with --keep-corrections (keep them, translate the other turns) "
                "or --replace (replace them too; 'verbatim undo' brings them back)",
                file=sys.stderr,
            )
            return EXIT_FAILED
    print(file=sys.stderr)
    if args.json:
        emit_json({"document": args.document, "model": args.model, "turns": [t.to_json() for t in turns]})
    elif args.output is not None:
        _write_csv(args.output, turns)
        print(f"Wrote {len(turns)} turns with their English to {args.output}")
    else:
        for turn in turns:
            speaker = f"{turn.speaker}: " if turn.speaker else ""
            print(f"[{format_hms(turn.start)}] {speaker}{turn.original}\n{'':>11}English: {turn.english}")
    if not args.no_store and not args.json:
        print(f"Kept the English of {len(turns)} turns in the study ('verbatim undo' takes it back)")
    return EXIT_OK


def _translate(store: ProjectStore, args: argparse.Namespace, mode: Overwrite) -> list[TranslatedTurn]:
    if args.no_store:
        return translation_service.translate_document(
            store, args.document, args.model, device=args.device, progress=_progress
        )
    return translation_service.translate_and_store(
        store, args.document, args.model, mode=mode, device=args.device, progress=_progress
    )


def _progress(done: int, total: int) -> None:
    print(f"\r  translated {done} of {total} turns", end="", file=sys.stderr, flush=True)


def _write_csv(path: Path, turns: list[TranslatedTurn]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # the BOM lets Excel read the accents
        writer = csv.writer(handle)
        writer.writerow(["start", "end", "speaker", "original", "english"])
        for t in turns:
            writer.writerow([format_hms(t.start), format_hms(t.end), t.speaker or "", t.original, t.english])
