"""The workspace's Analysis page on real studies: speaking time, the co-occurrence heat map (a click
shows the overlapping extracts, a double-click opens one in the transcript), code frequencies,
intercoder agreement and the C–M–O table, with their exports."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.gui.analysis.analysis_panel import AnalysisPanel
from desktop_app.gui.analysis.bar_chart import Bar
from desktop_app.gui.analysis.cooccurrence_heatmap import SCALE, heat_color
from desktop_app.gui.analysis.summary_table_model import SummaryTableModel
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.gui.shell.study_workspace import StudyWorkspace
from desktop_app.services.coding import realist_service
from desktop_app.services.study import project_service, security_service
from tests.fixtures.analysis_study import AnalysisStudy, code_text, make_analysis_study
from tests.fixtures.coding_study import INTERVIEW_1
from tests.fixtures.realistic_analysis_study import RealisticStudy, make_realistic_study

SCREENSHOTS = Path(os.environ.get("VERBATIM_SCREENSHOTS", "")) if os.environ.get("VERBATIM_SCREENSHOTS") else None
WAIT_MS = 10_000


@pytest.fixture
def study(tmp_path: Path) -> Iterator[AnalysisStudy]:
    built = make_analysis_study(tmp_path)
    yield built
    built.store.close()


def _workspace(qtbot: QtBot, store: object, document: int) -> StudyWorkspace:
    ws = StudyWorkspace(store, AppSettings())  # type: ignore[arg-type]
    qtbot.addWidget(ws)
    ws.resize(1400, 900)
    ws.show()
    ws.explorer.select(document)
    ws.pages.setCurrentWidget(ws.analysis)
    return ws


@pytest.fixture
def workspace(qtbot: QtBot, study: AnalysisStudy) -> StudyWorkspace:
    return _workspace(qtbot, study.store, study.base.documents[0])


def _open(qtbot: QtBot, panel: AnalysisPanel, page: QWidget) -> None:
    panel.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: not page.reader.busy, timeout=WAIT_MS)  # type: ignore[attr-defined]


def _shown(bars: list[Bar]) -> list[tuple[str, str]]:
    return [(b.label, b.text) for b in bars]


def _cells(model: SummaryTableModel) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def _save_as(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(path), "")))


def test_speaking_time_per_speaker_and_per_participant_group(
    qtbot: QtBot, workspace: StudyWorkspace, study: AnalysisStudy
) -> None:
    page = workspace.analysis.speaking
    qtbot.waitUntil(lambda: bool(page.chart.bars), timeout=WAIT_MS)
    # Words are 0.4 s long, 0.5 s apart: S2 says 11 + 13 words (5.4 + 6.4 s), S1 10 + 4 words (4.9 + 1.9 s).
    assert _shown(page.chart.bars) == [("Maria · Peer support worker 5", "12 s · 63%"), ("S1", "7 s · 37%")]
    assert page.chart.axis_title == "seconds"
    assert "19 s of talk by 2 speakers" in page.summary.text()
    assert "24 words" in page.chart.bars[0].tooltip and "2 turns" in page.chart.bars[0].tooltip
    page.scope.setCurrentIndex(page.scope.findData("study"))
    page.group_by.setCurrentIndex(page.group_by.findData("group"))
    qtbot.waitUntil(lambda: any(b.heading for b in page.chart.bars) and not page.reader.busy, timeout=WAIT_MS)
    # M2 speaks 11 + 7 words (5.4 + 3.4 s); the two unlinked interviewers 6.8 + 1.9 s; 29.3 s in all.
    assert _shown(page.chart.bars) == [
        ("Peer support worker", "1 participant · 12 s · 40%"),
        ("Peer support worker 5", "12 s · 40%"),
        ("Manager", "1 participant · 9 s · 30%"),
        ("M2", "9 s · 30%"),
        ("Not linked to a participant", "2 speakers · 9 s · 30%"),
        ("PSW 5 interview: S1", "7 s · 23%"),
        ("Manager 2 interview: S1", "2 s · 6%"),
    ]
    assert "9 s · 30%" in page.chart.bars[3].text and page.chart.bars[1].parts[0][1] != page.chart.bars[3].parts[0][1]
    workspace.explorer.select(study.base.documents[1])
    page.scope.setCurrentIndex(page.scope.findData("document"))
    qtbot.waitUntil(lambda: bool(page.chart.bars) and page.chart.bars[0].label == "M2", timeout=WAIT_MS)


def test_clicking_a_heat_map_cell_shows_the_overlapping_extracts_and_opens_one(
    qtbot: QtBot, workspace: StudyWorkspace, study: AnalysisStudy
) -> None:
    panel, codes = workspace.analysis, study.codes
    page = panel.cooccurrence
    _open(qtbot, panel, page)
    heat = page.heatmap.heat
    assert [c.name for c in heat.codes] == ["Isolation", "Night shifts", "Peer support", "Supervision"]
    assert heat.count(codes["Isolation"], codes["Night shifts"]) == 1
    assert heat.count(codes["Isolation"], codes["Peer support"]) == 1
    assert heat.count(codes["Peer support"], codes["Supervision"]) == 0, "touching is not overlapping"
    assert heat.count(codes["Peer support"], codes["Peer support"]) == 2, "the diagonal counts the code's codings"
    assert "2 overlapping pairs" in page.summary.text()
    cell = page.heatmap.cell_rect(codes["Isolation"], codes["Peer support"])
    assert "1 overlapping pair of codings" in heat.data(
        page.heatmap.indexAt(cell.center()), Qt.ItemDataRole.ToolTipRole
    )
    qtbot.mouseClick(page.heatmap.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    qtbot.waitUntil(lambda: page.extracts.rowCount() == 2, timeout=WAIT_MS)
    shown = [(e.text, e.code.name, e.speaker) for e in page.extracts.extracts]
    assert shown == [
        ("peer support filled the gap", "Peer support", "M2"),
        ("the gap when managers didn't.", "Isolation", "M2"),
    ]
    assert (
        "Isolation and Peer support overlap" in page.extracts_title.text()
        and "2 extracts" in page.extracts_title.text()
    )
    played: list[float] = []
    workspace.player.play_from = played.append  # type: ignore[method-assign, assignment]
    row = page.extracts_table.visualRect(page.extracts.index(1, 0)).center()
    qtbot.mouseClick(page.extracts_table.viewport(), Qt.MouseButton.LeftButton, pos=row)  # a double-click's
    qtbot.mouseDClick(page.extracts_table.viewport(), Qt.MouseButton.LeftButton, pos=row)  # first press, then it
    manager = study.base.documents[1]
    assert workspace.pages.currentIndex() == 0, "back to the transcript"
    assert workspace.current_id == manager and workspace.view.current_row() == 1
    assert played and played[0] == pytest.approx(page.extracts.extracts[1].coding.start_time)


def test_heat_map_of_the_selected_document_and_the_diagonal(
    qtbot: QtBot, workspace: StudyWorkspace, study: AnalysisStudy
) -> None:
    panel, codes = workspace.analysis, study.codes
    page = panel.cooccurrence
    _open(qtbot, panel, page)
    page.scope.setCurrentIndex(page.scope.findData("document"))
    qtbot.waitUntil(lambda: len(page.heatmap.heat.codes) == 3, timeout=WAIT_MS)
    heat = page.heatmap.heat
    assert [c.name for c in heat.codes] == ["Isolation", "Night shifts", "Peer support"], "PSW 5 interview only"
    assert heat.count(codes["Isolation"], codes["Peer support"]) == 0
    page.choose(codes["Night shifts"], codes["Night shifts"])
    qtbot.waitUntil(lambda: page.extracts.rowCount() == 1, timeout=WAIT_MS)
    assert (
        page.extracts.extracts[0].text == "the night shift" and "Extracts of Night shifts" in page.extracts_title.text()
    )


def test_heat_colours_run_from_light_to_dark() -> None:
    assert heat_color(0, 5).name() == "#fbfbfb"
    assert heat_color(1, 5).name() == SCALE[0] and heat_color(5, 5).name() == SCALE[-1]
    assert heat_color(3, 5).lightnessF() < heat_color(2, 5).lightnessF()


def test_code_frequencies_by_group_with_chart_and_csv_export(
    qtbot: QtBot, workspace: StudyWorkspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    panel = workspace.analysis
    page = panel.frequencies
    _open(qtbot, panel, page)
    assert page.model.table.headers == ["Code", "PSW 5 interview", "Manager 2 interview", "Total"], "by document first"
    page.by.setCurrentIndex(page.by.findData("group"))
    qtbot.waitUntil(
        lambda: page.model.table.headers == ["Code", "Peer support worker", "Manager", "Total"], timeout=WAIT_MS
    )
    assert _cells(page.model) == [
        ["Isolation", "1", "1", "2"],
        ["    Night shifts", "1", "1", "2"],
        ["Support", "0", "0", "0"],
        ["    Peer support", "1", "1", "2"],
        ["    Supervision", "0", "1", "1"],
    ]
    assert [(b.label, b.text, [v for v, _c in b.parts]) for b in page.chart.bars] == [
        ("Isolation", "2", [1.0, 1.0]),
        ("Night shifts", "2", [1.0, 1.0]),
        ("Peer support", "2", [1.0, 1.0]),
        ("Supervision", "1", [0.0, 1.0]),
    ]
    assert [name for name, _c in page.chart.legend] == ["Peer support worker", "Manager"]
    page.chart_box.setChecked(False)
    assert not page.chart_area.isVisible()
    target = tmp_path / "frequencies.csv"
    _save_as(monkeypatch, target)
    page.export_button.click()
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Code", "Peer support worker", "Manager", "Total"]
    assert rows[5] == ["    Supervision", "0", "1", "1"]


def test_intercoder_agreement_for_two_chosen_coders_and_xlsx_export(
    qtbot: QtBot, workspace: StudyWorkspace, study: AnalysisStudy, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    base, isolation = study.base, study.codes["Isolation"]
    psw = base.documents[0]
    code_text(base, psw, 1, "felt alone on the night shift", isolation, coder="AB")  # 29 characters
    code_text(base, psw, 1, "alone on the night shift", isolation, coder="CD")  # 24 of them
    panel = workspace.analysis
    page = panel.agreement
    _open(qtbot, panel, page)
    assert [page.coder_a.itemText(i) for i in range(page.coder_a.count())] == ["(no coder name)", "AB", "CD"]
    page.coder_a.setCurrentIndex(page.coder_a.findData("AB"))
    page.coder_b.setCurrentIndex(page.coder_b.findData("CD"))
    page.compare_button.click()
    qtbot.waitUntil(lambda: page.report is not None and page.report.coder_b == "CD", timeout=WAIT_MS)
    total = sum(len(text) for _speaker, text in INTERVIEW_1)
    a_yes, b_yes = 29 / total, 24 / total
    observed = (total - 5) / total
    chance = a_yes * b_yes + (1 - a_yes) * (1 - b_yes)
    kappa = (observed - chance) / (1 - chance)
    assert _cells(page.model) == [
        ["Isolation", f"{observed:.1%}", f"{kappa:.3f}", "24", "5", "0", str(total - 29), str(total)]
    ]
    assert page.model.table.headers[4:6] == ["Only AB", "Only CD"]
    assert "over 1 document(s), 1 codes" in page.summary.text()
    shade = page.model.index(0, 2).data(Qt.ItemDataRole.BackgroundRole)
    assert shade is not None and shade.name() == "#cfe8c6", f"kappa {kappa:.2f} is almost perfect"
    target = tmp_path / "agreement.xlsx"
    _save_as(monkeypatch, target)
    page.export_button.click()
    sheet = load_workbook(target).active
    assert [c.value for c in sheet[1]][:3] == ["Code", "Agreement", "Cohen's kappa"]
    assert [c.value for c in sheet[2]][:4] == ["Isolation", f"{observed:.1%}", f"{kappa:.3f}", "24"]


def test_intercoder_page_explains_what_is_missing(qtbot: QtBot, workspace: StudyWorkspace) -> None:
    panel = workspace.analysis
    _open(qtbot, panel, panel.agreement)
    assert panel.agreement.coder_a.count() == 1 and not panel.agreement.compare_button.isEnabled()
    assert "two coders" in panel.agreement.summary.text() and not panel.agreement.export_button.isEnabled()


def test_cmo_table_for_the_study_and_the_selected_document(
    qtbot: QtBot, workspace: StudyWorkspace, study: AnalysisStudy, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store, c = study.store, study.codings
    realist_service.tag_coding(store, c["psw night"], "context")
    realist_service.tag_coding(store, c["psw peer"], "mechanism")
    realist_service.tag_coding(store, c["mgr isolation"], "outcome")
    realist_service.add_configuration(
        store, "Peer support at night", [c["psw night"], c["psw peer"], c["mgr isolation"]]
    )
    panel = workspace.analysis
    page = panel.cmo
    _open(qtbot, panel, page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=WAIT_MS)
    assert _cells(page.model) == [
        [
            "Peer support at night",
            "PSW 5 interview",
            "“the night shift” (Peer support worker 5)",
            "“Peer support made the difference for me.” (Peer support worker 5)",
            "",
            "",
        ],
        ["Peer support at night", "Manager 2 interview", "", "", "", "“the gap when managers didn't.” (M2)"],
    ]
    page.scope.setCurrentIndex(page.scope.findData("document"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT_MS)
    assert page.model.index(0, 1).data() == "PSW 5 interview"
    target = tmp_path / "cmo.csv"
    _save_as(monkeypatch, target)
    page.export_button.click()
    with target.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle))[1][:3] == [
            "Peer support at night",
            "PSW 5 interview",
            "“the night shift” (Peer support worker 5)",
        ]


def test_an_encrypted_study_is_counted_through_its_passphrase(qtbot: QtBot, tmp_path: Path) -> None:
    """The background reads open the study again: an encrypted one with the window's passphrase."""
    built = make_analysis_study(tmp_path)
    path, isolation, peer = built.store.path, built.codes["Isolation"], built.codes["Peer support"]
    built.store.close()
    security_service.encrypt_study(path, "blue kettle 42")
    store = project_service.open_project(path, passphrase="blue kettle 42")
    try:
        ws = _workspace(qtbot, store, built.base.documents[0])
        page = ws.analysis.cooccurrence
        _open(qtbot, ws.analysis, page)
        assert page.heatmap.heat.count(isolation, peer) == 1
        ws.shutdown()
    finally:
        store.close()


