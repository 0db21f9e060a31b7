"""Writing a transcription again at the size of a 2-hour focus group, without the engine.

    .venv/bin/python bench/transcribe_again_scale.py [--turns 2000] [--corrected-every 10]

A document of ``--turns`` turns of ten words (20,000 words by default, eight speakers), every
n-th turn corrected; then each mode writes 2,000 new turns as one journal action and is undone.
Prints how long finding the work takes (the question before transcribing), each write and each
undo: the cost on top of the engine's run that a researcher waits for.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core.transcript import Segment, Word  # noqa: E402
from desktop_app.services.study import document_service, project_service  # noqa: E402
from desktop_app.services.transcript import edit_service
from desktop_app.services.transcription.retranscription import RetranscribeMode, apply_new_transcript, existing_work  # noqa: E402
from desktop_app.storage.transcripts import transcript_repository  # noqa: E402


def turns(count: int, mark: str = "") -> list[Segment]:
    made = []
    for i in range(count):
        words = [Word(i * 3.6 + j * 0.3, i * 3.6 + j * 0.3 + 0.25, f"w{j}{mark}", 0.9, f"S{i % 8}") for j in range(10)]
        made.append(Segment.from_words(words))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=2000)
    parser.add_argument("--corrected-every", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, project_service.create_project(Path(folder) / "s.verbatim") as store:
        with store.journal.action("Add") as changes:
            doc = changes.insert("documents", {"title": "FG", "created": "2026-01-01", "status": "transcribed"})
        transcript_repository.append_segments(store, doc, None, turns(args.turns))
        for segment in transcript_repository.load_transcript(store, doc, words=False).segments[:: args.corrected_every]:
            assert segment.id is not None
            edit_service.update_segment_text(store, segment.id, segment.text + " (laughs)")
        began = time.perf_counter()
        work = existing_work(store, doc)
        print(f"{args.turns * 10} words; finding the work ({work.describe()}): {time.perf_counter() - began:.2f} s")
        for mode in (RetranscribeMode.KEEP_CORRECTIONS, RetranscribeMode.REPLACE):
            began = time.perf_counter()
            apply_new_transcript(store, doc, None, mode, turns(args.turns, "x"))
            wrote = time.perf_counter() - began
            began = time.perf_counter()
            document_service.undo(store)
            print(f"{mode.value}: write {wrote:.2f} s, undo {time.perf_counter() - began:.2f} s")


if __name__ == "__main__":
    main()
