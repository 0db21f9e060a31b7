"""How fast a 2-hour focus group (about 1,500 turns, 20,000 words) opens and edits in the editor.

Prints each step's time and its ratio to a baseline measured in the same run (reading every word
row with one plain SELECT), so the numbers compare across noisy machines. Target: open <= 0.5 s.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/editor_open.py
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core.transcript import Segment, Word  # noqa: E402
from desktop_app.services import edit_service, project_service  # noqa: E402
from desktop_app.storage import transcript_repository  # noqa: E402

VOCABULARY = [
    "support",
    "peer",
    "night",
    "shift",
    "staff",
    "patient",
    "ward",
    "felt",
    "really",
    "think",
    "because",
    "when",
    "they",
    "would",
    "about",
    "group",
    "volunteers",
    "training",
    "crisis",
    "room",
    "quiet",
    "clinic",
    "home",
    "visit",
    "manager",
    "team",
]


def make_study(folder: Path, turns: int = 1500, words: int = 20_000) -> tuple[Path, int]:
    path = folder / "focus-group.verbatim"
    rng = random.Random(7)
    with project_service.create_project(path) as store:
        with store.journal.action("Add") as changes:
            doc = changes.insert("documents", {"title": "Focus group 2 h", "created": "2026-01-01"})
        t, segments = 0.0, []
        per_turn = words // turns
        for i in range(turns):
            speaker = f"S{rng.randint(1, 6)}"
            turn_words = []
            for _ in range(per_turn):
                turn_words.append(Word(t, t + 0.3, rng.choice(VOCABULARY), 0.9, speaker))
                t += 0.35
            segments.append(Segment.from_words(turn_words, speaker))
            t += 0.8 if i % 3 else 1.5
        transcript_repository.append_segments(store, doc, None, segments)
    return path, doc


def timed(label: str, function, baseline: float | None = None):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - start
    ratio = f"  ({elapsed / baseline:5.1f}× baseline)" if baseline else ""
    print(f"{label:<44} {elapsed * 1000:8.1f} ms{ratio}")
    return result, elapsed


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from desktop_app.gui.transcript.transcript_editor import TranscriptEditor
    from desktop_app.gui.transcript.transcript_table_model import TranscriptTableModel

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        path, doc = make_study(Path(tmp))
        store = project_service.open_project(path)
        _, baseline = timed(
            "baseline: SELECT every word row", lambda: store.db.execute("SELECT * FROM words").fetchall()
        )
        (transcript, _), load = timed(
            "load transcript (service)", lambda: (edit_service.load_transcript(store, doc), 0), baseline
        )
        model, view = TranscriptTableModel(), TranscriptEditor()
        view.setModel(model)
        view.resize(1100, 800)
        view.show()
        _, shown = timed(
            "fill the editor and lay out 1,500 turns",
            lambda: (
                model.set_transcript(transcript.segments, edit_service.load_speakers(store, doc)),
                app.processEvents(),
            ),
            baseline,
        )
        print(f"{'open total':<44} {(load + shown) * 1000:8.1f} ms  (target <= 500 ms)")
        segment = transcript.segments[700]
        timed(
            "edit one turn's text (journaled, re-anchored)",
            lambda: edit_service.update_segment_text(store, segment.id, segment.text + " indeed"),
            baseline,
        )  # type: ignore[arg-type]
        timed("playhead moves to a new word", lambda: model.set_playhead(segment.start + 1.0), baseline)
        timed(
            "scroll to the end",
            lambda: (view.place_cursor(len(transcript.segments) - 1), app.processEvents()),
            baseline,
        )
        store.close()
        view.close()
        view.deleteLater()
        app.processEvents()


if __name__ == "__main__":
    main()
