"""Read-side helpers over the codebook: usage counts, paths from the root, CSV and DOCX export.

Both exports hold what :mod:`codebook_import` needs to rebuild the tree (path, colour, description,
codable), so a codebook exported from one study can be imported into another.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.core.coding import Code
from desktop_app.core.errors import ExportError
from desktop_app.services.coding import coding_service
from desktop_app.storage.coding import coding_repository
from desktop_app.storage.connection import guarded
from desktop_app.storage.project_store import ProjectStore

CODEBOOK_COLUMNS = ("Code", "Parent", "Path", "Colour", "Description", "Codable", "Codings", "Documents")
DOCX_COLUMNS = ("Code", "Path", "Colour", "Description", "Codable", "Codings", "Documents")
DOCX_WIDTHS_CM = (4.0, 4.8, 2.6, 6.6, 1.9, 2.0, 2.6)  # 24.5 cm: fits landscape Letter and A4
EXPORT_SUFFIXES = (".csv", ".docx")


@dataclass(frozen=True)
class CodeUsage:
    codings: int = 0
    documents: int = 0
    own: int = 0  # codings of the code itself, without its sub-codes'


def code_usage(store: ProjectStore) -> dict[int, CodeUsage]:
    """Codings and documents per code (codes never used are absent)."""
    with guarded(store.path):
        usage = coding_repository.code_usage(store)
    return {code_id: CodeUsage(*counts) for code_id, counts in usage.items()}


def subtree_usage(store: ProjectStore) -> dict[int, CodeUsage]:
    """Per code, its codings and its sub-codes' together: a theme's row counts everything under it.

    A coding counts once for its code and once for each code above it; documents are distinct.
    """
    parents = {c.id: c.parent_id for c in coding_service.codes(store)}
    codings: dict[int, int] = {}
    documents: dict[int, set[int]] = {}
    own: dict[int, int] = {}
    with guarded(store.path):
        rows = coding_repository.coded_documents(store)
    for code_id, document_id in rows:
        own[code_id] = own.get(code_id, 0) + 1
        current: int | None = code_id
        seen: set[int] = set()
        while current is not None and current not in seen:  # a cycle cannot loop forever
            seen.add(current)
            codings[current] = codings.get(current, 0) + 1
            documents.setdefault(current, set()).add(document_id)
            current = parents.get(current)
    return {c: CodeUsage(n, len(documents[c]), own.get(c, 0)) for c, n in codings.items()}


def code_path(by_id: dict[int, Code], code_id: int) -> list[Code]:
    """The codes from the root (theme) down to ``code_id``."""
    path: list[Code] = []
    current: int | None = code_id
    while current is not None and current in by_id and len(path) <= len(by_id):
        path.append(by_id[current])
        current = by_id[current].parent_id
    return list(reversed(path))


def ordered_tree(codes: list[Code]) -> list[tuple[int, Code]]:
    """Depth-first (depth, code) pairs in codebook order."""
    children: dict[int | None, list[Code]] = {}
    for code in sorted(codes, key=lambda c: (c.position, c.id)):
        children.setdefault(code.parent_id, []).append(code)
    known = {c.id for c in codes}
    roots = [c for c in codes if c.parent_id is None or c.parent_id not in known]
    result: list[tuple[int, Code]] = []
    stack = [(0, c) for c in reversed(sorted(roots, key=lambda c: (c.position, c.id)))]
    while stack:
        depth, code = stack.pop()
        result.append((depth, code))
        stack.extend((depth + 1, c) for c in reversed(children.get(code.id, [])))
    return result


def codebook_rows(store: ProjectStore) -> list[dict[str, str | int]]:
    codes = coding_service.codes(store)
    by_id = {c.id: c for c in codes}
    usage = code_usage(store)
    rows: list[dict[str, str | int]] = []
    for _depth, code in ordered_tree(codes):
        parent = by_id.get(code.parent_id) if code.parent_id is not None else None
        counts = usage.get(code.id, CodeUsage())
        values = (
            code.name,
            parent.name if parent else "",
            " > ".join(c.name for c in code_path(by_id, code.id)),
            code.color,
            code.description,
            "yes" if code.codable else "no",
            counts.codings,
            counts.documents,
        )
        rows.append(dict(zip(CODEBOOK_COLUMNS, values, strict=True)))
    return rows


def export_codebook_csv(store: ProjectStore, path: Path) -> int:
    """Write the codebook (one row per code, tree order) as CSV for Excel; returns the number of codes."""
    rows = codebook_rows(store)
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=CODEBOOK_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    except OSError as exc:
        raise ExportError(path, f"cannot be written ({exc.strerror or exc})") from exc
    return len(rows)


def export_codebook(store: ProjectStore, path: Path) -> int:
    """Write the codebook as CSV or DOCX, by ``path``'s extension; returns the number of codes."""
    suffix = Path(path).suffix.lower()
    if suffix == ".docx":
        return export_codebook_docx(store, Path(path))
    if suffix == ".csv":
        return export_codebook_csv(store, Path(path))
    raise ExportError(path, "is not a codebook format (use .csv or .docx)")


def export_codebook_docx(store: ProjectStore, path: Path) -> int:
    """The codebook as a Word table (indented by depth, colours shown), for an appendix or a co-author."""
    from docx import Document
    from docx.shared import Cm, Pt

    from desktop_app.formats.docx_writer import set_landscape

    codes = coding_service.codes(store)
    rows = codebook_rows(store)
    document = Document()
    set_landscape(document, 1.5)
    document.styles["Normal"].font.size = Pt(9)  # the table's text; the title keeps its own size
    document.add_heading(f"Codebook: {store.path.stem}", 0)
    table = document.add_table(rows=1, cols=len(DOCX_COLUMNS))
    table.style = "Table Grid"
    table.autofit = False
    for column, cell, width in zip(table.columns, table.rows[0].cells, DOCX_WIDTHS_CM, strict=True):
        column.width = cell.width = Cm(width)  # the grid LibreOffice and Word lay out by; new rows copy it
    _docx_row(table.rows[0].cells, list(DOCX_COLUMNS), bold=True)
    for (depth, _code), row in zip(ordered_tree(codes), rows, strict=True):
        cells = table.add_row().cells  # each cell takes its width from the grid
        _docx_row(cells, [str(row[c]) for c in DOCX_COLUMNS], bold=depth == 0, color=str(row["Colour"]))
        cells[0].paragraphs[0].paragraph_format.left_indent = Cm(0.45 * depth)
    try:
        document.save(str(path))
    except OSError as exc:
        raise ExportError(path, f"cannot be written ({exc.strerror or exc})") from exc
    return len(rows)


def _docx_row(cells: Any, values: list[str], *, bold: bool, color: str = "") -> None:
    """One table row: the texts (all bold in the header, the name bold for a theme), a swatch before the colour."""
    from docx.shared import RGBColor

    for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
        paragraph = cell.paragraphs[0]
        if color and DOCX_COLUMNS[index] == "Colour":
            paragraph.add_run("■ ").font.color.rgb = RGBColor.from_string(_hex6(color))
        run = paragraph.add_run(_docx_text(value))
        if bold and (index == 0 or not color):
            run.bold = True


def _hex6(color: str) -> str:
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return digits.upper() if len(digits) == 6 and all(c in "0123456789abcdefABCDEF" for c in digits) else "808080"


def _docx_text(value: str) -> str:
    """Text without the control characters XML 1.0 cannot hold."""
    return "".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 32)
