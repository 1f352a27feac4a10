"""The checks of the exercises of 1.1.2: k-means on the moons (the share in every written form; cluster numbers
taken for moon numbers, a wrong k, the wrong data) and on the digits with twenty clusters."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.checks import section_1_1_2 as check
from lessons_lib.clustering import kmeans
from lessons_lib.datasets import load_digits, make_blobs, make_moons

X_MOONS, Y_MOONS = make_moons(300, np.random.default_rng(0))
MOONS = kmeans(X_MOONS, 2, rng=1)
TOGETHER = float(np.mean(MOONS.labels == Y_MOONS))
SHARE = max(TOGETHER, 1 - TOGETHER)
X_DIGITS, Y_DIGITS = load_digits()
X_DIGITS = X_DIGITS / 16


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


# ---- exercise 1: k-means on the moons ----------------------------------------------------------------------


def test_kmeans_does_not_find_the_moons():
    assert 0.7 < SHARE < 0.8


@pytest.mark.parametrize("clusters, share", [
    (MOONS, SHARE),
    (MOONS, round(SHARE, 2)),                       # rounded
    (MOONS, round(100 * SHARE, 1)),                 # a percentage
    (MOONS, round(300 * SHARE)),                    # a count of points
    (MOONS.labels, SHARE),                          # the labels instead of the result
    (1 - MOONS.labels, SHARE),                      # the same clusters under the other names
])
def test_kmeans_on_moons_accepts_every_form(clusters, share):
    _kind_and_message(check.kmeans_on_moons.evaluate(X_MOONS, Y_MOONS, clusters, share), "correct",
                      f"{100 * SHARE:.0f} % of the points", "what shape is the border")


X_BLOBS, Y_BLOBS = make_blobs(300, np.random.default_rng(0), separation=6.0)


@pytest.mark.parametrize("data, clusters, share, fragments", [
    ((X_MOONS, Y_MOONS), MOONS, 1 - SHARE, ["arbitrary names", "whatever its number"]),       # cluster = moon?
    ((X_MOONS, Y_MOONS), kmeans(X_MOONS, 3, rng=0), SHARE, ["moons has 3 clusters", "Ask k-means for two"]),
    ((X_MOONS, Y_MOONS), kmeans(X_MOONS[::-1], 2, rng=0), SHARE, ["not the means of its clusters of X_moons"]),
    ((X_BLOBS, Y_BLOBS), kmeans(X_BLOBS, 2, rng=0), 1.0, ["exactly the two groups", "are these the moons?"]),
    ((X_MOONS, Y_MOONS), MOONS, 0.5, ["is not the share", "add up the larger count of each cluster"]),
])
def test_kmeans_on_moons_names_the_typical_mistakes(data, clusters, share, fragments):
    _kind_and_message(check.kmeans_on_moons.evaluate(*data, clusters, share), "wrong", "Not yet: ", *fragments)


def test_kmeans_on_moons_unanswered_and_invalid():
    _kind_and_message(check.kmeans_on_moons.evaluate(..., ..., ..., ...), "unanswered", "Exercise 1 is not answered")
    _kind_and_message(check.kmeans_on_moons.evaluate(X_MOONS, Y_MOONS, MOONS, ...), "unanswered", "(in share)")
    _kind_and_message(check.kmeans_on_moons.evaluate(X_MOONS.T, Y_MOONS, MOONS, SHARE), "invalid",
                      "two coordinates each")
    _kind_and_message(check.kmeans_on_moons.evaluate(X_MOONS, Y_MOONS + 1, MOONS, SHARE), "invalid", "0 or 1")
    _kind_and_message(check.kmeans_on_moons.evaluate(X_MOONS, Y_MOONS, MOONS.labels[:10], SHARE), "invalid",
                      "moons should cluster the 300 points")
    _kind_and_message(check.kmeans_on_moons.evaluate(X_MOONS, Y_MOONS, MOONS, "75 %"), "invalid",
                      "share should be a number")
    _kind_and_message(check.kmeans_on_moons.evaluate(X_MOONS, Y_MOONS, MOONS, 450), "invalid",
                      "a fraction like 0.6, a percentage like 60, or a count")


# ---- exercise 2: twenty clusters of the digits -------------------------------------------------------------


@pytest.fixture(scope="module")
def digits_20():
    return kmeans(X_DIGITS, 20, rng=0, n_init=1)


def test_twenty_clusters_accepts_the_result_or_its_centres(digits_20):
    for answer in (digits_20, digits_20.centers, digits_20.centers.tolist()):
        _kind_and_message(check.twenty_clusters.evaluate(answer), "correct", "each dominate two clusters or more",
                          "compare two centres of the same digit")
    _kind_and_message(check.twenty_clusters.evaluate(digits_20.centers * 16), "correct", "raw pixel scale")


@pytest.mark.parametrize("make, fragments", [
    (lambda: kmeans(X_DIGITS, 10, rng=0, n_init=1), ["the ten clusters of the notebook", "twenty"]),
    (lambda: kmeans(X_DIGITS, 15, rng=0, n_init=1), ["digits_20 has 15 clusters"]),
    (lambda: kmeans(X_DIGITS.T, 20, rng=0, n_init=1), ["you clustered the pixels, not the images"]),
    (lambda: X_DIGITS[:20], ["not the means of their images", "images picked from X_digits"]),
    (lambda: kmeans(X_BLOBS, 20, rng=0, n_init=1), ["2 coordinates, not the 64 pixels"]),
])
def test_twenty_clusters_names_the_typical_mistakes(make, fragments):
    _kind_and_message(check.twenty_clusters.evaluate(make()), "wrong", "Not yet: ", *fragments)


def test_twenty_clusters_unanswered_and_invalid():
    _kind_and_message(check.twenty_clusters.evaluate(...), "unanswered", "Exercise 2 is not answered yet")
    _kind_and_message(check.twenty_clusters.evaluate("kmeans"), "invalid", "digits_20 should be an array")
    _kind_and_message(check.twenty_clusters.evaluate(np.zeros(64)), "invalid", "the result of kmeans")
    _kind_and_message(check.twenty_clusters.evaluate(np.full((20, 64), np.nan)), "invalid", "NaN")


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = " ".join(exercise_text(notebook_for("section_1_1_2")).split())
    written = {
        "moons_data": "make_moons(300, rng)",
        "moons": "kmeans(X_moons, 2, rng=rng)",
        "share": "max(np.mean(moons.labels == y_moons), np.mean(moons.labels != y_moons))",
        "digits_20": "kmeans(X_digits, 20, rng=rng)",
    }
    for code in written.values():
        assert code in text, f"the solutions no longer write {code!r}: update this test and the check"
    namespace = {"np": np, "make_moons": make_moons, "kmeans": kmeans, "X_digits": X_DIGITS,
                 "rng": np.random.default_rng(1_1_2)}
    namespace["X_moons"], namespace["y_moons"] = eval(written["moons_data"], namespace)
    namespace["moons"] = eval(written["moons"], namespace)
    share = eval(written["share"], namespace)
    assert check.kmeans_on_moons.evaluate(namespace["X_moons"], namespace["y_moons"], namespace["moons"], share).passed
    assert check.twenty_clusters.evaluate(eval(written["digits_20"], namespace)).passed
