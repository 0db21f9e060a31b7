"""The Analysis page at study scale: the coding_scale.py study (200 one-hour interviews, ~2 M words,
~40,000 codings on 100 codes), timing what each page counts in the background and what the GUI
thread then does with it (offscreen).

Times: the co-occurrence matrix of 100 codes with the code paths (the heat map's background work),
loading it into the heat map and painting it, the extracts of the busiest cell, frequencies by
document (200 columns) with their table, and speaking time across the study. Each is printed in ms
and as a ratio to a baseline measured in the same run (one plain SELECT over every word's text).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/analysis_view_scale.py [--documents 200] [--codings 40000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.coding_scale import build, timed  # noqa: E402
from desktop_app.gui.analysis.cooccurrence_heatmap import CooccurrenceHeatmap  # noqa: E402
from desktop_app.gui.analysis.cooccurrence_view import cell_extracts, matrix_with_paths  # noqa: E402
from desktop_app.gui.analysis.summary_table_model import SummaryTableModel, make_table_view  # noqa: E402
from desktop_app.services.analysis import analysis_service  # noqa: E402
from desktop_app.services.analysis.analysis_summaries import frequency_summary  # noqa: E402
from desktop_app.services.speakers.speaking_time_service import grouped_speaking_time  # noqa: E402
from desktop_app.services.study.project_service import ProjectStore  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--words", type=int, default=10_000, help="words per document")
    parser.add_argument("--codings", type=int, default=40_000)
    parser.add_argument("--codes", type=int, default=100)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        store = build(Path(folder), args.documents, args.words, args.codings, args.codes)
        print(f"built {args.documents} documents, {args.codings:,} codings in {time.perf_counter() - started:.0f} s")
        report(store, app)
        store.close()


def report(store: ProjectStore, app: QApplication) -> None:
    baseline = timed(lambda: store.db.execute("SELECT SUM(length(text)) FROM words").fetchone())
    matrix, paths = matrix_with_paths(store, None)
    n = len(matrix.codes)
    busiest = max(((i, j) for i in range(n) for j in range(n) if i != j), key=lambda p: matrix.counts[p[0]][p[1]])
    first, second = matrix.codes[busiest[0]].id, matrix.codes[busiest[1]].id
    heatmap = CooccurrenceHeatmap()
    heatmap.resize(1100, 800)
    heatmap.show()

    def load_and_paint() -> None:
        heatmap.heat.set_matrix(matrix, paths)
        heatmap.grab()
        app.processEvents()

    table = SummaryTableModel()
    view = make_table_view(table)
    frequencies = analysis_service.frequencies(store)
    steps = [
        (f"co-occurrence matrix of {n} codes + paths", lambda: matrix_with_paths(store, None), 3),
        (f"heat map: load {n}x{n} and paint", load_and_paint, 5),
        ("heat map: repaint 1100x800 (as when scrolling)", lambda: heatmap.grab(), 5),
        (
            f"extracts of the busiest cell ({matrix.counts[busiest[0]][busiest[1]]} pairs)",
            lambda: cell_extracts(store, first, second, None),
            5,
        ),
        ("frequencies by document (200 columns)", lambda: analysis_service.frequencies(store), 3),
        ("frequency table: summary + model", lambda: table.set_table(frequency_summary(frequencies)), 5),
        ("speaking time across the study", lambda: grouped_speaking_time(store), 3),
    ]
    print(f"{'step':<52} {'ms':>9} {'x baseline':>11}")
    print(f"{'baseline: SELECT SUM(length(text)) FROM words':<52} {baseline:>9.1f} {1.0:>11.1f}")
    for label, action, repeat in steps:
        ms = timed(action, repeat=repeat)
        print(f"{label:<52} {ms:>9.1f} {ms / baseline:>11.1f}")
    view.close()
    heatmap.close()


if __name__ == "__main__":
    main()
