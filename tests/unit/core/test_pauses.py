from __future__ import annotations

from desktop_app.core.pauses import find_pauses, pause_label, text_with_pauses
from desktop_app.core.transcript import Word


def test_labels_follow_the_documented_thresholds() -> None:
    assert pause_label(0.3) == "(.)"
    assert pause_label(0.99) == "(.)"
    assert pause_label(1.0) == "(..)"
    assert pause_label(1.9) == "(..)"
    assert pause_label(2.0) == "(2 s)"
    assert pause_label(3.6) == "(4 s)"


def test_pauses_are_found_between_words_as_data() -> None:
    words = [Word(0.0, 0.5, "I"), Word(0.6, 1.0, "think"), Word(1.5, 1.8, "well"), Word(5.0, 5.4, "yes")]
    pauses = find_pauses(words)
    assert [(p.after_word, p.start, p.duration, p.label) for p in pauses] == [
        (1, 1.0, 0.5, "(.)"),
        (2, 1.8, 3.2, "(3 s)"),
    ]
    assert text_with_pauses(words) == "I think (.) well (3 s) yes"


def test_a_higher_minimum_hides_micro_pauses() -> None:
    words = [Word(0.0, 0.5, "a"), Word(0.9, 1.0, "b"), Word(2.5, 3.0, "c")]
    assert text_with_pauses(words, minimum=1.0) == "a b (..) c"
    assert find_pauses([]) == [] and text_with_pauses([]) == ""
