"""Checks of the exercises of section 1.1.2, unsupervised learning: k-means on the two moons, and on the
digits with twenty clusters.

The student's clusterings come from the notebook's generator, whose state depends on what ran before, so
the checks do not rerun k-means: they check that what they are given is a k-means clustering of the right
data (every centre the mean of its points) and compute from it, with the hidden labels, what the student
should have found.
"""

from __future__ import annotations

import functools

import numpy as np

from ..clustering import KMeansResult
from ..datasets import load_digits
from ._core import InvalidAnswer, correct, describe, exercise, expect_array, expect_number, fmt, wrong

__all__ = ["kmeans_on_moons", "twenty_clusters"]

_RESULT = "the result of kmeans(...)"


def _labels_and_centers(clusters, n: int, name: str) -> tuple[np.ndarray, np.ndarray | None]:
    """The cluster of each of ``n`` points, and the centres if given (a KMeansResult or its labels)."""
    if isinstance(clusters, KMeansResult):
        labels, centers = np.asarray(clusters.labels), np.asarray(clusters.centers, dtype=float)
    else:
        labels = expect_array(clusters, name, example=f"{_RESULT} (or its labels)")
        centers = None
    if labels.shape != (n,) or not np.all(labels == np.round(labels)) or labels.min() < 0:
        raise InvalidAnswer(f"{name} should cluster the {n} points you give with it, one cluster index per point; "
                            f"got {describe(labels)}.")
    return labels.astype(int), centers


def _centers_are_means(X: np.ndarray, labels: np.ndarray, centers: np.ndarray) -> bool:
    members = [j for j in range(len(centers)) if np.any(labels == j)]
    means = np.array([X[labels == j].mean(axis=0) for j in members])
    return bool(np.allclose(centers[members], means, atol=1e-6))


def _share(value, n: int, name: str) -> float:
    """A share of ``n`` points written as a fraction, a percentage or a count (above 100), as a fraction."""
    share = expect_number(value, name)
    if 0 <= share <= 1:
        return share
    if 1 < share <= 100:
        return share / 100
    if share == round(share) and share <= n:
        return share / n
    raise InvalidAnswer(f"{name} should be a share of the {n} points: a fraction like 0.6, a percentage like 60, "
                        f"or a count of points; got {value!r}.")


@exercise(1)
def kmeans_on_moons(X_moons, y_moons, moons, share):
    """Exercise 1 of 1.1.2: the points ``X_moons`` and moons ``y_moons`` of ``make_moons(300, rng)``, the
    k-means clustering ``moons`` of the points into two clusters, and ``share``, the share of the points that
    land in the cluster of their moon."""
    X = expect_array(X_moons, "X_moons", example="the points of make_moons(300, rng)")
    if X.ndim != 2 or X.shape[1] != 2:
        raise InvalidAnswer(f"X_moons should hold one point per row, two coordinates each; got shape {X.shape}.")
    y = expect_array(y_moons, "y_moons", shape=(len(X),), example="the moon of each point, 0 or 1")
    if not np.all((y == 0) | (y == 1)):
        raise InvalidAnswer("y_moons should hold the moon of each point, 0 or 1.")
    labels, centers = _labels_and_centers(moons, len(X), "moons")
    k = len(centers) if centers is not None else int(labels.max()) + 1
    if k != 2:
        return wrong(f"moons has {k} clusters. Ask k-means for two, one per moon: kmeans(X_moons, 2, rng=rng).")
    if centers is not None and (centers.shape != (2, 2) or not _centers_are_means(X, labels, centers)):
        return wrong("the centres of moons are not the means of its clusters of X_moons: is it a clustering of "
                     "other points? Cluster the moons themselves: kmeans(X_moons, 2, rng=rng).")
    together = float(np.mean(labels == y))
    ref = max(together, 1 - together)
    if ref == 1:
        return wrong("your two clusters are exactly the two groups of y_moons: are these the moons? The blobs "
                     "above split perfectly; the moons, from make_moons(300, rng), do not.")
    share = _share(share, len(X), "share")
    if np.isclose(share, ref, atol=0.005):
        return correct(f"k-means puts {100 * ref:.0f} % of the points in the cluster of their moon. Draw it "
                       "with draw_clustering(X_moons, moons): what shape is the border between the two "
                       "clusters, and what shape would it need to separate the moons?")
    if np.isclose(share, 1 - ref, atol=0.005):
        return wrong(f"{fmt(share, 3)} is the share whose cluster number equals its moon's number. But the "
                     "numbers k-means gives its clusters are arbitrary names: a cluster belongs to the moon "
                     "most of its points came from, whatever its number.")
    return wrong(f"{fmt(share, 3)} is not the share of the points in the cluster of their moon. Count, for each "
                 "cluster, its points of each moon (as the notebook does for the blobs), and add up the larger "
                 "count of each cluster.")


