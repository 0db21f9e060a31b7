"""File ▸ Restore from backup…, and the backups the workspace takes on open and while the study is edited."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QStatusBar
from pytestqt.qtbot import QtBot

from desktop_app.gui.security.backup_dialog import BackupDialog
from desktop_app.gui.security.backup_timer import StudyBackups
from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.services.study import backup_service, document_service, import_service, project_service
from desktop_app.services.study.backup_service import BackupPolicy


def _titles(window: MainWindow) -> list[str]:
    assert window.store is not None
    return [d.title for d in project_service.list_documents(window.store)]


@pytest.fixture
def study(tmp_path: Path, shared_data: Path) -> Path:
    path = tmp_path / "Peer support.verbatim"
    with project_service.create_project(path) as store:
        result = import_service.import_recordings(store, [shared_data / "jfk.flac", shared_data / "cv_de.wav"])
        assert result.ok
    return path


@pytest.fixture
def window(qtbot: QtBot, study: Path) -> MainWindow:
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.show()
    assert not window.backup_action.isEnabled()
    window.open_study(study)
    assert window.workspace is not None and window.backup_action.isEnabled()
    workspace = window.workspace
    qtbot.waitUntil(lambda: workspace.backups.last_backup is not None, timeout=10000)  # taken on open
    return window


def _open_dialog(qtbot: QtBot, window: MainWindow, rows: int) -> BackupDialog:
    window.backup_action.trigger()
    [dialog] = [d for d in window.findChildren(BackupDialog) if d.isVisible()]  # a closed one may await deletion
    qtbot.waitUntil(lambda: dialog.model.rowCount() == rows, timeout=10000)
    return dialog


def test_restore_from_backup_puts_the_study_back_and_can_be_undone(
    qtbot: QtBot, window: MainWindow, study: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.store is not None
    first = window.store.path
    document_service.rename_document(window.store, 1, "Participant 7")
    document_service.remove_document(window.store, 2)
    assert _titles(window) == ["Participant 7"]

    dialog = _open_dialog(qtbot, window, rows=1)
    model = dialog.model
    texts = [model.index(0, c).data() for c in range(4)]
    assert texts[1] == "just now" and texts[2].endswith(" KB") and texts[3] == "2"
    assert "1 backup," in dialog.summary.text() and "Peer support.verbatim-backups" in dialog.summary.text()
    assert dialog.restore_button.isEnabled()  # the newest is selected

    asked: list[str] = []

    def answer_yes(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert asked and "backed up first" in asked[0]
    assert window.store is not None and window.store.path == first and window.workspace is not None
    assert _titles(window) == ["jfk", "cv_de"]
    assert window.workspace.documents.rowCount() == 2
    assert "Restored from" in window.workspace.status.currentMessage()

    entries = backup_service.list_backups(study, None)
    assert [e.documents for e in entries] == [1, 2], "the state before the restore is the newest backup"
    undo_dialog = _open_dialog(qtbot, window, rows=2)
    qtbot.mouseClick(undo_dialog.restore_button, Qt.MouseButton.LeftButton)  # the newest: undo the restore
    assert _titles(window) == ["Participant 7"]


def test_a_damaged_backup_is_refused_with_its_name_and_the_study_reopens_unchanged(
    qtbot: QtBot, window: MainWindow, study: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.store is not None and window.workspace is not None
    made = window.workspace.backups.last_backup
    assert made is not None
    with made.path.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xff" * 8192)
    document_service.rename_document(window.store, 1, "Participant 7")
    dialog = _open_dialog(qtbot, window, rows=1)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr("desktop_app.gui.common.error_dialogs.QMessageBox.warning", lambda _p, _t, text: shown.append(text))
    dialog.restore_selected()
    assert len(shown) == 1 and made.path.name in shown[0], shown
    assert window.workspace is not None and _titles(window) == ["Participant 7", "cv_de"]
    assert len(backup_service.list_backups(study, None)) == 1


def test_backups_follow_changes_while_the_study_is_edited(qtbot: QtBot, study: Path) -> None:
    store = project_service.open_project(study)
    owner, status = QObject(), QStatusBar()
    backups = StudyBackups(owner, store, status, BackupPolicy(interval_minutes=0.001, keep=3), check_interval_ms=20)

    def newest() -> Path | None:
        found = backup_service.list_backups(study, None)
        return found[0].path if found else None

    try:
        qtbot.waitUntil(lambda: newest() is not None, timeout=10000)  # on open
        qtbot.wait(300)  # a dozen checks, no change: no copy of a copy
        assert len(backup_service.list_backups(study, None)) == 1
        for n in range(4):  # each change is followed by one more copy; three are kept
            before = newest()
            document_service.rename_document(store, 1, f"Participant {n}")

            def changed(before: Path | None = before) -> bool:
                return newest() != before

            qtbot.waitUntil(changed, timeout=10000)
        assert "Backed up at" in status.currentMessage()
        # the oldest copy is pruned after the new one is written: on a busy machine the newest may be seen first
        qtbot.waitUntil(lambda: len(backup_service.list_backups(study, None)) == 3, timeout=10000)
        entries = backup_service.list_backups(study, None)
        assert len(entries) == 3 and all(e.problem is None for e in entries)
        with project_service.open_project(entries[0].path, readonly=True) as newest_copy:
            assert project_service.list_documents(newest_copy)[0].title == "Participant 3"
    finally:
        backups.stop()
        store.close()
