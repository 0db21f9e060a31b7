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


def _centroids(
    points: np.ndarray, seconds: np.ndarray, options: VoiceClusteringOptions, at_least: int, apart: np.ndarray
) -> np.ndarray:
    """Unit centroids (k, dim) of the speakers of ``points``, per the options' count or range."""
    n = len(points)
    if n == 1:
        return unit_rows(points)
    merges = average_linkage(points)
    if options.num_speakers is not None:
        return _cut_into(points, merges, seconds, min(options.num_speakers, n), apart)
    labels = _cut_at(merges, n, options.threshold)
    kept = _join_brief(points, labels, seconds, options)
    high = options.max_speakers if options.max_speakers is not None else n
    low = max(1, options.min_speakers, min(at_least, high))
    if not low <= len(kept) <= high:
        return _cut_into(points, merges, seconds, min(max(len(kept), low), high, n), apart)
    return centroids_of(points, labels, kept)


def _cut_into(points: np.ndarray, merges: np.ndarray, seconds: np.ndarray, count: int, apart: np.ndarray) -> np.ndarray:
    """Centroids of ``count`` speakers, when the count is given or forced.

    The tree cut into ``count`` clusters can spend a speaker on a stray piece (two voices blended,
    a cough) that is far from everything. So cuts into ``count`` up to ``count + _SPARE`` clusters
    are tried, each keeping its ``count`` most talkative clusters (every piece then goes to the
    nearest); the one that most often keeps apart the pieces the segmentation model heard as two
    people in one chunk (``apart``, (pairs, 2) indices into ``points``) wins, the fewest clusters
    on a tie. A brief voice the model heard beside another stays a speaker; a stray does not.
    """
    n = len(points)
    best, fewest = None, None
    for clusters in range(count, min(n, count + _SPARE) + 1):
        labels = cut_tree(merges, n, clusters)
        talk = np.bincount(labels, weights=seconds)
        kept = [int(c) for c in np.argsort(-talk, kind="stable")[:count]]
        centroids = centroids_of(points, labels, kept)
        nearest = (points @ centroids.T).argmax(axis=1)
        together = int((nearest[apart[:, 0]] == nearest[apart[:, 1]]).sum()) if len(apart) else 0
        if fewest is None or together < fewest:
            best, fewest = centroids, together
        if not together:
            break
    assert best is not None
    return best


_SPARE = 3  # clusters beyond the count a given or forced cut may make, to leave strays out


def cluster_voices(
    embeddings: np.ndarray,
    seconds: np.ndarray,
    options: VoiceClusteringOptions | None = None,
    at_least: int = 1,
    apart: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Speaker per embedded piece (``UNASSIGNED`` for the others) and the (k, dim) speaker centroids.

    ``embeddings`` (pieces, dim), NaN rows where a piece was not embedded (too short, or its time
    is embedded by the neighbouring chunk: ``reconstruction.inherit_labels`` labels those);
    ``seconds`` (pieces,): talk in each. An embedded piece takes the nearest centroid. ``at_least``:
    the most people the segmentation model heard talk at length in one chunk; an automatic count
    is never below it (two voices the model told apart in one chunk are two people, however alike
    their embeddings), unless the user's range says otherwise. ``apart`` ((pairs, 2) piece indices):
    pieces the segmentation model heard as two people in one chunk, which a given or forced count
    keeps in different speakers where it can.
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
    position = np.full(len(embeddings), -1)
    position[np.flatnonzero(valid)[sample]] = np.arange(len(sample))
    pairs = position[apart] if apart is not None and len(apart) else np.zeros((0, 2), dtype=np.int64)
    pairs = pairs[(pairs >= 0).all(axis=1)]
    centroids = _centroids(points[sample], weight[sample], options, at_least, pairs)
    labels[valid] = (points @ centroids.T).argmax(axis=1)
    return labels, centroids
