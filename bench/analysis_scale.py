"""Analysis at study scale: ~200 one-hour interviews (~2 M words), ~40,000 codings on 100 codes,
one participant per interview with attributes.

Builds a throwaway study fast (executemany straight into the tables), then times: opening the
study, a full-text search, the extracts of one code filtered by an attribute, applying a coding,
the co-occurrence matrix of 100 codes, and a few other analysis reads. Each time is printed in ms
and as a ratio to a baseline measured in the same run (``SELECT COUNT(*) FROM words``).

    .venv/bin/python bench/analysis_scale.py [--documents 200] [--words 10000] [--passages 20000]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core.coding import AttributeType, TextPosition  # noqa: E402
from desktop_app.services.analysis import analysis_service  # noqa: E402
from desktop_app.services.analysis.analysis_tables import speaking_time, table2  # noqa: E402
from desktop_app.services.coding import coding_service
from desktop_app.services.participants import participant_service
from desktop_app.services.study import project_service
from desktop_app.storage.project_store import ProjectStore  # noqa: E402
from tests.fixtures.focus_group import VOCABULARY as FOCUS_GROUP_WORDS  # noqa: E402

# the focus group's words and some more: 200 interviews speak a wider vocabulary than one group
VOCABULARY = [
    *FOCUS_GROUP_WORDS,
    "alone",
    "lonely",
    "supervision",
    "listened",
    "family",
    "trust",
    "money",
    "time",
    "hard",
    "better",
    "worse",
    "changed",
    "started",
    "stopped",
    "helped",
    "asked",
]
GROUPS = ["Peer support worker", "Manager", "Volunteer", "Nurse"]


def build(path: Path, documents: int, words: int, passages: int, codes: int) -> None:
    store = project_service.create_project(path)
    rng = random.Random(7)
    participant_service.add_attribute(store, "group", AttributeType.CATEGORY, GROUPS)
    participant_service.add_attribute(store, "age", AttributeType.INTEGER)
    themes = [coding_service.add_code(store, f"Theme {t}") for t in range(codes // 10)]
    leaves = [coding_service.add_code(store, f"Code {i}", parent_id=themes[i % len(themes)]) for i in range(codes)]
    conn = store.db.conn
    turns: list[tuple[int, int, int, int]] = []  # document, segment id, seq, text length
    with store.db.atomic():
        for number in range(1, documents + 1):
            turns.extend(_document(conn, rng, number, words))
        _codings(conn, rng, turns, leaves, passages)
    store.close()


def _document(conn: sqlite3.Connection, rng: random.Random, number: int, words: int) -> list[tuple[int, int, int, int]]:
    db = conn
    doc = db.execute(
        "INSERT INTO documents (title, created, status) VALUES (?, '2026-01-01', 'transcribed')",
        [f"Interview {number}"],
    ).lastrowid
    assert doc is not None
    participant = db.execute("INSERT INTO participants (label) VALUES (?)", [f"P{number:03d}"]).lastrowid
    db.executemany(
        "INSERT INTO attribute_values (participant_id, attribute_id, value) VALUES (?, ?, ?)",
        [(participant, 1, rng.choice(GROUPS)), (participant, 2, str(rng.randint(22, 64)))],
    )
    interviewer = db.execute("INSERT INTO speakers (document_id, label) VALUES (?, 'S1')", [doc]).lastrowid
    speaker = db.execute(
        "INSERT INTO speakers (document_id, label, participant_id) VALUES (?, 'S2', ?)", [doc, participant]
    ).lastrowid
    first = (db.execute("SELECT COALESCE(MAX(id), 0) FROM segments").fetchone()[0]) + 1
    segment_rows, word_rows, result, clock, seq = [], [], [], 0.0, 0
    while words > 0:
        size = min(words, rng.randint(5, 30))
        tokens = [rng.choice(VOCABULARY) for _ in range(size)]
        who = interviewer if seq % 2 == 0 else speaker
        segment_id = first + seq
        text = " ".join(tokens)
        segment_rows.append((segment_id, doc, seq + 1, clock, clock + 0.36 * size, who, text))
        for i, token in enumerate(tokens):
            word_rows.append((segment_id, i, clock + 0.36 * i, clock + 0.36 * i + 0.3, token, 0.9, who))
        result.append((doc, segment_id, seq + 1, len(text)))
        clock += 0.36 * size + 0.8
        seq += 1
        words -= size
    db.executemany(
        "INSERT INTO segments (id, document_id, seq, start, end, speaker_id, text) VALUES (?,?,?,?,?,?,?)", segment_rows
    )
    db.executemany(
        "INSERT INTO words (segment_id, seq, start, end, text, probability, speaker_id) VALUES (?,?,?,?,?,?,?)",
        word_rows,
    )
    return result


def _codings(
    conn: sqlite3.Connection,
    rng: random.Random,
    turns: list[tuple[int, int, int, int]],
    codes: list[int],
    passages: int,
) -> None:
    """Coded passages: each 1–3 turns long with two codes on overlapping spans (so codes co-occur)."""
    rows = []
    for _ in range(passages):
        index = rng.randrange(len(turns) - 3)
        doc, start_id, _seq, _length = turns[index]
        span = rng.randint(0, 2)
        end_doc, end_id, _end_seq, end_length = turns[index + span]
        if end_doc != doc:
            end_id, end_length = start_id, turns[index][3]
        for code in rng.sample(codes, 2):
            start_offset = rng.randrange(0, 10)
            end_offset = max(1, end_length - rng.randrange(0, 10))
            if end_id == start_id and end_offset <= start_offset:
                start_offset, end_offset = 0, end_length
            rows.append((code, doc, start_id, start_offset, end_id, end_offset, "2026-01-01", rng.choice(["AB", "CD"])))
    conn.executemany(
        "INSERT INTO codings (code_id, document_id, start_segment_id, start_offset, end_segment_id, end_offset, "
        "created, coder) VALUES (?,?,?,?,?,?,?,?)",
        rows,
    )


def timed(action: Callable[[], object], repeat: int = 5) -> float:
    """Median wall time of ``action`` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def report(path: Path) -> None:
    def open_study() -> None:
        project_service.open_project(path).close()

    def open_and_list() -> None:
        with project_service.open_project(path) as opened:
            project_service.study_summary(opened)
            coding_service.codes(opened)

    open_ms, open_list_ms = timed(open_study), timed(open_and_list)
    store = project_service.open_project(path)
    baseline = timed(lambda: store.db.execute("SELECT COUNT(*) FROM words").fetchone())
    leaves = [c for c in coding_service.codes(store) if c.parent_id is not None]
    leaf = leaves[0]
    turn = store.db.execute("SELECT id, document_id, length(text) FROM segments WHERE id = 5000").fetchone()
    counter = iter(range(1_000_000))

    def apply() -> None:
        offset = next(counter) % max(1, turn[2] - 5)
        start, end = TextPosition(turn[0], offset), TextPosition(turn[0], offset + 5)
        coding_service.apply_code(store, turn[1], leaf.id, start, end)

    managers = analysis_service.ExtractFilter(attributes=[("group", "Manager")])
    query = analysis_service.CodeQuery(any_of=[leaf.id])
    found = len(analysis_service.retrieve(store, query, managers))
    steps: list[tuple[str, Callable[[], object], float | None]] = [
        ("open study (open + close)", lambda: None, 1000),
        ("open study + summary + codebook", lambda: None, 1000),
        *_search_steps(store),
        (
            f"extracts of one code, group=Manager ({found})",
            lambda: analysis_service.retrieve(store, query, managers),
            100,
        ),
        (
            "extracts of one code AND another, NOT a third",
            lambda: analysis_service.retrieve(
                store, analysis_service.CodeQuery(any_of=[leaf.id], all_of=[leaves[1].id], none_of=[leaves[2].id])
            ),
            None,
        ),
        ("apply a coding (journaled)", apply, 50),
        ("co-occurrence matrix, 100 codes", lambda: analysis_service.cooccurrence(store, [c.id for c in leaves]), 1000),
        ("frequencies by document", lambda: analysis_service.frequencies(store), None),
        ("frequencies by group", lambda: analysis_service.frequencies(store, "group"), None),
        ("Table 2 by group", lambda: table2(store, "group"), None),
        ("speaking time per participant", lambda: speaking_time(store), None),
    ]
    measured = {"open study (open + close)": open_ms, "open study + summary + codebook": open_list_ms}
    print(f"{'step':<52} {'ms':>9} {'x baseline':>11}  target")
    print(f"{'baseline: SELECT COUNT(*) FROM words':<52} {baseline:>9.1f} {1.0:>11.1f}")
    for label, action, target in steps:
        ms = measured.get(label) or timed(action, repeat=3 if "co-occurrence" in label else 5)
        goal = f"<= {target:.0f} ms {'ok' if ms <= target else 'MISSED'}" if target else ""
        print(f"{label:<52} {ms:>9.1f} {ms / baseline:>11.1f}  {goal}")
    store.close()


def _search_steps(store: ProjectStore) -> list[tuple[str, Callable[[], object], float | None]]:
    try:
        from desktop_app.services.transcript import search_service
    except ImportError:
        return []
    return [('search: phrase "night shift"', lambda: search_service.search(store, '"night shift"'), 100)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--words", type=int, default=10_000, help="words per document")
    parser.add_argument("--passages", type=int, default=20_000, help="coded passages (two codings each)")
    parser.add_argument("--codes", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scale.verbatim"
        started = time.perf_counter()
        build(path, args.documents, args.words, args.passages, args.codes)
        print(
            f"built {args.documents} documents, {args.documents * args.words:,} words, "
            f"{2 * args.passages:,} codings in {time.perf_counter() - started:.1f} s"
        )
        report(path)


if __name__ == "__main__":
    main()
