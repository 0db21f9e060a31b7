"""Merging a second coder's copy: their turns bring their English with them (one undo step), ours go with ours."""

from __future__ import annotations

from pathlib import Path

from desktop_app.services.interchange import merge_service
from desktop_app.services.interchange.merge_service import MergeOptions, TranscriptChoice
from desktop_app.services.study import project_service
from desktop_app.services.transcription import translation_layer
from desktop_app.services.transcription.translation_layer import NewTranslation, Overwrite
from desktop_app.storage.transcripts import transcript_repository
from tests.fixtures.merge_study import copy_for, make_base_study


def _translate_first_turn(path: Path, english: str, original: str | None = None) -> None:
    with project_service.open_project(path) as store:
        segment = transcript_repository.load_transcript(store, 1).segments[0]
        assert segment.id is not None
        if original is not None:
            store.db.execute("UPDATE segments SET text = ? WHERE id = ?", [original, segment.id])
        new = [NewTranslation(segment.id, english, original or segment.text)]
        translation_layer.store_translation(store, 1, new, "base", Overwrite.REPLACE)


def _first_english(store: project_service.ProjectStore) -> str | None:
    first = transcript_repository.load_transcript(store, 1).segments[0].id
    row = translation_layer.load(store, 1).get(first or -1)
    return row.text if row else None


def test_their_transcript_brings_its_english_and_undo_brings_ours_back(tmp_path: Path) -> None:
    base = make_base_study(tmp_path / "study.verbatim")
    ours, theirs = copy_for(base, "Ann"), copy_for(base, "Ben")
    _translate_first_turn(ours, "Our English.")
    _translate_first_turn(theirs, "Their English.", original="Their corrected turn.")
    with project_service.open_project(ours) as store:
        merge_service.merge_study(store, theirs, MergeOptions(TranscriptChoice.THEIRS, backup=False))
        assert _first_english(store) == "Their English."
        store.journal.undo()
        assert _first_english(store) == "Our English."
        merge_service.merge_study(store, theirs, MergeOptions(TranscriptChoice.BOTH, backup=False))
        assert _first_english(store) == "Our English."
        added = max(d.id for d in project_service.list_documents(store))
        assert [r.text for r in translation_layer.load(store, added).values()] == ["Their English."]
