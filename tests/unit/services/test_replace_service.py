from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.errors import ProjectError, VerbatimError
from desktop_app.core.transcript import Segment, Word
from desktop_app.services.study import document_service, project_service
from desktop_app.services.transcript import replace_service
from desktop_app.services.transcript.replace_service import FindOptions
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository


def _turn(text: str, start: float, speaker: str = "S1") -> Segment:
    words = [Word(start + i * 0.5, start + i * 0.5 + 0.4, t, 0.9, speaker) for i, t in enumerate(text.split())]
    return Segment.from_words(words, speaker)


def _document(store: ProjectStore, title: str, turns: list[str]) -> int:
    with store.journal.action("Add") as changes:
        doc = changes.insert("documents", {"title": title, "created": "2026-01-01"})
    transcript_repository.append_segments(store, doc, None, [_turn(t, i * 10.0) for i, t in enumerate(turns)])
    return doc


@pytest.fixture
def study(tmp_path: Path) -> tuple[ProjectStore, int, int]:
    store = project_service.create_project(tmp_path / "s.verbatim")
    first = _document(store, "Anna", ["we moved to malmo in june", "Malmo was cold, malmo-ish even", "no match"])
    second = _document(store, "Ben", ["I never liked malmo", "the Malmoe ferry"])
    return store, first, second


def _texts(store: ProjectStore, doc: int) -> list[str]:
    return [s.text for s in transcript_repository.load_transcript(store, doc).segments]


def test_find_case_whole_words_and_regex(study: tuple[ProjectStore, int, int]) -> None:
    store, first, second = study
    hits = replace_service.find_in_document(store, first, FindOptions("malmo"))
    assert [(h.row, h.start, h.end, h.matched) for h in hits] == [
        (0, 12, 17, "malmo"),
        (1, 0, 5, "Malmo"),
        (1, 16, 21, "malmo"),
    ]
    assert len(replace_service.find_in_document(store, first, FindOptions("malmo", case_sensitive=True))) == 2
    study_hits = replace_service.find_in_study(store, FindOptions("malmo"))
    assert [h.document_id for h in study_hits] == [first] * 3 + [second] * 2  # "Malmoe" contains it
    whole = replace_service.find_in_study(store, FindOptions("malmo", whole_words=True))
    assert [h.matched for h in whole] == ["malmo", "Malmo", "malmo", "malmo"], "malmo-ish counts, Malmoe does not"
    regex = replace_service.find_in_study(store, FindOptions(r"Malm(o|oe)\b", regex=True, case_sensitive=True))
    assert [h.matched for h in regex] == ["Malmo", "Malmoe"]


@pytest.mark.parametrize("pattern", ["(unclosed", "[a-", "*star", "a{2,1}"])
def test_bad_regex_names_the_problem(study: tuple[ProjectStore, int, int], pattern: str) -> None:
    store, first, _ = study
    with pytest.raises(VerbatimError, match="not a valid regular expression") as error:
        replace_service.find_in_document(store, first, FindOptions(pattern, regex=True))
    assert pattern in error.value.message
    with pytest.raises(VerbatimError, match="at character 1"):
        replace_service.compile_pattern(FindOptions("*star", regex=True, whole_words=True))
    assert replace_service.find_in_document(store, first, FindOptions(pattern.replace("(", "in ("))) == []


def test_empty_search_is_refused_and_empty_matches_are_skipped(study: tuple[ProjectStore, int, int]) -> None:
    store, first, _ = study
    with pytest.raises(VerbatimError, match="type something"):
        replace_service.find_in_document(store, first, FindOptions(""))
    assert replace_service.find_in_document(store, first, FindOptions("x*", regex=True)) == []
    result = replace_service.replace_all(store, FindOptions("x*", regex=True), "Y", first)
    assert result.count == 0 and _texts(store, first)[2] == "no match"


