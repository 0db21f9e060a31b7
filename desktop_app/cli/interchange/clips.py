"""``verbatim clips``: the audio of a code's extracts, one clip each, optionally pseudonymised and bleeped."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app.cli.registry import EXIT_OK, EXIT_USAGE, Subparsers, add_command, fail
from desktop_app.cli.study_access import add_study_argument, open_study
from desktop_app.services.coding import coding_service
from desktop_app.services.exports import audio_clip_service


def register(sub: Subparsers) -> None:
    p = add_command(sub, "clips", cmd_clips, help="export the audio of a code's extracts, one clip per extract")
    add_study_argument(p)
    p.add_argument("--code", required=True, help="the code whose extracts to export")
    p.add_argument("--no-subcodes", action="store_true", help="only codings of the code itself (as for extracts)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="DIR", help="folder for the clips")
    p.add_argument("--pseudonymised", action="store_true", help="name clips by quote label or pseudonymised title")
    p.add_argument(
        "--bleep", action="store_true", help="cover spoken names and places with a tone (implies --pseudonymised)"
    )
    p.add_argument("--padding", type=float, default=0.0, help="seconds kept before and after each extract")
    p.add_argument("--format", choices=audio_clip_service.CLIP_FORMATS, default="wav")


def cmd_clips(args: argparse.Namespace) -> int:
    if args.padding < 0:
        return fail("--padding cannot be negative")
    options = audio_clip_service.ClipOptions(
        padding=args.padding,
        pseudonymised=args.pseudonymised,
        bleep=args.bleep,
        include_subcodes=not args.no_subcodes,
        fmt=args.format,
    )
    with open_study(args, readonly=True) as store:
        code = coding_service.find_code(store, args.code)
        result = audio_clip_service.export_clips(store, code.id, args.output, options)
    if not (result.written or result.skipped or result.failed):
        print(
            f"No extracts are coded with {code.name!r}"
            + (" (its sub-codes left out: drop --no-subcodes)" if args.no_subcodes else "")
        )
        return EXIT_OK
    for note in result.skipped:
        print(f"Skipped {note}")
    for problem in result.failed:
        print(f"verbatim: error: {problem}", file=sys.stderr)
    bleeps = f", {result.bleeps} spoken name{'s' if result.bleeps != 1 else ''} bleeped" if args.bleep else ""
    print(
        f"Wrote {len(result.written)} clip{'s' if len(result.written) != 1 else ''} "
        f"({result.audio_seconds:.1f} s of audio{bleeps}) to {args.output} in {result.wall_seconds:.1f} s"
    )
    return EXIT_USAGE if result.failed else EXIT_OK
