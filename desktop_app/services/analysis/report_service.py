"""Outputs for the write-up: quote lists per theme, a member-checking report (DOCX), and summary
tables (Table 2, CMO table) as DOCX, XLSX or CSV.

Quotes read "“…” — Peer support worker 5": the label is the participant's quote label under the
study's template, else the speaker's name. Pseudonymised output passes quotes and labels through
the study's pseudonym table.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from desktop_app.core.coding import Code
from desktop_app.core.errors import ExportError
from desktop_app.core.text.text_layer import TextLayer
from desktop_app.core.timecode import format_hms
from desktop_app.services.analysis import analysis_service
from desktop_app.services.analysis.analysis_service import AnalysisExtract
from desktop_app.services.analysis.analysis_tables import SummaryTable
from desktop_app.services.coding import coding_service
from desktop_app.services.coding.codebook_service import ordered_tree
from desktop_app.services.participants import participant_service, pseudonym_service
from desktop_app.services.transcription import translation_layer
from desktop_app.storage.project_store import ProjectStore

TABLE_FORMATS = ("docx", "xlsx", "csv")
QUOTE_MARKS = ("“", "”")


@dataclass(frozen=True)
class ReportOptions:
    pseudonymise: bool = False
    quotes_per_theme: int = 3  # member-checking report only
    title: str = ""
    text_layer: TextLayer = TextLayer.ORIGINAL  # quotes in the original, their English, or both


@dataclass(frozen=True)
class Theme:
    code: Code
    sub_codes: list[Code]
    extracts: list[AnalysisExtract]


def themes(store: ProjectStore) -> list[Theme]:
    """Root codes in codebook order, with their sub-codes and all extracts under them."""
    tree = ordered_tree(coding_service.codes(store))
    result = []
    for index, (depth, code) in enumerate(tree):
        if depth:
            continue
        below = []
        for inner_depth, inner in tree[index + 1 :]:
            if inner_depth == 0:
                break
            below.append(inner)
        query = analysis_service.CodeQuery(any_of=[code.id])
        result.append(Theme(code, below, analysis_service.retrieve(store, query)))
    return result


def _transform(store: ProjectStore, options: ReportOptions) -> Callable[[str], str]:
    return pseudonym_service.text_transform(store) if options.pseudonymise else (lambda text: text)


def quote_label(extract: AnalysisExtract, labels: dict[str, str]) -> str:
    if extract.participant:
        return labels.get(extract.participant, extract.participant)
    return extract.speaker or "Participant"


def format_quote(extract: AnalysisExtract, labels: dict[str, str], transform: Callable[[str], str]) -> str:
    """“text” — label"""
    return f"{QUOTE_MARKS[0]}{transform(extract.text)}{QUOTE_MARKS[1]} — {transform(quote_label(extract, labels))}"


def _in_layer(store: ProjectStore, extract: AnalysisExtract, layer: TextLayer) -> AnalysisExtract:
    """The quote's words in the chosen text layer (codings stay on the original; see translation_layer)."""
    return replace(extract, text=translation_layer.extract_text(store, extract.coding, extract.text, layer))


def _where(extract: AnalysisExtract) -> str:
    start = extract.coding.start_time
    return f"{extract.document_title}, {format_hms(start)}" if start is not None else extract.document_title


def write_quote_list(store: ProjectStore, path: Path, options: ReportOptions = ReportOptions()) -> int:
    """Every extract as a labelled quote, under its theme and code; returns the number of quotes."""
    labels, transform = participant_service.quote_labels(store), _transform(store, options)
    by_id = {c.id: c for c in coding_service.codes(store)}
    document = _new_document(options.title or f"Quotes by theme: {store.study()['name']}")
    count = 0
    for theme in themes(store):
        if not theme.extracts:
            continue
        document.add_heading(theme.code.name, level=1)
        _description(document, theme.code.description)
        for code in [theme.code, *theme.sub_codes]:
            quotes = [e for e in theme.extracts if e.code.id == code.id]
            if not quotes:
                continue
            if code.id != theme.code.id:
                document.add_heading(" > ".join(c.name for c in _path(by_id, code)[1:]), level=2)
            for extract in quotes:
                extract = _in_layer(store, extract, options.text_layer)
                _quote(document, format_quote(extract, labels, transform), _where(extract))
                count += 1
    _save(document, path)
    return count


