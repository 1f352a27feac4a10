"""Claims of section 1.1.2 checked over other seeds than the notebook's: k-means on blobs, moons and digits."""

import numpy as np

from lessons_lib.claims import claim, spread
from lessons_lib.clustering import kmeans
from lessons_lib.datasets import load_digits, make_blobs, make_moons
from lessons_lib.views.chapter1_supervision import inertia_curve


def test_kmeans_splits_the_two_blobs_perfectly():
    for seed in range(5):
        rng = np.random.default_rng(seed)
        X, hidden = make_blobs(300, rng, separation=6.0)
        labels = kmeans(X, 2, rng=rng).labels
        agree = max(np.mean(labels == hidden), np.mean(labels != hidden))
        claim(agree == 1, "The two groups are plain to see, and k-means finds them. [...] The split is perfect",
              "1.1.2, 'Finding groups in points'", evidence=f"seed {seed}: {agree:.3f} of the points")


def test_kmeans_puts_about_three_quarters_of_the_moons_right():
    agree = []
    for seed in range(8):
        rng = np.random.default_rng(seed)
        X, moon = make_moons(300, rng)
        labels = kmeans(X, 2, rng=rng).labels
        agree.append(max(np.mean(labels == moon), np.mean(labels != moon)))
    claim(0.7 < min(agree) and max(agree) < 0.8,
          "About three quarters of the points land in the cluster of their moon, no more",
          "1.1.2, solution of exercise 1", evidence=spread(agree))


def test_the_digits_have_no_elbow():
    X, _ = load_digits()
    X = X / 16
    for seed in range(2):
        inertia = inertia_curve(X, np.arange(1, 13), rng=seed)
        removed = 1 - inertia[1:] / inertia[:-1]
        claim(np.all(removed > 0) and removed.max() < 0.15,
              "For the digits there is no elbow at all", "1.1.2, 'How many clusters? The elbow'",
              evidence=f"seed {seed}: share of the inertia removed by each new centre {np.round(removed, 3)}")
