from __future__ import annotations

from desktop_app.core.transcript import Word
from desktop_app.pipeline.segment_builder import SegmentBuilder, SegmentRules, build_segments


def words_from(spec: list[tuple[float, float, str]], speaker: str | None = None) -> list[Word]:
    return [Word(s, e, t, 0.9, speaker) for s, e, t in spec]


def test_a_long_pause_starts_a_new_segment() -> None:
    words = words_from([(0.0, 0.4, "Hello"), (0.5, 0.9, "there."), (2.2, 2.5, "Next"), (2.6, 3.0, "one.")])
    segments = build_segments(words)
    assert [s.text for s in segments] == ["Hello there.", "Next one."]
    assert (segments[1].start, segments[1].end) == (2.2, 3.0)


def test_short_pauses_and_sentence_ends_keep_a_short_segment_together() -> None:
    words = words_from([(0.0, 0.4, "Yes."), (0.6, 0.9, "I"), (1.0, 1.3, "agree.")])
    assert [s.text for s in build_segments(words)] == ["Yes. I agree."]


def test_a_long_segment_closes_at_the_next_sentence_end() -> None:
    words = [Word(i * 0.5, i * 0.5 + 0.4, "word." if i == 50 else "word") for i in range(60)]
    segments = build_segments(words, SegmentRules(long_seconds=20.0))
    assert len(segments) == 2
    assert segments[0].words[-1].text == "word." and segments[0].end == 25.4


def test_speakers_are_never_mixed() -> None:
    words = words_from([(0.0, 0.4, "So"), (0.5, 0.8, "tell")], "A") + words_from([(0.9, 1.2, "Well")], "B")
    segments = build_segments(words)
    assert [(s.speaker, s.text) for s in segments] == [("A", "So tell"), ("B", "Well")]


def test_a_runaway_sentence_is_cut_at_the_hard_limit() -> None:
    words = [Word(i * 1.0, i * 1.0 + 0.9, "and") for i in range(100)]
    segments = build_segments(words, SegmentRules(max_seconds=45.0))
    assert all(s.end - s.start <= 45.0 for s in segments)
    assert sum(len(s.words) for s in segments) == 100


def test_incremental_building_equals_building_at_once() -> None:
    words = words_from([(i * 0.7, i * 0.7 + 0.5, "x." if i % 7 == 6 else "x") for i in range(40)])
    words += words_from([(40.0, 40.3, "after"), (40.4, 40.8, "pause")])
    builder = SegmentBuilder(SegmentRules(long_seconds=5.0))
    pieces = [s for i in range(0, len(words), 3) for s in builder.add(words[i : i + 3])] + builder.flush()
    assert [s.text for s in pieces] == [s.text for s in build_segments(words, SegmentRules(long_seconds=5.0))]
    assert builder.flush() == []
