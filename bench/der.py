"""Diarization error rate of one RTTM against a reference RTTM.

    .venv/bin/python bench/der.py HYP.rttm REF.rttm [--collar 0.25]

Prints DER with its parts (missed speech, false alarm, speaker confusion, as shares of the
reference speech) with no collar and with ``--collar`` seconds removed either side of every
reference boundary, plus the seconds behind them. Scoring: bench/speaker_scoring.py
(frame based, overlapping speech scored, best one-to-one speaker mapping, recordings scored
separately by RTTM file id and summed). When each file holds one recording under different ids
(``verbatim export`` names it after the document, another tool after its own file), the two are
scored against each other, and a line says so.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT))
    from bench.speaker_scoring import der_files, read_rttm_files
    from desktop_app.core.errors import VerbatimError

    parser = argparse.ArgumentParser(description="DER of a hypothesis RTTM against a reference RTTM")
    parser.add_argument("hypothesis", type=Path, help="RTTM to score (e.g. from verbatim export --format rttm)")
    parser.add_argument("reference", type=Path, help="reference RTTM")
    parser.add_argument("--collar", type=float, default=0.25, help="seconds around reference boundaries (0.25)")
    args = parser.parse_args(argv)
    if args.collar < 0:
        parser.error("--collar must not be negative")
    try:
        hypothesis, reference = read_rttm_files(args.hypothesis), read_rttm_files(args.reference)
    except VerbatimError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    if not reference:
        print(f"error: {args.reference}: no SPEAKER lines, nothing to score against", file=sys.stderr)
        return 2
    if len(hypothesis) == 1 and len(reference) == 1 and hypothesis.keys() != reference.keys():
        hyp_id, ref_id = next(iter(hypothesis)), next(iter(reference))
        print(f"one recording in each file: {hyp_id!r} scored as {ref_id!r}")
        hypothesis = {ref_id: hypothesis[hyp_id]}
    for label, collar in (("no collar", 0.0), (f"collar {args.collar:g} s", args.collar)):
        score = der_files(reference, hypothesis, collar)
        print(
            f"{label:16s} {score} | {score.total:.2f} s of reference speech: missed {score.missed:.2f} s,"
            f" false alarm {score.false_alarm:.2f} s, confusion {score.confusion:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
