"""kill -9 at random moments of a 1,000-operation burst of edits, codings and speaker changes.

Each round builds a fresh study, runs the burst (``tests/fixtures/edit_burst.py``) in a child that
acknowledges every operation after its service call returned, sends SIGKILL at a seeded random
moment, then reopens the study and checks: ``PRAGMA integrity_check`` is ok, every acknowledged
operation is there (the one in flight may or may not be), and undo/redo walk the journal back and
forth over the last three operations. Prints one row per round and the totals; exits 1 on any failure.

    .venv/bin/python bench/fault_kill_edits.py [--rounds 20] [--seed 1] [--count 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fixtures.edit_burst import KillRound, kill_round  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1, help="first seed; round i uses seed + i")
    parser.add_argument("--count", type=int, default=1000, help="operations planned per burst")
    args = parser.parse_args()
    print(f"{'round':>5} {'seed':>5} {'kill at':>8} {'+ms':>6} {'acked':>6} {'in study':>8} {'ops/s':>6}  result")
    results: list[KillRound] = []
    failures = 0
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="verbatim-kill-edits-") as tmp:
        for i in range(args.rounds):
            seed = args.seed + i
            try:
                r = kill_round(Path(tmp) / f"round{i}", seed, args.count)
            except AssertionError as exc:
                failures += 1
                print(f"{i + 1:>5} {seed:>5} {'':>8} {'':>6} {'':>6} {'':>8} {'':>6}  FAILED: {exc}")
                continue
            results.append(r)
            c = r.check
            row = f"{i + 1:>5} {seed:>5} {r.kill_after:>8} {r.delay_ms:>6.1f} {c.acknowledged:>6} {c.committed:>8}"
            print(f"{row} {r.ops_per_second:>6.0f}  ok (integrity ok, undo/redo {c.undone})")
    acked = sum(r.check.acknowledged for r in results)
    in_flight = sum(r.check.committed - r.check.acknowledged for r in results)
    print(
        f"\n{len(results)}/{args.rounds} rounds ok, {failures} failed; {acked} acknowledged operations checked, "
        f"all present; {in_flight} kill(s) landed after a commit and before its acknowledgement; "
        f"{time.perf_counter() - began:.1f} s"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
