"""File › Merge study…: the preview dialog asks per differing transcript, and the merge lands in the open study."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.gui.interchange.merge_dialog import MergeDialog
from desktop_app.services.coding import coding_service
from desktop_app.services.interchange import merge_service
from desktop_app.services.interchange.merge_service import TranscriptChoice
from desktop_app.services.study import project_service
from desktop_app.storage.transcripts import transcript_repository
from tests.fixtures.merge_study import code_at_random, copy_for, make_base_study


def test_merge_from_the_file_menu(qtbot: QtBot, tmp_path: Path, monkeypatch) -> None:
    from desktop_app.gui.shell.main_window import MainWindow
    from desktop_app.gui.shell.settings import AppSettings

    base = make_base_study(tmp_path / "study.verbatim")
    ours, theirs = copy_for(base, "Ann"), copy_for(base, "Ben")
    with project_service.open_project(theirs) as store:
        code_at_random(store, "Ben", 12, seed=3)
        segment = transcript_repository.load_transcript(store, 1).segments[0]
        store.db.execute("UPDATE segments SET text = ? WHERE id = ?", ["Corrected. " + segment.text, segment.id])
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.open_study(ours)
    assert window.store is not None and window.merge_action.text() == "&Merge study…"

    preview = merge_service.preview_merge(window.store, theirs)
    dialog = MergeDialog(theirs, preview, window)
    qtbot.addWidget(dialog)
    assert list(dialog.choices) == [1]  # Interview 1's transcripts differ
    dialog.grab().save(str(tmp_path / "merge_dialog.png"))

    def choose_both(self: MergeDialog) -> int:
        self.choices[1].setCurrentIndex(self.choices[1].findData(TranscriptChoice.BOTH))
        return 1

    messages: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(theirs), ""))
    monkeypatch.setattr(MergeDialog, "exec", choose_both)
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: messages.append(text))
    window.merge_action.trigger()
    assert (
        messages and "added 12 coding(s)" in messages[0] and "their version kept as: Interview 1 (Ben)" in messages[0]
    )
    assert [d.title for d in project_service.list_documents(window.store)][-1] == "Interview 1 (Ben)"
    ben_on_version = [c for c in coding_service.codings(window.store, 3) if c.coder == "Ben"]
    ben_on_ours = [c for c in coding_service.codings(window.store, 1) if c.coder == "Ben"]
    assert ben_on_version and not ben_on_ours  # their Interview 1 codings went with their version
    assert window.undo_action.text() == "&Undo merge study (Ben).verbatim"  # one step
