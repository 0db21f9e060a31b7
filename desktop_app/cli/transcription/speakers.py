"""``verbatim speakers | diarize``: who spoke how much; rename, merge or link speakers; redo speaker turns."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command, emit_json, fail
from desktop_app.cli.study_access import add_study_argument, open_study
from desktop_app.core.timecode import format_hms
from desktop_app.services.speakers import speaker_service
from desktop_app.services.study.project_service import ProjectStore

if TYPE_CHECKING:
    from desktop_app.pipeline.speakers.heard_speech import HeardSpeech


def register(sub: Subparsers) -> None:
    p = add_command(sub, "speakers", cmd_speakers, help="list speakers with speaking time; rename, merge or link them")
    add_study_argument(p)
    p.add_argument("document", type=int, metavar="DOC_ID")
    p.add_argument("action", nargs="?", choices=["list", "rename", "merge", "link", "identify"], default="list")
    p.add_argument(
        "args", nargs="*", help="rename S2 NAME | merge S3 S1 | link S2 (with --participant) | identify (no arguments)"
    )
    p.add_argument("--participant", help="participant label to link the speaker to (e.g. P05)")
    p.add_argument(
        "--apply-above",
        type=float,
        metavar="CONFIDENCE",
        help="identify: name the speakers whose voice matches a known person at least this well (0-1)",
    )
    p.add_argument("--json", action="store_true")
    p = add_command(
        sub, "diarize", cmd_diarize, help="find speakers again on transcripts (turns rebuilt, text corrections kept)"
    )
    add_study_argument(p)
    p.add_argument("documents", nargs="*", type=int, metavar="DOC_ID")
    p.add_argument(
        "--all", action="store_true", help="every transcribed document not marked as checked (one undo step each)"
    )
    p.add_argument("--speakers", default="auto", help="auto, a count (3) or a range (2-5)")
    p.add_argument(
        "--meeting",
        action="store_true",
        help="meeting engine (speaker segmentation + CAM++ voices): more voices told apart in meetings and focus"
        " groups of 3+, less reliable on two-person interviews",
    )


def cmd_speakers(args: argparse.Namespace) -> int:
    if args.action == "identify":
        return _identify(args)
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
        words = "heard only without words" if s.heard_without_words else f"{s.word_share:6.1%} of words"
        print(f"{s.label:<4} {s.name:<24} {format_hms(s.speaking_seconds)}  {s.turns:>4} turns  {words}{linked}")
    return EXIT_OK


def _identify(args: argparse.Namespace) -> int:
    """Propose names for the unnamed speakers from the voices named in the study's other recordings."""
    from desktop_app.services.speakers import voice_identification

    if args.apply_above is not None and not 0.0 <= args.apply_above <= 1.0:
        return fail("--apply-above must be between 0 and 1")
    with open_study(args) as store:
        matches = voice_identification.identify(store, args.document, args.apply_above)
    if args.json:
        emit_json({"document": args.document, "matches": [m.__dict__ for m in matches]})
        return EXIT_OK
    if not matches:
        print("No proposals: no unnamed speaker here, or no named voice in the study's other recordings")
    for m in matches:
        who = f"{m.name} ({m.participant})" if m.participant and m.participant != m.name else m.name
        done = "named" if m.applied else "proposed"
        print(f"{m.label:<4} {who:<28} confidence {m.confidence:.2f}  from document {m.document_id}  {done}")
    return EXIT_OK


def engine_note(speakers: str, meeting: bool) -> None:
    """Say once, before the work, that four people or more are told apart better with ``--meeting``."""
    from desktop_app.services.speakers import diarization_service

    if not meeting and diarization_service.suits_meeting_engine(speakers):
        print(
            f"verbatim: note: --speakers {speakers} is four people or more: --meeting tells them apart better"
            " (the interview engine is for two or three people talking in turn)",
            file=sys.stderr,
        )


def cmd_diarize(args: argparse.Namespace) -> int:
    from desktop_app.services.speakers import diarization_service
    from desktop_app.services.study import document_service

    if not args.documents and not args.all:
        return fail("diarize: name the documents (DOC_ID ...) or give --all for every transcribed one not checked")
    engine_note(args.speakers, args.meeting)
    with open_study(args) as store:
        targets = diarization_service.unchecked_transcripts(store) if args.all else args.documents
        if not targets:
            print("Nothing to do: no transcribed document is left unchecked.")
        for document_id in targets:
            if len(targets) > 1:
                print(f"{document_service.get_document(store, document_id).title}: ", end="")
            diarize(store, document_id, args.speakers, meeting=args.meeting)
    return EXIT_OK


def diarize(
    store: ProjectStore, document_id: int, speakers: str, heard: HeardSpeech | None = None, meeting: bool = False
) -> None:
    """Split a transcript into speaker turns and say what was found (also ``transcribe --speakers``)."""
    from desktop_app.services.speakers import diarization_service

    options = diarization_service.DiarizationOptions.from_speakers(speakers, meeting=meeting)
    outcome = diarization_service.diarize_document(store, document_id, options, heard=heard)
    print(f"Speakers: {outcome.speakers} found, {outcome.turns} turns ({outcome.uncertain_words} words uncertain)")
    if outcome.hint:
        print(f"verbatim: note: {outcome.hint} (--meeting, or --speakers N)", file=sys.stderr)
