"""Intercoder agreement per code at character level: percentage agreement and Cohen's kappa.

Each character of the compared documents is a unit; for a code, each coder either coded it or
not. Agreement = (both + neither) / total; kappa = (po - pe) / (1 - pe) with
pe = (P(A yes) P(B yes) + P(A no) P(B no)), the standard formula NVivo also uses. When chance
agreement is total (neither coder used the code, or both coded everything) kappa is 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.core.coding import Code
from desktop_app.core.errors import VerbatimError
from desktop_app.services.coding import coding_service
from desktop_app.storage.coding import analysis_repository
from desktop_app.storage.connection import guarded
from desktop_app.storage.project_store import ProjectStore

Intervals = list[tuple[int, int]]


@dataclass(frozen=True)
class AgreementStats:
    total: int
    both: int
    only_a: int
    only_b: int

    @property
    def neither(self) -> int:
        return self.total - self.both - self.only_a - self.only_b

    @property
    def agreement(self) -> float:
        return (self.both + self.neither) / self.total if self.total else 1.0

    @property
    def kappa(self) -> float:
        if not self.total:
            return 1.0
        a_yes, b_yes = (self.both + self.only_a) / self.total, (self.both + self.only_b) / self.total
        chance = a_yes * b_yes + (1 - a_yes) * (1 - b_yes)
        return 1.0 if chance >= 1.0 else (self.agreement - chance) / (1 - chance)

    def __add__(self, other: AgreementStats) -> AgreementStats:
        return AgreementStats(
            self.total + other.total, self.both + other.both, self.only_a + other.only_a, self.only_b + other.only_b
        )

    def to_json(self) -> dict[str, float | int]:
        return {
            "characters": self.total,
            "both": self.both,
            "only_a": self.only_a,
            "only_b": self.only_b,
            "neither": self.neither,
            "agreement": round(self.agreement, 4),
            "kappa": round(self.kappa, 4),
        }


@dataclass(frozen=True)
class CodeAgreement:
    code: Code
    document: str | None  # None: all compared documents together
    stats: AgreementStats


@dataclass(frozen=True)
class IntercoderReport:
    coder_a: str
    coder_b: str
    documents: list[str]
    by_code: list[CodeAgreement]
    by_code_and_document: list[CodeAgreement]

    def to_json(self) -> dict[str, object]:
        return {
            "coders": [self.coder_a, self.coder_b],
            "documents": self.documents,
            "codes": [{"code": r.code.name, **r.stats.to_json()} for r in self.by_code],
            "by_document": [
                {"code": r.code.name, "document": r.document, **r.stats.to_json()} for r in self.by_code_and_document
            ],
        }


def union_length(intervals: Intervals) -> int:
    return sum(end - start for start, end in merge(intervals))


def merge(intervals: Intervals) -> Intervals:
    merged: Intervals = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def compare_intervals(total: int, coded_a: Intervals, coded_b: Intervals) -> AgreementStats:
    """Counts over ``total`` characters given what each coder coded (overlaps allowed)."""
    a, b = union_length(coded_a), union_length(coded_b)
    union = union_length(coded_a + coded_b)
    both = a + b - union
    return AgreementStats(total, both, a - both, b - both)


def _document_texts(store: ProjectStore, document_id: int) -> tuple[int, dict[int, int]]:
    """Characters in a document's transcript and each turn's first character's index."""
    starts: dict[int, int] = {}
    length = 0
    for segment_id, size in analysis_repository.turn_lengths(store, document_id):
        starts[segment_id] = length
        length += size
    return length, starts


def _coded(store: ProjectStore, document_id: int, coder: str, starts: dict[int, int]) -> dict[int, Intervals]:
    found: dict[int, Intervals] = {}
    for coding in coding_service.codings(store, document_id):
        if coding.coder == coder and coding.start.segment_id in starts and coding.end.segment_id in starts:
            low = starts[coding.start.segment_id] + coding.start.offset
            high = starts[coding.end.segment_id] + coding.end.offset
            found.setdefault(coding.code_id, []).append((low, high))
    return found


def _shared_documents(store: ProjectStore, coder_a: str, coder_b: str) -> list[int]:
    return analysis_repository.documents_coded_by_both(store, coder_a, coder_b)


def compare_coders(
    store: ProjectStore,
    coder_a: str,
    coder_b: str,
    *,
    code_ids: list[int] | None = None,
    document_ids: list[int] | None = None,
) -> IntercoderReport:
    """Agreement per code between two coders over the documents both coded (or those given)."""
    with guarded(store.path):
        documents = document_ids if document_ids is not None else _shared_documents(store, coder_a, coder_b)
        if not documents:
            raise VerbatimError(store.path, f"has no document coded by both {coder_a!r} and {coder_b!r}")
        titles = dict(analysis_repository.document_titles(store, include_removed=True))
        by_id = {c.id: c for c in coding_service.codes(store)}
        per_document: list[CodeAgreement] = []
        for document_id in documents:
            total, starts = _document_texts(store, document_id)
            a, b = _coded(store, document_id, coder_a, starts), _coded(store, document_id, coder_b, starts)
            used = set(a) | set(b) if code_ids is None else set(code_ids)
            for code_id in sorted(used, key=lambda i: list(by_id).index(i) if i in by_id else i):
                stats = compare_intervals(total, a.get(code_id, []), b.get(code_id, []))
                per_document.append(CodeAgreement(by_id[code_id], titles.get(document_id), stats))
    pooled: dict[int, AgreementStats] = {}
    for row in per_document:
        pooled[row.code.id] = pooled.get(row.code.id, AgreementStats(0, 0, 0, 0)) + row.stats
    by_code = [CodeAgreement(by_id[i], None, s) for i, s in pooled.items()]
    return IntercoderReport(coder_a, coder_b, [str(titles.get(d)) for d in documents], by_code, per_document)
