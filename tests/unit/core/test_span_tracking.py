"""Codings follow text edits, splits and merges; fully deleted extracts are flagged, never dropped."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.coding import Coding, TextPosition
from desktop_app.core.text.span_tracking import (
    DocumentLayout,
    PieceLayout,
    Side,
    TextEdit,
    apply_edits,
    edits_between,
    is_empty_span,
    map_offset,
    span_time_range,
    track_merge,
    track_split,
    track_text_edit,
)
from desktop_app.core.transcript import Segment, Word

TEXT = "we were all peer support workers then"
#       0123456789012345678901234567890123456


def _coding(start: int, end: int, segment_id: int = 1, end_segment: int | None = None) -> Coding:
    end_id = segment_id if end_segment is None else end_segment
    return Coding(1, 5, 9, TextPosition(segment_id, start), TextPosition(end_id, end))


def _after(old: str, new: str, start: int, end: int) -> Coding:
    return track_text_edit([_coding(start, end)], 1, edits_between(old, new))[0]


def _covered(coding: Coding, text: str) -> str:
    return text[coding.start.offset : coding.end.offset]


def test_edits_between_finds_single_and_multiple_edits() -> None:
    assert edits_between("abc", "abc") == []
    assert edits_between("we went", "we all went") == [TextEdit(3, 0, "all ")]
    assert edits_between("we all went", "we went") == [TextEdit(3, 4, "")]
    assert edits_between("the cat saw the cat", "the dog saw the dog") == [
        TextEdit(4, 3, "dog"),
        TextEdit(16, 3, "dog"),
    ]


def test_insert_inside_a_span_extends_it() -> None:
    new = TEXT.replace("peer support", "peer (lived) support")
    coding = _after(TEXT, new, 12, 24)  # "peer support"
    assert _covered(coding, new) == "peer (lived) support"


def test_insert_at_the_start_boundary_stays_outside() -> None:
    new = TEXT.replace("peer", "trained peer")
    assert _covered(_after(TEXT, new, 12, 24), new) == "peer support"


def test_insert_at_the_end_boundary_stays_outside() -> None:
    new = TEXT.replace("support", "support staff")
    assert _covered(_after(TEXT, new, 12, 24), new) == "peer support"


def test_delete_inside_shrinks() -> None:
    new = TEXT.replace("peer support workers", "peer workers")
    assert _covered(_after(TEXT, new, 12, 32), new) == "peer workers"


def test_delete_across_a_boundary_clips_it() -> None:
    new = TEXT.replace("all peer ", "")
    assert _covered(_after(TEXT, new, 12, 24), new) == "support"
    new = TEXT.replace("support workers", "")
    assert _covered(_after(TEXT, new, 12, 24), new) == "peer "


def test_replacing_the_coded_word_keeps_the_coding_on_the_new_word() -> None:
    new = TEXT.replace("workers", "staff")
    assert _covered(_after(TEXT, new, 25, 32), new) == "staff"


def test_fully_deleted_extract_is_flagged_not_dropped() -> None:
    new = TEXT.replace(" peer support", "")
    codings = track_text_edit([_coding(12, 24), _coding(0, 2)], 1, edits_between(TEXT, new))
    assert len(codings) == 2
    assert codings[0].needs_review and codings[0].start == codings[0].end
    assert codings[0].start.offset in (11, 12)
    assert not codings[1].needs_review


def test_flag_is_kept_and_an_empty_span_stays_ordered_when_text_is_typed_at_it() -> None:
    coding = _coding(5, 5)
    coding.needs_review = True
    moved = track_text_edit([coding], 1, [TextEdit(5, 0, "xyz")])[0]
    assert moved.needs_review and moved.start.offset <= moved.end.offset


def test_edits_in_other_segments_leave_codings_alone() -> None:
    coding = _coding(3, 8, segment_id=2)
    assert track_text_edit([coding], 1, [TextEdit(0, 10, "")]) == [coding]


def test_span_across_segments_moves_only_the_edited_end() -> None:
    coding = _coding(12, 5, segment_id=1, end_segment=2)
    moved = track_text_edit([coding], 1, [TextEdit(0, 3, "")])[0]
    assert moved.start == TextPosition(1, 9) and moved.end == TextPosition(2, 5)


def test_span_across_segments_is_flagged_when_nothing_is_left() -> None:
    coding = _coding(30, 0, segment_id=1, end_segment=2)
    new = TEXT[:30]
    layout = DocumentLayout((1, 2), {1: len(new), 2: 20})
    moved = track_text_edit([coding], 1, edits_between(TEXT, new), layout)[0]
    assert moved.needs_review
    assert not track_text_edit([coding], 1, edits_between(TEXT, new))[0].needs_review  # without layout: unknown


def test_span_over_a_whole_middle_segment_is_flagged_when_that_segment_is_emptied() -> None:
    coding = _coding(10, 0, segment_id=1, end_segment=3)  # covers segment 2 only
    layout = DocumentLayout((1, 2, 3), {1: 10, 2: 0, 3: 8})
    assert track_text_edit([coding], 2, [TextEdit(0, 5, "")], layout)[0].needs_review
    assert track_text_edit([coding], 2, [TextEdit(0, 5, "")])[0] is coding


def test_covered_length_counts_whole_segments_between() -> None:
    layout = DocumentLayout((1, 2, 3), {1: 10, 2: 7, 3: 4})
    assert layout.covered_length(TextPosition(1, 8), TextPosition(3, 1)) == 2 + 7 + 1
    assert layout.covered_length(TextPosition(3, 0), TextPosition(1, 5)) == 0
    assert layout.covered_length(TextPosition(1, 10), TextPosition(2, 0)) == 0
    assert is_empty_span(_coding(10, 0, 1, 2), DocumentLayout((1, 2), {1: 10, 2: 3}))


def test_split_moves_positions_to_the_new_piece() -> None:
    pieces = PieceLayout(((0, 11), (12, 37)))  # "we were all" | "peer support workers then"
    codings = track_split([_coding(12, 24), _coding(3, 11), _coding(8, 16)], 1, [1, 7], pieces)
    assert (codings[0].start, codings[0].end) == (TextPosition(7, 0), TextPosition(7, 12))
    assert (codings[1].start, codings[1].end) == (TextPosition(1, 3), TextPosition(1, 11))
    assert (codings[2].start, codings[2].end) == (TextPosition(1, 8), TextPosition(7, 4))


def test_split_positions_in_the_dropped_space_go_to_the_nearest_side() -> None:
    pieces = PieceLayout(((0, 11), (12, 37)))
    assert pieces.locate(11, Side.START) == (1, 0)
    assert pieces.locate(11, Side.END) == (0, 11)
    assert pieces.locate(12, Side.END) == (0, 11)
    assert pieces.locate(37, Side.START) == (1, 25)
    only_space = track_split([_coding(11, 12)], 1, [1, 7], pieces, DocumentLayout((1, 7), {1: 11, 7: 25}))
    assert only_space[0].needs_review


def test_merge_shifts_the_second_segment() -> None:
    codings = track_merge([_coding(2, 6, segment_id=2), _coding(1, 3, segment_id=1)], 1, 2, shift=12)
    assert (codings[0].start, codings[0].end) == (TextPosition(1, 14), TextPosition(1, 18))
    assert (codings[1].start, codings[1].end) == (TextPosition(1, 1), TextPosition(1, 3))


def test_span_time_range_from_words() -> None:
    first = Segment.from_words([Word(1.0, 1.4, "we"), Word(1.5, 2.0, "were"), Word(2.1, 2.5, "there")])
    second = Segment.from_words([Word(3.0, 3.5, "it"), Word(3.6, 4.0, "helped")])
    first.id, second.id = 1, 2
    segments = [first, second]
    assert span_time_range(segments, TextPosition(1, 3), TextPosition(1, 7)) == (1.5, 2.0)
    assert span_time_range(segments, TextPosition(1, 8), TextPosition(2, 2)) == (2.1, 3.5)
    assert span_time_range(segments, TextPosition(1, 0), TextPosition(9, 1)) is None


def test_span_time_range_without_words_is_estimated_from_characters() -> None:
    seg = Segment(10.0, 20.0, "0123456789", id=4)
    assert span_time_range([seg], TextPosition(4, 2), TextPosition(4, 5)) == (12.0, 15.0)


# --- property tests: random edits ---------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_diff_edits_rebuild_the_new_text(old: str, new: str) -> None:
    edits = edits_between(old, new)
    assert apply_edits(old, edits) == new
    assert all(a.position + a.removed < b.position for a, b in zip(edits, edits[1:], strict=False))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab c😀", max_size=30), st.data())
def test_spans_stay_ordered_inside_the_text_and_never_vanish(text: str, data: st.DataObject) -> None:
    spans = data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))), max_size=6))
    codings = [_coding(min(a, b), max(a, b)) for a, b in spans]
    for _ in range(data.draw(st.integers(1, 5))):
        pos = data.draw(st.integers(0, len(text)))
        removed = data.draw(st.integers(0, len(text) - pos))
        new = text[:pos] + data.draw(st.text(alphabet="xy 😀", max_size=5)) + text[pos + removed :]
        moved = track_text_edit(codings, 1, edits_between(text, new))
        assert len(moved) == len(codings)
        for before, after in zip(codings, moved, strict=True):
            assert 0 <= after.start.offset <= after.end.offset <= len(new)
            assert after.needs_review == (before.needs_review or after.start.offset == after.end.offset)
        codings, text = moved, new


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30), st.data())
def test_surviving_characters_keep_their_membership(size: int, data: st.DataObject) -> None:
    """Every character has an identity; after inserts and deletes, old characters are in a span iff they were."""
    text = "".join(chr(0x4E00 + i) for i in range(size))
    a, b = sorted(data.draw(st.lists(st.integers(0, size), min_size=2, max_size=2)))
    inside = set(text[a:b])
    coding = _coding(a, b)
    fresh = 0x3400
    for _ in range(data.draw(st.integers(1, 6))):
        pos = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()):
            count = data.draw(st.integers(1, 3))
            edit = TextEdit(pos, 0, "".join(chr(fresh + k) for k in range(count)))
            fresh += count
        else:
            edit = TextEdit(pos, data.draw(st.integers(0, len(text) - pos)), "")
        new = apply_edits(text, [edit])
        coding = track_text_edit([coding], 1, [edit])[0]
        covered = set(new[coding.start.offset : coding.end.offset])
        survivors = {c for c in new if ord(c) >= 0x4E00}
        assert covered & survivors == inside & survivors
        if edit.inserted and 0 < pos < len(text) and text[pos - 1] in inside and text[pos] in inside:
            assert set(edit.inserted) <= covered  # typed strictly inside: the span grew
        inside |= covered
        text = new


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 40), st.sampled_from([Side.START, Side.END]), st.data())
def test_map_offset_is_monotonic(limit: int, side: Side, data: st.DataObject) -> None:
    old = "x" * limit
    new = data.draw(st.text(alphabet="xyz", max_size=40))
    edits = edits_between(old, new)
    mapped = [map_offset(i, edits, side) for i in range(limit + 1)]
    assert mapped == sorted(mapped)
    assert all(0 <= m <= len(new) for m in mapped)
