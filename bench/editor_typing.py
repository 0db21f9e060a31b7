"""Typing into a 2-hour focus group while it plays: every character stored, and how fast a key is handled.

The study: ~20,000 words in 1,500 turns of 8 voices, 300 codings, a 2-hour recording (silence; the real
player runs and seeks through it). 500 characters are typed at 8 keys/s into five turns chosen at random,
with a click into each turn, a seek in the middle of each burst and a 1.5 s pause after it (the editor
stores a turn after such a pause, or when the cursor leaves it). Afterwards the stored transcript is read
back and compared with what was typed: the number of characters lost is the measure (target 0).

Times are printed with ratios to baselines measured in the same run: opening against one plain SELECT of
every word row; keystrokes against the same keys typed into a bare QTextEdit holding the same text.
Targets: open <= 0.5 s, keystroke p99 <= 30 ms. A pause in typing stores the turn; what that costs is
printed as the wait of a key pressed just after the store (the views recount meanwhile), with the
Speakers tab hidden (as on opening) and in view.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/editor_typing.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path
from typing import cast

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QTextEdit  # noqa: E402

from desktop_app.gui.shell.settings import AppSettings  # noqa: E402
from desktop_app.gui.shell.study_workspace import StudyWorkspace  # noqa: E402
from desktop_app.services.study import project_service
from desktop_app.services.transcript import edit_service  # noqa: E402
from tests.fixtures.focus_group import make_focus_group  # noqa: E402

KEYS_PER_SECOND = 8
BURSTS, BURST_LENGTH = 5, 100
WORDS = [
    "and",
    "then",
    "she",
    "said",
    "we",
    "should",
    "laugh",
    "about",
    "it",
    "inaudible",
    "crosstalk",
    "really",
    "yes",
    "no",
    "maybe",
    "later",
]


def pump(app: QApplication, seconds: float) -> None:
    """Run the event loop for ``seconds`` (the player, timers and painting get their turn)."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.002)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def typed_text(rng: random.Random) -> str:
    """About BURST_LENGTH characters of words, ending with a space (typed at a word's start)."""
    text = ""
    while len(text) < BURST_LENGTH - 1:
        text += rng.choice(WORDS) + " "
    return text[: BURST_LENGTH - 1].rstrip() + " "


def type_keys(
    app: QApplication, widget: QTextEdit, text: str, times: list[float], on_half: Callable[[], None]
) -> list[float]:
    """Type ``text`` at KEYS_PER_SECOND; ``times`` gets each key with its painting, the result the key alone."""
    dispatch = []
    for index, char in enumerate(text):
        start = time.perf_counter()
        QTest.keyClicks(widget, char)
        dispatch.append(time.perf_counter() - start)
        app.processEvents()  # the key's effects, painting included
        times.append(time.perf_counter() - start)
        if index == len(text) // 2:
            on_half()
        pump(app, max(0.0, 1 / KEYS_PER_SECOND - (time.perf_counter() - start)))
    return dispatch


def pause_costs(app: QApplication, ws: StudyWorkspace, pauses: int = 7) -> tuple[list[float], list[float]]:
    """What a pause in typing costs: storing the turn, then how long a key pressed right after waits.

    The key is sent from a timer 1 ms after the store, so it queues behind whatever the store set off
    (the views' recount) as a key pressed at that moment would; its wait ends when the editor has it.
    """
    stores, stalls = [], []
    for _ in range(pauses):
        QTest.keyClicks(ws.view, "ok ")
        pump(app, 0.05)
        start = time.perf_counter()
        ws.view.flush()
        stored_at = time.perf_counter()
        stores.append(stored_at - start)
        stalls.append(key_handled_after(app, ws.view) - stored_at)
        pump(app, 0.2)  # let anything the key set off (painting) settle before the next pause
    return stores, stalls


def key_handled_after(app: QApplication, widget: QTextEdit) -> float:
    """Send a key from a 1 ms timer; when the widget had it (perf_counter)."""
    handled: list[float] = []

    def key() -> None:
        QTest.keyClicks(widget, "k")
        handled.append(time.perf_counter())

    QTimer.singleShot(1, key)
    while not handled:
        app.processEvents()
    return handled[0]


def click_into(app: QApplication, ws: StudyWorkspace, row: int, offset: int) -> None:
    editor = ws.view
    editor.center_row(row)
    app.processEvents()
    cursor = QTextCursor(editor.block(row))
    cursor.setPosition(editor.position_of(row, offset))
    QTest.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=editor.cursorRect(cursor).center())
    assert editor.textCursor().position() == cursor.position(), "the click lands where aimed"


