"""Checks of the exercises of section 1.1.3, semi-supervised learning: cluster-then-label with another budget.

The check rebuilds the notebook's pool of images from the notebook's seed (the split is its first draw) and,
from the student's own clustering, computes with :mod:`lessons_lib.clustering` which images should be
labelled and what every image of the pool should then be called. It does not rerun k-means, whose result
depends on the state of the notebook's generator.
"""

from __future__ import annotations

import functools

import numpy as np

from ..clustering import KMeansResult, label_clusters, representatives
from ..datasets import load_digits
from ..views.chapter1_supervision import split_indices
from ._core import InvalidAnswer, correct, exercise, expect_array, expect_instance, wrong

__all__ = ["cluster_then_label"]

SEED = 1_1_3  # the notebook's generator: rng = np.random.default_rng(1_1_3)
NOTEBOOK_BUDGET = 50
BUDGETS = (20, 100)  # the exercise's budgets


@functools.lru_cache(maxsize=1)
def _pool() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The notebook's pool (images and hidden labels) and the pool's indices into the whole digit set."""
    X, y = load_digits()
    X = X / 16
    pool, _ = split_indices(len(X), test_fraction=0.25, rng=np.random.default_rng(SEED))
    return X[pool], y[pool], pool


def _indices(value, name: str) -> np.ndarray:
    arr = expect_array(value, name, example="an array of indices into X_pool")
    if arr.ndim != 1:
        raise InvalidAnswer(f"{name} should be a one-dimensional array of indices into X_pool; got shape {arr.shape}.")
    return arr


@exercise(1)
def cluster_then_label(clusters_20, reps_20, labels_20):
    """Exercise 1 of 1.1.3: cluster-then-label with a budget of 20 labels (or 100): ``clusters_20``, the
    k-means clustering of the pool ``X_pool``; ``reps_20``, the indices of its representatives in the pool;
    ``labels_20``, the propagated label of every image of the pool."""
    X_pool, y_pool, pool = _pool()
    n = len(X_pool)
    expect_instance(clusters_20, KMeansResult, "clusters_20", "the result of kmeans(X_pool, 20, rng=rng)")
    centers, labels = np.asarray(clusters_20.centers), np.asarray(clusters_20.labels)
    if labels.shape != (n,) or centers.ndim != 2 or centers.shape[1] != X_pool.shape[1]:
        return wrong(f"clusters_20 is a clustering of {labels.size} points with {centers.shape[-1]} features; "
                     f"cluster the pool, X_pool: {n} images of 64 pixels.")
    k = len(centers)
    members = [j for j in range(k) if np.any(labels == j)]
    if not np.allclose(centers[members], [X_pool[labels == j].mean(axis=0) for j in members], atol=1e-6):
        return wrong("the centres of clusters_20 are not the means of their images of X_pool. Is it a clustering "
                     "of other data? (If you ran the cell that splits the digits again, X_pool has changed: run "
                     "the notebook from the top.)")
    if k == NOTEBOOK_BUDGET:
        return wrong("clusters_20 has 50 clusters, the notebook's budget. With 20 labels to spend, cluster the "
                     "pool into 20: one label per cluster.")
    if k not in BUDGETS:
        return wrong(f"clusters_20 has {k} clusters. The exercise spends 20 labels (and then 100): one cluster "
                     "per paid label, kmeans(X_pool, 20, rng=rng).")
    budget = k

    ref_reps = representatives(X_pool, clusters_20)
    reps = expect_array(reps_20, "reps_20", example="representatives(X_pool, clusters_20)")
    if reps.ndim == 2 and reps.shape == centers.shape:
        return wrong("reps_20 holds the centres themselves. A centre is an average of images, not an image "
                     "anyone can be asked to label: take, in each cluster, the image nearest its centre "
                     "(representatives(X_pool, clusters_20) gives their indices).")
    reps = _indices(reps, "reps_20")
    if reps.size != budget:
        return wrong(f"reps_20 holds {reps.size} images, but each of the {budget} clusters needs its own "
                     "representative: one paid label per cluster.")
    if np.any(reps != np.round(reps)) or reps.min() < 0:
        raise InvalidAnswer("reps_20 should hold whole indices into X_pool, 0 or more.")
    reps = reps.astype(int)
    # The image nearest each centre among all images (not only the cluster's own) is an answer as good.
    d = (X_pool**2).sum(1)[:, None] - 2 * X_pool @ centers.T + (centers**2).sum(1)[None, :]
    if set(reps.tolist()) not in (set(ref_reps.tolist()), set(d.argmin(axis=0).tolist())):
        if set(reps.tolist()) == set(pool[ref_reps].tolist()):
            return wrong("reps_20 holds the representatives' indices into the whole digit set, X_digits. The "
                         "clustering numbers the images of X_pool: give their indices into X_pool.")
        if reps.max() >= n:
            raise InvalidAnswer(f"reps_20 should hold indices into X_pool, below {n}; got {reps.max()}.")
        return wrong("reps_20 are not the images nearest the centres. Spend each label on a typical image of its "
                     "cluster, the one closest to its centre: representatives(X_pool, clusters_20).")

    ref_labels = label_clusters(labels, ref_reps, y_pool[ref_reps], budget)
    given = expect_array(labels_20, "labels_20", example="one label per image of X_pool")
    if given.shape == (budget,):
        return wrong(f"labels_20 holds {budget} labels, those of the representatives. Propagate them: every "
                     f"image of the pool gets the label of its cluster's representative, {n} labels in all "
                     "(label_clusters does it).")
    if given.shape != (n,):
        raise InvalidAnswer(f"labels_20 should hold one label per image of X_pool, shape ({n},); got shape "
                            f"{given.shape}.")
    if np.array_equal(given, y_pool) and not np.array_equal(ref_labels, y_pool):
        return wrong("labels_20 are the hidden labels of every image, which nobody paid for. Only the "
                     f"{budget} representatives get a human's label; every other image borrows the label of its "
                     "cluster's representative.")
    if not np.array_equal(given, ref_labels):
        return wrong("labels_20 does not give each image the label of its own cluster's representative. "
                     "clusters_20.labels says which cluster each image is in: "
                     "label_clusters(clusters_20.labels, reps_20, y_pool_hidden[reps_20], 20).")
    right = float(np.mean(ref_labels == y_pool))
    missing = [str(d) for d in range(10) if not np.any(y_pool[ref_reps] == d)]
    message = (f"your {budget} paid labels give the {n} images of the pool labels of which "
               f"{100 * right:.0f} % are right (compare with the 50 of the notebook, above).")
    if missing:
        message += (f" No representative shows the digit{'s' if len(missing) > 1 else ''} {', '.join(missing)}: "
                    "every image of it got a wrong label (exercise 2).")
    return correct(message + " Now train a classifier on them and compare it with one trained on "
                             f"{budget} random images.")
