"""``verbatim codes | code | extracts``: the codebook, coding a stretch of a transcript, and the extract table."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command, add_text_layer_argument, emit_json
from desktop_app.cli.study_access import add_study_argument, open_study
from desktop_app.core.coding import TextPosition
from desktop_app.core.errors import VerbatimError
from desktop_app.core.text.text_anchoring import word_char_spans
from desktop_app.core.text.text_layer import TextLayer
from desktop_app.core.timecode import format_hms
from desktop_app.services.analysis import attribute_filter
from desktop_app.services.analysis import extract_table_service as tables
from desktop_app.services.coding import codebook_import, codebook_service, coding_service
from desktop_app.services.study.project_service import ProjectStore
from desktop_app.services.transcript import edit_service


def register(sub: Subparsers) -> None:
    p = add_command(sub, "codes", cmd_codes, help="list, add, export or import the codebook")
    add_study_argument(p)
    p.add_argument("action", choices=["list", "add", "export", "import"])
    p.add_argument("name", nargs="?", help="add: the new code's name; import: a codebook file (.csv, .xlsx, .docx)")
    p.add_argument("--parent", help="name of the parent code (theme or sub-theme)")
    p.add_argument("--color", help="colour as #rrggbb")
    p.add_argument("--description", default="")
    p.add_argument("--grouping", action="store_true", help="a theme that groups codes and is not applied itself")
    p.add_argument("-o", "--output", type=Path, help="export: a .csv or .docx file")
    p.add_argument("--json", action="store_true")
    p = add_command(sub, "code", cmd_code, help="apply a code to a stretch of a document")
    add_study_argument(p)
    p.add_argument("document", type=int, metavar="DOC_ID")
    p.add_argument("--code", required=True, help="code name")
    p.add_argument("--start-word", type=int, help="first word (0-based index over the document's words)")
    p.add_argument("--end-word", type=int, help="last word, included")
    p.add_argument("--match", help="code the first occurrence of this text (case-insensitive)")
    p.add_argument("--coder", default="")
    p.add_argument("--memo", default="")
    p = add_command(sub, "extracts", cmd_extracts, help="write the extract table (Table 1) of a code")
    add_study_argument(p)
    p.add_argument("--code", required=True, action="append", help="code name (repeat for several)")
    p.add_argument("--no-subcodes", action="store_true", help="only codings of the code itself")
    p.add_argument(
        "--attr",
        action="append",
        default=[],
        metavar="ATTRIBUTE=VALUE",
        help="only extracts spoken by participants with this value (repeat: all must hold; the same attribute "
        "twice: either value)",
    )
    p.add_argument("--format", "-f", choices=tables.FORMATS, help="default: from the output's extension")
    p.add_argument("-o", "--output", type=Path, required=True)
    add_text_layer_argument(p)


def cmd_codes(args: argparse.Namespace) -> int:
    readonly = args.action not in ("add", "import")
    with open_study(args, readonly=readonly) as store:
        if args.action == "add":
            return _add_code(store, args)
        if args.action == "import":
            return _import_codebook(store, args)
        if args.action == "export":
            if args.output is None:
                raise VerbatimError(store.path, "codes export needs -o FILE.csv (or FILE.docx)")
            count = codebook_service.export_codebook(store, args.output)
            print(f"Wrote {count} codes to {args.output}")
            return EXIT_OK
        rows = codebook_service.codebook_rows(store)
        tree = codebook_service.ordered_tree(coding_service.codes(store))
    if args.json:
        emit_json({"codes": rows})
        return EXIT_OK
    if not rows:
        print("No codes yet: verbatim codes STUDY add NAME")
    for (depth, code), row in zip(tree, rows, strict=True):
        usage = f"{row['Codings']:>5} codings {row['Documents']:>4} docs"
        print(f"{usage}  {'  ' * depth}{code.name}{'' if code.codable else ' (grouping)'}")
    return EXIT_OK


def _add_code(store: ProjectStore, args: argparse.Namespace) -> int:
    if not args.name:
        raise VerbatimError(store.path, "codes add needs a NAME")
    parent = coding_service.find_code(store, args.parent).id if args.parent else None
    code_id = coding_service.add_code(store, args.name, parent, args.color, args.description)
    if args.grouping:
        coding_service.update_code(store, code_id, codable=False)
    print(f"Added code {args.name!r} (id {code_id})")
    return EXIT_OK


def _import_codebook(store: ProjectStore, args: argparse.Namespace) -> int:
    if not args.name:
        raise VerbatimError(store.path, "codes import needs a FILE (.csv, .xlsx or .docx)")
    source = Path(args.name)
    summary = codebook_import.import_codebook(store, source)
    print(summary.describe(source.name) + " (verbatim undo takes it back)")
    return EXIT_OK


def cmd_code(args: argparse.Namespace) -> int:
    with open_study(args) as store:
        code = coding_service.find_code(store, args.code)
        segments = edit_service.load_transcript(store, args.document).segments
        if not segments:
            raise VerbatimError(store.path, f"document {args.document} has no transcript")
        if args.match:
            start, end = _match_span(store, segments, args.match)
        elif args.start_word is not None and args.end_word is not None:
            start, end = _word_span(store, segments, args.start_word, args.end_word)
        else:
            raise VerbatimError(store.path, "code needs --start-word and --end-word, or --match TEXT")
        coding_id = coding_service.apply_code(
            store, args.document, code.id, start, end, coder=args.coder, memo=args.memo
        )
        coding = next(c for c in coding_service.codings(store, args.document) if c.id == coding_id)
        text = coding_service.span_text(segments, start, end)
    when = f" at {format_hms(coding.start_time)}" if coding.start_time is not None else ""
    print(f"Coded {text!r} with {code.name!r}{when} (coding {coding_id})")
    return EXIT_OK


def _word_span(store: ProjectStore, segments: list[Any], first: int, last: int) -> tuple[TextPosition, TextPosition]:
    places = [
        (segment.id, span)
        for segment in segments
        for span in word_char_spans(segment.text, segment.words)
        if span is not None
    ]
    if not 0 <= first <= last < len(places):
        raise VerbatimError(store.path, f"word indices must satisfy 0 <= start <= end < {len(places)}")
    (start_segment, start_span), (end_segment, end_span) = places[first], places[last]
    return TextPosition(start_segment, start_span[0]), TextPosition(end_segment, end_span[1])


def _match_span(store: ProjectStore, segments: list[Any], text: str) -> tuple[TextPosition, TextPosition]:
    words = text.split()
    if not words:
        raise VerbatimError(store.path, "--match needs some text")
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
    for segment in segments:
        found = pattern.search(segment.text)
        if found:
            return TextPosition(segment.id, found.start()), TextPosition(segment.id, found.end())
    raise VerbatimError(store.path, f"the text {text!r} is not in this document (searched within each turn)")


def cmd_extracts(args: argparse.Namespace) -> int:
    fmt = args.format or args.output.suffix.lstrip(".").lower()
    with open_study(args, readonly=True) as store:
        code_ids = [coding_service.find_code(store, name).id for name in args.code]
        pairs = attribute_filter.parse(store, args.attr)
        count = tables.export_extracts(
            store,
            code_ids,
            args.output,
            fmt,
            include_subcodes=not args.no_subcodes,
            attributes=pairs,
            layer=TextLayer(args.text),
        )
    where = f" spoken by participants with {attribute_filter.describe(pairs)}" if pairs else ""
    print(f"Wrote {count} extracts{where} to {args.output}")
    return EXIT_OK