def test_refresh_counts_new_codings(qtbot: QtBot, workspace: StudyWorkspace, study: AnalysisStudy) -> None:
    panel, codes = workspace.analysis, study.codes
    page = panel.cooccurrence
    _open(qtbot, panel, page)
    assert page.heatmap.heat.count(codes["Supervision"], codes["Night shifts"]) == 0
    code_text(study.base, study.base.documents[1], 1, "Supervision was rare", codes["Night shifts"])
    panel.refresh_current()
    qtbot.waitUntil(lambda: page.heatmap.heat.count(codes["Supervision"], codes["Night shifts"]) == 1, timeout=WAIT_MS)


def test_every_view_of_a_realistic_study(qtbot: QtBot, tmp_path: Path) -> None:
    """Five documents, nine participants, sixteen codes used, two coders: the numbers agree with the
    study; with VERBATIM_SCREENSHOTS set, each view is saved there (to look at)."""
    built: RealisticStudy = make_realistic_study(tmp_path)
    ws = _workspace(qtbot, built.store, built.documents[4])
    panel = ws.analysis
    qtbot.waitUntil(lambda: len(panel.speaking.chart.bars) == 6, timeout=WAIT_MS)
    shots: list[tuple[str, QWidget]] = [("analysis-speaking-time-document", panel.speaking)]
    _open(qtbot, panel, panel.cooccurrence)
    heat = panel.cooccurrence.heatmap.heat
    assert len(heat.codes) == 16 and all(heat.counts[i][j] == heat.counts[j][i] for i in range(16) for j in range(16))
    codings = built.store.db.execute("SELECT COUNT(*) FROM codings").fetchone()[0]
    assert sum(heat.counts[i][i] for i in range(16)) == codings
    panel.cooccurrence.choose(built.codes["Night shifts"], built.codes["Lone working"])
    qtbot.waitUntil(lambda: panel.cooccurrence.extracts.rowCount() > 0, timeout=WAIT_MS)
    shots.append(("analysis-cooccurrence", panel.cooccurrence))
    _open(qtbot, panel, panel.frequencies)
    assert sum(int(r[-1]) for r in panel.frequencies.model.table.rows) == codings
    shots.append(("analysis-frequencies", panel.frequencies))
    _open(qtbot, panel, panel.agreement)
    assert panel.agreement.report is not None and len(panel.agreement.report.documents) == 2
    shots.append(("analysis-intercoder", panel.agreement))
    _open(qtbot, panel, panel.cmo)
    assert {r[0] for r in panel.cmo.model.table.rows} == {"Peer support at night", "Short staffing"}
    shots.append(("analysis-cmo", panel.cmo))
    for _name, page in shots:
        panel.tabs.setCurrentWidget(page)
        qtbot.waitUntil(lambda page=page: not page.reader.busy, timeout=WAIT_MS)  # type: ignore[misc]
        if SCREENSHOTS:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            ws.pages.grab().save(str(SCREENSHOTS / f"{_name}.png"))
