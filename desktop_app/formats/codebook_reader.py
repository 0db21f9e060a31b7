"""Codebooks from the files researchers keep them in, read into a list of codes by their path.

Accepted: our own codebook export (CSV or DOCX: Code, Parent, Path, Colour, Description, Codable),
a spreadsheet (CSV or XLSX) with Theme / Sub-theme / Code / Description columns in any order
(blank cells under a theme or sub-theme repeat the one above, as in a sorted spreadsheet), and a
Word document with the codes in a table or as nested headings (Heading 1 > Heading 2 > …) with
their description in the paragraphs below. Reading writes nothing; a cell left empty says nothing
about a code (None), so merging never blanks what a study already has. Problems raise
:class:`ExportError` naming the file and the row or paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.errors import ExportError

MAX_NAME = 200
PATH_SEPARATORS = re.compile(r"\s+[>›]\s+")
LEVELS = ("theme", "subtheme", "code", "subcode")  # the hierarchy, whatever the column order
_HEADERS = {
    "path": {"path", "code path", "full path", "hierarchy"},
    "theme": {"theme", "themes", "main theme", "overarching theme", "global theme", "category", "top level"},
    "subtheme": {
        "sub theme",
        "subtheme",
        "sub themes",
        "subthemes",
        "subcategory",
        "sub category",
        "organising theme",
        "organizing theme",
    },
    "code": {"code", "codes", "code name", "name", "label", "node"},
    "subcode": {"sub code", "subcode", "sub codes", "subcodes", "child code"},
    "parent": {"parent", "parent code", "parent name"},
    "description": {
        "description",
        "definition",
        "code description",
        "code definition",
        "meaning",
        "explanation",
        "notes",
        "note",
        "memo",
        "comment",
        "comments",
    },
    "extra": {
        "inclusion",
        "inclusion criteria",
        "exclusion",
        "exclusion criteria",
        "example",
        "examples",
        "example quote",
        "typical quote",
        "when to use",
        "when not to use",
    },
    "colour": {"colour", "color", "hex", "colour code", "color code"},
    "codable": {"codable", "can be coded", "applicable"},
    "usage": {"codings", "documents", "count", "frequency", "files", "references", "sources"},
}
_NAME_ROLES = ("path", *LEVELS)
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0", "grouping"}
_NUMBERING = re.compile(  # "Theme 3:", "1.", "2)", "1.2" but not the 24 of "24 hour cover"
    r"^(?:(?:sub-?)?theme|category|code)\s*\d+(?:\.\d+)*[.:)]?\s*|^\d+(?:\.\d+)*[.:)]\s+|^\d+(?:\.\d+)+\s+", re.I
)
_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


@dataclass(frozen=True)
class CodebookEntry:
    """One code the file names: its path from the root, or its name and a ``parent`` name to look up."""

    path: tuple[str, ...]
    where: str  # "row 4", "table 1, row 3", "paragraph 12": for messages
    color: str | None = None
    description: str | None = None
    codable: bool | None = None
    parent: str | None = None  # only from a Parent column without a path


@dataclass
class CodebookFile:
    entries: list[CodebookEntry] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


# ----- tables (CSV, XLSX, DOCX tables) ---------------------------------------------------------


def header_roles() -> dict[str, set[str]]:
    """The header names (as :func:`header_key` gives them) each column role answers to."""
    return {role: set(names) for role, names in _HEADERS.items()}


def header_key(text: str) -> str:
    """A header compared loosely: no brackets, case, hyphens or extra spaces ("Sub-theme" = "subtheme ")."""
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text).casefold()
    text = re.sub(r"[-_/]", " ", text)
    return " ".join(text.split()).strip(" :*.")


@dataclass
class Columns:
    """Which column holds what: roles to column index; extra description columns; ignored headers."""

    roles: dict[str, int]
    headers: list[str]
    extras: list[int]
    ignored: list[str]

    @property
    def levels(self) -> list[int]:
        return [self.roles[level] for level in LEVELS if level in self.roles]

    def names_codes(self) -> bool:
        return any(role in self.roles for role in _NAME_ROLES)


def columns_of(header: list[str]) -> Columns:
    roles: dict[str, int] = {}
    extras: list[int] = []
    ignored: list[str] = []
    for index, raw in enumerate(header):
        key = header_key(raw)
        role = next((r for r, names in _HEADERS.items() if key in names), None)
        if role == "extra" or (role == "description" and "description" in roles):
            extras.append(index)
        elif role is None or role in roles:
            if raw.strip():
                ignored.append(raw.strip())
        elif role != "usage":
            roles[role] = index
    return Columns(roles, [h.strip() for h in header], extras, ignored)


def find_header(rows: list[list[str]], limit: int = 10) -> int | None:
    """The index of the first row (among the first ``limit``) whose cells name a code column."""
    for index, row in enumerate(rows[:limit]):
        if columns_of(row).names_codes():
            return index
    return None


@dataclass
class TableReader:
    """Turns a table's rows into entries; ``where`` names a data row for messages."""

    path: Path
    columns: Columns
    where: Callable[[int], str]
    prefix: tuple[str, ...] = ()
    previous: list[str] = field(default_factory=list)

    def entries(self, rows: Iterable[tuple[int, list[str]]]) -> list[CodebookEntry]:
        result = []
        for number, row in rows:
            cells = [c.strip() for c in row]
            if any(cells):
                result.append(self.entry(number, cells))
        return result

    def cell(self, cells: list[str], role: str) -> str:
        index = self.columns.roles.get(role)
        return cells[index] if index is not None and index < len(cells) else ""

    def entry(self, number: int, cells: list[str]) -> CodebookEntry:
        where = self.where(number)
        path, parent = self._path(cells, where)
        return CodebookEntry(
            path=tuple(check_name(self.path, where, n) for n in (*self.prefix, *path)),
            where=where,
            color=parse_color(self.path, where, self.cell(cells, "colour")),
            description=self._description(cells),
            codable=parse_codable(self.path, where, self.cell(cells, "codable")),
            parent=parent,
        )

    def _path(self, cells: list[str], where: str) -> tuple[tuple[str, ...], str | None]:
        written = self.cell(cells, "path")
        if written:
            return tuple(p.strip() for p in PATH_SEPARATORS.split(written) if p.strip()), None
        levels = [cells[i] if i < len(cells) else "" for i in self.columns.levels]
        if not any(levels):
            names = ", ".join(
                self.columns.headers[i] for i in (self.columns.roles.get("path"), *self.columns.levels) if i is not None
            )
            raise ExportError(self.path, f"{where}: no code name (the columns {names} are empty)")
        parent = self.cell(cells, "parent")
        if parent and len(self.columns.levels) == 1:
            self.previous = []
            return (levels[0],), parent
        first = next(i for i, v in enumerate(levels) if v)
        filled = [*self.previous[:first], *([""] * max(0, first - len(self.previous))), *levels[first:]]
        self.previous = filled
        return tuple(v for v in filled if v), None

    def _description(self, cells: list[str]) -> str | None:
        parts = [self.cell(cells, "description")]
        for index in self.columns.extras:
            value = cells[index] if index < len(cells) else ""
            if value:
                parts.append(f"{self.columns.headers[index]}: {value}")
        text = "\n".join(p for p in parts if p)
        return text or None


