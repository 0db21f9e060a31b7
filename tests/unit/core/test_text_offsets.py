"""UTF-16 (Qt) <-> code point (ours) positions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.text.text_offsets import (
    codepoint_to_utf16,
    utf16_length,
    utf16_range_to_codepoints,
    utf16_to_codepoint,
)

EMOJI = "a😀b👍🏽c"  # 😀 and 👍 are outside the BMP (2 units each); the skin tone modifier too


def _reference_units(text: str) -> int:
    return sum(2 if ord(c) > 0xFFFF else 1 for c in text)


def test_ascii_positions_are_the_same() -> None:
    text = "hello world"
    assert [codepoint_to_utf16(text, i) for i in range(12)] == list(range(12))
    assert [utf16_to_codepoint(text, i) for i in range(12)] == list(range(12))


def test_bmp_scripts_count_one_unit_per_code_point() -> None:
    for text in ("שלום עולם", "नमस्ते दुनिया", "你好世界", "Ünïcödé"):
        assert utf16_length(text) == len(text)
        assert utf16_to_codepoint(text, 4) == 4


def test_emoji_outside_the_bmp_take_two_units() -> None:
    assert utf16_length(EMOJI) == 9
    assert codepoint_to_utf16(EMOJI, 1) == 1  # before 😀
    assert codepoint_to_utf16(EMOJI, 2) == 3  # after 😀
    assert codepoint_to_utf16(EMOJI, len(EMOJI)) == 9
    assert utf16_to_codepoint(EMOJI, 3) == 2
    assert utf16_to_codepoint(EMOJI, 4) == 3  # after "b"
    assert utf16_to_codepoint(EMOJI, 9) == len(EMOJI)


def test_position_inside_a_surrogate_pair_rounds_down() -> None:
    assert utf16_to_codepoint(EMOJI, 2) == 1  # between the two halves of 😀


def test_positions_are_clamped() -> None:
    assert utf16_to_codepoint(EMOJI, -5) == 0
    assert utf16_to_codepoint(EMOJI, 99) == len(EMOJI)
    assert codepoint_to_utf16(EMOJI, -1) == 0
    assert codepoint_to_utf16(EMOJI, 99) == 9
    assert utf16_to_codepoint("", 3) == 0


def test_selection_cutting_a_pair_keeps_the_whole_character() -> None:
    assert utf16_range_to_codepoints(EMOJI, 1, 2) == (1, 2)  # half of 😀 selected -> all of it
    assert utf16_range_to_codepoints(EMOJI, 0, 3) == (0, 2)
    assert EMOJI[slice(*utf16_range_to_codepoints(EMOJI, 3, 4))] == "b"


@settings(max_examples=200, deadline=None)
@given(st.text(), st.data())
def test_codepoint_round_trip(text: str, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(text)))
    units = codepoint_to_utf16(text, pos)
    assert units == _reference_units(text[:pos])
    assert utf16_to_codepoint(text, units) == pos


@settings(max_examples=200, deadline=None)
@given(st.text(), st.data())
def test_utf16_positions_map_monotonically_and_round_down(text: str, data: st.DataObject) -> None:
    total = utf16_length(text)
    assert total == _reference_units(text)
    a, b = sorted(data.draw(st.lists(st.integers(0, total), min_size=2, max_size=2)))
    assert utf16_to_codepoint(text, a) <= utf16_to_codepoint(text, b)
    back = codepoint_to_utf16(text, utf16_to_codepoint(text, b))
    assert b - 1 <= back <= b
