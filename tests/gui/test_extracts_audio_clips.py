"""The extracts panel's "Export audio clips…" button: a real study and recording, clips written off the GUI thread."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop_app.gui.coding.extracts_panel import ExtractsPanel
from tests.fixtures.clip_study import ClipStudy, clip_speech, make_clip_study

pytestmark = pytest.mark.usefixtures("errors")  # error dialogs recorded (tests/gui/conftest.py)


@pytest.fixture
def study(tmp_path: Path) -> Iterator[ClipStudy]:
    built = make_clip_study(tmp_path, clip_speech())
    yield built
    built.store.close()


@pytest.fixture
def panel(qtbot: QtBot, study: ClipStudy) -> ExtractsPanel:
    widget = ExtractsPanel(study.store)
    qtbot.addWidget(widget)
    widget.resize(760, 300)
    return widget


def test_bleeped_clips_are_written_in_the_background_and_reported(
    qtbot: QtBot, panel: ExtractsPanel, study: ClipStudy, tmp_path: Path, errors: list[str]
) -> None:
    assert not panel.clips_button.isEnabled()  # no code selected
    panel.show_code(study.codes["Introductions"])
    assert panel.clips_button.isEnabled()
    out = tmp_path / "clips"
    panel.clips_button.export(out, bleep=True)
    assert not panel.clips_button.isEnabled()  # one export at a time
    qtbot.waitUntil(lambda: not panel.clips_button.running, timeout=15000)
    assert errors == []
    names = [p.name for p in out.iterdir()]
    assert len(names) == 1 and names[0].startswith("Introductions - Nurse 3 - 00.") and names[0].endswith(".wav")
    status = panel.clips_button.status_label
    assert (
        status.isVisibleTo(panel)
        and "Wrote 1 audio clip" in status.text()
        and "2 spoken names bleeped" in status.text()
    )
    assert panel.clips_button.isEnabled()
    panel.show()
    panel.grab().save(str(tmp_path / "extracts-clips.png"))


def test_the_menu_asks_for_a_folder_and_reports_a_missing_recording(
    qtbot: QtBot, panel: ExtractsPanel, study: ClipStudy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "chosen"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *_a, **_k: str(out)))
    panel.show_code(study.codes["Night shifts"])
    plain, bleeped = panel.clips_button.menu().actions()
    assert "bleeped" in bleeped.text() and "bleeped" not in plain.text()
    plain.trigger()
    qtbot.waitUntil(lambda: not panel.clips_button.running, timeout=15000)
    assert [p.name for p in out.iterdir()][0].startswith("Night shifts - Nurse 3 - ")
    (tmp_path / "Interview with Anna.wav").unlink()
    plain.trigger()
    qtbot.waitUntil(lambda: not panel.clips_button.running, timeout=15000)
    assert "cannot be found" in panel.clips_button.status_label.text()
