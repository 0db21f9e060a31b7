"""Split, merge, change speaker, adjust times; codings stay on the same text through them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.coding import Coding, TextPosition
from desktop_app.core.text.span_tracking import track_merge, track_split
from desktop_app.core.text.turn_editing import (
    adjust_times,
    change_speaker,
    change_speaker_of_stretch,
    merge_segments,
    split_segment,
)
from desktop_app.core.transcript import Segment, Word


def _segment(*texts: str, speaker: str = "A", seg_id: int | None = 3, start: float = 10.0) -> Segment:
    words, t = [], start
    for text in texts:
        words.append(Word(t, t + 0.4, text, 0.9, speaker))
        t += 0.5
    seg = Segment.from_words(words, speaker)
    seg.id = seg_id
    return seg


TURN = ("I", "think", "so.", "What", "about", "you?")  # "I think so. What about you?"


def test_split_between_words() -> None:
    seg = _segment(*TURN)
    result = split_segment(seg, 11)  # right after "so."
    first, second = result.pieces
    assert (first.text, second.text) == ("I think so.", "What about you?")
    assert (first.id, second.id) == (3, None)
    assert (first.start, first.end) == (seg.start, seg.words[2].end)
    assert (second.start, second.end) == (seg.words[3].start, seg.end)
    assert [w.text for w in second.words] == ["What", "about", "you?"]
    assert first.speaker == second.speaker == "A"
    assert result.layout.ranges == ((0, 11), (12, 27))


def test_split_inside_a_word_splits_before_it() -> None:
    result = split_segment(_segment(*TURN), 14)  # "Wh|at"
    assert [p.text for p in result.pieces] == ["I think so.", "What about you?"]


def test_split_at_either_end_changes_nothing() -> None:
    seg = _segment(*TURN)
    for offset in (-3, 0, 1, len(seg.text), 99):  # offset 1 is right after "I": a real split
        result = split_segment(seg, offset)
        if offset == 1:
            assert [p.text for p in result.pieces] == ["I", "think so. What about you?"]
        else:
            assert [p.text for p in result.pieces] == [seg.text]
            assert result.pieces[0] == seg and result.pieces[0] is not seg


def test_split_without_words_estimates_times_from_characters() -> None:
    seg = Segment(0.0, 10.0, "0123456789 abcdefghi", "A", [], 8)
    first, second = split_segment(seg, 10).pieces
    assert (first.text, second.text) == ("0123456789", "abcdefghi")
    assert first.end == second.start == 5.5


def test_merge_keeps_the_first_speaker_unless_told() -> None:
    first, second = _segment("Yes.", speaker="A"), _segment("Right.", speaker="B", seg_id=4, start=11.0)
    merged = merge_segments(first, second)
    assert merged.segment.text == "Yes. Right." and merged.shift == 5
    assert merged.segment.id == 3 and merged.segment.speaker == "A"
    assert [w.speaker for w in merged.segment.words] == ["A", "A"]
    assert (merged.segment.start, merged.segment.end) == (10.0, 11.4)
    told = merge_segments(first, second, speaker="B").segment
    assert told.speaker == "B" and all(w.speaker == "B" for w in told.words)


def test_merge_with_an_empty_turn_adds_no_separator() -> None:
    merged = merge_segments(Segment(0.0, 1.0, "", "A", [], 1), _segment("hi"))
    assert merged.segment.text == "hi" and merged.shift == 0


def test_change_speaker_of_a_whole_turn() -> None:
    seg = change_speaker(_segment(*TURN), "B")
    assert seg.speaker == "B" and {w.speaker for w in seg.words} == {"B"} and seg.id == 3


def test_change_speaker_of_a_stretch_makes_three_turns() -> None:
    seg = _segment(*TURN)
    result = change_speaker_of_stretch(seg, 14, 19, "B")  # "at ab" widens to "What about"
    assert [(p.text, p.speaker) for p in result.pieces] == [
        ("I think so.", "A"),
        ("What about", "B"),
        ("you?", "A"),
    ]
    assert [p.id for p in result.pieces] == [3, None, None]
    for piece in result.pieces:
        assert {w.speaker for w in piece.words} <= {piece.speaker}
    assert result.pieces[1].start == seg.words[3].start and result.pieces[1].end == seg.words[4].end


def test_change_speaker_of_a_stretch_at_the_start_or_all() -> None:
    seg = _segment(*TURN)
    two = change_speaker_of_stretch(seg, 0, 11, "B").pieces
    assert [(p.text, p.speaker, p.id) for p in two] == [("I think so.", "B", 3), ("What about you?", "A", None)]
    whole = change_speaker_of_stretch(seg, 0, len(seg.text), "B").pieces
    assert [(p.text, p.speaker) for p in whole] == [(seg.text, "B")]
    same = change_speaker_of_stretch(seg, 2, 7, "A").pieces
    assert same == [seg]
    blank = change_speaker_of_stretch(seg, 11, 12, "B").pieces  # only the space
    assert same == blank
    assert change_speaker_of_stretch(seg, 4, 4, "B").pieces == [seg]  # no selection inside a word


def test_adjust_times_clamps_to_neighbours_and_moves_words_inside() -> None:
    before, seg, after = _segment("a", start=9.1), _segment(*TURN), _segment("b", start=13.5)
    adjusted = adjust_times(seg, 9.0, 14.0, before, after)
    assert (adjusted.start, adjusted.end) == (before.end, after.start)
    narrowed = adjust_times(seg, 10.6, 11.7)
    assert (narrowed.start, narrowed.end) == (10.6, 11.7)
    assert [(w.start, w.end) for w in narrowed.words[:2]] == [(10.6, 10.6), (10.6, 10.9)]
    assert narrowed.words[-1].start == narrowed.words[-1].end == 11.7
    collapsed = adjust_times(seg, 12.0, 11.0)
    assert collapsed.start == collapsed.end == 12.0
    assert adjusted.id == seg.id and seg.start == 10.0  # pure: the input is untouched


def test_codings_keep_their_text_through_split_and_merge() -> None:
    seg = _segment(*TURN)
    codings = [
        Coding(1, 1, 1, TextPosition(3, 2), TextPosition(3, 10)),  # "think so"
        Coding(2, 1, 1, TextPosition(3, 12), TextPosition(3, 22)),  # "What about"
        Coding(3, 1, 1, TextPosition(3, 8), TextPosition(3, 16)),  # "so. What" across the cut
    ]
    result = split_segment(seg, 11)
    first, second = result.pieces
    second.id = 9
    moved = track_split(codings, 3, [3, 9], result.layout)
    texts = {3: first.text, 9: second.text}
    assert texts[moved[0].end.segment_id][moved[0].start.offset : moved[0].end.offset] == "think so"
    assert texts[9][moved[1].start.offset : moved[1].end.offset] == "What about"
    assert texts[3][moved[2].start.offset :] + " " + texts[9][: moved[2].end.offset] == "so. What"
    merged = merge_segments(first, second)
    back = track_merge(moved, 3, 9, merged.shift)
    assert [(c.start, c.end) for c in back] == [(c.start, c.end) for c in codings]


# --- property tests -----------------------------------------------------------------------------

VOCAB = ["we", "all", "peer", "support", "😀", "שלום", "नमस्ते", "ok."]
WORDS = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=10)


def _check_pieces(seg: Segment, pieces: list[Segment], ranges: tuple[tuple[int, int], ...]) -> None:
    assert [p.text for p in pieces] == [seg.text[a:b] for a, b in ranges]
    assert [w.text for p in pieces for w in p.words] == [w.text for w in seg.words]
    assert " ".join(p.text for p in pieces) == seg.text
    for piece in pieces:
        assert seg.start <= piece.start <= piece.end <= seg.end
        assert all(piece.start <= w.start and w.end <= piece.end for w in piece.words)
    assert all(a.end <= b.start for a, b in zip(pieces, pieces[1:], strict=False))


@settings(max_examples=200, deadline=None)
@given(WORDS, st.data())
def test_random_splits_keep_every_word_in_order(texts: list[str], data: st.DataObject) -> None:
    seg = _segment(*texts)
    result = split_segment(seg, data.draw(st.integers(-2, len(seg.text) + 2)))
    _check_pieces(seg, result.pieces, result.layout.ranges)
    assert result.pieces[0].id == seg.id and all(p.id is None for p in result.pieces[1:])


@settings(max_examples=200, deadline=None)
@given(WORDS, st.data())
def test_random_stretches_never_mix_speakers(texts: list[str], data: st.DataObject) -> None:
    seg = _segment(*texts)
    a = data.draw(st.integers(0, len(seg.text)))
    b = data.draw(st.integers(0, len(seg.text)))
    result = change_speaker_of_stretch(seg, a, b, "B")
    _check_pieces(seg, result.pieces, result.layout.ranges)
    assert len(result.pieces) <= 3
    for piece in result.pieces:
        assert {w.speaker for w in piece.words} <= {piece.speaker}
    changed = "".join(p.text for p in result.pieces if p.speaker == "B")
    low, high = sorted((a, b))
    if low < high and seg.text[low:high].strip():
        assert seg.text[low:high].strip() in " ".join(p.text for p in result.pieces if p.speaker == "B")
    else:
        assert changed == ""
