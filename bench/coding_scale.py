"""Coding at study scale: 200 one-hour interviews (~2 M words) with ~40,000 codings on 100 codes.

Builds the study once in a temp folder, then times applying a coding, retrieving all extracts of a
code (with and without sub-codes), building the Table 1 rows, usage counts and full-text searches.
Each time is printed with its ratio to a baseline measured in the same run (one plain SELECT
over every word's text), so numbers compare across noisy machines.

    .venv/bin/python bench/coding_scale.py [--documents 200] [--words 10000] [--codings 40000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core.coding import Code, Coding, TextPosition  # noqa: E402
from desktop_app.core.transcript import Segment, Word  # noqa: E402
from desktop_app.services.analysis import extract_table_service
from desktop_app.services.coding import codebook_service, coding_service
from desktop_app.services.study import project_service
from desktop_app.services.transcript import search_service
from desktop_app.storage.coding import coding_repository  # noqa: E402
from desktop_app.storage.project_store import ProjectStore  # noqa: E402
from desktop_app.storage.transcripts import transcript_repository

VOCABULARY = [
    *("support", "peer", "night", "shift", "staff", "patient", "ward", "felt", "really", "think", "because"),
    *("when", "they", "would", "about", "group", "volunteers", "training", "crisis", "room", "quiet", "clinic"),
    *("home", "visit", "manager", "alone", "lonely", "team", "rota", "supervision", "listened", "family"),
    *("trust", "money", "time", "hard", "better", "worse", "changed", "started", "stopped", "helped", "asked"),
]


def build(folder: Path, documents: int, words: int, codings: int, codes: int) -> ProjectStore:
    store = project_service.create_project(folder / "scale.verbatim")
    rng = random.Random(7)
    code_ids = _codebook(store, codes)
    spans: list[tuple[int, int, int]] = []  # document, segment id, text length
    for number in range(documents):
        with store.journal.action("Add") as changes:
            doc = changes.insert("documents", {"title": f"Interview {number + 1}", "created": "2026-01-01"})
        segments = _segments(rng, words)
        transcript_repository.append_segments(store, doc, None, segments)
        spans.extend((doc, s.id or 0, len(s.text)) for s in segments)
    rows = []
    for _ in range(codings):
        doc, segment_id, length = rng.choice(spans)
        start = rng.randrange(0, max(1, length - 20))
        coding = Coding(
            0, rng.choice(code_ids), doc, TextPosition(segment_id, start), TextPosition(segment_id, start + 20)
        )
        rows.append(coding_repository.coding_row(coding))
    with store.db.atomic():
        store.db["codings"].insert_all(rows)
    return store


def _codebook(store: ProjectStore, count: int) -> list[int]:
    themes = [coding_service.add_code(store, f"Theme {t}") for t in range(count // 10)]
    return [coding_service.add_code(store, f"Code {i}", parent_id=themes[i % len(themes)]) for i in range(count)]


def _segments(rng: random.Random, words: int) -> list[Segment]:
    segments, clock = [], 0.0
    while words > 0:
        size = min(words, rng.randint(5, 30))
        turn = []
        for _ in range(size):
            turn.append(Word(clock, clock + 0.3, rng.choice(VOCABULARY), 0.9, None))
            clock += 0.36
        segments.append(Segment.from_words(turn, rng.choice(("S1", "S2"))))
        clock += 0.8
        words -= size
    return segments


def timed(action: Callable[[], object], repeat: int = 5) -> float:
    """Median wall time of ``action`` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--words", type=int, default=10_000, help="words per document")
    parser.add_argument("--codings", type=int, default=40_000)
    parser.add_argument("--codes", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        store = build(Path(folder), args.documents, args.words, args.codings, args.codes)
        print(
            f"built {args.documents} documents, {args.documents * args.words:,} words, {args.codings:,} codings "
            f"in {time.perf_counter() - started:.0f} s"
        )
        report(store)
        store.close()


def report(store: ProjectStore) -> None:
    baseline = timed(lambda: store.db.execute("SELECT SUM(length(text)) FROM words").fetchone())
    codes = coding_service.codes(store)
    leaf = next(c for c in codes if c.parent_id is not None)
    theme = next(c for c in codes if c.parent_id is None)
    segment = store.db.execute(
        "SELECT id, document_id, length(text) FROM segments LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM segments)"
    ).fetchone()
    counter = iter(range(1_000_000))

    def apply() -> None:
        offset = next(counter) % max(1, segment[2] - 5)
        coding_service.apply_code(
            store, segment[1], leaf.id, TextPosition(segment[0], offset), TextPosition(segment[0], offset + 5)
        )

    steps: list[tuple[str, Callable[[], object], float | None]] = [
        ("apply a coding (journaled)", apply, 50),
        (f"extracts of one code ({_count(store, leaf)} codings)", lambda: coding_service.extracts(store, leaf.id), 100),
        ("extracts of a theme with sub-codes", lambda: coding_service.extracts(store, theme.id), None),
        ("Table 1 rows of one code", lambda: extract_table_service.extract_rows(store, [leaf.id]), None),
        ("usage counts of every code", lambda: codebook_service.code_usage(store), None),
        ("codings of one document", lambda: coding_service.codings(store, segment[1]), None),
        ("search: one word", lambda: search_service.search(store, "lonely"), 100),
        ('search: phrase "night shift"', lambda: search_service.search(store, '"night shift"'), 100),
        ("search: prefix superv*", lambda: search_service.search(store, "superv*"), 100),
    ]
    print(f"{'step':<48} {'ms':>9} {'x baseline':>11}  target")
    print(f"{'baseline: SELECT SUM(length(text)) FROM words':<48} {baseline:>9.1f} {1.0:>11.1f}")
    for label, action, target in steps:
        ms = timed(action, repeat=3 if "theme" in label else 5)
        goal = f"<= {target:.0f} ms {'ok' if ms <= target else 'MISSED'}" if target else ""
        print(f"{label:<48} {ms:>9.1f} {ms / baseline:>11.1f}  {goal}")


def _count(store: ProjectStore, code: Code) -> int:
    return int(store.db.execute("SELECT COUNT(*) FROM codings WHERE code_id = ?", [code.id]).fetchone()[0])


if __name__ == "__main__":
    main()
