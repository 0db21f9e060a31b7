"""A stored correction recounts only what it can change, and a view behind another tab counts when shown.

Every pause in typing stores a turn; the study-wide recount that followed it froze a 2-hour group's
window for ~270 ms (the hidden Speakers tab reading every word). The counting functions are wrapped
so the test sees which views counted.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.coding import TextPosition
from desktop_app.gui.shell.main_window import MainWindow
from desktop_app.gui.shell.study_workspace import StudyWorkspace
from desktop_app.services.coding import codebook_service, coding_service
from desktop_app.services.participants import participant_service
from desktop_app.services.speakers import speaker_service
from desktop_app.services.transcript import edit_service
from tests.fixtures.coding_study import CodingStudy, make_coding_study
from tests.fixtures.study_window import window_on_coding_study

pytestmark = pytest.mark.usefixtures("errors")


@pytest.fixture
def study(tmp_path: Path) -> CodingStudy:
    built = make_coding_study(tmp_path)
    built.store.close()
    return built


@pytest.fixture
def window(qtbot: QtBot, study: CodingStudy) -> Iterator[MainWindow]:
    yield from window_on_coding_study(qtbot, study)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    calls: Counter[str] = Counter()

    def wrap(module: Any, name: str) -> None:
        real: Callable[..., Any] = getattr(module, name)

        def counting(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            if threading.current_thread() is not threading.main_thread():
                calls["off the GUI thread"] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counting)

    wrap(speaker_service, "speaker_stats")
    wrap(participant_service, "participants")
    wrap(codebook_service, "subtree_usage")
    return calls


def _store_and_settle(qtbot: QtBot, ws: StudyWorkspace, change: Callable[[], object]) -> None:
    with qtbot.waitSignal(ws.changes.changed, timeout=2000):
        change()
    qtbot.wait(20)


def test_a_stored_correction_recounts_only_the_speakers_and_only_when_shown(
    qtbot: QtBot, window: MainWindow, study: CodingStudy, counted: Counter[str]
) -> None:
    ws = window.workspace
    assert ws is not None and not ws.speakers.isVisible()  # the explorer shows the document's Details
    first = study.segment(study.documents[0], 0)
    longer = "How did the night shifts feel in the first year, and in the second, and the third?"
    _store_and_settle(qtbot, ws, lambda: edit_service.update_segment_text(ws.store, first, longer))
    assert ws.changes.tables >= {"segments", "words"}
    assert counted == Counter()  # no participant or code count can move; the Speakers tab is not seen

    ws.explorer.tabs.setCurrentWidget(ws.speakers)  # shown: it counts once, with the correction in it
    qtbot.waitUntil(lambda: bool(ws.speakers.model.stats), timeout=5000)
    assert counted == Counter({"speaker_stats": 1, "off the GUI thread": 1})
    assert ws.speakers.model.stats == speaker_service.speaker_stats(ws.store, study.documents[0])

    shares = {s.label: s.word_share for s in ws.speakers.model.stats}
    _store_and_settle(qtbot, ws, lambda: edit_service.update_segment_text(ws.store, first, longer + " Yes, yes."))
    qtbot.waitUntil(lambda: {s.label: s.word_share for s in ws.speakers.model.stats} != shares, timeout=5000)
    assert counted["speaker_stats"] == 3  # in view now: it follows each stored edit (2 = the check above)
    assert counted["off the GUI thread"] == 2
    assert counted["participants"] == 0 and counted["subtree_usage"] == 0

    _store_and_settle(qtbot, ws, lambda: participant_service.add_participant(ws.store, "P09"))
    assert counted["participants"] >= 1
    assert ws.participants.model.row_of("P09") >= 0


def test_a_removed_coding_recounts_the_codebook_but_not_the_people(
    qtbot: QtBot, window: MainWindow, study: CodingStudy, counted: Counter[str]
) -> None:
    ws = window.workspace
    assert ws is not None
    code = ws.coding.codebook.add_code(name="Night shifts")
    segment = study.segment(study.documents[0], 1)
    coding = ws.coding.code_selection(code, (TextPosition(segment, 0), TextPosition(segment, 8), "words"))
    assert coding is not None
    qtbot.wait(20)
    counted.clear()
    _store_and_settle(qtbot, ws, lambda: coding_service.remove_coding(ws.store, coding))
    assert ws.changes.tables == {"codings"}
    assert counted["subtree_usage"] >= 1 and counted["participants"] == 0 and counted["speaker_stats"] == 0


def test_typing_stored_from_the_editor_recounts_no_code(
    qtbot: QtBot, window: MainWindow, counted: Counter[str]
) -> None:
    ws = window.workspace
    assert ws is not None and ws.transcript.segments
    text = ws.transcript.segments[0].text + " Yes."
    _store_and_settle(qtbot, ws, lambda: ws.transcript.set_texts({0: text}))  # what the editor's flush does
    assert ws.transcript.segments[0].text == text
    assert counted["subtree_usage"] == 0  # typing moves no code count; codings it shifts recount via the study's signal