def write_member_check(store: ProjectStore, path: Path, options: ReportOptions = ReportOptions()) -> int:
    """Themes with descriptions, sub-themes and a few illustrative quotes, for participants to read."""
    labels, transform = participant_service.quote_labels(store), _transform(store, options)
    document = _new_document(options.title or "What we heard: a summary for participants")
    document.add_paragraph(
        "This summary describes the main themes from the interviews, with a few quotes in "
        "participants' own words. Please tell us whether it reflects your experience, and what is "
        "missing or wrong."
    )
    count = 0
    for theme in themes(store):
        document.add_heading(theme.code.name, level=1)
        _description(document, theme.code.description or "(no description yet)")
        for code in theme.sub_codes:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(code.name).bold = True
            if code.description:
                paragraph.add_run(f": {code.description}")
        for extract in illustrative(theme.extracts, options.quotes_per_theme):
            extract = _in_layer(store, extract, options.text_layer)
            _quote(document, format_quote(extract, labels, transform), "")
            count += 1
    _save(document, path)
    return count


def illustrative(extracts: list[AnalysisExtract], limit: int) -> list[AnalysisExtract]:
    """Up to ``limit`` quotes of readable length, from as many different speakers as possible."""
    readable = sorted(extracts, key=lambda e: (not 40 <= len(e.text) <= 600, -len(e.text)))
    chosen: list[AnalysisExtract] = []
    voices: set[str | None] = set()
    for extract in readable:  # one per voice first, readable length and longest first
        voice = extract.participant or extract.speaker
        if voice not in voices and len(chosen) < limit:
            chosen.append(extract)
            voices.add(voice)
    chosen += [e for e in readable if e not in chosen][: max(0, limit - len(chosen))]
    return chosen


def _path(by_id: dict[int, Code], code: Code) -> list[Code]:
    from desktop_app.services.coding.codebook_service import code_path

    return code_path(by_id, code.id)


# --- DOCX helpers --------------------------------------------------------------------------------


def _new_document(title: str) -> Any:
    from docx import Document

    document = Document()
    document.add_heading(_clean(title), level=0)
    return document


def _description(document: Any, text: str) -> None:
    if text:
        document.add_paragraph().add_run(_clean(text)).italic = True


def _quote(document: Any, quote: str, where: str) -> None:
    from docx.shared import Cm, Pt, RGBColor

    paragraph = document.add_paragraph(_clean(quote))
    paragraph.paragraph_format.left_indent = Cm(1)
    paragraph.paragraph_format.space_after = Pt(2 if where else 8)
    if where:
        note = document.add_paragraph()
        note.paragraph_format.left_indent = Cm(1)
        run = note.add_run(_clean(where))
        run.font.size, run.font.color.rgb = Pt(8), RGBColor(0x70, 0x70, 0x70)


def _clean(value: str) -> str:
    """Text without the control characters XML 1.0 cannot hold."""
    return "".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 32)


def _save(document: Any, path: Path) -> None:
    try:
        document.save(str(path))
    except OSError as exc:
        raise ExportError(path, f"cannot be written ({exc.strerror or exc})") from exc


# --- summary tables ------------------------------------------------------------------------------


def write_table(table: SummaryTable, path: Path, fmt: str | None = None) -> Path:
    """Write a summary table as DOCX, XLSX or CSV (from ``fmt`` or the file's suffix)."""
    fmt = (fmt or path.suffix).lower().lstrip(".")
    if fmt not in TABLE_FORMATS:
        raise ExportError(path, f"unknown table format {fmt!r} (use {', '.join(TABLE_FORMATS)})")
    try:
        {"csv": _table_csv, "xlsx": _table_xlsx, "docx": _table_docx}[fmt](table, path)
    except OSError as exc:
        raise ExportError(path, f"cannot be written ({exc.strerror or exc})") from exc
    return path


def _table_csv(table: SummaryTable, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.headers)
        writer.writerows(table.rows)


def _safe_cell(value: str) -> str:
    clean = _clean(value)
    return "'" + clean if clean[:1] in ("=", "+", "-", "@") else clean


def _table_xlsx(table: SummaryTable, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.title[:31].translate(str.maketrans("", "", "[]:*?/\\")) or "Table"
    sheet.append(table.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_safe_cell(v) for v in row])
    for note in table.notes:
        sheet.append([_safe_cell(note)])
    for column in range(1, len(table.headers) + 1):
        longest = max(
            (len(line) for r in [table.headers, *table.rows] for line in r[column - 1].split("\n")), default=8
        )
        sheet.column_dimensions[get_column_letter(column)].width = min(60, max(10, longest + 2))
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # print all columns on one page's width
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    book.save(path)


def _table_docx(table: SummaryTable, path: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    from desktop_app.formats.docx_writer import set_landscape

    document = Document()
    if len(table.headers) >= 5:
        set_landscape(document, 1.8)
    document.add_heading(_clean(table.title), level=1)
    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.paragraphs[0].add_run(_clean(header)).bold = True
    for row in table.rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            cell.text = _clean(value)
    for line in grid.rows:
        for cell in line.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    for note in table.notes:
        document.add_paragraph(_clean(note)).runs[0].italic = True
    document.save(str(path))


