from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from desktop_app.core.transcript import Segment, Word
from desktop_app.services.study import import_service, project_service
from desktop_app.storage.transcripts import transcript_repository
from tests.fixtures.study_window import open_window


def _turn(text: str, start: float, speaker: str) -> Segment:
    words = [Word(start + i * 0.4, start + i * 0.4 + 0.3, t, 0.9, speaker) for i, t in enumerate(text.split())]
    return Segment.from_words(words, speaker)


def test_split_at_cursor_merge_and_change_speaker(qtbot: QtBot, tmp_path: Path, shared_data: Path, monkeypatch) -> None:
    path = tmp_path / "s.verbatim"
    with project_service.create_project(path) as store:
        (doc,) = import_service.import_recordings(store, [shared_data / "pyannote_sample.wav"]).imported
        transcript_repository.append_segments(
            store,
            doc.id,
            None,
            [
                _turn("hello is this Diane yes hi this is Sheila", 6.7, "S1"),
                _turn("from Texas originally", 12.0, "S2"),
            ],
        )
    window, ws = open_window(qtbot, path, show=True)
    assert [a.text() for a in window.turn_menu.actions()][:2] == ["Split turn at cursor", "Merge with next turn"]

    ws.view.place_cursor(0, ws.transcript.segments[0].text.index("yes"))
    ws.turn_actions.split.trigger()
    assert [s.text for s in ws.transcript.segments] == [
        "hello is this Diane",
        "yes hi this is Sheila",
        "from Texas originally",
    ]

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("New speaker…", True))
    assert ws.view.current_row() == 1, "the cursor moves to the new turn"
    ws.turn_actions.change_speaker()
    assert [s.speaker for s in ws.transcript.segments] == ["S1", "S3", "S2"]

    ws.view.place_cursor(0, 3)
    ws.turn_actions.merge.trigger()
    assert [s.text for s in ws.transcript.segments][0] == "hello is this Diane yes hi this is Sheila"
    window.undo_action.trigger()
    assert len(ws.transcript.segments) == 3
