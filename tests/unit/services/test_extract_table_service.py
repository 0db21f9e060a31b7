"""The extract table (Table 1) from real codings: columns from the code tree, participant labels, files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from desktop_app.core.coding import TextPosition
from desktop_app.core.errors import ExportError
from desktop_app.services.analysis import extract_table_service as ets
from desktop_app.services.coding import codebook_service
from desktop_app.services.coding import coding_service as cs
from desktop_app.services.transcript import edit_service
from tests.fixtures.coding_study import CodingStudy


@pytest.fixture
def coded(study: CodingStudy) -> dict[str, int]:
    store = study.store
    first, second = study.documents
    theme = cs.add_code(store, "Connection")
    cs.update_code(store, theme, codable=False)
    sub = cs.add_code(store, "Peer support", parent_id=theme)
    code = cs.add_code(store, "Feeling alone", parent_id=sub)
    direct = cs.add_code(store, "Rotas", parent_id=theme)
    s = study.segment
    cs.apply_code(store, first, code, TextPosition(s(first, 1), 11), TextPosition(s(first, 1), 34))
    cs.apply_code(store, first, sub, TextPosition(s(first, 3), 0), TextPosition(s(first, 3), 40))
    cs.apply_code(store, second, direct, TextPosition(s(second, 2), 4), TextPosition(s(second, 2), 20))
    return {"theme": theme, "sub": sub, "code": code, "direct": direct}


def test_rows_take_their_columns_from_the_code_tree(study: CodingStudy, coded: dict[str, int]) -> None:
    rows = ets.extract_rows(study.store, [coded["theme"]])
    by_code = {r.code: r for r in rows}
    alone = by_code["Feeling alone"]
    assert (alone.extract, alone.sub_theme, alone.theme) == ("felt alone on the night", "Peer support", "Connection")
    assert alone.participant == "Peer support worker 5", "a speaker linked to a participant shows the participant"
    assert alone.document == "PSW 5 interview" and alone.time == "00:00:06–00:00:09"
    support = by_code["Peer support"]
    assert (support.sub_theme, support.theme) == ("", "Connection")
    assert support.extract == "Peer support made the difference for me."
    rota = by_code["Rotas"]
    assert (rota.participant, rota.theme, rota.extract) == ("S2", "Connection", "night-shift rota")
    assert [r.code for r in ets.extract_rows(study.store, [coded["sub"]], include_subcodes=False)] == ["Peer support"]
    twice = ets.extract_rows(study.store, [coded["sub"], coded["code"]])
    assert len(twice) == 2, "a coding reached through two selected codes is listed once"


def test_rows_follow_edits_of_the_coded_text(study: CodingStudy, coded: dict[str, int]) -> None:
    first = study.documents[0]
    edit_service.update_segment_text(
        study.store, study.segment(first, 1), "Honestly I felt very alone on the night shift, nobody to call."
    )
    (row,) = ets.extract_rows(study.store, [coded["code"]])
    assert row.extract == "felt very alone on the night"


def test_csv_xlsx_docx_hold_the_same_table(tmp_path: Path, study: CodingStudy, coded: dict[str, int]) -> None:
    count = ets.export_extracts(study.store, [coded["theme"]], tmp_path / "t.csv", "csv")
    with (tmp_path / "t.csv").open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert count == 3 and table[0] == list(ets.HEADERS) and len(table) == 4
    ets.export_extracts(study.store, [coded["theme"]], tmp_path / "t.xlsx", "xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx").active
    assert sheet is not None
    assert [[c.value or "" for c in row] for row in sheet.iter_rows()] == table
    assert sheet.freeze_panes == "A2"
    ets.export_extracts(study.store, [coded["theme"]], tmp_path / "t.docx", "docx")
    docx_table = Document(str(tmp_path / "t.docx")).tables[0]
    assert [[c.text for c in row.cells] for row in docx_table.rows] == table


def test_hostile_text_is_neutralised(tmp_path: Path, study: CodingStudy, coded: dict[str, int]) -> None:
    segment = study.segment(study.documents[0], 3)
    edit_service.update_segment_text(study.store, segment, '=HYPERLINK("x") made the difference\x07 for me.')
    ets.export_extracts(study.store, [coded["sub"]], tmp_path / "t.xlsx", "xlsx", include_subcodes=False)
    sheet = load_workbook(tmp_path / "t.xlsx").active
    assert sheet is not None
    value = str(sheet["A2"].value)
    assert value.startswith("'=") and "\x07" not in value
    ets.export_extracts(study.store, [coded["sub"]], tmp_path / "t.docx", "docx", include_subcodes=False)
    assert Document(str(tmp_path / "t.docx")).tables[0].rows[1].cells[0].text.startswith("=HYPERLINK")


def test_errors_name_the_file(tmp_path: Path, study: CodingStudy, coded: dict[str, int]) -> None:
    with pytest.raises(ExportError, match="unknown table format"):
        ets.export_extracts(study.store, [coded["code"]], tmp_path / "t.pdf", "pdf")
    missing = tmp_path / "no such folder" / "t.csv"
    with pytest.raises(ExportError, match="cannot be written") as caught:
        ets.export_extracts(study.store, [coded["code"]], missing, "csv")
    assert str(missing) in caught.value.message


def test_codebook_rows_in_tree_order_with_usage(tmp_path: Path, study: CodingStudy, coded: dict[str, int]) -> None:
    rows = codebook_service.codebook_rows(study.store)
    assert [r["Path"] for r in rows] == [
        "Connection",
        "Connection > Peer support",
        "Connection > Peer support > Feeling alone",
        "Connection > Rotas",
    ]
    assert [(r["Codings"], r["Documents"], r["Codable"]) for r in rows][:2] == [(0, 0, "no"), (1, 1, "yes")]
    assert codebook_service.export_codebook_csv(study.store, tmp_path / "codebook.csv") == 4
