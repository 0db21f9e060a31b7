"""``verbatim speakers``: who spoke how much, and rename / merge / link speakers."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli import EXIT_OK, PARSER_EXTENSIONS, command, emit_json, fail
from desktop_app.cli_security import open_study
from desktop_app.core.timecode import format_hms
from desktop_app.services import speaker_service


def _add_parser(sub: Any) -> None:
    p = sub.add_parser("speakers", help="list speakers with speaking time; rename, merge or link them")
    p.add_argument("study")
    p.add_argument("document", type=int, metavar="DOC_ID")
    p.add_argument("action", nargs="?", choices=["list", "rename", "merge", "link"], default="list")
    p.add_argument("args", nargs="*", help="rename S2 NAME | merge S3 S1 | link S2 (with --participant)")
    p.add_argument("--participant", help="participant label to link the speaker to (e.g. P05)")
    p.add_argument("--json", action="store_true")


PARSER_EXTENSIONS.append(_add_parser)


@command("speakers")
def cmd_speakers(args: argparse.Namespace) -> int:
    readonly = args.action == "list"
    with open_study(args, readonly=readonly) as store:
        if args.action == "rename":
            if len(args.args) != 2:
                return fail("usage: speakers STUDY DOC rename SPEAKER NEW_NAME")
            speaker_service.rename_speaker(store, args.document, args.args[0], args.args[1])
        elif args.action == "merge":
            if len(args.args) != 2:
                return fail("usage: speakers STUDY DOC merge SOURCE TARGET")
            speaker_service.merge_speakers(store, args.document, args.args[0], args.args[1])
        elif args.action == "link":
            if len(args.args) != 1:
                return fail("usage: speakers STUDY DOC link SPEAKER --participant P05")
            speaker_service.link_participant(store, args.document, args.args[0], args.participant)
        stats = speaker_service.speaker_stats(store, args.document)
    if args.json:
        emit_json({"document": args.document, "speakers": [s.to_json() for s in stats]})
        return EXIT_OK
    for s in stats:
        linked = f" → {s.participant}" if s.participant else ""
        print(
            f"{s.label:<4} {s.name:<24} {format_hms(s.speaking_seconds)}  {s.turns:>4} turns  "
            f"{s.word_share:6.1%} of words{linked}"
        )
    return EXIT_OK
