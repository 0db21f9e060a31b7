"""Retrieval and counts over codings: code queries (AND/OR/NOT), frequencies, co-occurrence.

Positions compare as (turn order, code-point offset) within a document, so two codings
overlap when they share at least one character of the same document. Queries work at the
extract level: the result is whole codings (the "primary" codes' extracts) kept or dropped by
their overlap with other codes' codings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from desktop_app.core.coding import Code, Coding, TextPosition
from desktop_app.core.errors import VerbatimError
from desktop_app.services.coding import coding_service
from desktop_app.services.participants import participant_service
from desktop_app.storage.coding import analysis_repository
from desktop_app.storage.connection import guarded
from desktop_app.storage.project_store import ProjectStore

NOT_SET = "(not set)"


@dataclass(frozen=True)
class CodeQuery:
    """Extracts of ``any_of`` (OR; else the first of ``all_of``) that overlap a coding of every
    code in ``all_of`` (AND) and none of ``none_of`` (NOT), in the same document."""

    any_of: list[int] = field(default_factory=list)
    all_of: list[int] = field(default_factory=list)
    none_of: list[int] = field(default_factory=list)
    include_subcodes: bool = True


@dataclass(frozen=True)
class ExtractFilter:
    """Only these documents, and only extracts whose speaker's participant has these attribute
    values: pairs (attribute, value); the same attribute twice means either value."""

    document_ids: list[int] | None = None
    attributes: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Span:
    coding_id: int
    code_id: int
    document_id: int
    start: tuple[int, int]  # (turn seq, offset)
    end: tuple[int, int]

    def overlaps(self, other: Span) -> bool:
        return self.document_id == other.document_id and self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class AnalysisExtract:
    coding: Coding
    code: Code
    document_title: str
    text: str
    speaker: str | None  # the speaker's display name, else its label
    participant: str | None  # the linked participant's label


def _codes_with_subcodes(store: ProjectStore, code_ids: Iterable[int], include: bool) -> list[int]:
    all_codes = coding_service.codes(store)
    known = {c.id for c in all_codes}
    result: list[int] = []
    for code_id in code_ids:
        if code_id not in known:
            raise VerbatimError(store.path, f"has no code with id {code_id}")
        result.append(code_id)
        if include:
            result.extend(coding_service.descendants(all_codes, code_id))
    return list(dict.fromkeys(result))


def _wanted_values(store: ProjectStore, filters: ExtractFilter) -> dict[int, list[str]]:
    """The stored values each filtered attribute may have (the same attribute twice: either value)."""
    wanted: dict[int, list[str]] = {}
    for name, raw in filters.attributes:
        attribute = participant_service.find_attribute(store, name)
        try:
            value = participant_service.normalise_value(attribute, raw) if raw != NOT_SET else raw
        except ValueError as exc:
            raise VerbatimError(store.path, f"cannot filter by {attribute.name}: {exc}") from None
        wanted.setdefault(attribute.id, []).append(value)
    return wanted


def spans(store: ProjectStore, code_ids: list[int] | None, filters: ExtractFilter | None = None) -> list[Span]:
    """The codings of ``code_ids`` (all codes if None) that pass ``filters``, as comparable spans."""
    filters = filters or ExtractFilter()
    wanted = _wanted_values(store, filters)
    with guarded(store.path):
        rows = analysis_repository.span_rows(store, code_ids, filters.document_ids, wanted)
    return [Span(r[0], r[1], r[2], (r[3], r[4]), (r[5], r[6])) for r in rows]


def _by_document(items: list[Span]) -> dict[int, list[Span]]:
    grouped: dict[int, list[Span]] = {}
    for span in items:
        grouped.setdefault(span.document_id, []).append(span)
    return grouped


def _overlaps_any(span: Span, others: dict[int, list[Span]]) -> bool:
    return any(span.overlaps(o) for o in others.get(span.document_id, ()))


def query_spans(store: ProjectStore, query: CodeQuery, filters: ExtractFilter | None = None) -> list[Span]:
    """The coded spans a :class:`CodeQuery` selects, in document and text order."""
    primary_codes = query.any_of or query.all_of[:1]
    if not primary_codes:
        raise VerbatimError(store.path, "a code query needs at least one code to retrieve")
    required = query.all_of if query.any_of else query.all_of[1:]
    expand = query.include_subcodes
    primary = spans(store, _codes_with_subcodes(store, primary_codes, expand), filters)
    documents = sorted({s.document_id for s in primary})
    in_documents = ExtractFilter(document_ids=documents)
    for code_id in required:
        companions = _by_document(spans(store, _codes_with_subcodes(store, [code_id], expand), in_documents))
        primary = [s for s in primary if _overlaps_any(s, companions)]
    if query.none_of and primary:
        excluded = _by_document(spans(store, _codes_with_subcodes(store, query.none_of, expand), in_documents))
        primary = [s for s in primary if not _overlaps_any(s, excluded)]
    unique = {s.coding_id: s for s in primary}
    return sorted(unique.values(), key=lambda s: (s.document_id, s.start, s.end, s.coding_id))


def retrieve(store: ProjectStore, query: CodeQuery, filters: ExtractFilter | None = None) -> list[AnalysisExtract]:
    """The extracts a query selects, with their text, speaker and participant."""
    return extracts_of(store, [s.coding_id for s in query_spans(store, query, filters)])


def extracts_of(store: ProjectStore, coding_ids: list[int]) -> list[AnalysisExtract]:
    """Extracts for codings (in the order given), reading only the turns they cover."""
    by_id = {c.id: c for c in coding_service.codes(store)}
    with guarded(store.path):
        rows, pieces = analysis_repository.extract_rows(store, coding_ids)
    return [_extract(rows[i], by_id, pieces.get(i, [])) for i in coding_ids if i in rows]


def _extract(r: Any, codes: dict[int, Code], turns: list[tuple[int, str]]) -> AnalysisExtract:
    start, end = TextPosition(r[3], r[4]), TextPosition(r[5], r[6])
    coding = Coding(r[0], r[1], r[2], start, end, r[7], r[8], r[9], r[10], r[11], bool(r[12]))
    texts = []
    for segment_id, text in turns:
        low = coding.start.offset if segment_id == coding.start.segment_id else 0
        high = coding.end.offset if segment_id == coding.end.segment_id else len(text)
        texts.append(text[low:high].strip())
    return AnalysisExtract(coding, codes[coding.code_id], r[13], " ".join(t for t in texts if t), r[14], r[15])


# --- frequencies ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrequencyRow:
    code: Code
    codings: list[int]  # per column
    cases: list[int]  # distinct participants per column

    @property
    def total(self) -> int:
        return sum(self.codings)


@dataclass(frozen=True)
class FrequencyTable:
    by: str  # "document" or an attribute name
    columns: list[str]
    rows: list[FrequencyRow]

    def to_json(self) -> dict[str, object]:
        return {
            "by": self.by,
            "columns": self.columns,
            "rows": [
                {"code": r.code.name, "code_id": r.code.id, "codings": r.codings, "cases": r.cases, "total": r.total}
                for r in self.rows
            ],
        }


def frequencies(store: ProjectStore, by: str = "document") -> FrequencyTable:
    """Codings (and distinct participants) per code, by document or by an attribute's values."""
    keys: list[object] = []
    columns: list[str] = []
    attribute_id = None if by == "document" else participant_service.find_attribute(store, by).id
    with guarded(store.path):
        if attribute_id is None:
            for document_id, title in analysis_repository.document_titles(store):
                keys.append(document_id)
                columns.append(title)
        found = analysis_repository.frequency_rows(store, attribute_id, NOT_SET)
    if by != "document":
        keys = list(value_order(store, by, {str(r[1]) for r in found}))
        columns = [str(k) for k in keys]
    position = {k: i for i, k in enumerate(keys)}
    counts: dict[int, tuple[list[int], list[int]]] = {}
    for code_id, key, codings, cases in found:
        row = counts.setdefault(code_id, ([0] * len(keys), [0] * len(keys)))
        if key in position:
            row[0][position[key]], row[1][position[key]] = codings, cases
    rows = [FrequencyRow(code, *counts.get(code.id, ([0] * len(keys), [0] * len(keys)))) for code in _tree(store)]
    return FrequencyTable(by, columns, rows)


