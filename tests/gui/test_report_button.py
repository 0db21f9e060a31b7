"""Reports from the Analysis page: the quote list per theme and the member-checking report, written
as Word documents through the report service (optionally pseudonymised), after a save dialog."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop_app.gui.shell.study_workspace import StudyWorkspace
from desktop_app.services.participants import pseudonym_service
from tests.fixtures.analysis_study import AnalysisStudy
from tests.gui import test_analysis_panel as analysis_panel

SCREENSHOTS = Path(os.environ.get("VERBATIM_SCREENSHOTS", "")) if os.environ.get("VERBATIM_SCREENSHOTS") else None


pytestmark = pytest.mark.usefixtures("errors")  # error dialogs recorded (tests/gui/conftest.py)
study, workspace = analysis_panel.study, analysis_panel.workspace  # the same study and window as the analysis tests


def _save_as(monkeypatch: pytest.MonkeyPatch, path: str) -> list[str]:
    asked: list[str] = []

    def answer(_parent: object, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return path, "Word (*.docx)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    return asked


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_quote_list_per_theme_from_the_reports_menu(
    qtbot: QtBot, workspace: StudyWorkspace, study: AnalysisStudy, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    button = workspace.analysis.reports
    asked = _save_as(monkeypatch, str(tmp_path / "quotes"))  # no suffix typed: .docx is added
    button.actions_by_kind["quotes"].trigger()
    target = tmp_path / "quotes.docx"
    assert asked == [str(study.store.path.parent / "coding quotes by theme.docx")]
    text = _paragraphs(target)
    assert text[:5] == [
        "Quotes by theme: coding",
        "Isolation",
        "Being alone with the work.",
        "“felt alone on the night shift” — Peer support worker 5",
        "PSW 5 interview, 00:00:06",
    ]
    assert "“the gap when managers didn't.” — M2" in text
    support = text.index("Support")
    assert text[support + 2 : support + 4] == [
        "Peer support",
        "“Peer support made the difference for me.” — Peer support worker 5",
    ]
    assert workspace.export_notice.isVisible() and workspace.export_notice.path == target
    assert workspace.export_notice.label.text() == f"Exported to {target.name} · 7 quotes"
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        workspace.analysis.grab().save(str(SCREENSHOTS / "analysis_reports.png"))


def test_member_checking_report_pseudonymised_and_a_folder_that_cannot_be_written(
    qtbot: QtBot,
    workspace: StudyWorkspace,
    study: AnalysisStudy,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    errors: list[str],
) -> None:
    pseudonym_service.add_pseudonym(study.store, "managers", "team leads")
    button = workspace.analysis.reports
    button.pseudonymise.setChecked(True)
    target = tmp_path / "member check.docx"
    _save_as(monkeypatch, str(target))
    assert button.ask_write("member_check") == target
    text = _paragraphs(target)
    assert text[0] == "What we heard: a summary for participants"
    assert any("team leads" in line for line in text) and not any("managers" in line for line in text)
    assert "(pseudonymised)" in workspace.export_notice.label.text()  # "Exported to … · N quotes (pseudonymised)"
    _save_as(monkeypatch, str(tmp_path / "missing folder" / "report.docx"))
    assert button.ask_write("quotes") is None
    assert len(errors) == 1 and "report.docx" in errors[0] and "cannot be written" in errors[0]


def test_cancelling_the_save_dialog_writes_nothing(
    qtbot: QtBot, workspace: StudyWorkspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _save_as(monkeypatch, "")
    assert workspace.analysis.reports.ask_write("quotes") is None
    assert list(tmp_path.glob("*.docx")) == []
