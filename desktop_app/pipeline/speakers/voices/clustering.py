"""Speakers from window embeddings: how many, and each speaker's centroid.

The count is exact, a range that clamps the automatic count, or automatic in three steps:

1. Average-linkage clustering cut at a cosine distance, clusters holding a small share of the
   windows folded away (mostly windows straddling a change or overlapping talk). This says whether
   there is more than one voice, and how many in a short recording. Where it sees one voice and the
   windows' times are known, two voices that take turns are still found (speaker_turn_taking).
2. With two voices or more and enough windows, the nearest-neighbour graph of the windows
   (speaker_spectral) counts them relative to the recording, so two similar voices in a focus
   group are told apart although they are closer than the distance threshold.
3. Once the windows are placed in time (diarization.label_speakers), ``monologue_merges`` joins
   all voices into one when nobody ever comes back: one person whose voice changed.

At most ``max_linkage_windows`` windows (evenly spaced) build the tree and ``spectral_max_windows``
the graph, so time and memory stay bounded for a 2-hour focus group; every window is then labelled
by its nearest speaker centroid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop_app.pipeline.speakers.turn_taking import turn_taking_pair
from desktop_app.pipeline.speakers.voices.spectral import centroids_of, spectral_clusters, unit_rows


@dataclass(frozen=True)
class ClusteringOptions:
    num_speakers: int | None = None  # exact count, overrides the range
    min_speakers: int = 1
    max_speakers: int | None = None
    distance_threshold: float = 0.275  # cosine distance at which the tree is cut
    fold_share: float = 0.15  # clusters under this share of windows are folded (automatic count)
    max_linkage_windows: int = 2000
    spectral_min_windows: int = 30  # with fewer windows the neighbour graph is too sparse to count on
    spectral_max_windows: int = 400  # evenly spaced windows that count the speakers (eigen decompositions)
    spectral_min_share: float = 0.04  # graph groups under this share of windows are not speakers
    max_auto_speakers: int = 10
    return_seconds: float = 1.5  # a voice comes back when it holds the floor again this long (one window)


@dataclass(frozen=True)
class Clustering:
    labels: np.ndarray  # (n,) speaker index per window, 0..k-1
    centroids: np.ndarray  # (k, dim) unit vectors
    margins: np.ndarray  # (n,) cosine similarity to own centroid minus the next best


def average_linkage(points: np.ndarray) -> np.ndarray:
    """Merge history (n - 1, 3): slot kept, slot merged into it, cosine distance (non-decreasing)."""
    n = len(points)
    unit = unit_rows(points)
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
            return centroids_of(points, labels, [int(c) for c in order[:count]])
    raise AssertionError("unreachable")


def _automatic(
    points: np.ndarray, merges: np.ndarray, options: ClusteringOptions, times: tuple[np.ndarray, np.ndarray] | None
) -> np.ndarray:
    """Centroids when the count is not given: more than one voice by distance or turns, how many by the graph."""
    n = len(points)
    k = n - int(np.searchsorted(merges[:, 2], options.distance_threshold, side="right"))
    labels = cut_tree(merges, n, k)
    shares = np.bincount(labels) / n
    by_size = [int(c) for c in np.argsort(-shares, kind="stable")]
    big = [c for c in by_size if shares[c] >= options.fold_share]
    if not big:  # many speakers with small shares each: keep those near the largest
        big = [c for c in by_size if shares[c] >= 0.5 * shares[by_size[0]]]
    low = max(1, options.min_speakers)
    high = options.max_speakers if options.max_speakers is not None else max(len(big), options.max_auto_speakers)
    if len(big) >= 2 and n >= options.spectral_min_windows:
        found = _spectral(points, options, min(high, options.max_auto_speakers))
        if found is not None and len(found) != len(big) and low <= len(found) <= high:
            return found  # the graph tells voices apart that the distance threshold merged (or split)
    if len(big) < 2 <= high and low <= 2 and times is not None:
        pair = turn_taking_pair(unit_rows(points), *times)
        if pair is not None:
            return pair  # one voice by distance, but two that take turns
    if options.max_speakers is None:
        high = len(big)
    if not low <= len(big) <= high:
        return _exact(points, merges, min(max(len(big), low), high))
    return centroids_of(points, labels, big)


def _spectral(points: np.ndarray, options: ClusteringOptions, max_count: int) -> np.ndarray | None:
    """Centroids of the groups the neighbour graph finds (None if it sees a single group)."""
    sample = np.unique(np.linspace(0, len(points) - 1, min(len(points), options.spectral_max_windows)).round())
    chosen = points[sample.astype(np.int64)]
    found = spectral_clusters(chosen, max_count=max_count)
    if found.count < 2 or not found.stable:
        return None
    sizes = np.bincount(found.labels, minlength=found.count)
    kept = [c for c in range(found.count) if sizes[c] >= options.spectral_min_share * len(chosen)]
    return centroids_of(chosen, found.labels, kept) if len(kept) >= 2 else None


def centroids_similarity(embeddings: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """(n, k) cosine similarity of each window to each speaker centroid."""
    return np.asarray(unit_rows(embeddings) @ centroids.T, dtype=np.float64)


def assign(embeddings: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest centroid per window (cosine) and the margin over the second nearest."""
    similarity = centroids_similarity(embeddings, centroids)
    labels = similarity.argmax(axis=1)
    if centroids.shape[0] == 1:
        return labels, np.ones(len(labels))
    top_two = -np.partition(-similarity, 1, axis=1)[:, :2]
    return labels, top_two[:, 0] - top_two[:, 1]


