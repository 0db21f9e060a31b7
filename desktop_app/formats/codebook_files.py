"""Which reader a codebook file needs (CSV, XLSX or DOCX), with the checks every file gets first.

The table machinery the three share lives in :mod:`codebook_reader`; Word documents are read by
:mod:`codebook_docx_reader`. Dispatching here, above both, keeps them free of a cycle.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from desktop_app.core.errors import ExportError
from desktop_app.formats.codebook_docx_reader import read_docx_codebook
from desktop_app.formats.codebook_reader import CodebookFile, find_header, table_entries

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".docx")
MAX_BYTES = 64 * 1024 * 1024


def read_codebook(path: Path) -> CodebookFile:
    """The codes in a CSV, XLSX or DOCX codebook, in file order."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ExportError(path, "is not a codebook file this version reads (use .csv, .xlsx or .docx)")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExportError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if size > MAX_BYTES:
        raise ExportError(path, f"is {size // 2**20} MB: too large for a codebook")
    if suffix == ".docx":
        result = read_docx_codebook(path)
    elif suffix == ".xlsx":
        result = _read_xlsx(path)
    else:
        result = _read_csv(path)
    if not result.entries:
        raise ExportError(path, "holds no codes")
    return result


# ----- CSV and XLSX -----------------------------------------------------------------------------


def _read_csv(path: Path) -> CodebookFile:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExportError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if raw.startswith(b"PK\x03\x04") or b"\x00" in raw[:4096]:
        raise ExportError(path, "is not a text (CSV) file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    sample = [line for line in text.splitlines()[:20] if line.strip()] or [""]
    delimiter = max(",;\t", key=lambda d: max(line.count(d) for line in sample))  # a title row may come first
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ExportError(path, f"is not valid CSV ({exc})") from None
    return table_entries(path, rows, lambda number: f"row {number}")


def _read_xlsx(path: Path) -> CodebookFile:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ExportError(path, f"is not an Excel workbook (.xlsx) ({exc})") from None
    try:
        sheets = [(sheet.title, _sheet_rows(sheet)) for sheet in book.worksheets]
    finally:
        book.close()
    title, rows = next(((t, r) for t, r in sheets if find_header(r) is not None), sheets[0] if sheets else ("", []))
    if len(sheets) == 1:
        return table_entries(path, rows, lambda number: f"row {number}")
    return table_entries(path, rows, lambda number: f"sheet {title!r}, row {number}")


def _sheet_rows(sheet: Any) -> list[list[str]]:
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
