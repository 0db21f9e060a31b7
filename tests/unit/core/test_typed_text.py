"""Positions between text as typed (extra spaces while the researcher types) and as stored (collapsed)."""

from __future__ import annotations

import pytest

from desktop_app.core.text.typed_text import normalize, to_stored, to_typed


def test_normalize_collapses_whitespace_like_the_store() -> None:
    assert normalize("  we  went\tback \n") == "we went back"
    assert normalize("") == ""


@pytest.mark.parametrize(
    ("typed", "stored_offset", "typed_offset"),
    [
        ("we went", 3, 3),  # already stored form: the same position
        ("we  went", 3, 4),  # "went" starts after the two spaces
        ("we  went", 2, 2),  # the space after "we" is the first of the two
        ("  we went", 0, 2),  # leading spaces dropped
        ("we went  ", 7, 7),  # the end is just after the last word, not after the trailing spaces
        ("we 😀  went", 5, 6),
    ],
)
def test_stored_positions_map_to_typed_ones_and_back(typed: str, stored_offset: int, typed_offset: int) -> None:
    stored = normalize(typed)
    if stored_offset < len(stored):
        assert stored[stored_offset] == typed[typed_offset], "the same character in both forms"
    assert to_typed(typed, stored_offset) == typed_offset
    assert to_stored(typed, typed_offset) == stored_offset


def test_a_position_inside_extra_spaces_belongs_to_the_next_word() -> None:
    assert to_stored("we   went", 4) == 3  # between the second and third space: "went" starts at 3 stored
    assert to_stored("we went   ", 9) == 7  # in trailing spaces: the end
    assert to_typed("   ", 0) == 0 and to_stored("   ", 2) == 0  # nothing but spaces