def cluster_speakers(
    embeddings: np.ndarray,
    options: ClusteringOptions | None = None,
    region_of: np.ndarray | None = None,
    seconds: np.ndarray | None = None,
) -> Clustering:
    """Group window embeddings (n, dim) into speakers; labels follow the first window of each speaker.

    With the windows' speech regions ``region_of`` (n,) and the ``seconds`` (n,) each stands for
    (windows in time order), two close voices that take turns are told apart too.
    """
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
        times = None
        if region_of is not None and seconds is not None:
            times = (region_of[sample], seconds[sample] * (n / len(sample)))  # sampled windows stand for the rest
        centroids = _automatic(points, merges, options, times)
    labels, _ = assign(embeddings, centroids)
    kept = [c for c in range(len(centroids)) if np.any(labels == c)]
    centroids = centroids_of(np.asarray(embeddings, dtype=np.float64), labels, kept)  # one refinement step
    labels, margins = assign(embeddings, centroids)
    _, first_seen = np.unique(labels, return_index=True)
    order = np.argsort(first_seen)
    relabel = np.empty(len(centroids), dtype=np.int64)
    relabel[np.unique(labels)[order]] = np.arange(len(order))
    return Clustering(relabel[labels], centroids[np.unique(labels)[order]], margins)


def monologue_merges(turns: list[tuple[float, float, int]], options: ClusteringOptions) -> dict[int, int]:
    """Speakers to merge (speaker -> the one it joins) in a recording where no speaker comes back.

    In a conversation people take turns and come back, and that is what tells two voices apart for
    sure: one person's voice can drift further (speaking slowly, quietly, on a bad line, with the
    crowd behind them) than two similar voices are apart. When nobody holds the floor a second time
    for at least ``return_seconds`` (a shorter stretch was judged from a single window), the
    recording is one person whose voice changed, far more often than people who each spoke once:
    every voice joins the one heard longest. A count or range from the user overrides this.
    ``turns`` are (start, end, speaker) in time order.
    """
    spans: list[list[float]] = []  # [start, end] of each stretch of one speaker, pauses inside included
    speakers: list[int] = []
    heard: dict[int, float] = {}
    for start, end, speaker in turns:
        if speakers and speakers[-1] == speaker:
            spans[-1][1] = end
        else:
            spans.append([start, end])
            speakers.append(int(speaker))
        heard[int(speaker)] = heard.get(int(speaker), 0.0) + end - start
    for i, ((start, end), speaker) in enumerate(zip(spans, speakers, strict=True)):
        if speaker in speakers[:i] and end - start >= options.return_seconds:
            return {}  # someone comes back: a conversation
    if len(heard) < 2:
        return {}
    main = max(heard, key=lambda speaker: heard[speaker])
    return {speaker: main for speaker in heard if speaker != main}
