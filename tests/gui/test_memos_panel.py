"""The Memos tab: study and document memos saved after a pause, following the selection, undoable."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop_app.gui.coding.memos_panel import MEMO_SAVE_DELAY_MS, MemosPanel
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.gui.shell.study_workspace import StudyWorkspace
from desktop_app.services.coding import memo_service
from tests.fixtures.coding_study import CodingStudy


def _texts(study: CodingStudy, target_type: str, target_id: int | None = None) -> list[str]:
    return [m.text for m in memo_service.memos(study.store, target_type, target_id)]


def test_typing_is_saved_after_a_pause_and_follows_the_document(qtbot: QtBot, study: CodingStudy) -> None:
    first, second = study.documents
    memo_service.set_memo(study.store, "document", second, "Second interview: noisy café.")
    panel = MemosPanel(study.store)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.study_memo.isEnabled() and not panel.document_memo.isEnabled()  # no document selected yet

    panel.study_memo.setPlainText("RQ: how do night workers find support?")
    assert _texts(study, "study") == []  # not yet: saved after a short pause
    qtbot.waitUntil(lambda: _texts(study, "study") == ["RQ: how do night workers find support?"], timeout=3000)

    panel.show_document(first)
    assert panel.document_memo.isEnabled() and panel.document_memo.toPlainText() == ""
    panel.document_memo.setPlainText("Long pauses before answering.")
    panel.show_document(second)  # switching saves at once what was typed for the first
    assert _texts(study, "document", first) == ["Long pauses before answering."]
    assert panel.document_memo.toPlainText() == "Second interview: noisy café."
    assert "Memo on" in panel.document_label.text()

    panel.document_memo.setPlainText("")  # emptied: the memo is deleted
    qtbot.wait(MEMO_SAVE_DELAY_MS + 200)
    assert _texts(study, "document", second) == []
    panel.show_document(-1)
    assert not panel.document_memo.isEnabled() and panel.document_memo.toPlainText() == ""


def test_memos_tab_in_the_workspace_saves_before_undo(qtbot: QtBot, study: CodingStudy) -> None:
    workspace = StudyWorkspace(study.store, AppSettings())
    qtbot.addWidget(workspace)
    workspace.show()
    tabs = [workspace.left_tabs.tabText(i) for i in range(workspace.left_tabs.count())]
    assert tabs[-2:] == ["Participants", "Memos"]
    first = study.documents[0]
    workspace.explorer.select(first)
    memos = workspace.memos
    assert memos.document_memo.target_id == first
    memos.document_memo.setPlainText("First draft")
    memos.document_memo.save()
    memos.document_memo.setPlainText("First draft, revised")  # still pending when the user undoes
    workspace.undo()  # the pending text is saved, then that save is undone
    assert _texts(study, "document", first) == ["First draft"]
    assert memos.document_memo.toPlainText() == "First draft"
    workspace.undo()
    assert _texts(study, "document", first) == [] and memos.document_memo.toPlainText() == ""
    workspace.shutdown()
