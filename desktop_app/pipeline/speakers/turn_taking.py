"""Two voices told apart by turn-taking, where the distance between them says one.

Two voices can sit closer in the GE2E space than one person's voice drifts over an interview (two
synthetic voices of one engine do; so can two people of the same sex on one microphone). Then no
distance threshold tells them apart, but the conversation does: split the windows in two, follow
them in time with a cost per change inside a stretch of speech (``resegment``, as the labelling
does), and refit. Two people taking turns give two voices that each hold the floor again and
again; one person's voice split in two gives one or two long stretches and flicker, because how a
single voice varies (phonemes, loudness) changes within seconds or once, not turn by turn.

Three checks, measured on the GE2E windows of the shared recordings and generated dialogues:
- each voice holds the floor again (every two-voice dialogue gave one stretch per turn to each
  half; the short single speakers, 11 s to 1 min, at most one);
- each voice's windows are recognised by voices fitted on the other windows (odd or even), at
  least 0.97 of them in dialogues, at most 0.84 in three-minute monologues whose halves did
  alternate, and about half for noise;
- neighbouring windows in a stretch of speech lean to the same voice (``coherence``: 0.90 to
  0.95 in dialogues, 0.67 to 0.76 in those monologues).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop_app.pipeline.speakers.assignment import SWITCH_COST, resegment
from desktop_app.pipeline.speakers.voices.spectral import centroids_of, kmeans


@dataclass(frozen=True)
class TurnTakingOptions:
    min_windows: int = 8  # fewer windows (about 6 s of speech) cannot show turns
    min_share: float = 0.15  # the quieter voice holds at least this share of the windows
    floor_seconds: float = 1.5  # a stretch this long holds the floor (one window)
    min_floors: int = 2  # each voice holds the floor at least this often
    min_coherence: float = 0.8  # share of neighbouring windows in one stretch of speech nearest the same voice
    min_recognised: float = 0.9  # share of each voice's windows nearest it, the voices fitted on other windows
    switch_cost: float = SWITCH_COST
    refits: int = 5


def floors(labels: np.ndarray, seconds: np.ndarray, floor_seconds: float) -> np.ndarray:
    """How many times each of the two labels holds the floor: runs in time order lasting ``floor_seconds``."""
    change = np.flatnonzero(np.diff(labels)) + 1
    bounds = np.concatenate([[0], change, [len(labels)]])
    held = np.zeros(2, dtype=np.int64)
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        if float(seconds[a:b].sum()) >= floor_seconds:
            held[int(labels[a])] += 1
    return held


def turn_taking_pair(
    points: np.ndarray, region_of: np.ndarray, seconds: np.ndarray, options: TurnTakingOptions | None = None
) -> np.ndarray | None:
    """Centroids (2, dim) of two voices taking turns, or None if the windows look like one voice.

    ``points`` (n, dim) are unit window embeddings in time order, ``region_of`` (n,) their speech
    region and ``seconds`` (n,) the time each window stands for.
    """
    options = options or TurnTakingOptions()
    if len(points) < options.min_windows:
        return None
    labels = kmeans(points, 2)
    for _ in range(options.refits):
        if len(np.unique(labels)) < 2:
            return None
        followed = resegment(points @ centroids_of(points, labels, [0, 1]).T, region_of, options.switch_cost)
        if np.array_equal(followed, labels):
            break
        labels = followed
    shares = np.bincount(labels, minlength=2) / len(labels)
    if shares.min() < options.min_share:
        return None
    if floors(labels, seconds, options.floor_seconds).min() < options.min_floors:
        return None
    nearest = held_out_nearest(points, labels)
    if nearest is None:
        return None
    recognised = min(float(np.mean(nearest[labels == k] == k)) for k in (0, 1))
    if recognised < options.min_recognised or coherence(nearest, region_of) < options.min_coherence:
        return None
    return centroids_of(points, labels, [0, 1])


def held_out_nearest(points: np.ndarray, labels: np.ndarray) -> np.ndarray | None:
    """The nearer of the two voices for each window, the voices fitted on the other windows (odd or even).

    With a few dozen windows in 256 dimensions, centroids fitted on all of them can reproduce any
    split, even of pure noise; fitted on every other window, they must predict the rest.
    """
    nearest = np.zeros(len(points), dtype=np.int64)
    parity = np.arange(len(points)) % 2
    for held in (0, 1):
        fit = parity != held
        if len(np.unique(labels[fit])) < 2:
            return None  # the other windows hold one voice only: nothing to recognise with
        nearest[parity == held] = (points[parity == held] @ centroids_of(points[fit], labels[fit], [0, 1]).T).argmax(axis=1)
    return nearest


def coherence(nearest: np.ndarray, region_of: np.ndarray) -> float:
    """Share of neighbouring windows in one stretch of speech that are nearest the same voice.

    Two voices taking turns: the windows of one turn all lean to its voice. One voice split in
    two: each window leans by what it says, so neighbours disagree often, although the smoothed
    labels may still alternate like turns.
    """
    together = region_of[1:] == region_of[:-1]
    if not np.any(together):
        return 0.0
    return float(np.mean(nearest[1:][together] == nearest[:-1][together]))
