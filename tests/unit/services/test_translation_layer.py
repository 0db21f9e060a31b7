"""The stored translation layer: kept beside each turn, undoable, corrected like any edit, followed
when turns merge or are transcribed again, searchable, and exported in each text mode.

The English here is written by hand so every assertion is exact; the real engine's English goes
through the same calls in test_translation_service.py."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from docx import Document

from desktop_app.cli import run
from desktop_app.core.coding import TextPosition
from desktop_app.core.transcript import Segment
from desktop_app.services.coding import coding_service
from desktop_app.services.study import document_service, import_service, project_service
from desktop_app.services.transcript import search_service, turn_service
from desktop_app.services.transcription import translation_layer
from desktop_app.services.transcription.translation_layer import CorrectedTranslationsError, NewTranslation, Overwrite
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository

TURNS = [
    ("Der Raum wurde als Leichenhalle genutzt.", "The room was used as a mortuary."),
    ("Wir hatten keine Unterstützung von Kollegen.", "We had no support from colleagues."),
    ("Das war schwer.", "That was hard."),
]


@pytest.fixture
def store(tmp_path: Path, shared_data: Path) -> ProjectStore:
    study = project_service.create_project(tmp_path / "study.verbatim")
    import_service.import_recordings(study, [shared_data / "cv_de.wav"])
    segments = [Segment(i * 2.0, i * 2.0 + 1.5, german, "Participant") for i, (german, _) in enumerate(TURNS)]
    transcript_repository.append_segments(study, 1, None, segments)
    study.db.execute("UPDATE documents SET language = 'de', status = 'transcribed'")
    return study


def segment_ids(store: ProjectStore) -> list[int]:
    return [s.id for s in transcript_repository.load_transcript(store, 1).segments if s.id is not None]


def translate(store: ProjectStore, mode: Overwrite = Overwrite.REFUSE, suffix: str = "") -> int:
    new = [
        NewTranslation(sid, english + suffix, german)
        for sid, (german, english) in zip(segment_ids(store), TURNS, strict=True)
    ]
    return translation_layer.store_translation(store, 1, new, "base", mode)


def english(store: ProjectStore) -> list[str]:
    rows = translation_layer.load(store, 1)
    return [rows[sid].text if sid in rows else "" for sid in segment_ids(store)]


def test_adding_a_translation_is_one_undoable_step(store: ProjectStore) -> None:
    assert translate(store) == 3
    assert english(store) == [e for _, e in TURNS]
    assert document_service.undo(store).label == "Add English translation"
    assert english(store) == ["", "", ""] and not translation_layer.has_translation(store, 1)
    document_service.redo(store)
    assert english(store) == [e for _, e in TURNS]


def test_a_correction_is_kept_undoable_and_never_overwritten_silently(store: ProjectStore) -> None:
    translate(store)
    first = segment_ids(store)[0]
    translation_layer.update_translation(store, first, "The  room was used as a morgue. ")
    assert english(store)[0] == "The room was used as a morgue."
    assert translation_layer.corrected_segments(store, 1) == {first}
    with pytest.raises(CorrectedTranslationsError, match="1 translated turn"):
        translate(store, suffix=" (again)")
    assert translate(store, Overwrite.KEEP_CORRECTED, suffix=" (again)") == 2
    assert english(store) == ["The room was used as a morgue.", *(e + " (again)" for _, e in TURNS[1:])]
    translate(store, Overwrite.REPLACE)
    assert english(store) == [e for _, e in TURNS] and not translation_layer.corrected_segments(store, 1)
    for _ in range(3):  # replace, keep, correction
        document_service.undo(store)
    assert english(store) == [e for _, e in TURNS]


def test_codings_stay_on_the_original(store: ProjectStore) -> None:
    code = coding_service.add_code(store, "Support")
    second = segment_ids(store)[1]
    coding_service.apply_code(store, 1, code, TextPosition(second, 4), TextPosition(second, 34))
    translate(store)
    translation_layer.update_translation(store, second, "We got no support at all from colleagues.")
    extract = coding_service.extracts(store, code)[0]
    assert extract.text == "hatten keine Unterstützung von" and extract.coding.start.segment_id == second


def test_merging_turns_joins_their_english_and_undo_brings_both_back(store: ProjectStore) -> None:
    translate(store)
    first, second, _ = segment_ids(store)
    turn_service.merge_with_next(store, first)
    assert english(store) == [f"{TURNS[0][1]} {TURNS[1][1]}", TURNS[2][1]]
    document_service.undo(store)
    assert english(store) == [e for _, e in TURNS]


def test_search_finds_words_in_either_layer_and_says_which(store: ProjectStore) -> None:
    translate(store)
    hits = search_service.search(store, "support OR Unterstützung").hits
    assert [(h.segment_id, h.layer) for h in hits] == [
        (segment_ids(store)[1], "original"),
        (segment_ids(store)[1], "english"),
    ]
    assert hits[1].text == "We had no support from colleagues." and hits[1].matches == [(10, 17)]
    assert search_service.search(store, "mortuary").total == 1
    document_service.undo(store)
    assert search_service.search(store, "mortuary").total == 0, "the index follows undo"


def test_cli_search_marks_english_matches(store: ProjectStore, capsys: pytest.CaptureFixture[str]) -> None:
    translate(store)
    path = store.path
    store.close()
    assert run(["search", str(path), "colleagues"]) == 0
    out = capsys.readouterr().out
    assert "] (English) Participant: We had no support from [colleagues]." in out


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("original", TURNS[1][0]),
        ("english", TURNS[1][1]),
        ("both", f"{TURNS[1][0]} ({TURNS[1][1]})"),
    ],
)
def test_exports_in_each_text_mode(store: ProjectStore, tmp_path: Path, mode: str, expected: str) -> None:
    code = coding_service.add_code(store, "Support")
    second = segment_ids(store)[1]
    coding_service.apply_code(store, 1, code, TextPosition(second, 0), TextPosition(second, len(TURNS[1][0])))
    translate(store)
    path = store.path
    store.close()
    txt, table, quotes = tmp_path / "t.txt", tmp_path / "e.csv", tmp_path / "q.docx"
    assert run(["export", str(path), "1", "-f", "txt", "-o", str(txt), "--text", mode]) == 0
    assert expected in txt.read_text(encoding="utf-8")
    assert run(["extracts", str(path), "--code", "Support", "-o", str(table), "--text", mode]) == 0
    with table.open(encoding="utf-8-sig") as handle:
        assert [row["Data extract"] for row in csv.DictReader(handle)] == [expected]
    assert run(["report", str(path), "quotes", "-o", str(quotes), "--text", mode]) == 0
    assert any(f"“{expected}”" in p.text for p in Document(str(quotes)).paragraphs)


def test_english_mode_keeps_the_original_where_a_turn_has_no_translation(store: ProjectStore, tmp_path: Path) -> None:
    first = segment_ids(store)[0]
    translation_layer.update_translation(store, first, "The room was used as a mortuary.")
    path = store.path
    store.close()
    out = tmp_path / "t.txt"
    assert run(["export", str(path), "1", "-f", "txt", "-o", str(out), "--text", "english", "--no-timestamps"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "The room was used as a mortuary." in text and TURNS[1][0] in text and TURNS[0][0] not in text


def test_transcribing_again_counts_corrected_english_as_work_to_keep(store: ProjectStore) -> None:
    from desktop_app.services.transcription.retranscription import existing_work

    translate(store)
    assert existing_work(store, 1).kept_segment_ids == frozenset(), "the engine's English is no one's correction"
    third = segment_ids(store)[2]
    translation_layer.update_translation(store, third, "That was tough.")
    work = existing_work(store, 1)
    assert work.kept_segment_ids == {third} and work.corrected_turns == 1


def test_json_export_carries_both_layers(store: ProjectStore, tmp_path: Path) -> None:
    import json

    translate(store)
    path = store.path
    store.close()
    out = tmp_path / "t.json"
    assert run(["export", str(path), "1", "-f", "json", "-o", str(out)]) == 0
    segments = json.loads(out.read_text(encoding="utf-8"))["segments"]
    assert [(s["text"], s["english"]) for s in segments] == TURNS
