"""Qualitative coding: the codebook tree, codings on text spans, memos, participants."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass
class Code:
    """A node of the codebook (theme, sub-theme or code; any depth)."""

    id: int
    name: str
    parent_id: int | None = None
    color: str = "#808080"
    description: str = ""
    codable: bool = True
    position: int = 0


@dataclass
class TextPosition:
    """A place in a transcript: segment id and code-point offset into its text."""

    segment_id: int
    offset: int


@dataclass
class Coding:
    """A code applied to a span from ``start`` to ``end`` (end exclusive, may cross segments)."""

    id: int
    code_id: int
    document_id: int
    start: TextPosition
    end: TextPosition
    start_time: float | None = None
    end_time: float | None = None
    coder: str = ""
    created: str = ""
    memo: str = ""
    needs_review: bool = False


class AttributeType(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOLEAN = "boolean"
    CATEGORY = "category"


@dataclass
class Attribute:
    """A typed participant attribute (``category`` has a fixed list of ``choices``)."""

    id: int
    name: str
    type: AttributeType = AttributeType.TEXT
    choices: list[str] = field(default_factory=list)


@dataclass
class Participant:
    """A case: a person who took part, with attribute values keyed by attribute name."""

    id: int
    label: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class Memo:
    """A memo on the study, a document, a code, a coding or a segment."""

    id: int
    target_type: str
    target_id: int | None
    text: str
    author: str = ""
    created: str = ""
