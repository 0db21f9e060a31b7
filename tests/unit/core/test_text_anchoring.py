"""Word timings survive text edits: re-anchoring by token diff, word spans, unicode."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.text.text_anchoring import (
    reanchor_segment,
    reanchor_words,
    spread_times,
    tokenize,
    word_char_spans,
    word_index_at_offset,
    word_index_at_time,
)
from desktop_app.core.transcript import Segment, Word


def _segment(*texts: str, speaker: str = "S1", gap: float = 0.1) -> Segment:
    words, t = [], 1.0
    for i, text in enumerate(texts):
        words.append(Word(t, t + 0.4, text, probability=0.5 + i / 100, speaker=speaker))
        t += 0.4 + gap
    seg = Segment.from_words(words)
    seg.id = 42
    return seg


def _assert_ordered(words: list[Word], seg: Segment) -> None:
    for word in words:
        assert seg.start <= word.start <= word.end <= seg.end
    for a, b in zip(words, words[1:], strict=False):
        assert a.end <= b.start + 1e-9


def test_unchanged_text_keeps_every_word() -> None:
    seg = _segment("so", "I", "started", "volunteering.")
    assert reanchor_words(seg, seg.text) == seg.words
    assert reanchor_words(seg, seg.text)[0] is not seg.words[0]  # copies, not shared objects


def test_inserted_word_is_placed_between_its_neighbours() -> None:
    seg = _segment("so", "I", "started", "volunteering.")
    words = reanchor_words(seg, "so I really started volunteering.")
    assert [w.text for w in words] == ["so", "I", "really", "started", "volunteering."]
    assert words[:2] == seg.words[:2] and words[3:] == seg.words[2:]
    inserted = words[2]
    assert inserted.edited and inserted.probability == 1.0 and inserted.speaker == "S1"
    assert seg.words[1].end <= inserted.start <= inserted.end <= seg.words[2].start


def test_one_for_one_correction_keeps_the_time_of_the_replaced_word() -> None:
    seg = _segment("the", "peer", "support", "work", "was", "good")
    words = reanchor_words(seg, "the peer support worker was good")
    assert words[3].text == "worker" and words[3].edited
    assert (words[3].start, words[3].end) == (seg.words[3].start, seg.words[3].end)
    assert [w.edited for w in words] == [False, False, False, True, False, False]


def test_case_and_punctuation_changes_keep_the_time() -> None:
    seg = _segment("hello,", "my", "friend")
    words = reanchor_words(seg, "Hello. My friend!")
    assert [w.text for w in words] == ["Hello.", "My", "friend!"]
    assert [(w.start, w.end) for w in words] == [(w.start, w.end) for w in seg.words]
    assert all(w.edited for w in words)


def test_punctuation_only_tokens_are_new_words() -> None:
    seg = _segment("yes", "no")
    words = reanchor_words(seg, "yes - no")
    assert [w.text for w in words] == ["yes", "-", "no"]
    assert words[1].edited and not words[0].edited and not words[2].edited


def test_deleted_words_disappear_and_the_rest_keep_their_times() -> None:
    seg = _segment("I", "I", "mean", "it", "was", "um", "fine")
    words = reanchor_words(seg, "I mean it was fine")
    assert [w.text for w in words] == ["I", "mean", "it", "was", "fine"]
    assert not any(w.edited for w in words)
    assert words[-1] == seg.words[-1]


def test_rewritten_stretch_spreads_over_the_replaced_words() -> None:
    seg = _segment("we", "had", "a", "meeting", "on", "Monday")
    words = reanchor_words(seg, "we talked about everything that week on Monday")
    typed = [w for w in words if w.edited]
    assert [w.text for w in typed] == ["talked", "about", "everything", "that", "week"]
    assert typed[0].start == seg.words[1].start and typed[-1].end == seg.words[3].end
    _assert_ordered(words, seg)


def test_empty_new_text_gives_no_words() -> None:
    assert reanchor_words(_segment("a", "b"), "") == []
    assert reanchor_words(_segment("a", "b"), "   \n ") == []


def test_text_without_words_before_is_spread_over_the_segment() -> None:
    seg = Segment(start=10.0, end=14.0, text="", speaker="S2")
    words = reanchor_words(seg, "typed by hand")
    assert [w.text for w in words] == ["typed", "by", "hand"]
    assert words[0].start == 10.0 and words[-1].end == 14.0
    assert all(w.edited and w.speaker == "S2" for w in words)
    _assert_ordered(words, seg)


def test_text_appended_at_the_end_stays_inside_the_segment() -> None:
    seg = _segment("and", "that", "was", "it")
    words = reanchor_words(seg, seg.text + " really")
    assert words[-1].text == "really" and words[-1].start == words[-1].end == seg.end


def test_stale_text_is_diffed_against_the_words() -> None:
    seg = _segment("one", "two", "three")
    seg.text = "one 2 three"  # changed earlier without re-anchoring
    words = reanchor_words(seg, "one two three four")
    assert words[:3] == seg.words
    assert words[3].text == "four" and words[3].edited


def test_reanchor_segment_keeps_id_times_and_speaker() -> None:
    seg = _segment("a", "b", "c")
    new = reanchor_segment(seg, "a c")
    assert (new.id, new.start, new.end, new.speaker, new.text) == (seg.id, seg.start, seg.end, seg.speaker, "a c")
    assert [w.text for w in new.words] == ["a", "c"]
    assert [w.text for w in seg.words] == ["a", "b", "c"]  # the original is untouched


def test_hebrew_right_to_left() -> None:
    seg = _segment("שלום", "לכולם", "היום")
    words = reanchor_words(seg, "שלום רב לכולם היום")
    assert [w.text for w in words] == ["שלום", "רב", "לכולם", "היום"]
    assert words[1].edited and not words[2].edited
    _assert_ordered(words, seg)


def test_devanagari_combining_marks_stay_with_their_letters() -> None:
    seg = _segment("नमस्ते", "दुनिया")
    words = reanchor_words(seg, "नमस्ते सारी दुनिया")
    assert [w.text for w in words] == ["नमस्ते", "सारी", "दुनिया"]
    assert not words[0].edited and not words[2].edited


def test_emoji_and_zwj_sequences() -> None:
    seg = _segment("great", "👍", "day")
    words = reanchor_words(seg, "great 👍🏽 day 👨‍👩‍👧")
    assert [w.text for w in words] == ["great", "👍🏽", "day", "👨‍👩‍👧"]
    assert words[1].start == seg.words[1].start  # one-for-one correction
    _assert_ordered(words, seg)


def test_cjk_without_spaces_keeps_known_words() -> None:
    seg = _segment("我们", "今天", "开会。")
    seg.text = "我们今天开会。"
    assert word_char_spans(seg.text, seg.words) == [(0, 2), (2, 4), (4, 7)]
    words = reanchor_words(seg, "我们明天开会。")
    assert [w.text for w in words] == ["我们", "明", "天", "开会。"]
    assert words[0] == seg.words[0] and words[-1] == seg.words[-1]
    _assert_ordered(words, seg)


def test_thai_characters_keep_their_marks() -> None:
    tokens = tokenize("สวัสดีครับ")
    assert "".join(t.text for t in tokens) == "สวัสดีครับ"
    assert all(not unicodedata.category(t.text[0]).startswith("M") for t in tokens)


def test_tokenize_spans_point_into_the_text() -> None:
    text = "  hi  there\tyou  "
    assert [(t.text, t.start, t.end) for t in tokenize(text)] == [("hi", 2, 4), ("there", 6, 11), ("you", 12, 15)]


def test_word_char_spans_mark_missing_words() -> None:
    words = [Word(0, 1, "one"), Word(1, 2, "two"), Word(2, 3, "three")]
    assert word_char_spans("one  two three", words) == [(0, 3), (5, 8), (9, 14)]
    assert word_char_spans("one three", words) == [(0, 3), None, (4, 9)]
    assert word_char_spans("", words) == [None, None, None]


def test_word_lookup_by_offset_and_time() -> None:
    words = [Word(0.0, 0.5, "one"), Word(0.7, 1.0, "two")]
    spans = word_char_spans("one two", words)
    assert word_index_at_offset(spans, 5) == 1
    assert word_index_at_offset(spans, 3) == 0
    assert word_index_at_offset([None], 0) is None
    assert word_index_at_time(words, 0.8) == 1
    assert word_index_at_time(words, 0.6) == 0
    assert word_index_at_time(words, -1.0) is None


def test_spread_times_is_proportional_and_exact_at_the_ends() -> None:
    assert spread_times(1.0, 2.0, [1, 3]) == [(1.0, 1.25), (1.25, 2.0)]
    assert spread_times(1.0, 1.0, [2, 0]) == [(1.0, 1.0), (1.0, 1.0)]


# --- property tests: random edits --------------------------------------------------------------

ALPHABET = "abcAB .,?-  \u05e9\u05dc\u0928\u094d\u0924\u6211\u4eec\U0001f600\u0301"
VOCAB = ["the", "a", "we", "cat", "sat", "שלום", "नमस्ते", "我们", "😀", "Hello,", "hello."]


@st.composite
def segments(draw: st.DrawFn) -> Segment:
    texts = draw(st.lists(st.sampled_from(VOCAB), max_size=12))
    t, words = draw(st.floats(0, 100)), []
    start = t
    for text in texts:
        t += draw(st.floats(0, 1))
        length = draw(st.floats(0, 1))
        words.append(Word(t, t + length, text, draw(st.floats(0, 1)), draw(st.sampled_from(["A", "B"]))))
        t += length
    return Segment(start, t + draw(st.floats(0, 1)), " ".join(texts), "A", words)


def _random_edit(data: st.DataObject, text: str, alphabet: str) -> str:
    pos = data.draw(st.integers(0, len(text)))
    removed = data.draw(st.integers(0, len(text) - pos))
    inserted = data.draw(st.text(alphabet=alphabet, max_size=8))
    return text[:pos] + inserted + text[pos + removed :]


@settings(max_examples=200, deadline=None)
@given(segments(), st.data())
def test_random_edit_sequences_keep_words_consistent_and_ordered(seg: Segment, data: st.DataObject) -> None:
    for _ in range(data.draw(st.integers(1, 4))):
        new_text = _random_edit(data, seg.text, ALPHABET)
        words = reanchor_words(seg, new_text)
        assert [w.text for w in words] == [t.text for t in tokenize(new_text, {w.text for w in seg.words})]
        _assert_ordered(words, seg)
        heard = iter(seg.words)  # words kept as heard are the old words, in their order
        for word in (w for w in words if not w.edited):
            assert any(word == old for old in heard)
        seg = reanchor_segment(seg, new_text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta"]), unique=True), st.data())
def test_words_untouched_by_an_edit_keep_exact_times(texts: list[str], data: st.DataObject) -> None:
    seg = _segment(*texts) if texts else Segment(0.0, 1.0, "")
    pos = data.draw(st.integers(0, len(seg.text)))
    removed = data.draw(st.integers(0, len(seg.text) - pos))
    inserted = data.draw(st.text(alphabet="0123 !😀", max_size=6))
    words = reanchor_words(seg, seg.text[:pos] + inserted + seg.text[pos + removed :])
    spans = word_char_spans(seg.text, seg.words)
    for old, span in zip(seg.words, spans, strict=True):
        assert span is not None
        if span[1] < pos or span[0] > pos + removed:  # a space separates the word from the edit
            assert old in words