def value_order(store: ProjectStore, attribute_name: str, present: set[str]) -> list[str]:
    """An attribute's values in a useful order: its choices, then the rest sorted, "(not set)" last."""
    attribute = participant_service.find_attribute(store, attribute_name)
    ordered = [c for c in attribute.choices if c in present]
    rest = sorted(present - set(ordered) - {NOT_SET}, key=_sort_key)
    return ordered + rest + ([NOT_SET] if NOT_SET in present else [])


def _sort_key(value: str) -> tuple[int, float, str]:
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value.casefold())


def _tree(store: ProjectStore) -> list[Code]:
    from desktop_app.services.coding.codebook_service import ordered_tree

    return [code for _depth, code in ordered_tree(coding_service.codes(store))]


# --- co-occurrence -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CooccurrenceMatrix:
    """``counts[i][j]``: pairs of overlapping codings of codes i and j; the diagonal: codings of i."""

    codes: list[Code]
    counts: list[list[int]]

    def to_json(self) -> dict[str, object]:
        return {"codes": [c.name for c in self.codes], "code_ids": [c.id for c in self.codes], "counts": self.counts}


def cooccurrence(
    store: ProjectStore, code_ids: list[int] | None = None, filters: ExtractFilter | None = None
) -> CooccurrenceMatrix:
    """How often codings of each pair of codes overlap in the same document (direct codings)."""
    codes = [c for c in _tree(store) if code_ids is None or c.id in set(code_ids)]
    index = {c.id: i for i, c in enumerate(codes)}
    counts = [[0] * len(codes) for _ in codes]
    found = spans(store, [c.id for c in codes], filters)
    for span in found:
        counts[index[span.code_id]][index[span.code_id]] += 1
    for items in _by_document(found).values():
        for a, b in _overlapping_pairs(items):
            if a.code_id != b.code_id:
                i, j = index[a.code_id], index[b.code_id]
                counts[i][j] += 1
                counts[j][i] += 1
    if code_ids is None:
        used = [i for i, _c in enumerate(codes) if counts[i][i]]
        codes, counts = [codes[i] for i in used], [[counts[i][j] for j in used] for i in used]
    return CooccurrenceMatrix(codes, counts)


def _overlapping_pairs(items: list[Span]) -> Iterable[tuple[Span, Span]]:
    """Every overlapping pair in one document, by a sweep over start positions."""
    active: list[Span] = []
    for span in sorted(items, key=lambda s: s.start):
        active = [a for a in active if a.end > span.start]
        for other in active:
            yield other, span
        active.append(span)


def cooccurring_extracts(
    store: ProjectStore, first: int, second: int, filters: ExtractFilter | None = None
) -> list[AnalysisExtract]:
    """A matrix cell's extracts: codings of either code that overlap a coding of the other."""
    one = query_spans(store, CodeQuery(any_of=[first], all_of=[second], include_subcodes=False), filters)
    two = query_spans(store, CodeQuery(any_of=[second], all_of=[first], include_subcodes=False), filters)
    ordered = sorted({s.coding_id: s for s in one + two}.values(), key=lambda s: (s.document_id, s.start, s.coding_id))
    return extracts_of(store, [s.coding_id for s in ordered])
