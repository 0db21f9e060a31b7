"""The extract table of a thematic analysis ("Table 1"): Data extract | Code | Sub-theme | Theme |
Participant | Document | Time, written as CSV, XLSX or DOCX.

The code's place in the tree gives the columns: the coded code, its parent (sub-theme) and its
root (theme). A code directly under a theme has no sub-theme; a theme coded directly is its own theme.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import astuple, dataclass, replace
from pathlib import Path

from desktop_app.core.coding import Code
from desktop_app.core.document import SpeakerInfo
from desktop_app.core.errors import ExportError
from desktop_app.core.text.text_layer import TextLayer
from desktop_app.core.timecode import format_hms
from desktop_app.services.analysis import attribute_filter
from desktop_app.services.analysis.attribute_filter import Pair
from desktop_app.services.coding import coding_service
from desktop_app.services.coding.codebook_service import code_path
from desktop_app.services.coding.coding_service import Extract
from desktop_app.services.transcript import edit_service
from desktop_app.services.transcription import translation_layer
from desktop_app.storage.project_store import ProjectStore

HEADERS = ("Data extract", "Code", "Sub-theme", "Theme", "Participant", "Document", "Time")
FORMATS = ("csv", "xlsx", "docx")


@dataclass(frozen=True)
class ExtractRow:
    extract: str
    code: str
    sub_theme: str
    theme: str
    participant: str
    document: str
    time: str


def extract_rows(
    store: ProjectStore,
    code_ids: list[int],
    *,
    include_subcodes: bool = True,
    attributes: Sequence[Pair] = (),
    layer: TextLayer = TextLayer.ORIGINAL,
) -> list[ExtractRow]:
    """One row per coding of the codes (each coding once), grouped by code in the order given; with
    ``attributes``, only extracts whose participant has them (see :mod:`attribute_filter`); the
    extract in text ``layer`` (original, its English, or both)."""
    by_id = {c.id: c for c in coding_service.codes(store)}
    speakers: dict[int, dict[str, SpeakerInfo]] = {}
    seen: set[int] = set()
    allowed = (
        attribute_filter.passing_codings(store, code_ids, attributes, include_subcodes=include_subcodes)
        if attributes
        else None
    )
    rows = []
    for code_id in code_ids:
        for item in coding_service.extracts(store, code_id, include_subcodes=include_subcodes):
            if item.coding.id in seen or (allowed is not None and item.coding.id not in allowed):
                continue
            seen.add(item.coding.id)
            document_speakers = speakers.setdefault(
                item.coding.document_id, edit_service.load_speakers(store, item.coding.document_id)
            )
            text = translation_layer.extract_text(store, item.coding, item.text, layer)
            rows.append(_row(replace(item, text=text), code_path(by_id, item.code.id), document_speakers))
    return rows


def _row(item: Extract, path: list[Code], speakers: dict[str, SpeakerInfo]) -> ExtractRow:
    names = [c.name for c in path] or [item.code.name]
    theme = names[0] if len(names) >= 2 else names[-1]
    sub_theme = names[-2] if len(names) >= 3 else ""
    return ExtractRow(
        extract=item.text,
        code=names[-1],
        sub_theme=sub_theme,
        theme=theme,
        participant=participant_label(item.speaker, speakers),
        document=item.document_title,
        time=_time_range(item),
    )


def participant_label(label: str | None, speakers: dict[str, SpeakerInfo]) -> str:
    """The participant a speaker is linked to, else the speaker's name, else its label."""
    if label is None:
        return ""
    info = speakers.get(label)
    if info is None:
        return label
    return info.participant or info.name


def _time_range(item: Extract) -> str:
    start, end = item.coding.start_time, item.coding.end_time
    if start is None:
        return ""
    return f"{format_hms(start)}–{format_hms(end if end is not None else start)}"


def write_extract_table(rows: list[ExtractRow], path: Path, fmt: str, *, title: str = "") -> Path:
    """Write ``rows`` as ``fmt`` (csv, xlsx or docx) to ``path``; errors name the file."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ExportError(path, f"unknown table format {fmt!r} (use {', '.join(FORMATS)})")
    try:
        if fmt == "csv":
            _write_csv(rows, path)
        elif fmt == "xlsx":
            _write_xlsx(rows, path, title)
        else:
            _write_docx(rows, path, title)
    except OSError as exc:
        raise ExportError(path, f"cannot be written ({exc.strerror or exc})") from exc
    return path


def _write_csv(rows: list[ExtractRow], path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(astuple(r) for r in rows)


COLUMN_WIDTHS = (70, 22, 22, 22, 20, 22, 20)  # characters, for XLSX


def _write_xlsx(rows: list[ExtractRow], path: Path, title: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = (title or "Extracts")[:31].translate(str.maketrans("", "", "[]:*?/\\")) or "Extracts"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="3A5A80")
        cell.alignment = Alignment(vertical="center")
    for row in rows:
        sheet.append([_safe_cell(v) for v in astuple(row)])
    for column, width in enumerate(COLUMN_WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.save(path)


def _safe_cell(value: str) -> str:
    """Text that Excel will not run as a formula, without control characters XLSX cannot hold."""
    clean = "".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 32)
    return "'" + clean if clean[:1] in ("=", "+", "-", "@") else clean


def _write_docx(rows: list[ExtractRow], path: Path, title: str) -> None:
    from docx import Document
    from docx.shared import Cm, Pt

    from desktop_app.formats.docx_writer import set_landscape

    document = Document()
    set_landscape(document, 1.8)
    if title:
        document.add_heading(title, level=1)
    table = document.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(header)
        run.bold = True
    widths = (Cm(8.5), Cm(2.6), Cm(2.6), Cm(2.6), Cm(2.6), Cm(2.6), Cm(2.4))  # fits landscape A4 and Letter
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, astuple(row), strict=True):
            cell.text = _docx_text(value)
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice and Word lay out by
    for line in table.rows:
        for cell, width in zip(line.cells, widths, strict=True):
            cell.width = width
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    document.save(str(path))


def _docx_text(value: str) -> str:
    """Text without the control characters XML 1.0 cannot hold."""
    return "".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 32)


def export_extracts(
    store: ProjectStore,
    code_ids: list[int],
    path: Path,
    fmt: str,
    *,
    include_subcodes: bool = True,
    attributes: Sequence[Pair] = (),
    layer: TextLayer = TextLayer.ORIGINAL,
) -> int:
    """Write the extract table of ``code_ids`` to ``path``; returns the number of extracts."""
    rows = extract_rows(store, code_ids, include_subcodes=include_subcodes, attributes=attributes, layer=layer)
    by_id = {c.id: c for c in coding_service.codes(store)}
    title = ", ".join(by_id[c].name for c in code_ids if c in by_id)
    if attributes:
        title += f" ({attribute_filter.describe(attributes)})"
    write_extract_table(rows, path, fmt, title=f"Extracts: {title}" if title else "Extracts")
    return len(rows)
