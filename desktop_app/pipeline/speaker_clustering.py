"""Speakers from window embeddings: cosine average-linkage clustering, small clusters folded away.

At most ``max_linkage_windows`` windows (evenly spaced) build the tree, so time and memory stay
bounded for a 2-hour focus group (28,000 windows); every window is then labelled by its nearest
speaker centroid. The count is automatic (cut at a distance threshold, then clusters holding a
small share of the windows folded into their nearest big one: they are mostly windows straddling a
change or overlapping talk), exact, or a range that clamps the automatic count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ClusteringOptions:
    num_speakers: int | None = None  # exact count, overrides the range
    min_speakers: int = 1
    max_speakers: int | None = None
    distance_threshold: float = 0.275  # cosine distance at which the tree is cut
    fold_share: float = 0.15  # clusters under this share of windows are folded (automatic count)
    max_linkage_windows: int = 2000


@dataclass(frozen=True)
class Clustering:
    labels: np.ndarray  # (n,) speaker index per window, 0..k-1
    centroids: np.ndarray  # (k, dim) unit vectors
    margins: np.ndarray  # (n,) cosine similarity to own centroid minus the next best


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return np.asarray(rows / np.maximum(norms, 1e-12), dtype=np.float64)


def average_linkage(points: np.ndarray) -> np.ndarray:
    """Merge history (n - 1, 3): slot kept, slot merged into it, cosine distance (non-decreasing)."""
    n = len(points)
    unit = _unit(points)
    dist = 1.0 - unit @ unit.T
    np.fill_diagonal(dist, np.inf)
    sizes = np.ones(n)
    nearest = dist.argmin(axis=1)
    nearest_dist = dist[np.arange(n), nearest]
    merges = np.empty((max(0, n - 1), 3))
    for step in range(n - 1):
        i = int(nearest_dist.argmin())
        j = int(nearest[i])
        merges[step] = (min(i, j), max(i, j), nearest_dist[i])
        keep, gone = min(i, j), max(i, j)
        row = (sizes[keep] * dist[keep] + sizes[gone] * dist[gone]) / (sizes[keep] + sizes[gone])
        row[keep] = np.inf
        dist[keep], dist[:, keep] = row, row
        dist[gone], dist[:, gone] = np.inf, np.inf
        sizes[keep] += sizes[gone]
        nearest_dist[gone] = np.inf
        stale = np.flatnonzero((nearest == keep) | (nearest == gone))
        stale = stale[np.isfinite(nearest_dist[stale])]
        closer = np.flatnonzero(row < nearest_dist)
        nearest[closer], nearest_dist[closer] = keep, row[closer]
        stale = np.union1d(stale, [keep]) if step < n - 2 else stale
        if len(stale):
            nearest[stale] = dist[stale].argmin(axis=1)
            nearest_dist[stale] = dist[stale, nearest[stale]]
    return merges


def cut_tree(merges: np.ndarray, n: int, clusters: int) -> np.ndarray:
    """Labels 0..k-1 (ordered by first member) after replaying merges until ``clusters`` remain."""
    parent = np.arange(n)
    for keep, gone, _ in merges[: max(0, n - clusters)]:
        parent[parent == int(gone)] = int(keep)
    _, labels = np.unique(parent, return_inverse=True)
    return np.asarray(labels.reshape(-1))


def _centroids(points: np.ndarray, labels: np.ndarray, chosen: list[int]) -> np.ndarray:
    return _unit(np.stack([points[labels == c].mean(axis=0) for c in chosen]))


def _exact(points: np.ndarray, merges: np.ndarray, count: int) -> np.ndarray:
    """Centroids of ``count`` clusters: cut a little lower if needed so none is a handful of stragglers."""
    n = len(points)
    count = max(1, min(count, n))
    floor = max(2, round(0.02 * n))
    for k in range(count, min(n, count + 10) + 1):
        labels = cut_tree(merges, n, k)
        sizes = np.bincount(labels)
        order = np.argsort(-sizes, kind="stable")
        if sizes[order[count - 1]] >= floor or k == min(n, count + 10):
            return _centroids(points, labels, [int(c) for c in order[:count]])
    raise AssertionError("unreachable")


def _automatic(points: np.ndarray, merges: np.ndarray, options: ClusteringOptions) -> np.ndarray:
    n = len(points)
    k = n - int(np.searchsorted(merges[:, 2], options.distance_threshold, side="right"))
    labels = cut_tree(merges, n, k)
    shares = np.bincount(labels) / n
    by_size = [int(c) for c in np.argsort(-shares, kind="stable")]
    big = [c for c in by_size if shares[c] >= options.fold_share]
    if not big:  # many speakers with small shares each: keep those near the largest
        big = [c for c in by_size if shares[c] >= 0.5 * shares[by_size[0]]]
    low = max(1, options.min_speakers)
    high = options.max_speakers if options.max_speakers is not None else len(big)
    if not low <= len(big) <= high:
        return _exact(points, merges, min(max(len(big), low), high))
    return _centroids(points, labels, big)


def assign(embeddings: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest centroid per window (cosine) and the margin over the second nearest."""
    similarity = _unit(embeddings) @ centroids.T
    labels = similarity.argmax(axis=1)
    if centroids.shape[0] == 1:
        return labels, np.ones(len(labels))
    top_two = -np.partition(-similarity, 1, axis=1)[:, :2]
    return labels, top_two[:, 0] - top_two[:, 1]


def cluster_speakers(embeddings: np.ndarray, options: ClusteringOptions | None = None) -> Clustering:
    """Group window embeddings (n, dim) into speakers; labels follow the first window of each speaker."""
    options = options or ClusteringOptions()
    n = len(embeddings)
    if n == 0:
        return Clustering(np.empty(0, dtype=np.int64), np.empty((0, embeddings.shape[1])), np.empty(0))
    sample = np.unique(np.linspace(0, n - 1, min(n, options.max_linkage_windows)).round().astype(np.int64))
    points = np.asarray(embeddings[sample], dtype=np.float64)
    merges = average_linkage(points)
    if options.num_speakers is not None:
        centroids = _exact(points, merges, options.num_speakers)
    else:
        centroids = _automatic(points, merges, options)
    labels, _ = assign(embeddings, centroids)
    kept = [c for c in range(len(centroids)) if np.any(labels == c)]
    centroids = _centroids(np.asarray(embeddings, dtype=np.float64), labels, kept)  # one refinement step
    labels, margins = assign(embeddings, centroids)
    _, first_seen = np.unique(labels, return_index=True)
    order = np.argsort(first_seen)
    relabel = np.empty(len(centroids), dtype=np.int64)
    relabel[np.unique(labels)[order]] = np.arange(len(order))
    return Clustering(relabel[labels], centroids[np.unique(labels)[order]], margins)
