"""Full-text search across a study: words, "exact phrases", prefixes (``support*``), OR, NOT.

Searches the original turns and their English translation; each hit says which layer matched.

Results come in document and turn order, each with the whole turn, the matched spans (code points,
end exclusive) and a short context around the first match for a results list.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from desktop_app.core.errors import VerbatimError
from desktop_app.storage.connection import guarded
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import search_repository
from desktop_app.storage.transcripts.search_repository import MATCH_CLOSE, MATCH_OPEN

DEFAULT_LIMIT = 500
TRANSLATION_LAYER = search_repository.TRANSLATION  # a hit's layer when its English matched
CONTEXT_CHARS = 60
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_TOKEN = re.compile(r'"[^"]*"\*?|[()]|[^\s()"]+|"')
_PLAIN_TERM = re.compile(r"^\w+\*?$")


@dataclass(frozen=True)
class SearchHit:
    """One turn that matches: where it is, its text, and what matched."""

    document_id: int
    document_title: str
    segment_id: int
    speaker: str | None
    start: float
    end: float
    text: str
    matches: list[tuple[int, int]] = field(default_factory=list)
    context: str = ""
    context_matches: list[tuple[int, int]] = field(default_factory=list)
    layer: str = search_repository.ORIGINAL  # "english" when the match is in the turn's translation

    def to_json(self) -> dict[str, object]:
        return {
            "document_id": self.document_id,
            "document": self.document_title,
            "segment_id": self.segment_id,
            "speaker": self.speaker,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "matches": [list(m) for m in self.matches],
            "context": self.context,
            "layer": self.layer,
        }


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int  # matches (a turn's original and its English apart), including those past the limit


def to_fts_query(store: ProjectStore, query: str) -> str:
    """Our query language to FTS5's: terms with punctuation (``don't``, ``night-shift``) become phrases."""
    tokens = _TOKEN.findall(query)
    if not tokens:
        raise VerbatimError(store.path, "a search needs at least one word")
    if '"' in tokens:
        raise VerbatimError(store.path, f"cannot search for {query!r}: a quotation mark is not closed")
    return " ".join(_fts_token(token) for token in tokens)


def _fts_token(token: str) -> str:
    if token.startswith('"') or token in "()" or token in _OPERATORS or _PLAIN_TERM.match(token):
        return token
    star = "*" if token.endswith("*") else ""
    return f'"{token.rstrip("*")}"{star}'


def search(store: ProjectStore, query: str, *, limit: int = DEFAULT_LIMIT) -> SearchResults:
    """Turns matching ``query``; bad syntax raises a VerbatimError that says what is wrong."""
    fts_query = to_fts_query(store, query)
    with guarded(store.path):
        try:
            found = search_repository.search_segments(store, fts_query, limit)
            total = len(found) if len(found) < limit else search_repository.count_matches(store, fts_query)
        except sqlite3.OperationalError as exc:
            if "fts5" not in str(exc) and "no such column" not in str(exc):
                raise
            raise VerbatimError(store.path, f"cannot search for {query!r}: {_explain(exc)}") from exc
    return SearchResults(query, [_hit(m) for m in found], total)


def _explain(exc: sqlite3.OperationalError) -> str:
    text = str(exc)
    if "syntax error" in text:
        return "the query is not well formed (check quotes, brackets and AND/OR/NOT)"
    if "no such column" in text:
        return "a word followed by ':' is not allowed (put it in quotes)"
    return text


def unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Plain text and matched spans from text with ``MATCH_OPEN``/``MATCH_CLOSE`` marks."""
    first, *marked_pieces = marked.split(MATCH_OPEN)
    plain, spans, length = [first], [], len(first)
    for piece in marked_pieces:  # "matched text" MATCH_CLOSE "text up to the next match"
        inside, _, rest = piece.partition(MATCH_CLOSE)
        spans.append((length, length + len(inside)))
        plain += (inside, rest)
        length += len(inside) + len(rest)
    return "".join(plain), spans


def context_window(text: str, spans: list[tuple[int, int]], width: int = CONTEXT_CHARS) -> tuple[str, int, int]:
    """A stretch of ``text`` around the first span, cut at spaces: the context and the text range it shows."""
    if not spans or len(text) <= 2 * width + 20:
        return text, 0, len(text)
    low = max(0, spans[0][0] - width)
    high = min(len(text), spans[0][1] + width)
    if low > 0:
        space = text.find(" ", low, spans[0][0])
        low = space + 1 if space >= 0 else low
    if high < len(text):
        space = text.rfind(" ", spans[0][1], high)
        high = space if space >= 0 else high
    prefix, suffix = ("…" if low > 0 else ""), ("…" if high < len(text) else "")
    return f"{prefix}{text[low:high]}{suffix}", low, high


def _hit(match: search_repository.SegmentMatch) -> SearchHit:
    text, spans = unmark(match.marked_text)
    context, low, high = context_window(text, spans)
    shift = low - (1 if low > 0 else 0)  # the leading ellipsis
    inside = [(a - shift, b - shift) for a, b in spans if a >= low and b <= high]
    return SearchHit(
        match.document_id,
        match.document_title,
        match.segment_id,
        match.speaker,
        match.start,
        match.end,
        text,
        spans,
        context,
        inside,
        match.layer,
    )
