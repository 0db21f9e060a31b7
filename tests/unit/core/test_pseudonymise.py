"""Pseudonymisation rules: case-, accent- and inflection-tolerant matching; kept spans; suggestions."""

from __future__ import annotations

import pytest

from desktop_app.core.pseudonymise import (
    PseudonymEntry,
    find_hits,
    find_word_hits,
    keep,
    pseudonymise,
    suggest_identifiers,
)

TABLE = [
    PseudonymEntry("Anna Svensson", "[PSW5]"),
    PseudonymEntry("Anna", "[P5]"),
    PseudonymEntry("Malmö", "[city]"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My name is Anna Svensson.", "My name is [PSW5]."),
        ("anna  svensson said", "[PSW5] said"),  # case and spacing
        ("Anna's mother", "[P5]'s mother"),  # English possessive
        ("Anna\u2019s mother", "[P5]\u2019s mother"),
        ("Annas bok", "[P5]s bok"),  # Swedish genitive
        ("Malmös gator och Malmo", "[city]s gator och [city]"),  # genitive, no accent
        ("Annaberg, Hannah, Joanna", "Annaberg, Hannah, Joanna"),  # whole words only
        ("Anna Svenssons katt och Anna", "[PSW5]s katt och [P5]"),  # the longer identifier wins
        ("", ""),
    ],
)
def test_pseudonymise(text: str, expected: str) -> None:
    assert pseudonymise(text, TABLE) == expected


def test_hits_report_offsets_suffix_and_identifier() -> None:
    text = "Ja, Annas syster bor i MALMÖ."
    hits = find_hits(text, TABLE)
    assert [(h.text, h.identifier, h.suffix, text[h.start : h.end]) for h in hits] == [
        ("Annas", "Anna", "s", "Annas"),
        ("MALMÖ", "Malmö", "", "MALMÖ"),
    ]


def test_kept_spans_stay_as_spoken_without_markers() -> None:
    text = f"I met {keep('Anna')} and Anna in {keep('Malmö')}"
    assert pseudonymise(text, TABLE) == "I met Anna and [P5] in Malmö"
    assert len(find_hits(text, TABLE)) == 1


def test_empty_identifier_matches_nothing() -> None:
    assert pseudonymise("Anna", [PseudonymEntry("  ", "[x]")]) == "Anna"


def test_suggestions_from_introductions_capitals_and_speakers() -> None:
    texts = [
        "Hi, my name is Anna Svensson and I live in Malmö.",
        "Well I told Peter about it on Monday. Then we went home.",
        "I'm tired. I'm Bob.",
        "Jag heter Karin och bor i Lund.",
        "Ich heiße Jürgen.",
    ]
    found = {s.identifier: s for s in suggest_identifiers(texts, ["S1", "Interviewer", "Maria Ek"], known=["malmo"])}
    assert found["Maria Ek"].reason == "speaker"
    for name in ("Anna Svensson", "Bob", "Karin", "Jürgen"):
        assert found[name].reason == "introduction", name
    assert found["Peter"].reason == "capitalised" and found["Lund"].count == 1
    assert "Malmö" not in found  # already in the table (accent-insensitive)
    for not_a_name in ("Then", "Hi", "Well", "I", "Monday", "S1", "Interviewer", "Jag", "Ich"):
        assert not_a_name not in found


def test_word_hits_name_the_timed_words_each_identifier_covers() -> None:
    words = ["I", "met", "Anna", "Svensson,", "in", "Malmö.", "Anna", "smiled"]
    hits = find_word_hits(words, TABLE)
    assert [(hit.replacement, covered) for hit, covered in hits] == [
        ("[PSW5]", [2, 3]),  # one name said over two words
        ("[city]", [5]),
        ("[P5]", [6]),
    ]
