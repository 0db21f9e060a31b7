"""Find and replace in a document or the whole study: plain text, whole words or regular expressions.

Positions are code points in a turn's text, end exclusive. A replacement goes through the same steps
as a typed correction (``edit_service``): words re-anchored so unchanged words keep their times, codings
moved with the text, whitespace collapsed. Replace all is one undoable journal entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from desktop_app.core.errors import VerbatimError
from desktop_app.core.transcript import Segment
from desktop_app.services.study.project_service import require_writable
from desktop_app.services.transcript import edit_service
from desktop_app.storage.connection import guarded
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import document_repository, transcript_repository


@dataclass(frozen=True)
class FindOptions:
    """What to look for; ``whole_words`` and ``case_sensitive`` apply to regular expressions too."""

    text: str
    case_sensitive: bool = False
    whole_words: bool = False
    regex: bool = False


@dataclass(frozen=True)
class FindHit:
    """One occurrence: the turn (``row`` is its place in the document) and the matched span."""

    document_id: int
    segment_id: int
    row: int
    start: int
    end: int
    matched: str


@dataclass(frozen=True)
class ReplaceResult:
    """How many occurrences were replaced, in how many turns and documents.

    ``resume_offset`` (replace one only) is where the replacement ends in the saved turn text, so a
    search for the next occurrence can continue from there.
    """

    count: int
    turns: int
    documents: int
    resume_offset: int | None = None


def compile_pattern(options: FindOptions) -> re.Pattern[str]:
    """The search as a compiled expression; an empty search or a bad expression raises a clear error."""
    if not options.text:
        raise VerbatimError(None, "type something to find")
    body = options.text if options.regex else re.escape(options.text)
    flags = 0 if options.case_sensitive else re.IGNORECASE
    try:
        pattern = re.compile(body, flags)  # checked as typed, so error positions point into the user's text
    except re.error as exc:
        raise VerbatimError(None, f"{options.text!r} is not a valid regular expression: {_explain(exc)}") from None
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", flags) if options.whole_words else pattern


def _explain(exc: re.error) -> str:
    where = f" (at character {exc.pos + 1})" if exc.pos is not None else ""
    return f"{exc.msg}{where}"


def find_in_turns(document_id: int, segments: Sequence[Segment], pattern: re.Pattern[str]) -> list[FindHit]:
    """Non-empty matches of ``pattern`` in the given turns, in order."""
    hits: list[FindHit] = []
    for row, segment in enumerate(segments):
        for match in pattern.finditer(segment.text):
            if match.end() > match.start():
                hits.append(FindHit(document_id, segment.id or 0, row, match.start(), match.end(), match.group()))
    return hits


def find_in_document(store: ProjectStore, document_id: int, options: FindOptions) -> list[FindHit]:
    pattern = compile_pattern(options)
    return find_in_turns(document_id, edit_service.load_transcript(store, document_id).segments, pattern)


def find_in_study(store: ProjectStore, options: FindOptions) -> list[FindHit]:
    """Occurrences in every document of the study (removed documents excluded), in document order."""
    pattern = compile_pattern(options)
    hits: list[FindHit] = []
    for document in document_repository.list_documents(store):
        hits.extend(find_in_turns(document.id, edit_service.load_transcript(store, document.id).segments, pattern))
    return hits


def _expand(match: re.Match[str], replacement: str, options: FindOptions) -> str:
    if not options.regex:
        return replacement
    try:
        return match.expand(replacement)
    except (re.error, IndexError) as exc:
        raise VerbatimError(None, f"the replacement {replacement!r} is not valid: {exc}") from None


def _substitute(segment: Segment, pattern: re.Pattern[str], replacement: str, options: FindOptions) -> tuple[str, int]:
    count = 0

    def one(match: re.Match[str]) -> str:
        nonlocal count
        if match.end() == match.start():
            return match.group()
        count += 1
        return _expand(match, replacement, options)

    return pattern.sub(one, segment.text), count


def _normalize(text: str) -> str:
    return " ".join(text.split())


def _label(options: FindOptions, replacement: str, where: str) -> str:
    return f"Replace {options.text!r} with {replacement!r} {where}"


def replace_all(
    store: ProjectStore, options: FindOptions, replacement: str, document_id: int | None = None
) -> ReplaceResult:
    """Replace every occurrence in one document (or, with ``document_id`` None, the whole study) as one undo step."""
    require_writable(store)
    pattern = compile_pattern(options)
    documents: Iterable[int] = (
        [document_id] if document_id is not None else [d.id for d in document_repository.list_documents(store)]
    )
    count, turns, touched = 0, 0, 0
    where = "in this document" if document_id is not None else "in the study"
    with guarded(store.path), store.journal.action(_label(options, replacement, where)) as changes:
        for doc in documents:
            changed_here = 0
            for segment in edit_service.load_transcript(store, doc).segments:
                raw, found = _substitute(segment, pattern, replacement, options)
                new_text = _normalize(raw)
                if found and new_text != segment.text:
                    edit_service.apply_text_edit(changes, store, doc, segment, new_text)
                    count, changed_here = count + found, changed_here + 1
            turns += changed_here
            touched += 1 if changed_here else 0
    return ReplaceResult(count, turns, touched)


def replace_one(store: ProjectStore, hit: FindHit, options: FindOptions, replacement: str) -> ReplaceResult:
    """Replace the occurrence ``hit`` (found earlier); fails clearly if the turn changed since."""
    require_writable(store)
    pattern = compile_pattern(options)
    try:
        document_id, segment = transcript_repository.load_segment(store, hit.segment_id)
    except KeyError:
        raise VerbatimError(store.path, "the turn with this match no longer exists; search again") from None
    match = pattern.search(segment.text, hit.start)
    if match is None or (match.start(), match.end()) != (hit.start, hit.end):
        raise VerbatimError(store.path, f"{hit.matched!r} is no longer at that place in the turn; search again")
    expanded = _expand(match, replacement, options)
    raw = segment.text[: hit.start] + expanded + segment.text[hit.end :]
    new_text = _normalize(raw)
    resume = _normalized_offset(raw, hit.start + len(expanded))
    if new_text == segment.text:
        return ReplaceResult(0, 0, 0, resume)
    where = f"at {hit.start} in turn {hit.row + 1}"
    with guarded(store.path), store.journal.action(_label(options, replacement, where)) as changes:
        edit_service.apply_text_edit(changes, store, document_id, segment, new_text)
    return ReplaceResult(1, 1, 1, resume)


def _normalized_offset(raw: str, position: int) -> int:
    """Where ``position`` in ``raw`` lands once whitespace is collapsed and trimmed."""
    head = raw[:position]
    collapsed = " ".join(head.split())
    if collapsed and head[-1:].isspace() and raw[position:].strip():
        collapsed += " "
    return len(collapsed)
