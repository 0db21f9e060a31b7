"""The workspace on a real study: transcribe from the panel, see turns arrive, correct, undo, play."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.services.study import import_service, project_service
from desktop_app.services.transcript import edit_service


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, shared_data: Path) -> MainWindow:
    study = tmp_path / "study.verbatim"
    with project_service.create_project(study) as store:
        import_service.import_recordings(store, [shared_data / "jfk.flac"])
    win = MainWindow(AppSettings())
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.show()
    win.open_study(study)
    return win


@pytest.mark.slow
def test_transcribe_from_the_panel_then_correct_and_undo(qtbot: QtBot, window: MainWindow) -> None:
    ws = window.workspace
    assert ws is not None
    ws.explorer.select(ws.documents.document(0).id)
    ws.panel.model.setCurrentIndex(ws.panel.model.findData("tiny.en"))
    ws.panel.start_button.click()
    assert ws.panel.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: ws.transcriber is None, timeout=120_000)
    assert ws.transcript.rowCount() >= 1
    assert "ask not what your country" in " ".join(s.text for s in ws.transcript.segments).lower()
    assert ws.documents.document(0).status.value == "transcribed"

    first = ws.transcript.segments[0]
    ws.view.setFocus()
    ws.view.place_cursor(0, first.text.index("Americans") + len("Americans"))
    qtbot.keyClicks(ws.view, " (applause)")
    ws.view.flush()
    stored = edit_service.load_transcript(ws.store, ws.current_id).segments[0]  # type: ignore[arg-type]
    assert "(applause)" in stored.text
    assert [w.start for w in stored.words if w.text.startswith("fellow")] == [
        w.start for w in first.words if w.text.startswith("fellow")
    ]
    window.undo_action.trigger()
    assert "(applause)" not in ws.transcript.segments[0].text


@pytest.mark.slow
def test_click_a_word_plays_from_it(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    ws = window.workspace
    assert ws is not None
    doc = ws.documents.document(0).id
    from desktop_app.services.transcription.transcription_service import TranscriptionOptions, transcribe_document

    transcribe_document(ws.store, doc, TranscriptionOptions(model="tiny.en"))
    ws.explorer.select(doc)
    ws.reload_transcript()
    segment = ws.transcript.segments[-1]
    cursor = QTextCursor(ws.view.block(len(ws.transcript.segments) - 1))
    cursor.movePosition(QTextCursor.MoveOperation.Right)
    point = ws.view.cursorRect(cursor).center()
    qtbot.mouseClick(ws.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.wait(300)
    assert not ws.player.playing, "a plain click only places the cursor"
    assert ws.view.textCursor().position() == cursor.position()
    qtbot.mouseClick(ws.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, point)
    qtbot.waitUntil(lambda: ws.player.playing, timeout=5000)
    assert ws.view.textCursor().position() == cursor.position(), "Ctrl+click plays without moving the cursor"
    assert abs(ws.player.position - segment.words[0].start) < 1.0
    ws.player.toggle()
    qtbot.waitUntil(lambda: not ws.player.playing, timeout=5000)
    position = ws.player.position
    ws.shortcut_actions["skip_back"].trigger()
    assert ws.player.position == pytest.approx(max(0.0, position - ws.player.skip_seconds), abs=0.3)
    ws.shortcut_actions["faster"].trigger()
    assert ws.player_bar.rate.value() == pytest.approx(1.1)
