"""``verbatim copy STUDY --for-coder NAME``: a working copy of the study for a second coder.

``--documents 1-5`` keeps only those document ids, ``--no-audio`` leaves the recordings out (their
fingerprints stay, so ``verbatim merge`` still matches the documents), ``--blind`` leaves every coding
out so the second coder codes without seeing the first's.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command, fail
from desktop_app.cli.study_access import add_study_argument, open_study
from desktop_app.services.interchange import working_copy_service
from desktop_app.services.interchange.working_copy_service import CopyOptions


def register(sub: Subparsers) -> None:
    p = add_command(sub, "copy", cmd_copy, help="make a working copy of the study for a second coder")
    add_study_argument(p)
    p.add_argument("--for-coder", required=True, metavar="NAME", help="who will code the copy")
    p.add_argument("--documents", metavar="IDS", help="document ids to keep, e.g. 1-5,8 (default: all)")
    p.add_argument("--no-audio", action="store_true", help="leave the recordings out")
    p.add_argument("--blind", action="store_true", help="leave every coding out (blind coding)")
    p.add_argument("-o", "--output", type=Path, help="the copy's file (default: 'STUDY (NAME).verbatim')")


def cmd_copy(args: argparse.Namespace) -> int:
    try:
        documents = working_copy_service.parse_ids(args.documents) if args.documents else None
    except ValueError as exc:
        return fail(f"--documents: {exc}")
    options = CopyOptions(args.for_coder, documents, audio=not args.no_audio, blind=args.blind)
    with open_study(args, readonly=True) as store:
        copy = working_copy_service.make_working_copy(store, options, args.output)
    print(f"Wrote {copy.path} for {args.for_coder}: {copy.documents} document(s)")
    if copy.documents_left_out:
        print(f"  left out {copy.documents_left_out} document(s)")
    if copy.codings_left_out:
        print(f"  left out {copy.codings_left_out} coding(s) (blind)")
    if copy.recordings_left_out:
        print(f"  left out {copy.recordings_left_out} recording(s); their fingerprints stay for merging")
    return EXIT_OK
