from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.coding import TextPosition
from desktop_app.core.errors import VerbatimError
from desktop_app.core.transcript import Segment, Word
from desktop_app.services.coding import coding_service as cs
from desktop_app.services.study import document_service, project_service
from desktop_app.services.transcript import edit_service
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository


def _words(text: str, start: float) -> list[Word]:
    return [Word(start + i * 0.5, start + i * 0.5 + 0.4, t, 0.9, None) for i, t in enumerate(text.split())]


@pytest.fixture
def study(tmp_path: Path) -> tuple[ProjectStore, int, list[int]]:
    store = project_service.create_project(tmp_path / "s.verbatim")
    with store.journal.action("Add") as changes:
        doc = changes.insert("documents", {"title": "PSW 5", "created": "2026-01-01"})
    turns = [
        Segment.from_words(_words("I felt alone on the night shift", 0.0), "S1"),
        Segment.from_words(_words("peer support made the difference for me", 5.0), "S2"),
    ]
    transcript_repository.append_segments(store, doc, None, turns)
    ids = [s.id for s in transcript_repository.load_transcript(store, doc).segments]
    return store, doc, [i for i in ids if i is not None]


def test_code_tree_apply_extract_and_times(study: tuple[ProjectStore, int, list[int]]) -> None:
    store, doc, (s1, s2) = study
    theme = cs.add_code(store, "Isolation", color="#aa0000")
    code = cs.add_code(store, "Night shifts", parent_id=theme)
    coding = cs.apply_code(store, doc, code, TextPosition(s1, 2), TextPosition(s1, 13), coder="AB")
    (extract,) = cs.extracts(store, theme)
    assert extract.coding.id == coding and extract.text == "felt alone" and extract.speaker == "S1"
    assert extract.coding.start_time == pytest.approx(0.5) and extract.coding.end_time == pytest.approx(1.4)
    assert cs.extracts(store, theme, include_subcodes=False) == []
    across = cs.apply_code(store, doc, theme, TextPosition(s1, 16), TextPosition(s2, 12))
    assert [e.text for e in cs.extracts(store, theme, include_subcodes=False)] == ["the night shift peer support"]
    assert across > coding


def test_codings_follow_text_edits_and_undo(study: tuple[ProjectStore, int, list[int]]) -> None:
    store, doc, (s1, _s2) = study
    code = cs.add_code(store, "Isolation")
    cs.apply_code(store, doc, code, TextPosition(s1, 2), TextPosition(s1, 13))
    edit_service.update_segment_text(store, s1, "Honestly I felt very alone on the night shift")
    (extract,) = cs.extracts(store, code)
    assert extract.text == "felt very alone"
    edit_service.update_segment_text(store, s1, "Honestly I on the night shift")
    (flagged,) = cs.codings(store, doc)
    assert flagged.needs_review, "a fully deleted extract is flagged, never dropped"
    document_service.undo(store)
    document_service.undo(store)
    assert cs.extracts(store, code)[0].text == "felt alone"


def test_merge_move_delete_are_undoable(study: tuple[ProjectStore, int, list[int]]) -> None:
    store, doc, (s1, s2) = study
    a, b = cs.add_code(store, "Support"), cs.add_code(store, "Peer support")
    child = cs.add_code(store, "From peers", parent_id=b)
    cs.apply_code(store, doc, b, TextPosition(s2, 0), TextPosition(s2, 12))
    with pytest.raises(VerbatimError, match="inside itself"):
        cs.move_code(store, b, child)
    cs.merge_codes(store, b, a)
    assert [c.name for c in cs.codes(store)] == ["Support", "From peers"]
    assert [e.code.name for e in cs.extracts(store, a)] == ["Support"]
    cs.delete_code(store, a)
    assert cs.codes(store) == [] and cs.codings(store, doc) == []
    document_service.undo(store)
    assert {c.name for c in cs.codes(store)} == {"Support", "From peers"}
    assert len(cs.codings(store, doc)) == 1
    with pytest.raises(VerbatimError, match="already exists"):
        cs.add_code(store, "support")
    with pytest.raises(VerbatimError, match="empty"):
        cs.apply_code(store, doc, a, TextPosition(s1, 5), TextPosition(s1, 5))