def check_name(path: Path, where: str, name: str) -> str:
    name = " ".join(name.split())
    if len(name) > MAX_NAME:
        raise ExportError(path, f"{where}: a code name of {len(name)} characters is too long (at most {MAX_NAME})")
    return name


def clean_heading(text: str) -> str:
    """A heading's text without numbering ("1.2 Night shifts", "Theme 3: Isolation")."""
    return _NUMBERING.sub("", " ".join(text.split()), count=1).strip() or " ".join(text.split())


def parse_color(path: Path, where: str, raw: str) -> str | None:
    if not raw:
        return None
    found = _HEX.fullmatch(raw.replace("■", "").strip())  # our DOCX shows a swatch before the value
    if found is None:
        raise ExportError(path, f"{where}: the colour {raw!r} is not written like #3a7bd5")
    return "#" + found.group(1)  # as written (#abc stays #abc: Qt and CSS read both)


def parse_codable(path: Path, where: str, raw: str) -> bool | None:
    if not raw:
        return None
    if raw.casefold() in _YES:
        return True
    if raw.casefold() in _NO:
        return False
    raise ExportError(path, f"{where}: codable must be yes or no, not {raw!r}")


def table_entries(path: Path, rows: list[list[str]], where: Callable[[int], str]) -> CodebookFile:
    """Entries from a whole sheet: the header is the first row (of ten) naming a code column."""
    start = find_header(rows)
    if start is None:
        first = ", ".join(c for c in (rows[0] if rows else []) if c.strip()) or "nothing"
        raise ExportError(
            path,
            f"{where(1)}: no column names the codes (expected Path, Code, or Theme / Sub-theme / Code; found {first})",
        )
    columns = columns_of(rows[start])
    reader = TableReader(path, columns, where)
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if number > start + 1]
    return CodebookFile(reader.entries(numbered), columns.ignored)
