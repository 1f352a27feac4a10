"""Section 1.1.2 (unsupervised learning) and 1.1.3 (semi-supervised learning): k-means, and labelling
clusters from a handful of labelled examples.

k-means alternates two steps until nothing changes: give each point to its nearest centre, then move each
centre to the mean of its points. Each step can only lower the *inertia* (the sum of squared distances from
points to their centres), so the loop ends -- but possibly in a poor local minimum, which is why it is run
from several random starts and the best run is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_positive_int, check_rng


@dataclass(frozen=True)
class KMeansResult:
    centers: np.ndarray          # (k, features)
    labels: np.ndarray           # (n,) index of each point's centre
    inertia: float               # sum of squared distances to the assigned centres
    inertia_history: np.ndarray  # inertia after each iteration of the best run
    n_iter: int


def _squared_distances(X: np.ndarray, centers: np.ndarray) -> np.ndarray:
    # |x - c|^2 = |x|^2 - 2 x.c + |c|^2, clipped at 0 against rounding.
    d = (X * X).sum(1)[:, None] - 2 * X @ centers.T + (centers * centers).sum(1)[None, :]
    return np.maximum(d, 0.0)


def _kmeans_plus_plus(X: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Spread the first centres out: each new one is drawn with probability ∝ squared distance."""
    centers = [X[rng.integers(len(X))]]
    d = _squared_distances(X, centers[0][None, :])[:, 0]   # squared distance to the nearest centre so far
    for _ in range(1, k):
        total = d.sum()
        p = d / total if total > 0 else np.full(len(X), 1 / len(X))
        centers.append(X[rng.choice(len(X), p=p)])
        d = np.minimum(d, _squared_distances(X, centers[-1][None, :])[:, 0])
    return np.array(centers)


def lloyd(X: np.ndarray, centers: np.ndarray, max_iter: int, on_step=None) -> tuple[np.ndarray, list, bool]:
    """Lloyd's iterations from ``centers``, which are moved in place: assign each point to its nearest centre,
    move each centre to the mean of its points, until an assignment repeats (or ``max_iter`` assignments).

    Returns the labels, the inertia after each assignment and whether the assignment converged.
    ``on_step(centers, labels, inertia)``, if given, sees every half-step: each assignment, then each move
    (the explorer of section 1.1.2 records them).
    """
    history, labels = [], None
    for _ in range(max_iter):
        d = _squared_distances(X, centers)
        new_labels = d.argmin(1)
        history.append(float(d[np.arange(len(X)), new_labels].sum()))
        if on_step is not None:
            on_step(centers, new_labels, history[-1])
        if labels is not None and np.array_equal(new_labels, labels):
            return labels, history, True
        labels = new_labels
        for j in range(len(centers)):
            members = X[labels == j]
            # An empty cluster keeps its centre rather than becoming NaN.
            if len(members):
                centers[j] = members.mean(0)
        if on_step is not None:
            on_step(centers, labels, float(((X - centers[labels]) ** 2).sum()))
    return labels, history, False


def kmeans(X, k: int, rng=0, n_init: int = 5, max_iter: int = 100) -> KMeansResult:
    """Cluster the rows of ``X`` into ``k`` groups (k-means++ starts, best of ``n_init`` runs)."""
    X = as_float_array(X, "X", ndim=2)
    k = check_positive_int(k, "k")
    if k > len(X):
        raise ValueError(f"k must be at most the number of points ({len(X)}), got {k}")
    n_init = check_positive_int(n_init, "n_init")
    max_iter = check_positive_int(max_iter, "max_iter")
    rng = check_rng(rng)
    best = None
    for _ in range(n_init):
        centers = _kmeans_plus_plus(X, k, rng)
        labels, history, _ = lloyd(X, centers, max_iter)
        run = KMeansResult(centers.copy(), labels, history[-1], np.array(history), len(history))
        if best is None or run.inertia < best.inertia:
            best = run
    return best


def label_clusters(cluster_labels, labelled_index, known_labels, n_clusters: int) -> np.ndarray:
    """Semi-supervised labelling: every point gets the majority label of the labelled points in its cluster.

    Parameters
    ----------
    cluster_labels : (n,) int
        Cluster of each point (from :func:`kmeans`).
    labelled_index, known_labels : (m,) int
        Which points have a label, and their labels.

    Returns
    -------
    (n,) int
        A label for every point; -1 for points of clusters with no labelled member.
    """
    cluster_labels = np.asarray(cluster_labels)
    labelled_index = np.asarray(labelled_index)
    known_labels = np.asarray(known_labels)
    if labelled_index.shape != known_labels.shape:
        raise ValueError("labelled_index and known_labels must have the same length, got "
                         f"{labelled_index.shape} and {known_labels.shape}")
    cluster_to_label = np.full(n_clusters, -1)
    for c in range(n_clusters):
        votes = known_labels[cluster_labels[labelled_index] == c]
        if len(votes):
            values, counts = np.unique(votes, return_counts=True)
            cluster_to_label[c] = values[counts.argmax()]
    return cluster_to_label[cluster_labels]


def representatives(X, result: KMeansResult) -> np.ndarray:
    """Index of each cluster's member closest to its centre: the examples worth paying a human to label.

    The representative is searched among the cluster's own members: the point nearest to a centre can belong
    to a neighbouring cluster (it is nearer still to that cluster's centre), and its label would then leave
    its own cluster without one. A cluster without members (k-means keeps the centre of a cluster that
    lost all its points) gets the point nearest to its centre.

    Parameters
    ----------
    X : (n, features) array
        The points that were clustered.
    result : KMeansResult
        The clustering of ``X`` (from :func:`kmeans`).

    Returns
    -------
    (k,) int
        One index into ``X`` per cluster.
    """
    X = as_float_array(X, "X", ndim=2)
    labels = np.asarray(result.labels)
    if labels.shape != (len(X),):
        raise ValueError(f"X must be the clustered points: result has {labels.size} labels, X has {len(X)} rows")
    d = _squared_distances(X, result.centers)
    own = np.where(labels[:, None] == np.arange(len(result.centers))[None, :], d, np.inf)
    empty = ~np.isfinite(own).any(axis=0)
    return np.where(empty, d.argmin(0), own.argmin(0))
