"""Which stretches of talk are the same person: clustering CAM++ voices across chunks.

The embeddings of all pieces (a stretch of up to 3 s of one local speaker in one chunk) are
grouped by average-linkage clustering on cosine distance (``clustering.average_linkage``), as
pyannote.audio's agglomerative step does. The count is

* given (``--speakers 3``): the tree is cut at that many clusters;
* automatic: the tree is cut at ``threshold``; a cluster that holds only a few seconds of talk is
  kept only when its voice is really distinct (further than ``distinct_threshold`` from every
  larger one); the count is never below the most people the segmentation model told apart in one
  chunk (``at_least``); a range (``2-5``) clamps the result.

Every embedded piece then takes the nearest speaker (centroid); pieces without an embedding get
theirs from the neighbouring chunk (``reconstruction.inherit_labels``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop_app.pipeline.speakers.voices.clustering import average_linkage, cut_tree
from desktop_app.pipeline.speakers.voices.spectral import centroids_of, unit_rows

UNASSIGNED = -1


@dataclass(frozen=True)
class VoiceClusteringOptions:
    num_speakers: int | None = None
    min_speakers: int = 1
    max_speakers: int | None = None
    threshold: float = 0.55  # cosine distance at which the average-linkage tree is cut
    distinct_threshold: float = 0.8  # a voice heard only briefly is kept alone beyond this distance
    min_speaker_seconds: float = 2.0  # "heard only briefly": less talk than this in the whole recording
    max_points: int = 2000  # points in the tree (evenly spaced); the rest are only assigned


def _cut_at(merges: np.ndarray, n: int, threshold: float) -> np.ndarray:
    k = n - int(np.searchsorted(merges[:, 2], threshold, side="right"))
    return cut_tree(merges, n, max(1, k))


def _join_brief(
    points: np.ndarray, labels: np.ndarray, seconds: np.ndarray, options: VoiceClusteringOptions
) -> list[int]:
    """Clusters kept: those heard long enough, and brief ones whose voice is far from all the kept."""
    clusters = [int(c) for c in np.unique(labels)]
    talk = {c: float(seconds[labels == c].sum()) for c in clusters}
    long = [c for c in clusters if talk[c] >= options.min_speaker_seconds] or [max(clusters, key=lambda c: talk[c])]
    kept = list(long)
    centroids = centroids_of(points, labels, long)
    for c in sorted(set(clusters) - set(long), key=lambda c: -talk[c]):
        centroid = centroids_of(points, labels, [c])[0]
        if float(1.0 - (centroids @ centroid).max()) > options.distinct_threshold:
            kept.append(c)
    return kept


def _centroids(points: np.ndarray, seconds: np.ndarray, options: VoiceClusteringOptions, at_least: int) -> np.ndarray:
    """Unit centroids (k, dim) of the speakers of ``points``, per the options' count or range."""
    n = len(points)
    if n == 1:
        return unit_rows(points)
    merges = average_linkage(points)
    if options.num_speakers is not None:
        count = min(options.num_speakers, n)
        return _largest(points, merges, seconds, count)
    labels = _cut_at(merges, n, options.threshold)
    kept = _join_brief(points, labels, seconds, options)
    high = options.max_speakers if options.max_speakers is not None else n
    low = max(1, options.min_speakers, min(at_least, high))
    if not low <= len(kept) <= high:
        count = min(max(len(kept), low), high, n)
        return _largest(points, merges, seconds, count)
    return centroids_of(points, labels, kept)


def _largest(points: np.ndarray, merges: np.ndarray, seconds: np.ndarray, count: int) -> np.ndarray:
    """Centroids of ``count`` speakers: the tree cut into that many clusters."""
    labels = cut_tree(merges, len(points), count)
    return centroids_of(points, labels, [int(c) for c in np.unique(labels)])


def cluster_voices(
    embeddings: np.ndarray, seconds: np.ndarray, options: VoiceClusteringOptions | None = None, at_least: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Speaker per embedded piece (``UNASSIGNED`` for the others) and the (k, dim) speaker centroids.

    ``embeddings`` (pieces, dim), NaN rows where a piece was not embedded (too short, or its time
    is embedded by the neighbouring chunk: ``reconstruction.inherit_labels`` labels those);
    ``seconds`` (pieces,): talk in each. An embedded piece takes the nearest centroid. ``at_least``:
    the most people the segmentation model heard talk at length in one chunk; an automatic count
    is never below it (two voices the model told apart in one chunk are two people, however alike
    their embeddings), unless the user's range says otherwise.
    """
    options = options or VoiceClusteringOptions()
    valid = ~np.isnan(embeddings).any(axis=-1)
    labels = np.full(len(embeddings), UNASSIGNED, dtype=np.int64)
    if not valid.any():
        return labels, np.zeros((0, embeddings.shape[-1]))
    points = unit_rows(embeddings[valid])
    talk = seconds[valid]
    sample = np.unique(np.linspace(0, len(points) - 1, min(len(points), options.max_points)).round().astype(np.int64))
    weight = talk * (len(points) / len(sample))  # sampled points stand for the rest
    centroids = _centroids(points[sample], weight[sample], options, at_least)
    labels[valid] = (points @ centroids.T).argmax(axis=1)
    return labels, centroids