def main() -> None:
    app = cast(QApplication, QApplication.instance() or QApplication([]))
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        group = make_focus_group(Path(tmp))
        print(f"built the study in {time.perf_counter() - start:.1f} s")
        store = project_service.open_project(group.path)
        start = time.perf_counter()
        store.db.execute("SELECT * FROM words").fetchall()
        baseline = time.perf_counter() - start
        print(f"{'baseline: SELECT every word row':<46} {baseline * 1000:8.1f} ms")
        start = time.perf_counter()
        ws = StudyWorkspace(store, AppSettings())  # shows the study's first (only) document
        ws.resize(1280, 800)
        ws.show()
        app.processEvents()
        window = time.perf_counter() - start
        start = time.perf_counter()
        ws.show_document(group.document)  # what selecting it in the list does: load, fill the editor
        app.processEvents()  # ... and paint it
        opened = time.perf_counter() - start
        start = time.perf_counter()
        ws.reload_transcript()  # the editor's share: read the turns and codings, fill the editor
        app.processEvents()  # ... and paint it
        reloaded = time.perf_counter() - start
        count = ws.view.document().blockCount()
        pieces = sum(len(v) for v in ws.transcript.coding_marks.values())
        print(
            f"{'open the study window (every panel)':<46} {window * 1000:8.1f} ms  ({window / baseline:4.1f}× baseline)"
        )
        print(f"{'open the document in the editor':<46} {opened * 1000:8.1f} ms  ({opened / baseline:4.1f}× baseline; "
              f"target <= 500 ms; {count} turns, {pieces} coding pieces)")  # fmt: skip
        print(f"{'  of which the transcript: load, fill, paint':<46} {reloaded * 1000:8.1f} ms  "
              f"({reloaded / baseline:4.1f}× baseline; the rest: the player, the panels beside it)")  # fmt: skip
        ws.player.play_from(600.0)
        pump(app, 2.0)
        playing_from = ws.player.position
        expected: dict[int, str] = {}
        times: list[float] = []
        keys: list[float] = []
        seeks = 0
        for _ in range(BURSTS):
            row = rng.randrange(len(ws.transcript.segments))
            while ws.transcript.segments[row].id in expected:
                row = rng.randrange(len(ws.transcript.segments))
            segment = ws.transcript.segments[row]
            starts = [0] + [i + 1 for i, c in enumerate(segment.text) if c == " "]
            at = rng.choice(starts)
            text = typed_text(rng)
            click_into(app, ws, row, at)

            def seek() -> None:
                nonlocal seeks
                ws.player.seek(rng.uniform(0, group.duration - 60))
                seeks += 1

            keys += type_keys(app, ws.view, text, times, seek)
            expected[segment.id or 0] = segment.text[:at] + text + segment.text[at:]
            pump(app, 1.5)
        print(f"played: {'yes' if ws.player.playing else 'no'} (from {playing_from:.0f} s, {seeks} seeks while typing)")
        stored = {s.id: s.text for s in edit_service.load_transcript(store, group.document).segments}
        lost = 0
        for segment_id, want in expected.items():
            want, got = " ".join(want.split()), stored.get(segment_id, "")
            matched = sum(
                block.size for block in SequenceMatcher(None, want, got, autojunk=False).get_matching_blocks()
            )
            lost += len(want) - matched
        typed = BURSTS * BURST_LENGTH
        print(f"characters typed: {typed}; lost in the stored transcript: {lost} (target 0)")
        p50, p99 = percentile(times, 0.5), percentile(times, 0.99)
        stores, stalls = pause_costs(app, ws)
        print(f"{'a pause stores the turn (journaled), median':<46} {statistics.median(stores) * 1000:8.1f} ms")
        print(f"{'  then the next key waits (store to key), median':<46} {statistics.median(stalls) * 1000:8.1f} ms  "
              f"(max {max(stalls) * 1000:.1f} ms; the views' recount runs meanwhile)")  # fmt: skip
        ws.explorer.tabs.setCurrentWidget(ws.speakers)  # the researcher watches the speakers' shares while typing
        app.processEvents()
        stores, stalls = pause_costs(app, ws)
        print(f"{'  ... with the Speakers tab in view, median':<46} {statistics.median(stalls) * 1000:8.1f} ms  "
              f"(max {max(stalls) * 1000:.1f} ms)")  # fmt: skip

        plain = QTextEdit()
        plain.setPlainText(ws.view.toPlainText())
        plain.resize(ws.view.size())
        plain.show()
        plain.setFocus()
        plain.moveCursor(QTextCursor.MoveOperation.End)
        plain_times: list[float] = []
        plain_keys = type_keys(app, plain, typed_text(rng) + typed_text(rng), plain_times, lambda: None)
        plain_p99 = percentile(plain_times, 0.99)
        print(f"{'key event alone, p99':<46} {percentile(keys, 0.99) * 1000:8.1f} ms  "
              f"(bare QTextEdit: {percentile(plain_keys, 0.99) * 1000:.1f} ms)")  # fmt: skip
        print(f"{'keystroke handled (key + paint), p50':<46} {p50 * 1000:8.1f} ms")
        print(f"{'keystroke handled (key + paint), p99':<46} {p99 * 1000:8.1f} ms  "
              f"({p99 / plain_p99:4.1f}× a bare QTextEdit's {plain_p99 * 1000:.1f} ms; target <= 30 ms)")  # fmt: skip
        ws.shutdown()
        store.close()
        plain.close()
        ws.close()
        app.processEvents()


if __name__ == "__main__":
    main()
