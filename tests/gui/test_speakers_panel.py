from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.core.transcript import Segment, Word
from desktop_app.gui.participants.speakers_panel import NAME
from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.gui.transcript.transcript_table_model import SPEAKER
from desktop_app.services import import_service, project_service
from desktop_app.storage import transcript_repository


def _turn(text: str, start: float, speaker: str) -> Segment:
    words = [Word(start + i * 0.4, start + i * 0.4 + 0.3, t, 0.9, speaker) for i, t in enumerate(text.split())]
    return Segment.from_words(words, speaker)


def _study(tmp_path: Path, shared_data: Path) -> Path:
    path = tmp_path / "fg.verbatim"
    with project_service.create_project(path) as store:
        (doc,) = import_service.import_recordings(store, [shared_data / "pyannote_sample.wav"]).imported
        turns = [
            _turn("hello is this Diane", 6.7, "S1"),
            _turn("yes hi this is Sheila from Texas", 9.0, "S2"),
            _turn("oh I am from Chicago originally", 12.5, "S1"),
        ]
        transcript_repository.append_segments(store, doc.id, None, turns)
    return path


def _open(qtbot: QtBot, path: Path) -> MainWindow:
    window = MainWindow(AppSettings())
    qtbot.addWidget(window)
    window.open_study(path)
    assert window.workspace is not None
    window.workspace.explorer.select(window.workspace.documents.document(0).id)
    return window


def test_rename_merge_and_restart(qtbot: QtBot, tmp_path: Path, shared_data: Path) -> None:
    path = _study(tmp_path, shared_data)
    window = _open(qtbot, path)
    ws = window.workspace
    assert ws is not None
    panel = ws.speakers
    assert [s.label for s in panel.model.stats] == ["S1", "S2"]
    assert panel.model.stats[0].speaking_seconds > panel.model.stats[1].speaking_seconds - 10
    panel.model.setData(panel.model.index(1, NAME), "Sheila (caller)")
    assert ws.transcript.data(ws.transcript.index(1, SPEAKER)) == "Sheila (caller)"
    panel.table.selectRow(1)
    with qtbot.waitSignal(ws.player.playing_changed, timeout=5000):
        panel._play()
    window.close_study()

    reopened = _open(qtbot, path)
    assert reopened.workspace is not None
    assert reopened.workspace.transcript.data(reopened.workspace.transcript.index(1, SPEAKER)) == "Sheila (caller)"
    reopened.undo_action.trigger()
    assert reopened.workspace.transcript.data(reopened.workspace.transcript.index(1, SPEAKER)) == "S2"