def test_removing_a_coding_takes_its_tag_links_and_memo_and_undo_restores_them(
    study: tuple[ProjectStore, int, list[int]],
) -> None:
    store, doc, (s1, _s2) = study
    code = cs.add_code(store, "Mechanism: peer trust")
    coding = cs.apply_code(store, doc, code, TextPosition(s1, 2), TextPosition(s1, 12))
    with store.journal.action("Tag") as changes:
        changes.insert("realist_tags", {"coding_id": coding, "role": "mechanism", "polarity": "positive"})
        changes.insert(
            "memos",
            {
                "target_type": "coding",
                "target_id": coding,
                "text": "key quote",
                "created": "2026-01-01",
                "modified": "2026-01-01",
            },
        )
    cs.remove_coding(store, coding)
    count = lambda table: store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: E731
    assert (count("codings"), count("realist_tags"), count("memos")) == (0, 0, 0)
    document_service.undo(store)
    assert (count("codings"), count("realist_tags"), count("memos")) == (1, 1, 1)


def test_set_coding_extent_shrinks_and_extends_with_times_in_one_undo_step_each(
    study: tuple[ProjectStore, int, list[int]],
) -> None:
    store, doc, (s1, s2) = study
    code = cs.add_code(store, "Isolation")
    coding_id = cs.apply_code(store, doc, code, TextPosition(s1, 2), TextPosition(s1, 12))
    text = lambda: cs.extracts(store, code)[0].text  # noqa: E731
    shrunk = cs.set_coding_extent(store, coding_id, TextPosition(s1, 7), TextPosition(s1, 12))
    assert text() == "alone" and (shrunk.start_time, shrunk.end_time) == pytest.approx((1.0, 1.4))
    grown = cs.set_coding_extent(store, coding_id, TextPosition(s2, 0), TextPosition(s2, 12), keep_current=True)
    assert text() == "alone on the night shift peer support", "the coding and the selection, across turns"
    assert (grown.start_time, grown.end_time) == pytest.approx((1.0, 5.9))
    assert [e.label for e in store.journal.history(2)] == ["Adjust coding Isolation"] * 2
    history = len(store.journal.history())
    cs.set_coding_extent(store, coding_id, grown.start, grown.end)
    assert len(store.journal.history()) == history, "no change, no undo step"
    document_service.undo(store)
    assert text() == "alone" and cs.codings(store, doc)[0].end_time == pytest.approx(1.4)
    document_service.undo(store)
    assert text() == "felt alone" and cs.codings(store, doc)[0].start_time == pytest.approx(0.5)


def test_set_coding_extent_clears_review_and_refuses_bad_spans(
    study: tuple[ProjectStore, int, list[int]], tmp_path: Path
) -> None:
    store, doc, (s1, s2) = study
    code = cs.add_code(store, "Isolation")
    coding_id = cs.apply_code(store, doc, code, TextPosition(s1, 2), TextPosition(s1, 12))
    edit_service.update_segment_text(store, s1, "I on the night shift")
    assert cs.codings(store, doc)[0].needs_review
    fixed = cs.set_coding_extent(store, coding_id, TextPosition(s1, 5), TextPosition(s1, 20))
    assert not fixed.needs_review and cs.extracts(store, code)[0].text == "the night shift"
    with store.journal.action("Add") as changes:
        other = changes.insert("documents", {"title": "Other", "created": "2026-01-01"})
    transcript_repository.append_segments(store, other, None, [Segment.from_words(_words("elsewhere", 0.0), "S1")])
    elsewhere = transcript_repository.load_transcript(store, other).segments[0].id
    assert elsewhere is not None
    for start, end, problem in (
        (TextPosition(s2, 4), TextPosition(s2, 4), "empty"),
        (TextPosition(s2, 4), TextPosition(s1, 2), "empty"),
        (TextPosition(s1, 0), TextPosition(s1, 99), "past the end"),
        (TextPosition(elsewhere, 0), TextPosition(elsewhere, 4), "not in this document"),
    ):
        with pytest.raises(VerbatimError, match=problem):
            cs.set_coding_extent(store, coding_id, start, end)
    with pytest.raises(VerbatimError, match="not in the coding's transcript"):
        cs.set_coding_extent(
            store, coding_id, TextPosition(elsewhere, 0), TextPosition(elsewhere, 4), keep_current=True
        )
    with pytest.raises(VerbatimError, match="has no coding with id 999"):
        cs.set_coding_extent(store, 999, TextPosition(s1, 0), TextPosition(s1, 2))
    assert cs.extracts(store, code)[0].text == "the night shift"
