"""Frequency and agreement results as summary tables (what the Analysis view shows and exports), and the
study's coders, on a real coded study."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.services.analysis import analysis_service, intercoder_service, report_service
from desktop_app.services.analysis.analysis_summaries import agreement_summary, code_depths, coders, frequency_summary
from tests.fixtures.analysis_study import AnalysisStudy, code_text, make_analysis_study


@pytest.fixture
def study(tmp_path: Path) -> AnalysisStudy:
    return make_analysis_study(tmp_path)


def test_frequencies_by_document_with_indented_codes(study: AnalysisStudy) -> None:
    table = frequency_summary(analysis_service.frequencies(study.store))
    assert table.title == "Codings per code by document"
    assert table.headers == ["Code", "PSW 5 interview", "Manager 2 interview", "Total"]
    assert table.rows == [
        ["Isolation", "1", "1", "2"],
        ["    Night shifts", "1", "1", "2"],
        ["Support", "0", "0", "0"],
        ["    Peer support", "1", "1", "2"],
        ["    Supervision", "0", "1", "1"],
    ]


def test_participants_by_document_have_no_total_but_by_attribute_they_do(study: AnalysisStudy) -> None:
    by_document = frequency_summary(analysis_service.frequencies(study.store), cases=True)
    assert by_document.headers[-1] == "Manager 2 interview" and by_document.rows[0] == ["Isolation", "1", "1"]
    assert by_document.notes and "several documents" in by_document.notes[0]
    by_group = frequency_summary(analysis_service.frequencies(study.store, "group"), cases=True)
    assert by_group.title == "Participants per code by group"
    assert by_group.headers == ["Code", "Peer support worker", "Manager", "Total"] and not by_group.notes
    assert by_group.rows[4] == ["    Supervision", "0", "1", "1"]


def test_agreement_table_and_its_xlsx(study: AnalysisStudy, tmp_path: Path) -> None:
    base, isolation = study.base, study.codes["Isolation"]
    code_text(base, base.documents[0], 1, "felt alone on the night shift", isolation, coder="AB")
    code_text(base, base.documents[0], 1, "alone on the night shift", isolation, coder="CD")
    assert coders(study.store) == ["", "AB", "CD"]
    report = intercoder_service.compare_coders(study.store, "AB", "CD")
    table = agreement_summary(report)
    stats = report.by_code[0].stats
    assert table.headers == [
        "Code", "Agreement", "Cohen's kappa", "Both", "Only AB", "Only CD", "Neither", "Characters",
    ]  # fmt: skip
    assert table.rows == [
        ["Isolation", f"{stats.agreement:.1%}", f"{stats.kappa:.3f}", "24", "5", "0", str(stats.total - 29),
         str(stats.total)]
    ]  # fmt: skip
    assert table.notes == ["Compared at character level over 1 document(s): PSW 5 interview"]
    sheet = load_workbook(report_service.write_table(table, tmp_path / "kappa.xlsx")).active
    assert [c.value for c in sheet[2]][:4] == ["Isolation", f"{stats.agreement:.1%}", f"{stats.kappa:.3f}", "24"]


def test_code_depths_follow_the_tree(study: AnalysisStudy) -> None:
    from desktop_app.services.coding import coding_service

    depths = code_depths(coding_service.codes(study.store))
    assert depths[study.codes["Isolation"]] == 0 and depths[study.codes["Night shifts"]] == 1
