from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.transcript import Segment, Word
from desktop_app.gui.participants.speakers_panel import NAME
from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.gui.transcript.transcript_table_model import SPEAKER
from desktop_app.services.study import import_service, project_service
from desktop_app.storage.transcripts import transcript_repository
from tests.fixtures.study_window import open_window


def _turn(text: str, start: float, speaker: str | None) -> Segment:
    words = [Word(start + i * 0.4, start + i * 0.4 + 0.3, t, 0.9, speaker) for i, t in enumerate(text.split())]
    return Segment.from_words(words, speaker)


def _study(tmp_path: Path, shared_data: Path, speakers: tuple[str | None, str | None] = ("S1", "S2")) -> Path:
    """The pyannote sample's first three turns; ``speakers``: the caller's and the callee's labels."""
    path = tmp_path / "fg.verbatim"
    caller, callee = speakers
    with project_service.create_project(path) as store:
        (doc,) = import_service.import_recordings(store, [shared_data / "pyannote_sample.wav"]).imported
        turns = [
            _turn("hello is this Diane", 6.7, caller),
            _turn("yes hi this is Sheila from Texas", 9.0, callee),
            _turn("oh I am from Chicago originally", 12.5, caller),
        ]
        transcript_repository.append_segments(store, doc.id, None, turns)
    return path


def _open(qtbot: QtBot, path: Path, speakers: int = 2) -> MainWindow:
    window, workspace = open_window(qtbot, path, show=True)
    workspace.explorer.tabs.setCurrentWidget(workspace.speakers)  # it counts when shown
    panel = workspace.speakers
    qtbot.waitUntil(lambda: len(panel.model.stats) == speakers, timeout=5000)  # counted in the background
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


def test_linking_a_speaker_offers_the_participants_and_new_only_on_purpose(
    qtbot: QtBot, tmp_path: Path, shared_data: Path
) -> None:
    from PySide6.QtWidgets import QDialogButtonBox, QPushButton

    from desktop_app.gui.participants.link_participant_dialog import NEW_PARTICIPANT
    from desktop_app.services.participants import participant_service

    path = _study(tmp_path, shared_data)
    with project_service.open_project(path) as store:
        for label in ("P01", "P02"):
            participant_service.add_participant(store, label)
    window = _open(qtbot, path)
    ws = window.workspace
    assert ws is not None
    panel = ws.speakers
    panel.table.selectRow(1)
    link_button = next(b for b in panel.findChildren(QPushButton) if b.text() == "Participant…")
    qtbot.mouseClick(link_button, Qt.MouseButton.LeftButton)
    dialog = panel.link_dialog
    assert dialog is not None and dialog.isVisible()
    items = [dialog.choice.itemText(i) for i in range(dialog.choice.count())]
    assert "P01" in items and "P02" in items and NEW_PARTICIPANT in items

    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.choice.setCurrentIndex(dialog.choice.findText(NEW_PARTICIPANT))
    qtbot.keyClicks(dialog.new_label, "P1")  # the slip that used to create an empty participant
    assert "Did you mean P01?" in dialog.warning.text()
    dialog.new_label.clear()
    qtbot.keyClicks(dialog.new_label, "p01")
    assert not ok.isEnabled() and "already exists" in dialog.warning.text()

    dialog.choice.setCurrentIndex(dialog.choice.findText("P01"))
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [s.participant for s in panel.model.stats] == [None, "P01"], timeout=5000)
    assert [p.label for p in participant_service.participants(ws.store)] == ["P01", "P02"]  # nothing created
    qtbot.wait(10)  # the views' recount runs once the event loop turns
    assert ws.participants.model.rowCount() == 2

    panel.table.selectRow(0)  # a new participant, made on purpose, shows in the Participants tab at once
    qtbot.mouseClick(link_button, Qt.MouseButton.LeftButton)
    dialog = panel.link_dialog
    dialog.choice.setCurrentIndex(dialog.choice.findText(NEW_PARTICIPANT))
    qtbot.keyClicks(dialog.new_label, "Interviewer")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.model.stats[0].participant == "Interviewer", timeout=5000)
    qtbot.waitUntil(lambda: ws.participants.model.rowCount() == 3, timeout=2000)


def test_a_voice_heard_only_without_words_is_listed_heard_and_merged(
    qtbot: QtBot, tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The speaker step heard S2 (14.0-15.5 s) but the transcriber wrote no word of it; S1 and S3 have words.
    S2 is a row of the Speakers tab with its time and "no words", in the same colour everywhere (S3 keeps
    its own: on the waveform too), its talk is marked on the waveform's lane, Play sample plays it, and it
    merges like any other speaker."""
    from dataclasses import replace

    from PySide6.QtWidgets import QInputDialog, QPushButton

    from desktop_app.services.speakers import speaker_turns
    from desktop_app.storage.transcripts import speaker_timeline_repository

    path = _study(tmp_path, shared_data, (None, None))  # transcribed without speakers: no labels to keep
    with project_service.open_project(path) as store:
        stored = transcript_repository.load_transcript(store, 1).segments
        turns = [
            replace(s, speaker=label, words=[replace(w, speaker=label) for w in s.words])
            for s, label in zip(stored, ("S1", "S3", "S1"), strict=True)
        ]
        timeline = [(6.7, 8.2, "S1"), (9.0, 11.8, "S3"), (12.5, 14.8, "S1"), (14.0, 15.5, "S2")]
        speaker_turns.replace_turns(store, 1, turns, timeline)
    window = _open(qtbot, path, speakers=3)
    ws = window.workspace
    assert ws is not None
    panel = ws.speakers
    rows = {s.label: row for row, s in enumerate(panel.model.stats)}
    assert [panel.model.data(panel.model.index(rows["S2"], c)) for c in range(3)] == ["S2", "00:00:01", "no words"]
    assert "heard only without words" in panel.model.data(
        panel.model.index(rows["S2"], NAME), Qt.ItemDataRole.ToolTipRole
    )
    colours = {panel.model.color(row) for row in rows.values()}
    assert len(colours) == 3
    assert [c for _, _, c in ws.waveform._turns] == [panel.model.color(rows[x]) for x in ("S1", "S3", "S1")]
    assert ws.waveform._wordless == [(14.0, 15.5, panel.model.color(rows["S2"]))]  # where it talks, on the lane
    speaking = ws.analysis.speaking
    speaking.refresh()
    qtbot.waitUntil(lambda: "S2: heard without words" in speaking.summary.text(), timeout=5000)  # Analysis says so
    panel.table.selectRow(rows["S2"])
    with qtbot.waitSignal(panel.play_requested, timeout=2000) as played:
        qtbot.mouseClick(
            next(b for b in panel.findChildren(QPushButton) if b.text() == "Play sample"), Qt.MouseButton.LeftButton
        )
    assert played.args == [14.0, 15.5]

    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, names, *_a: (names[1], True))  # S3
    qtbot.mouseClick(
        next(b for b in panel.findChildren(QPushButton) if b.text() == "Merge into…"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: [s.label for s in panel.model.stats] == ["S1", "S3"], timeout=5000)
    assert speaker_timeline_repository.load_timeline(ws.store, 1)[-1] == (14.0, 15.5, "S3")  # RTTM follows
    qtbot.waitUntil(lambda: ws.waveform._wordless == [], timeout=5000)
