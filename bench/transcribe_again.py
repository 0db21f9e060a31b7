"""Transcribing a corrected, coded document again: what each mode keeps, and what it costs.

    .venv/bin/python bench/transcribe_again.py [--model tiny.en] [--turns 40] [--corrected 0.5]

On a generated conversation (four voices, ``--turns`` turns, cached by tests/fixtures/speech.py),
in one process: a first transcription (the baseline), then a share of the turns corrected and a
quarter of them coded, then "keep corrections" and "replace all" in turn, each undone afterwards.
Prints, per mode, the wall time and the audio transcribed as ratios to the first run, the
corrections and codings changed or lost (keep corrections must lose none), and whether undo
brought back the exact earlier transcript and codings.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core.coding import TextPosition  # noqa: E402
from desktop_app.pipeline.asr_options import TranscriptionOptions  # noqa: E402
from desktop_app.services.coding import coding_service
from desktop_app.services.study import document_service, import_service, project_service
from desktop_app.services.study.project_service import ProjectStore  # noqa: E402
from desktop_app.services.transcript import edit_service
from desktop_app.services.transcription.transcription_service import RetranscribeMode, transcribe_document  # noqa: E402
from tests.fixtures.speech import dialogue, make_speech  # noqa: E402


def snapshot(store: ProjectStore, doc: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    turns = [(s.id, s.text, s.start, s.end) for s in edit_service.load_transcript(store, doc).segments]
    return turns, store.db.execute("SELECT * FROM codings ORDER BY id").fetchall()


def work_on(store: ProjectStore, doc: int, share: float) -> set[int]:
    """Correct every n-th turn (a share of them) and code every fourth one; returns the corrected ids."""
    turns = edit_service.load_transcript(store, doc).segments
    step = max(1, round(1 / share)) if share > 0 else len(turns) + 1
    corrected = {t.id for t in turns[::step] if t.id is not None}
    for turn in turns:
        if turn.id in corrected:
            edit_service.update_segment_text(store, turn.id, turn.text + " (laughs)")
    code = coding_service.add_code(store, "Bench")
    for turn in turns[1::4]:
        assert turn.id is not None
        coding_service.apply_code(
            store, doc, code, TextPosition(turn.id, 0), TextPosition(turn.id, min(12, len(turn.text)))
        )
    return corrected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--corrected", type=float, default=0.5, help="share of turns corrected (0-1)")
    args = parser.parse_args()
    speech = make_speech(dialogue("ABCD", args.turns, seed=5))
    options = TranscriptionOptions(model=args.model, language="en")
    with tempfile.TemporaryDirectory() as folder, project_service.create_project(Path(folder) / "b.verbatim") as store:
        (doc,) = import_service.import_recordings(store, [speech.wav]).imported
        began = time.perf_counter()
        first = transcribe_document(store, doc.id, options)
        base = time.perf_counter() - began
        corrected = work_on(store, doc.id, args.corrected)
        before = snapshot(store, doc.id)
        print(
            f"{speech.duration:.0f} s of audio, {len(before[0])} turns, {len(corrected)} corrected, {len(before[1])} codings"
        )
        print(f"first run: {base:.1f} s wall, {first.audio_seconds:.1f} s audio")
        for mode in (RetranscribeMode.KEEP_CORRECTIONS, RetranscribeMode.REPLACE):
            began = time.perf_counter()
            outcome = transcribe_document(store, doc.id, options, again=mode)
            wall = time.perf_counter() - began
            turns, codings = snapshot(store, doc.id)
            lost_corrections = sum(1 for t in before[0] if t[0] in corrected and t not in turns)
            lost_codings = sum(1 for c in before[1] if c not in codings)
            document_service.undo(store)
            exact = snapshot(store, doc.id) == before
            report = outcome.again
            assert report is not None
            print(
                f"{mode.value}: wall x{wall / base:.2f} of the first run ({wall:.1f} s), audio x{outcome.audio_seconds / first.audio_seconds:.2f}; "
                f"corrections changed or lost {lost_corrections}, codings changed or lost {lost_codings} "
                f"(moved {report.codings_moved}, removed {len(report.codings_removed)}); undo exact: {exact}"
            )


if __name__ == "__main__":
    main()
