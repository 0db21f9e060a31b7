"""Quote lists, member-checking reports and summary tables, read back from the files written."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from desktop_app.core.errors import ExportError
from desktop_app.services.analysis import report_service as rep
from desktop_app.services.analysis.analysis_tables import table2
from desktop_app.services.coding import realist_service
from desktop_app.services.participants import participant_service, pseudonym_service
from tests.fixtures.analysis_study import AnalysisStudy, code_text, make_analysis_study


@pytest.fixture
def study(tmp_path: Path) -> AnalysisStudy:
    built = make_analysis_study(tmp_path)
    participant_service.set_label_template(built.store, "{group} {number}")
    return built


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_quote_list_per_theme_with_participant_labels(study: AnalysisStudy, tmp_path: Path) -> None:
    out = tmp_path / "quotes.docx"
    assert rep.write_quote_list(study.store, out) == 7
    text = _paragraphs(out)
    assert text[0] == "Quotes by theme: coding"
    isolation, support = text.index("Isolation"), text.index("Support")
    assert text[isolation + 1] == "Being alone with the work."
    assert "“felt alone on the night shift” — Peer support worker 5" in text[isolation:support]
    assert "Night shifts" in text[isolation:support], "a sub-heading per code below the theme"
    assert "“Supervision was rare” — Manager 2" in text[support:]
    assert "Manager 2 interview, 00:00:02" in text[support:], "where the quote is: document and time"


def test_member_check_pseudonymised(study: AnalysisStudy, tmp_path: Path) -> None:
    plain, hidden = tmp_path / "member.docx", tmp_path / "member_pseudo.docx"
    rep.write_member_check(study.store, plain, rep.ReportOptions(quotes_per_theme=2))
    text = _paragraphs(plain)
    assert "Who helps, and how." in text and "Peer support" in text and "Supervision" in text
    support_quotes = [t for t in text[text.index("Support") :] if t.startswith("“")]
    assert len(support_quotes) == 2
    assert {q.rsplit("— ", 1)[1] for q in support_quotes} == {"Peer support worker 5", "Manager 2"}, "two voices"
    code_text(
        study.base, study.base.documents[0], 3, "Café meetings with other workers helped.", study.codes["Support"]
    )
    pseudonym_service.add_pseudonym(study.store, "Café", "[place]")
    rep.write_member_check(study.store, plain, rep.ReportOptions(quotes_per_theme=5))
    rep.write_member_check(study.store, hidden, rep.ReportOptions(quotes_per_theme=5, pseudonymise=True))
    assert any(t.startswith("“Café meetings") for t in _paragraphs(plain))
    assert "“[place] meetings with other workers helped.” — Peer support worker 5" in _paragraphs(hidden)
    assert not any("Café" in t for t in _paragraphs(hidden))


def test_tables_to_docx_xlsx_csv(study: AnalysisStudy, tmp_path: Path) -> None:
    table = table2(study.store, "group")
    rep.write_table(table, tmp_path / "t2.docx")
    rep.write_table(table, tmp_path / "t2.xlsx")
    rep.write_table(table, tmp_path / "t2.csv")
    grid = Document(str(tmp_path / "t2.docx")).tables[0]
    assert [c.text for c in grid.rows[0].cells] == table.headers
    assert [c.text for c in grid.rows[2].cells][0] == "age, mean (range)"
    sheet = load_workbook(tmp_path / "t2.xlsx").active
    assert sheet is not None and sheet["A2"].value == "Participants, n" and sheet["B1"].value == table.headers[1]
    with (tmp_path / "t2.csv").open(encoding="utf-8-sig") as handle:
        assert list(csv.reader(handle)) == [table.headers, *table.rows]
    realist_service.tag_coding(study.store, study.codings["psw night"], "context")
    realist_service.add_configuration(study.store, "Night work", [study.codings["psw night"]])
    rep.write_table(realist_service.cmo_table(study.store), tmp_path / "cmo.xlsx")
    cmo = load_workbook(tmp_path / "cmo.xlsx").active
    assert cmo is not None and cmo["C2"].value == "“the night shift” (Peer support worker 5)"
    with pytest.raises(ExportError, match="unknown table format 'pdf'"):
        rep.write_table(table, tmp_path / "t2.pdf")
