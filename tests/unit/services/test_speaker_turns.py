"""New turns from the speaker step: every coding keeps exactly its words, and undo restores every row.

A focus group's words are regrouped into turns by new voice labels (as the speaker step does, without
running the engine: that is tests/integration/test_speaker_step_undo.py), so turn breaks fall inside,
at the edges of and between coded spans.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from desktop_app.core.errors import VerbatimError
from desktop_app.pipeline.segment_builder import build_segments
from desktop_app.services.coding import coding_service
from desktop_app.services.speakers import speaker_turns
from desktop_app.services.study import document_service, project_service
from desktop_app.services.study.project_service import ProjectStore
from desktop_app.services.transcript import edit_service
from tests.fixtures.focus_group import make_focus_group


def _coded_texts(store: ProjectStore, document: int) -> dict[int, str]:
    segments = edit_service.load_transcript(store, document).segments
    return {c.id: coding_service.span_text(segments, c.start, c.end) for c in coding_service.codings(store, document)}


def _coded_segments(store: ProjectStore, document: int) -> set[int]:
    return {p.segment_id for c in coding_service.codings(store, document) for p in (c.start, c.end)}


def _rows(store: ProjectStore, document: int) -> list[object]:
    segments = edit_service.load_transcript(store, document).segments
    return [(s.id, s.speaker, s.text, [(w.start, w.text, w.speaker) for w in s.words]) for s in segments]


def test_codings_keep_their_words_and_undo_restores_every_turn(tmp_path: Path) -> None:
    group = make_focus_group(tmp_path, turns=120, words=1600, speakers=4, codings=60, duration=600.0)
    store = project_service.open_project(group.path)
    emptied = next(
        s.id
        for s in edit_service.load_transcript(store, group.document).segments
        if s.id not in _coded_segments(store, group.document)
    )
    assert emptied is not None
    edit_service.update_segment_text(store, emptied, "")  # a turn deleted by typing keeps its (empty) row
    coded, before = _coded_texts(store, group.document), _rows(store, group.document)
    assert any(not row[2] for row in before)  # type: ignore[index]
    words = [w for s in edit_service.load_transcript(store, group.document).segments for w in s.words]
    voices = [replace(w, speaker=f"S{int(w.start // 7) % 3 + 1}") for w in words]  # a new voice every 7 s
    turns = build_segments(voices)
    assert len(turns) > 60

    speaker_turns.replace_turns(store, group.document, turns, [(0.0, 7.0, "S1")])

    assert _coded_texts(store, group.document) == coded
    after = _rows(store, group.document)
    assert {s[1] for s in after} == {"S1", "S2", "S3"}  # type: ignore[index]
    document_service.undo(store)
    assert _rows(store, group.document) == before and _coded_texts(store, group.document) == coded
    document_service.redo(store)
    assert _rows(store, group.document) == after
    store.close()


def test_turns_with_other_words_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    group = make_focus_group(tmp_path, turns=20, words=200, speakers=2, codings=5, duration=120.0)
    store = project_service.open_project(group.path)
    before = _rows(store, group.document)
    words = [w for s in edit_service.load_transcript(store, group.document).segments for w in s.words]
    with pytest.raises(VerbatimError, match="changed the words"):
        speaker_turns.replace_turns(store, group.document, build_segments(words[1:]), [])
    assert _rows(store, group.document) == before
    store.close()