@functools.lru_cache(maxsize=1)
def _digits() -> tuple[np.ndarray, np.ndarray]:
    X, y = load_digits()
    return X / 16, y


def _nearest(X: np.ndarray, centers: np.ndarray) -> np.ndarray:
    d = (X * X).sum(1)[:, None] - 2 * X @ centers.T + (centers * centers).sum(1)[None, :]
    return d.argmin(axis=1)


@exercise(2)
def twenty_clusters(digits_20):
    """Exercise 2 of 1.1.2: ``digits_20``, the k-means clustering of the digit images ``X_digits`` into 20
    clusters (the result of ``kmeans``, or its centres)."""
    X, y = _digits()
    if isinstance(digits_20, KMeansResult):
        centers = np.asarray(digits_20.centers, dtype=float)
        labels = np.asarray(digits_20.labels)
    else:
        centers = expect_array(digits_20, "digits_20", example=f"{_RESULT}, or its centers")
        labels = None
    if centers.ndim != 2:
        raise InvalidAnswer(f"digits_20 should be {_RESULT}; got {describe(digits_20)}.")
    if centers.shape[1] == len(X):
        return wrong("each centre has one value per image: you clustered the pixels, not the images. kmeans "
                     "clusters the rows of its data, and X_digits has one row per image.")
    if centers.shape[1] != X.shape[1]:
        return wrong(f"each centre has {centers.shape[1]} coordinates, not the 64 pixels of a digit image: "
                     "cluster X_digits.")
    if len(centers) == 10:
        return wrong("digits_20 has the ten clusters of the notebook. Ask k-means for twenty: "
                     "kmeans(X_digits, 20, rng=rng).")
    if len(centers) != 20:
        return wrong(f"digits_20 has {len(centers)} clusters; the exercise asks for twenty.")
    scale = 16.0 if centers.max() > 1.5 else 1.0  # centres of the raw pixels, 0 to 16, are the same clustering
    data = X * scale
    if labels is None or labels.shape != (len(X),):
        labels = _nearest(data, centers)
    if not _centers_are_means(data, labels, centers):
        return wrong("these twenty centres are not the means of their images, as k-means leaves them: are they "
                     "images picked from X_digits, or a clustering of other data? Use the centers of "
                     "kmeans(X_digits, 20, rng=rng).")
    majority = np.array([np.bincount(y[labels == j], minlength=10).argmax() for j in range(20)
                         if np.any(labels == j)])
    counts = np.bincount(majority, minlength=10)
    several = [str(d) for d in range(10) if counts[d] >= 2]
    note = " (Your centres are on the raw pixel scale, 0 to 16; the notebook's X_digits is divided by 16.)" \
        if scale != 1 else ""
    if not several:
        return correct("twenty clusters of the digits." + note)
    digits = several[0] if len(several) == 1 else ", ".join(several[:-1]) + " and " + several[-1]
    return correct(f"in your twenty clusters, the digits {digits} each dominate two clusters or more. Draw the "
                   "centres with draw_digits and compare two centres of the same digit: what differs between "
                   "them?" + note)