def test_replace_all_in_document_is_one_undo_step_and_keeps_word_times(study: tuple[ProjectStore, int, int]) -> None:
    store, first, second = study
    before = transcript_repository.load_transcript(store, first).segments
    result = replace_service.replace_all(store, FindOptions("malmo", whole_words=True), "Malmö", first)
    assert (result.count, result.turns, result.documents) == (3, 2, 1)
    assert _texts(store, first)[:2] == ["we moved to Malmö in june", "Malmö was cold, Malmö-ish even"]
    assert _texts(store, second)[0] == "I never liked malmo", "other documents are untouched"
    edited = transcript_repository.load_transcript(store, first).segments[0]
    assert [(w.text, w.start) for w in edited.words] == [
        (w.text.replace("malmo", "Malmö"), w.start) for w in before[0].words
    ]
    assert store.journal.undo_entry() is not None
    assert "in this document" in store.journal.undo_entry().label
    document_service.undo(store)
    assert _texts(store, first) == [s.text for s in before]
    assert [(w.text, w.start) for w in transcript_repository.load_transcript(store, first).segments[0].words] == [
        (w.text, w.start) for w in before[0].words
    ]


def test_replace_all_in_study_with_regex_groups_undoes_at_once(study: tuple[ProjectStore, int, int]) -> None:
    store, first, second = study
    options = FindOptions(r"(m)almo\b", regex=True)
    result = replace_service.replace_all(store, options, r"\1almö", None)
    assert (result.count, result.turns, result.documents) == (4, 3, 2)
    assert _texts(store, second) == ["I never liked malmö", "the Malmoe ferry"]
    assert _texts(store, first)[1] == "Malmö was cold, malmö-ish even"
    document_service.undo(store)
    assert _texts(store, second)[0] == "I never liked malmo" and _texts(store, first)[0] == "we moved to malmo in june"
    with pytest.raises(VerbatimError, match="replacement"):
        replace_service.replace_all(store, options, r"\2", None)
    assert _texts(store, first)[0] == "we moved to malmo in june", "a bad replacement changes nothing"


def test_replace_one_then_resume_and_stale_hit(study: tuple[ProjectStore, int, int]) -> None:
    store, first, _ = study
    options = FindOptions("malmo")
    hits = replace_service.find_in_document(store, first, options)
    result = replace_service.replace_one(store, hits[1], options, "  Lund  ")
    assert result.count == 1
    text = _texts(store, first)[1]
    assert text == "Lund was cold, malmo-ish even"
    assert result.resume_offset == len("Lund ")
    with pytest.raises(VerbatimError, match="no longer at that place"):
        replace_service.replace_one(store, hits[2], options, "Lund")  # offsets moved: refuse, don't guess
    fresh = [h for h in replace_service.find_in_document(store, first, options) if h.row == 1]
    assert fresh[0].start >= (result.resume_offset or 0)
    replace_service.replace_one(store, fresh[0], options, "Lund")
    assert _texts(store, first)[1] == "Lund was cold, Lund-ish even"
    document_service.undo(store)
    assert _texts(store, first)[1] == "Lund was cold, malmo-ish even", "each replace is its own undo step"


def test_replacement_moves_codings(study: tuple[ProjectStore, int, int]) -> None:
    from desktop_app.core.coding import TextPosition
    from desktop_app.services.coding import coding_service

    store, first, _ = study
    segment = transcript_repository.load_transcript(store, first).segments[0]
    assert segment.id is not None
    code = coding_service.add_code(store, "Place")
    start = segment.text.index("in june")
    coding_service.apply_code(
        store, first, code, TextPosition(segment.id, start), TextPosition(segment.id, start + len("in june"))
    )
    replace_service.replace_all(store, FindOptions("malmo"), "Malmö city", first)
    coded = coding_service.codings(store, first)
    text = _texts(store, first)[0]
    assert [text[c.start.offset : c.end.offset] for c in coded] == ["in june"]


def test_read_only_study_refuses(tmp_path: Path) -> None:
    path = tmp_path / "r.verbatim"
    with project_service.create_project(path) as store:
        doc = _document(store, "Anna", ["malmo"])
    with project_service.open_project(path, readonly=True) as store:
        with pytest.raises(ProjectError, match="read-only"):
            replace_service.replace_all(store, FindOptions("malmo"), "Lund", doc)
        assert len(replace_service.find_in_document(store, doc, FindOptions("malmo"))) == 1
