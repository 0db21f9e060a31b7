"""Codebooks kept in Word: the codes in a table (read like a spreadsheet) or as nested headings.

A table counts when its first row names a code column (Path, Code, Theme, Sub-theme…). When such
tables sit under two or more different headings, each table's codes go under the headings above it
(a theme per table). Without such a table, headings are the codes: their level gives the depth,
numbering ("1.2", "Theme 3:") is dropped, and the paragraphs below a heading are its description.
One top heading that only titles the document ("Codebook", "Coding frame") is not a code. Merged
cells count once per row; a row merged across the whole table names a theme for the rows below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.core.errors import ExportError
from desktop_app.formats.codebook_reader import (
    LEVELS,
    MAX_NAME,
    CodebookEntry,
    CodebookFile,
    TableReader,
    check_name,
    clean_heading,
    columns_of,
    header_key,
    header_roles,
)

_HEADING_STYLE = re.compile(r"heading\s*(\d)")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CODE_NAMES = {name for role in ("path", *LEVELS) for name in header_roles()[role]}
_GENERIC_NAMES = {"name", "label", "node"}
_TITLES = ("codebook", "code book", "coding frame", "coding scheme", "coding manual", "coding framework")
NO_CODEBOOK = (
    "has no codebook: expected a table whose first row names the columns (Path, Code, or Theme / Sub-theme / "
    "Code), or the codes as headings (Heading 1, Heading 2, …)"
)


@dataclass
class _Heading:
    level: int
    name: str
    where: str
    description: list[str] = field(default_factory=list)


@dataclass
class _Walk:
    """The document in order: headings (each with the stack above it) and the code tables."""

    headings: list[_Heading] = field(default_factory=list)
    tables: list[tuple[int, Any, tuple[_Heading, ...]]] = field(default_factory=list)  # number, table, stack


def read_docx_codebook(path: Path) -> CodebookFile:
    walk = _walk(path, _open(path))
    if walk.tables:
        return _from_tables(path, walk)
    headings = _without_title(walk.headings)
    if not headings:
        raise ExportError(path, NO_CODEBOOK)
    return CodebookFile(_heading_entries(headings))


def _open(path: Path) -> Any:
    from zipfile import BadZipFile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ExportError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExportError(path, "is an old Word .doc file: open it in Word, save it as .docx, then import that")
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise ExportError(path, f"is not a Word document (.docx) ({exc})") from None


def heading_level(paragraph: Any) -> int | None:
    """1 for Heading 1 (or a style based on it, or an outline level set on the paragraph), else None."""
    style = paragraph.style
    while style is not None:
        found = _HEADING_STYLE.fullmatch((style.name or "").casefold())
        if found:
            return int(found.group(1))
        style = style.base_style
    p_pr = paragraph._p.pPr
    outline = p_pr.find(f"{_W}outlineLvl") if p_pr is not None else None
    if outline is not None:
        value = outline.get(f"{_W}val", "")
        if value.isdigit() and int(value) < 9:
            return int(value) + 1
    return None


def _walk(path: Path, document: Any) -> _Walk:
    from docx.table import Table

    walk = _Walk()
    stack: list[_Heading] = []
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            header = table_rows(block, limit=1)
            if header and is_code_table(header[0][0]):
                walk.tables.append((tables, block, tuple(stack)))
            continue
        paragraphs += 1
        text = " ".join(block.text.split())
        level = heading_level(block) if text else None
        if level is None:
            if text and stack:
                stack[-1].description.append(block.text.strip())
            continue
        where = f"paragraph {paragraphs} ({text[:40]!r})"
        if len(text) > MAX_NAME:
            raise ExportError(path, f"{where}: a heading of {len(text)} characters is too long for a code name")
        while stack and stack[-1].level >= level:
            stack.pop()
        heading = _Heading(level, check_name(path, where, clean_heading(text)), where)
        walk.headings.append(heading)
        stack.append(heading)
    return walk


def is_code_table(header: list[str]) -> bool:
    """A header naming codes: a code, theme or path column, or a bare "Name" beside a description or
    colour (a "Name | Email" table of coders is not a codebook)."""
    columns = columns_of(header)
    if not columns.names_codes():
        return False
    generic = {header_key(h) for h in header} & _GENERIC_NAMES
    specific = any(header_key(h) in _CODE_NAMES - _GENERIC_NAMES for h in header)
    described = any(role in columns.roles for role in ("description", "colour", "codable", "parent"))
    return not generic or specific or described


def _is_title(heading: _Heading) -> bool:
    return any(word in heading.name.casefold() for word in _TITLES)


def _without_title(headings: list[_Heading]) -> list[_Heading]:
    """Drop a lone top heading that titles the document when other headings sit below it."""
    if not headings:
        return headings
    top = min(h.level for h in headings)
    at_top = [h for h in headings if h.level == top]
    if len(at_top) == 1 and len(headings) > 1 and _is_title(at_top[0]):
        return [h for h in headings if h is not at_top[0]]
    return headings


def _heading_entries(headings: list[_Heading]) -> list[CodebookEntry]:
    entries: list[CodebookEntry] = []
    stack: list[_Heading] = []
    for heading in headings:
        while stack and stack[-1].level >= heading.level:
            stack.pop()
        stack.append(heading)
        description = "\n".join(heading.description) or None
        entries.append(CodebookEntry(tuple(h.name for h in stack), heading.where, description=description))
    return entries


def _from_tables(path: Path, walk: _Walk) -> CodebookFile:
    """Code tables, each under its headings when the tables sit under different headings."""
    stacks = {tuple(id(h) for h in stack if not _is_title(h)) for _n, _t, stack in walk.tables}
    use_headings = len(stacks) > 1
    result = CodebookFile()
    described: set[int] = set()
    for number, table, stack in walk.tables:
        above = tuple(h for h in stack if not _is_title(h)) if use_headings else ()
        for depth, heading in enumerate(above):
            if id(heading) not in described:
                described.add(id(heading))
                path_names = tuple(h.name for h in above[: depth + 1])
                text = "\n".join(heading.description) or None
                result.entries.append(CodebookEntry(path_names, heading.where, description=text))
        entries, ignored = _table(path, number, table, tuple(h.name for h in above))
        result.entries.extend(entries)
        result.ignored_columns.extend(c for c in ignored if c not in result.ignored_columns)
    return result


def table_rows(table: Any, limit: int | None = None) -> list[tuple[list[str], bool]]:
    """Each row's texts by grid column (a merged cell once, then blanks; a vertically merged cell in
    its first row only) and whether one cell spans the row. Read from the XML in one pass: python-docx's
    ``row.cells`` rebuilds the whole grid for every row, which takes seconds on a long codebook."""
    from docx.table import _Cell

    grid = table._tbl.tblGrid
    width = len(grid.gridCol_lst) if grid is not None else 0
    rows = []
    for tr in table._tbl.tr_lst[:limit]:
        texts = [""] * (tr.grid_before or 0)
        cells = tr.tc_lst
        for tc in cells:
            text = "" if tc.vMerge == "continue" else _Cell(tc, table).text
            texts.extend([text] + [""] * (max(1, tc.grid_span) - 1))
        rows.append((texts, len(cells) == 1 and max(width, len(texts)) > 1))
    return rows


def _table(path: Path, number: int, table: Any, prefix: tuple[str, ...]) -> tuple[list[CodebookEntry], list[str]]:
    rows = table_rows(table)
    columns = columns_of(rows[0][0])
    reader = TableReader(path, columns, lambda n: f"table {number}, row {n}", prefix)
    theme_column = columns.roles.get(LEVELS[0]) if "path" not in columns.roles else None
    entries: list[CodebookEntry] = []
    for row_number, (raw, spans_row) in enumerate(rows[1:], start=2):
        texts = [t.strip() for t in raw]
        if not any(texts):
            continue
        if spans_row:
            name = check_name(path, reader.where(row_number), clean_heading(texts[0]))
            if theme_column is not None:  # a theme row: the Theme column below repeats it
                texts = [""] * len(texts)
                texts[theme_column] = name
            else:  # a section of a table without a Theme column: its rows go under it
                reader.prefix = (*prefix, name)
                reader.previous = []
                entries.append(CodebookEntry(reader.prefix, reader.where(row_number)))
                continue
        entries.append(reader.entry(row_number, texts))
    return entries, columns.ignored
