"""``verbatim search``: full-text search over every transcript in a study and its English, matches in [brackets].

A match in a turn's stored translation is marked "(English)"; a turn matching in both layers counts twice."""

from __future__ import annotations

import argparse

from desktop_app.cli.registry import EXIT_OK, Subparsers, add_command, emit_json
from desktop_app.cli.study_access import add_study_argument, open_study
from desktop_app.core.timecode import format_hms
from desktop_app.services.transcript import search_service


def register(sub: Subparsers) -> None:
    p = add_command(sub, "search", cmd_search, help='full-text search: words, "phrases", prefix*, OR, NOT')
    add_study_argument(p)
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=search_service.DEFAULT_LIMIT)
    p.add_argument("--json", action="store_true")


def cmd_search(args: argparse.Namespace) -> int:
    with open_study(args, readonly=True) as store:
        results = search_service.search(store, args.query, limit=args.limit)
    if args.json:
        emit_json({"query": results.query, "total": results.total, "hits": [h.to_json() for h in results.hits]})
        return EXIT_OK
    for hit in results.hits:
        speaker = f"{hit.speaker}: " if hit.speaker else ""
        english = " (English)" if hit.layer == search_service.TRANSLATION_LAYER else ""
        print(f"{hit.document_title} [{format_hms(hit.start)}]{english} {speaker}{_bracket(hit)}")
    shown = len(results.hits)
    more = f" (showing {shown})" if shown < results.total else ""
    print(f"{results.total} matching turn{'s' if results.total != 1 else ''}{more}")
    return EXIT_OK


def _bracket(hit: search_service.SearchHit) -> str:
    """The context with matches in [brackets]."""
    text = hit.context
    for start, end in reversed(hit.context_matches):
        text = f"{text[:start]}[{text[start:end]}]{text[end:]}"
    return text
