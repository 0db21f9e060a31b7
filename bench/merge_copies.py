"""Merging two coders' copies: 10 documents, N codings in each copy, codebooks that overlap.

Builds a study of recorded, transcribed documents, copies it for two coders, has each code at random
(seeded; Ben also adds two codes of his own, one clashing by name, and recolours a shared one), then
times ``merge_service.merge_study`` and prints: the time in ms and as a ratio to a baseline measured
in the same run (``preview_merge``: opening the other copy, matching documents and codebooks, reading
every coding, without writing); the conflicts found; the codings added; and whether Cohen's kappa per
code on the merged study equals kappa computed on the two copies directly.

    .venv/bin/python bench/merge_copies.py [--documents 10] [--codings 300] [--turns 40]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.services.analysis import intercoder_service
from desktop_app.services.coding import coding_service  # noqa: E402
from desktop_app.services.interchange import merge_service
from desktop_app.services.interchange.merge_codes import code_paths  # noqa: E402
from desktop_app.services.interchange.merge_service import MergeOptions  # noqa: E402
from desktop_app.services.study import project_service
from tests.fixtures.merge_study import code_at_random, copy_for, direct_kappa, make_base_study  # noqa: E402


def _timed(run: object) -> float:
    start = time.perf_counter()
    run()  # type: ignore[operator]
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--codings", type=int, default=300, help="codings in each copy")
    parser.add_argument("--turns", type=int, default=40, help="turns per document")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = make_base_study(Path(folder) / "study.verbatim", args.documents, args.turns)
        ours, theirs = copy_for(base, "Ann"), copy_for(base, "Ben")
        with project_service.open_project(ours) as store:
            code_at_random(store, "Ann", args.codings, seed=1)
        with project_service.open_project(theirs) as store:
            codes = {c.name: c.id for c in coding_service.codes(store)}
            coding_service.update_code(store, codes["Peer help"], color="#123456")
            coding_service.add_code(store, "Night work", parent_id=codes["Support"])
            coding_service.add_code(store, "Isolation", parent_id=codes["Support"])
            code_at_random(store, "Ben", args.codings, seed=2)
        expected = direct_kappa(ours, theirs)
        with project_service.open_project(ours) as store:
            baseline = min(_timed(lambda: merge_service.preview_merge(store, theirs)) for _ in range(3))
            holder: list[merge_service.MergeResult] = []
            merge_ms = _timed(
                lambda: holder.append(merge_service.merge_study(store, theirs, MergeOptions(backup=False)))
            )
            result = holder[0]
            report = intercoder_service.compare_coders(store, "Ann", "Ben")
            paths = {i: " / ".join(p) for i, p in code_paths(coding_service.codes(store)).items()}
            merged = {paths[r.code.id]: round(r.stats.kappa, 9) for r in report.by_code}
    print(f"{args.documents} documents, {args.codings} codings in each copy, {args.turns} turns each")
    print(f"baseline (preview: open, match, read)  {baseline:8.1f} ms   1.00x")
    print(f"merge (one journal entry, no backup)   {merge_ms:8.1f} ms   {merge_ms / baseline:5.2f}x")
    print(f"codings added {result.codings_added}, already here {result.codings_already_here}, codes added "
          f"{len(result.codes_added)}, conflicts {len(result.conflicts)}:")  # fmt: skip
    for conflict in result.conflicts:
        print(f"  {conflict}")
    same = merged == expected
    print(f"kappa per code, merged vs the two copies: {'equal' if same else 'DIFFERENT'}")
    for code in sorted(expected):
        print(f"  {code:<20} {expected[code]:.4f}  merged {merged.get(code, float('nan')):.4f}")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
