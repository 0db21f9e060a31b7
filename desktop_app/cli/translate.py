"""``verbatim translate STUDY DOC``: English beside each turn of a document in another language.

Prints each turn with its English translation (Whisper's translate task, a multilingual model;
``base`` unless ``--model``), or writes them as JSON or a CSV to quote from. The study is not
changed.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command, emit_json, fail
from desktop_app.cli.study_access import add_study_argument, open_study
from desktop_app.core.timecode import format_hms
from desktop_app.services import translation_service
from desktop_app.services.translation_service import TranslatedTurn


def register(sub: Subparsers) -> None:
    p = add_command(sub, "translate", cmd_translate, help="English beside each turn of a document in another language")
    add_study_argument(p)
    p.add_argument("document", type=int, help="document id (see 'verbatim info')")
    p.add_argument("--model", default=translation_service.DEFAULT_MODEL, help="a multilingual model (default: base)")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    p.add_argument("-o", "--output", type=Path, help="write a CSV (time, speaker, original, English)")
    p.add_argument("--json", action="store_true")


def cmd_translate(args: argparse.Namespace) -> int:
    if args.output is not None and args.output.suffix.lower() != ".csv":
        return fail(f"{args.output}: the translation is written as .csv")
    with open_study(args, readonly=True) as store:
        turns = translation_service.translate_document(
            store, args.document, args.model, device=args.device, progress=_progress
        )
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
    return EXIT_OK


def _progress(done: int, total: int) -> None:
    print(f"\r  translated {done} of {total} turns", end="", file=sys.stderr, flush=True)


def _write_csv(path: Path, turns: list[TranslatedTurn]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # the BOM lets Excel read the accents
        writer = csv.writer(handle)
        writer.writerow(["start", "end", "speaker", "original", "english"])
        for t in turns:
            writer.writerow([format_hms(t.start), format_hms(t.end), t.speaker or "", t.original, t.english])
