"""Realist evaluation from the GUI: mark extracts as Context / Mechanism (±) / Outcome from their
right-click menu, link them into a C–M–O configuration with the dialog, see it in the Analysis
page's C–M–O table, and undo it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from desktop_app.gui.coding.realist_dialog import NONE_CHOSEN, REALIST_MENU, RealistDialog
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.gui.shell.study_workspace import StudyWorkspace
from desktop_app.services.coding import realist_service
from desktop_app.services.coding.realist_service import Polarity, RealistTag, Role
from tests.fixtures.analysis_study import AnalysisStudy
from tests.gui import test_analysis_panel as analysis_panel

SCREENSHOTS = Path(os.environ.get("VERBATIM_SCREENSHOTS", "")) if os.environ.get("VERBATIM_SCREENSHOTS") else None
WAIT_MS = 10_000


pytestmark = pytest.mark.usefixtures("errors")  # error dialogs recorded (tests/gui/conftest.py)
study = analysis_panel.study  # the same study as the analysis tests


@pytest.fixture
def workspace(qtbot: QtBot, study: AnalysisStudy) -> StudyWorkspace:
    ws = StudyWorkspace(study.store, AppSettings())
    qtbot.addWidget(ws)
    ws.resize(1300, 800)
    ws.show()
    ws.explorer.select(study.base.documents[0])
    ws.left_tabs.setCurrentWidget(ws.coding.panel)
    return ws


def _realist_menu(ws: StudyWorkspace, code_id: int, coding_id: int) -> QMenu:
    """The "Tag for realist evaluation" submenu of the extract row showing ``coding_id`` under ``code_id``."""
    panel = ws.coding.extracts
    panel.show_code(code_id)
    row = next(r for r, e in enumerate(panel.model.extracts) if e.coding.id == coding_id)
    menu = panel.context_menu(row)
    assert menu is not None
    found = next(a for a in menu.actions() if a.text() == REALIST_MENU).menu()
    assert isinstance(found, QMenu)
    return found


def _trigger(menu: QMenu, text: str) -> None:
    next(a for a in menu.actions() if a.text() == text).trigger()


def _mark(ws: StudyWorkspace, code_id: int, coding_id: int, label: str) -> None:
    _trigger(_realist_menu(ws, code_id, coding_id), f"Mark as {label}")


def test_mark_extracts_link_them_and_see_the_configuration_in_the_cmo_table(
    qtbot: QtBot, workspace: StudyWorkspace, study: AnalysisStudy, errors: list[str]
) -> None:
    ws, codes, c = workspace, study.codes, study.codings
    store = study.store
    menu = _realist_menu(ws, codes["Night shifts"], c["psw night"])
    assert not any(a.isChecked() for a in menu.actions())
    link = next(a for a in menu.actions() if a.text().startswith("Link into"))
    assert not link.isEnabled(), "only a tagged coding can be linked"
    _mark(ws, codes["Night shifts"], c["psw night"], "Context")
    _mark(ws, codes["Peer support"], c["psw peer"], "Mechanism (+)")
    _mark(ws, codes["Peer support"], c["mgr peer"], "Mechanism (+)")
    _mark(ws, codes["Peer support"], c["mgr peer"], "Mechanism (−)")  # re-marking replaces
    _mark(ws, codes["Isolation"], c["mgr isolation"], "Outcome")
    assert realist_service.tags(store) == {
        c["psw night"]: RealistTag(c["psw night"], Role.CONTEXT),
        c["psw peer"]: RealistTag(c["psw peer"], Role.MECHANISM, Polarity.POSITIVE),
        c["mgr peer"]: RealistTag(c["mgr peer"], Role.MECHANISM, Polarity.NEGATIVE),
        c["mgr isolation"]: RealistTag(c["mgr isolation"], Role.OUTCOME),
    }
    assert "Outcome" in ws.status.currentMessage()
    menu = _realist_menu(ws, codes["Peer support"], c["mgr peer"])
    assert [a.text() for a in menu.actions() if a.isChecked()] == ["Mark as Mechanism (−)"]
    _trigger(menu, "Link into a C–M–O configuration…")
    (dialog,) = ws.findChildren(RealistDialog)
    assert dialog.isVisible() and dialog.name.text() == "Configuration 1"
    assert [dialog.mechanism.itemText(i)[:24] for i in range(dialog.mechanism.count())] == [
        NONE_CHOSEN,
        "(+) “Peer support made t",
        "(−) “peer support filled",
    ]
    assert dialog.context.count() == 2 and dialog.outcome.count() == 2
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(SCREENSHOTS / "realist_dialog.png"))
    dialog.name.setText("Peer support at night")
    dialog.choose(dialog.mechanism, c["psw peer"])
    dialog.notes.setPlainText("Peers are there when managers are not.")
    dialog.accept()
    assert not dialog.isVisible() and errors == []
    (configuration,) = realist_service.configurations(store)
    assert (configuration.name, configuration.notes, configuration.coding_ids) == (
        "Peer support at night",
        "Peers are there when managers are not.",
        [c["psw night"], c["psw peer"], c["mgr isolation"]],
    )
    ws.pages.setCurrentWidget(ws.analysis)
    page = ws.analysis.cmo
    ws.analysis.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=WAIT_MS)
    assert [page.model.index(r, 0).data() for r in range(2)] == ["Peer support at night"] * 2
    assert page.model.index(0, 3).data() == "“Peer support made the difference for me.” (Peer support worker 5)"
    ws.undo()
    assert realist_service.configurations(store) == [], "one undo removes the configuration"
    ws.analysis.refresh_current()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=WAIT_MS)
    assert c["mgr isolation"] in realist_service.tags(store), "the tags stay"


def test_a_configuration_needs_a_coding_and_a_name_and_untagging_undoes(
    qtbot: QtBot, workspace: StudyWorkspace, study: AnalysisStudy, errors: list[str]
) -> None:
    ws, codes, c = workspace, study.codes, study.codings
    _mark(ws, codes["Night shifts"], c["mgr night"], "Outcome")
    dialog = RealistDialog(study.store, ws)
    qtbot.addWidget(dialog)
    assert dialog.context.count() == 1 and dialog.outcome.currentData() == c["mgr night"]
    dialog.choose(dialog.outcome, None)
    dialog.accept()
    assert errors == ["Choose at least one tagged coding (context, mechanism or outcome)."]
    dialog.choose(dialog.outcome, c["mgr night"])
    dialog.name.setText("  ")
    dialog.accept()
    assert "needs a name" in errors[-1] and realist_service.configurations(study.store) == []
    _trigger(_realist_menu(ws, codes["Night shifts"], c["mgr night"]), "Remove realist tag")
    assert realist_service.tags(study.store) == {}
    ws.undo()
    assert list(realist_service.tags(study.store)) == [c["mgr night"]]


def test_the_codebook_tags_every_coding_of_a_code_in_one_step(
    qtbot: QtBot, workspace: StudyWorkspace, study: AnalysisStudy
) -> None:
    """Right-click a code › Tag for realist evaluation: a code often stands for one role."""
    ws, codes, c = workspace, study.codes, study.codings
    codebook = ws.coding.codebook
    codebook.select(codes["Peer support"])
    submenu = next(a for a in codebook.context_menu().actions() if a.text() == REALIST_MENU).menu()
    assert isinstance(submenu, QMenu)
    _trigger(submenu, "Mark all its codings as Mechanism (+)")
    peer = {
        coding: tag
        for coding, tag in realist_service.tags(study.store).items()
        if coding in (c["psw peer"], c["mgr peer"])
    }
    assert peer == {
        c["psw peer"]: RealistTag(c["psw peer"], Role.MECHANISM, Polarity.POSITIVE),
        c["mgr peer"]: RealistTag(c["mgr peer"], Role.MECHANISM, Polarity.POSITIVE),
    }
    assert "Marked 2 codings as Mechanism (+)" in ws.status.currentMessage()
    ws.undo()  # one step takes them all back
    assert not set(realist_service.tags(study.store)) & {c["psw peer"], c["mgr peer"]}
