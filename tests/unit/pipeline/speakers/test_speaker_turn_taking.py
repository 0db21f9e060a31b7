"""Two close voices found by their turns; one voice split in two is not two speakers."""

from __future__ import annotations

import numpy as np

from desktop_app.pipeline.speakers.assignment import NO_SPEECH, Timeline, keep_heard
from desktop_app.pipeline.speakers.turn_taking import floors, turn_taking_pair


def _voice(centre: np.ndarray, n: int, rng: np.random.Generator, spread: float = 0.6) -> np.ndarray:
    points = centre + spread * rng.standard_normal((n, len(centre))) / np.sqrt(len(centre))
    return np.asarray(points / np.linalg.norm(points, axis=1, keepdims=True))


def _close_voices(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    a = np.abs(rng.standard_normal(256))
    a /= np.linalg.norm(a)
    b = a + 0.35 * rng.standard_normal(256) / 16
    return a, b / np.linalg.norm(b)


def test_two_close_voices_taking_turns_are_two() -> None:
    rng = np.random.default_rng(1)
    a, b = _close_voices(rng)
    turns = [_voice(a if k % 2 == 0 else b, 6, rng) for k in range(10)]  # ten turns of 4.5 s
    points = np.concatenate(turns)
    region_of = np.repeat(np.arange(10), 6)
    pair = turn_taking_pair(points, region_of, np.full(len(points), 0.75))
    assert pair is not None
    truth = np.repeat(np.arange(10) % 2, 6)
    labels = (points @ pair.T).argmax(axis=1)
    assert np.all(labels == truth) or np.all(labels == 1 - truth)


def test_one_voice_varying_window_by_window_is_not_two() -> None:
    rng = np.random.default_rng(2)
    a, _ = _close_voices(rng)
    points = _voice(a, 60, rng, spread=0.8)  # each window varies on its own (phonemes, loudness)
    region_of = np.repeat(np.arange(10), 6)
    assert turn_taking_pair(points, region_of, np.full(len(points), 0.75)) is None


def test_one_voice_that_changes_once_is_not_two() -> None:
    rng = np.random.default_rng(3)
    a, b = _close_voices(rng)
    points = np.concatenate([_voice(a, 30, rng), _voice(b, 30, rng)])  # a new microphone half way
    region_of = np.repeat(np.arange(10), 6)
    assert turn_taking_pair(points, region_of, np.full(len(points), 0.75)) is None


def test_floors_count_stretches_long_enough_to_hold_the_floor() -> None:
    labels = np.array([0, 0, 1, 0, 0, 0, 1, 1, 1])
    assert floors(labels, np.full(9, 0.75), 1.5).tolist() == [2, 1]  # the lone window of 1 is no floor


def test_heard_speech_keeps_breaths_inside_a_turn_and_drops_the_pause_between_speakers() -> None:
    labels = np.array([0] * 100 + [1] * 100, dtype=np.int16)  # the windows painted 0-1 s and 1-2 s
    timeline = Timeline(labels, np.zeros(200, dtype=bool))
    heard = [(0.1, 0.4), (0.6, 0.9), (1.2, 1.9)]  # a 0.2 s breath inside the first turn, 0.3 s between turns
    kept = keep_heard(timeline, heard, bridge_seconds=0.6).labels
    assert np.all(kept[:10] == NO_SPEECH) and np.all(kept[10:90] == 0)  # the breath is the speaker's
    assert np.all(kept[90:120] == NO_SPEECH)  # the pause at the change is nobody's
    assert np.all(kept[120:190] == 1) and np.all(kept[190:] == NO_SPEECH)
