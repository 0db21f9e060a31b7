"""Counting voices with the nearest-neighbour graph of the windows (eigengap), and the k-means behind it."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.pipeline.speakers.voices.clustering import cluster_speakers
from desktop_app.pipeline.speakers.voices.spectral import kmeans, spectral_clusters


def _voices(sizes: list[int], seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Windows of ``len(sizes)`` voices: GE2E-like (non-negative centres), cosine ~0.8 within a voice."""
    rng = np.random.default_rng(seed)
    centres = np.abs(rng.standard_normal((len(sizes), 256)))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    x = np.concatenate([c + 0.5 * rng.standard_normal((n, 256)) / 16 for c, n in zip(centres, sizes, strict=True)])
    truth = np.repeat(np.arange(len(sizes)), sizes)
    return x / np.linalg.norm(x, axis=1, keepdims=True), truth


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    return len({(int(x), int(y)) for x, y in zip(a, b, strict=True)}) == len(set(a.tolist())) == len(set(b.tolist()))


@pytest.mark.parametrize("sizes", [[60, 50], [40, 50, 35], [30, 45, 25, 40], [35, 30, 40, 28, 32], [70, 15, 60]])
def test_the_eigengap_counts_the_voices_and_groups_their_windows(sizes: list[int]) -> None:
    x, truth = _voices(sizes, seed=len(sizes))
    found = spectral_clusters(x)
    assert found.count == len(sizes) and found.stable
    assert _same_partition(found.labels, truth)
    assert 0.05 * len(x) - 1 <= found.neighbours <= 0.1 * len(x) + 1


def test_one_voice_is_never_a_confident_crowd() -> None:
    x, _ = _voices([120], seed=9)
    found = spectral_clusters(x)
    assert found.count == 1 or not found.stable
    assert len(cluster_speakers(x).centroids) == 1


def test_too_few_points_are_one_group() -> None:
    found = spectral_clusters(np.eye(3))
    assert found.count == 1 and found.labels.tolist() == [0, 0, 0] and not found.stable


def test_kmeans_finds_separated_groups_the_same_way_every_time() -> None:
    rng = np.random.default_rng(1)
    points = np.concatenate([rng.normal(c, 0.1, (20, 2)) for c in ((0, 0), (3, 0), (0, 3))])
    labels = kmeans(points, 3)
    assert _same_partition(labels, np.repeat(np.arange(3), 20))
    np.testing.assert_array_equal(kmeans(points, 3), labels)
