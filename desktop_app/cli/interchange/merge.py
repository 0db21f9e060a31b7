"""``verbatim merge STUDY OTHER.verbatim``: bring a second coder's copy into the study.

Documents are matched by recording, codes by path; their codings and memos are added under their
coder's name; a transcript that differs is kept as ``--transcripts`` says (ours, theirs, or both as
versions). A backup is taken first, and the merge is one step of the study's undo history (``verbatim undo STUDY``,
or Edit › Undo in the app, takes it back). ``--preview`` only says what would happen.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command
from desktop_app.cli.study_access import add_study_argument, open_study, read_passphrase_file
from desktop_app.services.interchange import merge_service
from desktop_app.services.interchange.merge_service import MergeOptions, TranscriptChoice


def register(sub: Subparsers) -> None:
    p = add_command(sub, "merge", cmd_merge, help="merge another coder's copy of the study into it")
    add_study_argument(p)
    p.add_argument("other", type=Path, metavar="OTHER.verbatim", help="the other coder's copy")
    p.add_argument(
        "--transcripts",
        choices=[c.value for c in TranscriptChoice],
        default=TranscriptChoice.OURS.value,
        help="where the copies' transcripts differ: keep ours, take theirs, or keep both as versions",
    )
    p.add_argument("--their-coder", default="", metavar="NAME", help="name for their codings made without one")
    p.add_argument("--other-passphrase-file", type=Path, metavar="FILE", help="the other copy's passphrase")
    p.add_argument("--preview", action="store_true", help="say what would be merged, change nothing")


def cmd_merge(args: argparse.Namespace) -> int:
    passphrase = read_passphrase_file(args.other_passphrase_file) if args.other_passphrase_file else None
    if args.preview:
        with open_study(args, readonly=True) as store:
            _print_preview(merge_service.preview_merge(store, args.other, passphrase))
        return EXIT_OK
    options = MergeOptions(TranscriptChoice(args.transcripts), their_coder=args.their_coder, passphrase=passphrase)
    with open_study(args) as store:
        result = merge_service.merge_study(store, args.other, options)
    print(f"Merged {args.other} into {args.study}")
    for line in result.lines():
        print(f"  {line}")
    return EXIT_OK


def _print_preview(preview: merge_service.MergePreview) -> None:
    matched = [m for m in preview.documents if m.ours is not None]
    print(f"{len(matched)} document(s) with the same recording, {len(preview.documents) - len(matched)} new")
    for match in preview.differing:
        print(f"  transcripts differ: {match.theirs.title}")
    print(
        f"{preview.their_codings} coding(s) by {', '.join(c or '(no name)' for c in preview.their_coders) or 'nobody'}"
    )
    print(f"{len(preview.codebook.added)} code(s) to add")
    for conflict in preview.codebook.conflicts:
        print(f"  conflict: {conflict}")
