"""The stored English at the size of a 2-hour focus group, without the engine.

    .venv/bin/python bench/translation_layer_scale.py [--turns 2000]

A document of ``--turns`` turns of twelve words gets an English line per turn, stored as one journal
action, undone and redone; one turn's English is corrected; the study is searched with and without
the English layer; and the document is exported as text in each --text mode. Each cost is printed
beside a baseline measured in the same run: editing one original turn, searching before the English
exists, exporting the original.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core.text.text_layer import TextLayer  # noqa: E402
from desktop_app.core.transcript import Segment, Word  # noqa: E402
from desktop_app.services.exports import export_service
from desktop_app.services.study import document_service, project_service
from desktop_app.services.transcript import edit_service, search_service
from desktop_app.services.transcription import translation_layer
from desktop_app.services.transcription.translation_layer import NewTranslation, Overwrite  # noqa: E402
from desktop_app.storage.transcripts import transcript_repository  # noqa: E402

GERMAN = [
    "wir",
    "hatten",
    "keine",
    "Unterstützung",
    "in",
    "der",
    "Nachtschicht",
    "und",
    "das",
    "war",
    "schwer",
    "für",
    "uns",
]
ENGLISH = "we had no support on the night shift and that was hard for us"


def turns(count: int) -> list[Segment]:
    made = []
    for i in range(count):
        words = [Word(i * 4.0 + j * 0.3, i * 4.0 + j * 0.3 + 0.25, w, 0.9, f"S{i % 8}") for j, w in enumerate(GERMAN)]
        made.append(Segment.from_words(words))
    return made


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, project_service.create_project(Path(folder) / "s.verbatim") as store:
        store.db.execute("INSERT INTO documents (title, created, language) VALUES ('Focus group', '2025-01-01', 'de')")
        transcript_repository.append_segments(store, 1, None, turns(args.turns))
        segments = transcript_repository.load_transcript(store, 1).segments
        ids = [s.id for s in segments if s.id is not None]
        one_edit = timed(lambda: edit_service.update_segment_text(store, ids[5], " ".join(GERMAN) + " ja"))
        search_before = timed(lambda: search_service.search(store, "Nachtschicht OR night"))
        export_txt = Path(folder) / "t.txt"
        export_original = timed(lambda: export_service.export_document(store, 1, "txt", export_txt))
        new = [
            NewTranslation(sid, f"{ENGLISH} ({n})", s.text)
            for n, (sid, s) in enumerate(zip(ids, segments, strict=True))
        ]
        store_all = timed(lambda: translation_layer.store_translation(store, 1, new, "base", Overwrite.REFUSE))
        undo = timed(lambda: document_service.undo(store))
        redo = timed(lambda: document_service.redo(store))
        correct = timed(lambda: translation_layer.update_translation(store, ids[7], "we got no help at night"))
        search_after = timed(lambda: search_service.search(store, "Nachtschicht OR night"))
        hits = search_service.search(store, "Nachtschicht OR night").total
        print(
            f"{args.turns} turns of {len(GERMAN)} words; baseline: editing one original turn {one_edit * 1000:.0f} ms"
        )
        print(
            f"  store the English of every turn (one journal action) {store_all:.2f} s ({store_all / one_edit:.0f}x one edit)"
        )
        print(f"  undo it {undo:.2f} s, redo {redo:.2f} s; correct one turn's English {correct * 1000:.0f} ms")
        print(
            f"  search both layers {search_after * 1000:.0f} ms for {hits} matches "
            f"({search_after / search_before:.1f}x searching the original alone, {search_before * 1000:.0f} ms)"
        )
        for layer in (TextLayer.ENGLISH, TextLayer.BOTH):
            options = export_service.ExportOptions(text_layer=layer)
            cost = timed(lambda o=options: export_service.export_document(store, 1, "txt", export_txt, o))  # type: ignore[misc]
            print(
                f"  export txt --text {layer.value}: {cost * 1000:.0f} ms ({cost / export_original:.2f}x the original)"
            )


if __name__ == "__main__":
    main()
