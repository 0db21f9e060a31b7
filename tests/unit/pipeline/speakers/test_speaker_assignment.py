"""From labelled windows to a smoothed timeline, words with speakers, and turns that start at pauses."""

from __future__ import annotations

import numpy as np

from desktop_app.core.transcript import Word
from desktop_app.pipeline.speakers.assignment import (
    NO_SPEECH,
    AssignmentOptions,
    Timeline,
    paint_windows,
    paint_words,
    resegment,
    smooth,
    snap_changes,
    word_speakers,
)

OPTIONS = AssignmentOptions()


def _timeline(spans: list[tuple[float, float, int]], seconds: float = 10.0) -> Timeline:
    owned = np.array([(a, b) for a, b, _ in spans])
    labels = np.array([k for _, _, k in spans])
    return paint_windows(owned, labels, np.ones(len(spans)), round(seconds * 100), OPTIONS.uncertain_margin)


def _words(spec: str, start: float = 0.0, step: float = 0.3, gaps: dict[int, float] | None = None) -> list[Word]:
    words, t = [], start
    for i, text in enumerate(spec.split()):
        t += (gaps or {}).get(i, 0.0)
        words.append(Word(t, t + step - 0.05, text))
        t += step
    return words


def test_one_stray_window_does_not_split_a_turn() -> None:
    spans = [(0.0 + 0.25 * i, 0.25 * (i + 1), 0) for i in range(16)]
    spans[8] = (2.0, 2.25, 1)  # one window says speaker 1 in the middle of speaker 0's turn
    smoothed = smooth(_timeline(spans), [(0.0, 4.0)], 2, OPTIONS)
    assert smoothed.turns() == [(0.0, 4.0, 0)]


def test_a_real_change_survives_smoothing() -> None:
    spans = [(0.25 * i, 0.25 * (i + 1), 0 if i < 8 else 1) for i in range(16)]
    turns = smooth(_timeline(spans), [(0.0, 4.0)], 2, OPTIONS).turns()
    assert [k for _, _, k in turns] == [0, 1]
    assert abs(turns[1][0] - 2.0) <= 0.05


def test_a_short_answer_alone_between_pauses_is_kept() -> None:
    spans = [(0.25 * i, 0.25 * (i + 1), 0) for i in range(8)] + [(3.0, 3.3, 1)] + [(4.0, 6.0, 0)]
    regions = [(0.0, 2.0), (3.0, 3.3), (4.0, 6.0)]
    turns = smooth(_timeline(spans), regions, 2, OPTIONS).turns()
    assert [k for _, _, k in turns] == [0, 1, 0]


def test_words_take_the_speaker_under_them_and_outside_speech_the_nearest() -> None:
    timeline = _timeline([(0.0, 2.0, 0), (2.0, 4.0, 1)], seconds=6.0)
    words = [Word(0.5, 0.8, "a"), Word(1.8, 2.3, "b"), Word(3.0, 3.4, "c"), Word(4.5, 4.9, "d")]
    speakers, uncertain = word_speakers(words, timeline)
    assert speakers.tolist() == [0, 1, 1, 1]
    assert uncertain.tolist() == [False, True, False, False]  # "b" straddles the change: half and half


def test_change_moves_back_to_the_pause_so_the_turn_starts_with_its_first_word() -> None:
    # "... today. | Of course I have" : the pause is before "Of" but the windows changed at "I"
    words = _words("thank you for joining me today. Of course I have been", gaps={6: 0.8})
    speakers = np.array([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1])
    snapped = snap_changes(words, speakers, OPTIONS)
    assert snapped.tolist() == [0] * 6 + [1] * 6


def test_change_moves_forward_to_the_sentence_end() -> None:
    words = _words("what does a typical day look like? most mornings I meet", gaps={7: 0.6})
    speakers = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    assert snap_changes(words, speakers, OPTIONS).tolist() == [0] * 7 + [1] * 4


def test_change_at_a_good_boundary_stays_and_third_speakers_are_not_overwritten() -> None:
    words = _words("yes. right so we go", gaps={1: 0.7, 2: 0.7})
    speakers = np.array([0, 1, 2, 2, 2])
    assert snap_changes(words, speakers, OPTIONS).tolist() == [0, 1, 2, 2, 2]


def test_painted_words_make_timeline_and_words_agree() -> None:
    timeline = _timeline([(0.0, 1.0, 0), (1.0, 3.0, 1)], seconds=4.0)
    painted = paint_words(timeline, [Word(0.8, 1.4, "so")], np.array([0]))
    assert painted.turns() == [(0.0, 1.4, 0), (1.4, 3.0, 1)]
    assert painted.labels[350] == NO_SPEECH


def _leaning(pattern: list[float]) -> np.ndarray:
    """(n, 2) similarities: each window 0.8 to its speaker, ``lean`` more or less to speaker 1."""
    return np.array([[0.8, 0.8 + lean] for lean in pattern])


def test_a_slight_lean_to_a_similar_voice_for_a_second_is_not_a_turn() -> None:
    similarity = _leaning([-0.2] * 5 + [0.02, 0.03] + [-0.2] * 5)
    assert resegment(similarity, np.zeros(12, dtype=np.int64), OPTIONS.switch_cost).tolist() == [0] * 12
    assert resegment(similarity, np.zeros(12, dtype=np.int64), 0.0).tolist() == [0] * 5 + [1, 1] + [0] * 5


def test_a_clear_turn_inside_a_region_pays_for_its_changes() -> None:
    similarity = _leaning([-0.2] * 5 + [0.15, 0.2, 0.2] + [-0.2] * 4)
    assert (
        resegment(similarity, np.zeros(12, dtype=np.int64), OPTIONS.switch_cost).tolist() == [0] * 5 + [1] * 3 + [0] * 4
    )


def test_a_change_across_a_pause_is_free() -> None:
    similarity = _leaning([-0.2] * 4 + [0.01] + [-0.2] * 4)
    regions = np.array([0] * 4 + [1] + [2] * 4)  # a one-window "Yes." alone between pauses
    assert resegment(similarity, regions, OPTIONS.switch_cost).tolist() == [0] * 4 + [1] + [0] * 4
    assert resegment(np.empty((0, 2)), np.empty(0, dtype=np.int64), 0.06).tolist() == []
