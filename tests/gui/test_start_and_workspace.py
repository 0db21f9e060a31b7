from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.services.study import document_service, project_service


def test_start_screen_then_new_study_import_and_notes(qtbot: QtBot, tmp_path: Path, shared_data: Path) -> None:
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentWidget() is window.start_screen
    assert not window.import_action.isEnabled()

    study = tmp_path / "Peer support.verbatim"
    window.create_study(study)
    assert window.workspace is not None and window.stack.currentWidget() is window.workspace
    assert window.import_action.isEnabled()

    workspace = window.workspace
    with qtbot.waitSignal(workspace.documents.modelReset, timeout=20000):
        workspace.import_files([shared_data / "jfk.flac", shared_data / "pyannote_sample.wav"])
    qtbot.waitUntil(lambda: workspace.documents.rowCount() == 2, timeout=20000)
    assert workspace.documents.document(0).title == "jfk"
    assert "2 documents" in workspace.status.currentMessage() or workspace.documents.rowCount() == 2

    workspace.explorer.table.selectRow(0)
    workspace.explorer.notes_edit.setPlainText("Recorded outdoors; crowd noise.")
    workspace.explorer.save_notes()
    doc_id = workspace.documents.document(0).id
    assert document_service.get_document(window.store, doc_id).field_notes == "Recorded outdoors; crowd noise."  # type: ignore[arg-type]

    window.close_study()
    assert window.stack.currentWidget() is window.start_screen
    assert window.start_screen.recent_list.count() == 1
    assert str(study.resolve()) in window.start_screen.recent_list.item(0).toolTip()


def test_opening_a_bad_file_shows_a_message_not_a_traceback(qtbot: QtBot, tmp_path: Path, monkeypatch) -> None:
    bad = tmp_path / "notes.verbatim"
    bad.write_text("not a study")
    shown: list[str] = []
    monkeypatch.setattr("desktop_app.gui.common.error_dialogs.QMessageBox.warning", lambda _p, _t, text: shown.append(text))
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.open_study(bad)
    assert window.workspace is None
    assert shown and str(bad) in shown[0] and "not a Verbatim project" in shown[0]


def test_notes_survive_reopen(qtbot: QtBot, tmp_path: Path, shared_data: Path) -> None:
    study = tmp_path / "s.verbatim"
    with project_service.create_project(study) as store:
        from desktop_app.services.study import import_service

        import_service.import_recordings(store, [shared_data / "jfk.flac"])
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.open_study(study)
    window.workspace.explorer.table.selectRow(0)
    window.workspace.explorer.notes_edit.setPlainText("Interviewer: AB")
    window.close_study()  # saves pending notes
    with project_service.open_project(study) as store:
        assert project_service.list_documents(store)[0].field_notes == "Interviewer: AB"
