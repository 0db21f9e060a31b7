"""Speaker count and groups by spectral clustering of a nearest-neighbour graph of window embeddings.

The GE2E space is not calibrated per recording: two similar voices in a focus group can be closer
than one person's voice early and late in an interview, so a fixed distance threshold either
merges the similar voices or splits the single speaker. A graph that links each window only to its
``p`` most similar windows is relative to the recording: windows of one voice link among
themselves whatever the absolute similarity, and the number of nearly disconnected parts (the
eigengap of the graph Laplacian) is the number of voices. ``p`` is chosen per recording as in
Park et al. 2019 ("Auto-tuning spectral clustering for speaker diarization using normalized
maximum eigengap"): the ``p`` with the clearest eigengap relative to ``p`` wins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SpectralResult:
    count: int  # number of speakers the eigengap points to
    labels: np.ndarray  # (n,) 0..count-1 per point
    neighbours: int  # the p chosen
    stable: bool  # neighbouring values of p give the same count: a sparse graph's noise does not


def unit_rows(rows: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (float64); zero rows stay zero."""
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return np.asarray(rows / np.maximum(norms, 1e-12), dtype=np.float64)


def centroids_of(points: np.ndarray, labels: np.ndarray, chosen: list[int]) -> np.ndarray:
    """Unit mean vectors of the points labelled with each of ``chosen``."""
    return unit_rows(np.stack([points[labels == c].mean(axis=0) for c in chosen]))


def _laplacian(order: np.ndarray, p: int) -> np.ndarray:
    """Unnormalised Laplacian of the symmetrised graph linking each point to its ``p`` nearest points."""
    n = len(order)
    linked = np.zeros((n, n))
    linked[np.arange(n)[:, None], order[:, :p]] = 1.0
    affinity = 0.5 * (linked + linked.T)
    return np.diag(affinity.sum(axis=1)) - affinity


def _eigengap(eigenvalues: np.ndarray, max_count: int) -> tuple[int, float]:
    """(count, gap): the largest gap among the smallest ``max_count + 1`` normalised eigenvalues."""
    scaled = eigenvalues / max(float(eigenvalues[-1]), 1e-12)
    gaps = np.diff(scaled[: max_count + 1])
    return int(np.argmax(gaps)) + 1, float(gaps.max())


def spectral_clusters(
    points: np.ndarray, max_count: int = 10, min_share: float = 0.05, max_share: float = 0.1, steps: int = 10
) -> SpectralResult:
    """The speaker count and labels of ``points`` (n, dim); ``p`` tried from ``min_share`` to ``max_share`` of n.

    ``max_share`` stays below the share of the quietest speaker worth finding: a point linked to more
    neighbours than its speaker has windows must link across speakers, and similar voices merge.
    """
    unit = unit_rows(points)
    n = len(unit)
    if n < 4:
        return SpectralResult(1, np.zeros(n, dtype=np.int64), 0, False)
    max_count = max(1, min(max_count, n - 2))
    similarity = unit @ unit.T
    np.fill_diagonal(similarity, -np.inf)
    order = np.argsort(-similarity, axis=1, kind="stable")
    low = max(2, round(min_share * n))
    high = max(low, round(max_share * n))
    tried = [int(p) for p in np.unique(np.linspace(low, high, steps).round())]
    counts, scores = [], []
    for p in tried:
        count, gap = _eigengap(np.linalg.eigvalsh(_laplacian(order, p)), max_count)
        counts.append(count)
        scores.append(p / max(gap, 1e-12))  # a clear gap with few neighbours: the recording's own scale
    best = int(np.argmin(scores))
    count, p = counts[best], tried[best]
    stable = _run_length(counts, best) >= 3
    if count == 1:
        return SpectralResult(1, np.zeros(n, dtype=np.int64), p, stable)
    _, vectors = np.linalg.eigh(_laplacian(order, p))
    return SpectralResult(count, kmeans(unit_rows(vectors[:, :count]), count), p, stable)


def _run_length(values: list[int], index: int) -> int:
    """How many consecutive entries around ``index`` equal ``values[index]``."""
    first = last = index
    while first > 0 and values[first - 1] == values[index]:
        first -= 1
    while last + 1 < len(values) and values[last + 1] == values[index]:
        last += 1
    return last - first + 1


def kmeans(points: np.ndarray, k: int, restarts: int = 8, iterations: int = 100, seed: int = 0) -> np.ndarray:
    """Labels 0..k-1 of the best of ``restarts`` k-means++ runs (fixed seed: the same input, the same labels)."""
    rng = np.random.default_rng(seed)
    n = len(points)
    best: tuple[float, np.ndarray] | None = None
    for _ in range(restarts):
        centres = points[[int(rng.integers(n))]]
        for _ in range(1, k):
            nearest = ((points[:, None, :] - centres[None]) ** 2).sum(axis=-1).min(axis=1)
            total = float(nearest.sum())
            pick = int(rng.choice(n, p=nearest / total)) if total > 0 else int(rng.integers(n))
            centres = np.vstack([centres, points[pick]])
        labels = np.zeros(n, dtype=np.int64)
        for _ in range(iterations):
            labels = ((points[:, None, :] - centres[None]) ** 2).sum(axis=-1).argmin(axis=1)
            moved = np.array(
                [points[labels == j].mean(axis=0) if np.any(labels == j) else centres[j] for j in range(k)]
            )
            if np.allclose(moved, centres):
                break
            centres = moved
        inertia = float(((points - centres[labels]) ** 2).sum())
        if best is None or inertia < best[0]:
            best = (inertia, labels)
    assert best is not None
    return best[1]
