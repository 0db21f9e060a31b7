"""Clustering of window embeddings: the tree, the automatic count (distance, graph, time), given counts."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.pipeline.speakers.voices.clustering import (
    ClusteringOptions,
    average_linkage,
    cluster_speakers,
    cut_tree,
    monologue_merges,
)

OPTIONS = ClusteringOptions()


def _blobs(sizes: list[int], spread: float = 0.08, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors around well-separated random centres, in a shuffled-but-known order."""
    rng = np.random.default_rng(seed)
    centres = np.abs(rng.standard_normal((len(sizes), 256)))
    points, truth = [], []
    for k, size in enumerate(sizes):
        points.append(centres[k] / np.linalg.norm(centres[k]) + spread * rng.standard_normal((size, 256)) / 16)
        truth += [k] * size
    x = np.concatenate(points)
    return x / np.linalg.norm(x, axis=1, keepdims=True), np.array(truth)


def _naive_average_linkage(x: np.ndarray) -> list[float]:
    clusters = [[i] for i in range(len(x))]
    dist = 1.0 - x @ x.T
    heights = []
    while len(clusters) > 1:
        best = min(
            ((dist[np.ix_(a, b)].mean(), i, j) for i, a in enumerate(clusters) for j, b in enumerate(clusters) if i < j)
        )
        heights.append(best[0])
        _, i, j = best
        clusters[i] = clusters[i] + clusters[j]
        del clusters[j]
    return heights


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    return len({(int(x), int(y)) for x, y in zip(a, b, strict=True)}) == len(set(a.tolist())) == len(set(b.tolist()))


def test_linkage_heights_match_the_textbook_algorithm() -> None:
    x, _ = _blobs([6, 5, 4], spread=2.0, seed=3)
    merges = average_linkage(x)
    np.testing.assert_allclose(merges[:, 2], _naive_average_linkage(x), atol=1e-9)
    assert np.all(np.diff(merges[:, 2]) >= -1e-12)


def test_cut_tree_gives_the_requested_number_of_clusters() -> None:
    x, truth = _blobs([10, 8, 6])
    merges = average_linkage(x)
    for k in (1, 2, 3, 5):
        assert len(set(cut_tree(merges, len(x), k).tolist())) == k
    assert _same_partition(cut_tree(merges, len(x), 3), truth)


def test_automatic_count_finds_the_speakers_and_labels_by_first_appearance() -> None:
    x, truth = _blobs([40, 30, 30])
    order = np.r_[40:50, 0:40, 50:100]  # speaker 1 speaks first; speaker 0 from window 10
    result = cluster_speakers(x[order])
    assert len(result.centroids) == 3
    assert _same_partition(result.labels, truth[order])
    assert result.labels[0] == 0 and result.labels[10] == 1


def test_windows_straddling_a_change_are_not_a_speaker() -> None:
    x, _ = _blobs([45, 45], spread=0.5)  # windows of one voice at cosine ~0.8, as real ones
    rng = np.random.default_rng(5)
    share = rng.uniform(0.3, 0.7, (6, 1))  # how much of each straddling window is the first voice
    mixed = share * x[rng.integers(0, 45, 6)] + (1 - share) * x[rng.integers(45, 90, 6)]
    points = np.concatenate([x, mixed / np.linalg.norm(mixed, axis=1, keepdims=True)])
    assert len(cluster_speakers(points).centroids) == 2


def test_small_distinct_group_is_folded_when_few_windows_but_found_by_the_graph_when_many() -> None:
    few, _ = _blobs([12, 12, 2])  # too few windows for the graph: the share rule folds the pair away
    assert len(cluster_speakers(few).centroids) == 2
    assert len(cluster_speakers(few, ClusteringOptions(fold_share=0.05)).centroids) == 3
    many, truth = _blobs([45, 45, 6])  # a quiet third voice, 6 % of the windows but a voice of its own
    result = cluster_speakers(many)
    assert len(result.centroids) == 3 and _same_partition(result.labels, truth)


def test_similar_voices_merged_by_the_distance_are_told_apart_by_the_graph() -> None:
    rng = np.random.default_rng(3)
    centres = np.abs(rng.standard_normal((3, 256)))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    near = centres[0] + 0.4 * rng.standard_normal(256) / 16
    near /= np.linalg.norm(near)  # a fourth voice at cosine ~0.93 to voice 0: closer than the threshold
    points, truth = [], []
    for k, (centre, size) in enumerate(zip([centres[0], near, centres[1], centres[2]], [30, 25, 35, 30], strict=True)):
        points.append(centre + 0.5 * rng.standard_normal((size, 256)) / 16)  # windows at cosine ~0.8
        truth += [k] * size
    x = np.concatenate(points)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    distance_only = ClusteringOptions(spectral_min_windows=10**6)
    assert len(cluster_speakers(x, distance_only).centroids) == 3
    result = cluster_speakers(x)
    assert len(result.centroids) == 4 and _same_partition(result.labels, np.array(truth))
    assert len(cluster_speakers(x, ClusteringOptions(max_speakers=3)).centroids) == 3


def test_exact_count_and_range_are_honoured() -> None:
    x, truth = _blobs([40, 30, 30])
    assert len(cluster_speakers(x, ClusteringOptions(num_speakers=2)).centroids) == 2
    four = cluster_speakers(x, ClusteringOptions(num_speakers=4))
    assert len(four.centroids) == 4
    assert len(cluster_speakers(x, ClusteringOptions(min_speakers=4, max_speakers=6)).centroids) == 4
    assert len(cluster_speakers(x, ClusteringOptions(min_speakers=1, max_speakers=2)).centroids) == 2
    assert len(cluster_speakers(x, ClusteringOptions(min_speakers=2, max_speakers=5)).centroids) == 3


def test_many_windows_cluster_on_a_subsample_and_all_get_labels() -> None:
    x, truth = _blobs([1500, 1000, 700])
    result = cluster_speakers(x, ClusteringOptions(max_linkage_windows=300))
    assert len(result.labels) == len(x)
    assert _same_partition(result.labels, truth)
    assert np.all(result.margins > 0)


@pytest.mark.parametrize("n", [0, 1, 2])
def test_tiny_inputs(n: int) -> None:
    x, _ = _blobs([n]) if n else (np.empty((0, 256)), None)
    result = cluster_speakers(x)
    assert len(result.labels) == n
    assert len(result.centroids) == (1 if n else 0)


def test_voices_that_never_come_back_are_one_person_changing_their_voice() -> None:
    # fast speech, then slow and quiet from 7.4 s in the same breath group, a last short phrase
    turns = [(0.0, 7.4, 0), (7.4, 17.4, 1), (18.3, 23.7, 1), (24.1, 25.4, 0)]
    assert monologue_merges(turns, OPTIONS) == {0: 1}  # into the voice heard longest
    # after a pause, three voices each heard once (JFK: the crowd, then the podium)
    assert monologue_merges([(0.2, 4.5, 0), (5.3, 11.0, 1), (12.0, 13.0, 2)], OPTIONS) == {0: 1, 2: 1}
    assert monologue_merges([(0.0, 6.0, 0)], OPTIONS) == {}


def test_voices_that_come_back_are_kept() -> None:
    assert monologue_merges([(0.0, 5.0, 0), (5.0, 9.0, 1), (9.0, 12.0, 0)], OPTIONS) == {}  # 0 holds the floor again
    # coming back for less than a window's length does not count: one window may be wrong
    assert monologue_merges([(0.0, 5.0, 0), (5.0, 9.0, 1), (9.0, 10.0, 0)], OPTIONS) == {1: 0}
