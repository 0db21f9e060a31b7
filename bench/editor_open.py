"""How fast a 2-hour focus group (about 1,500 turns, 20,000 words) opens and edits in the editor.

Prints each step's time and its ratio to a baseline measured in the same run (reading every word
row with one plain SELECT), so the numbers compare across noisy machines. Target: open <= 0.5 s.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/editor_open.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.services.study import project_service
from desktop_app.services.transcript import edit_service  # noqa: E402
from tests.fixtures.focus_group import make_focus_group  # noqa: E402


def timed(label: str, function, baseline: float | None = None):
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
        group = make_focus_group(Path(tmp))
        path, doc = group.path, group.document
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
        )
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
