"""Memos on every kind of target, journaled and undoable."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.coding import TextPosition
from desktop_app.core.errors import VerbatimError
from desktop_app.services.coding import coding_service
from desktop_app.services.coding import memo_service as ms
from desktop_app.services.study import document_service
from tests.fixtures.coding_study import CodingStudy, make_coding_study


@pytest.fixture
def study(tmp_path: Path) -> CodingStudy:
    return make_coding_study(tmp_path)


def test_memos_on_each_target_and_undo(study: CodingStudy) -> None:
    store, doc = study.store, study.documents[0]
    segment = study.segment(doc, 1)
    code = coding_service.add_code(store, "Isolation")
    coding = coding_service.apply_code(store, doc, code, TextPosition(segment, 9), TextPosition(segment, 19))
    ids = {
        "study": ms.add_memo(store, "study", None, "Reflexive note: I worked night shifts too.", "AB"),
        "document": ms.add_memo(store, "document", doc, "Interview ran long."),
        "code": ms.add_memo(store, "code", code, "Loneliness at work, not at home."),
        "coding": ms.add_memo(store, "coding", coding, "Strong example."),
        "segment": ms.add_memo(store, "segment", segment, "Check this word."),
    }
    assert [m.target_type for m in ms.memos(store)] == list(ids)
    (study_memo,) = ms.memos(store, "study")
    assert study_memo.author == "AB" and study_memo.target_id is None
    assert [m.text for m in ms.memos(store, "code", code)] == ["Loneliness at work, not at home."]
    assert ms.memos(store, "code", code + 99) == []
    ms.update_memo(store, ids["coding"], "Strongest example.")
    assert ms.get_memo(store, ids["coding"]).text == "Strongest example."
    document_service.undo(store)
    assert ms.get_memo(store, ids["coding"]).text == "Strong example."
    ms.delete_memo(store, ids["segment"])
    assert len(ms.memos(store)) == 4
    document_service.undo(store)
    assert ms.get_memo(store, ids["segment"]).text == "Check this word."


def test_bad_targets_are_refused(study: CodingStudy) -> None:
    with pytest.raises(VerbatimError, match="has no code with id 42"):
        ms.add_memo(study.store, "code", 42, "x")
    with pytest.raises(VerbatimError, match="cannot attach a memo to 'speaker'"):
        ms.add_memo(study.store, "speaker", 1, "x")
    with pytest.raises(VerbatimError, match="has no memo with id 7"):
        ms.update_memo(study.store, 7, "x")


def test_set_memo_adds_updates_and_clears(study: CodingStudy) -> None:
    store, doc = study.store, study.documents[1]
    memo_id = ms.set_memo(store, "document", doc, "Field note: noisy café.")
    assert memo_id is not None and ms.set_memo(store, "document", doc, "Field note: quiet room.") == memo_id
    assert [m.text for m in ms.memos(store, "document", doc)] == ["Field note: quiet room."]
    assert ms.set_memo(store, "document", doc, "  ") is None
    assert ms.memos(store, "document") == []
