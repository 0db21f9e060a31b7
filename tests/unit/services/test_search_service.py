"""Full-text search over a real study: words, phrases, prefixes, OR/NOT, context, errors."""

from __future__ import annotations

import pytest

from desktop_app.core.errors import VerbatimError
from desktop_app.services.study import document_service
from desktop_app.services.transcript import edit_service
from desktop_app.services.transcript import search_service as ss
from tests.fixtures.coding_study import CodingStudy


def _found(study: CodingStudy, query: str) -> list[tuple[str, str]]:
    return [(h.document_title, h.text) for h in ss.search(study.store, query).hits]


def test_words_phrases_prefixes_and_operators(study: CodingStudy) -> None:
    both = _found(study, "peer support")
    assert [d for d, _ in both] == ["PSW 5 interview", "Manager 2 interview"]
    assert len(_found(study, '"support peer"')) == 0, "a phrase keeps word order"
    assert len(_found(study, '"peer support"')) == 2
    assert [t for _, t in _found(study, "superv*")] == [
        "Tell me about supervision.",
        "Supervision was rare; peer support filled the gap when managers didn't.",
    ]
    assert len(_found(study, "night OR supervision")) == 5
    assert [d for d, _ in _found(study, "peer NOT managers")] == ["PSW 5 interview"]
    assert len(_found(study, "cafe")) == 1, "accents are folded (Café)"


def test_hits_carry_place_time_speaker_and_match_spans(study: CodingStudy) -> None:
    (hit,) = ss.search(study.store, '"night shift"').hits[:1]
    assert hit.segment_id == study.segment(study.documents[0], 1)
    assert hit.speaker == "Maria" and hit.start == pytest.approx(5.9)
    assert [hit.text[a:b] for a, b in hit.matches] == ["night shift"]
    hyphen = ss.search(study.store, "night-shift").hits
    assert [h.document_title for h in hyphen] == ["PSW 5 interview", "Manager 2 interview"]
    contraction = ss.search(study.store, "didn't").hits
    assert [h.text[a:b] for h in contraction for a, b in h.matches] == ["didn't"]


def test_context_is_cut_at_spaces_and_keeps_match_spans(study: CodingStudy) -> None:
    segment = study.segment(study.documents[1], 2)
    long_text = " ".join(["filler"] * 40) + " the rota was hard " + " ".join(["padding"] * 40)
    edit_service.update_segment_text(study.store, segment, long_text)
    (hit,) = ss.search(study.store, "rota").hits
    assert hit.context.startswith("…") and hit.context.endswith("…")
    assert len(hit.context) < 160
    assert [hit.context[a:b] for a, b in hit.context_matches] == ["rota"]
    assert " filler " not in hit.context[:2] and not hit.context[1:].startswith(" ")


def test_edits_removed_documents_and_limits(study: CodingStudy) -> None:
    segment = study.segment(study.documents[0], 3)
    edit_service.update_segment_text(study.store, segment, "Mentoring made the difference for me.")
    assert _found(study, "mentoring") == [("PSW 5 interview", "Mentoring made the difference for me.")]
    document_service.undo(study.store)
    assert _found(study, "mentoring") == []
    everything = len(ss.search(study.store, "the").hits)  # no document removed: the index alone counts
    assert everything > 1 and ss.search(study.store, "the", limit=1).total == everything
    document_service.remove_document(study.store, study.documents[1])
    assert [d for d, _ in _found(study, "peer")] == ["PSW 5 interview"]
    limited = ss.search(study.store, "the", limit=1)
    assert len(limited.hits) == 1 and limited.total == 3


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ('"peer support', "not closed"),
        ("", "at least one word"),
        ("peer AND", "not well formed"),
        ("(peer", "not well formed"),
        ("OR peer", "not well formed"),
    ],
)
def test_bad_queries_raise_a_clear_error(study: CodingStudy, query: str, problem: str) -> None:
    with pytest.raises(VerbatimError, match=problem) as caught:
        ss.search(study.store, query)
    assert str(study.store.path) in caught.value.message


def test_unmark_and_context_window_helpers() -> None:
    text, spans = ss.unmark("a \ue000b\ue001 c \ue000dd\ue001")
    assert text == "a b c dd" and spans == [(2, 3), (6, 8)]
    assert ss.context_window("short text", [(0, 5)]) == ("short text", 0, 10)
