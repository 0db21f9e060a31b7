"""``verbatim details``: an interview's details (interviewer, date, setting, format), shown or set.

These are what a COREQ-style methods section reports per interview; the DOCX export prints them in
its header. Only the options given change; an empty value (``--setting ""``) clears one.
"""

from __future__ import annotations

import argparse

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command, emit_json
from desktop_app.cli.study_access import add_study_argument, open_study
from desktop_app.core.document import DocumentInfo
from desktop_app.services.study import document_service

# option -> (DocumentInfo field, label)
FIELDS = {
    "interviewer": ("interviewer", "Interviewer"),
    "date": ("recorded_date", "Date"),
    "setting": ("setting", "Setting"),
    "format": ("interview_format", "Format"),
}


def register(sub: Subparsers) -> None:
    p = add_command(
        sub, "details", cmd_details, help="show or set an interview's interviewer, date, setting and format"
    )
    add_study_argument(p)
    p.add_argument("document", type=int, metavar="DOC_ID")
    p.add_argument("--interviewer", help="who conducted the interview")
    p.add_argument("--date", help="when it was recorded, YYYY-MM-DD")
    p.add_argument("--setting", help='where it took place, e.g. "participant\'s home"')
    p.add_argument("--format", help='how, e.g. "in person", "telephone", "video call"')
    p.add_argument("--json", action="store_true")


def cmd_details(args: argparse.Namespace) -> int:
    given = {FIELDS[option][0]: getattr(args, option) for option in FIELDS if getattr(args, option) is not None}
    with open_study(args, readonly=not given) as store:
        if given:
            document = document_service.set_details(store, args.document, **given)
        else:
            document = document_service.get_document(store, args.document)
    if args.json:
        emit_json({"document": document.id, "title": document.title, **_values(document)})
        return EXIT_OK
    print(document.title)
    for field, label in FIELDS.values():
        print(f"  {label + ':':<13} {getattr(document, field) or '-'}")
    return EXIT_OK


def _values(document: DocumentInfo) -> dict[str, str | None]:
    return {option: getattr(document, field) for option, (field, _label) in FIELDS.items()}
