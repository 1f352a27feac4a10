"""The check of the exercise of 1.1.3: cluster-then-label for 20 labels passes in every right form, and each
slip (the hidden labels, the centres as images, random images, indices into the wrong array, no propagation,
the notebook's budget) gets its own hint."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.checks import section_1_1_3 as check
from lessons_lib.clustering import kmeans, label_clusters, representatives
from lessons_lib.datasets import load_digits
from lessons_lib.views.chapter1_supervision import split_indices

# The notebook's pool: its first draw from its generator.
rng = np.random.default_rng(1_1_3)
X_digits, y_digits = load_digits()
X_digits = X_digits / 16
pool, _ = split_indices(len(X_digits), test_fraction=0.25, rng=rng)
X_pool, y_pool_hidden = X_digits[pool], y_digits[pool]

CLUSTERS = kmeans(X_pool, 20, rng=0, n_init=1)
REPS = representatives(X_pool, CLUSTERS)
LABELS = label_clusters(CLUSTERS.labels, REPS, y_pool_hidden[REPS], 20)


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


def _nearest_overall(clusters):
    d = ((X_pool[:, None, :] - clusters.centers[None, :, :]) ** 2).sum(-1)
    return d.argmin(axis=0)


@pytest.mark.parametrize("reps, labels", [
    (REPS, LABELS),
    (np.sort(REPS), LABELS),                          # the representatives in another order
    (REPS.tolist(), LABELS.tolist()),                 # lists
    (_nearest_overall(CLUSTERS), LABELS),            # the image nearest each centre, in any cluster
])
def test_cluster_then_label_accepts_every_form(reps, labels):
    right = f"{100 * np.mean(LABELS == y_pool_hidden):.0f} % are right"
    _kind_and_message(check.cluster_then_label.evaluate(CLUSTERS, reps, labels), "correct", "your 20 paid labels",
                      right, "20 random images")


def test_cluster_then_label_accepts_a_budget_of_100():
    clusters = kmeans(X_pool, 100, rng=0, n_init=1)
    reps = representatives(X_pool, clusters)
    labels = label_clusters(clusters.labels, reps, y_pool_hidden[reps], 100)
    _kind_and_message(check.cluster_then_label.evaluate(clusters, reps, labels), "correct", "your 100 paid labels")


def test_cluster_then_label_names_a_digit_without_representative():
    clusters = kmeans(X_pool, 20, rng=4, n_init=1)   # a clustering whose representatives show no 3
    reps = representatives(X_pool, clusters)
    assert 3 not in y_pool_hidden[reps]
    labels = label_clusters(clusters.labels, reps, y_pool_hidden[reps], 20)
    _kind_and_message(check.cluster_then_label.evaluate(clusters, reps, labels), "correct",
                      "No representative shows the digit 3", "every image of it got a wrong label")
    _kind_and_message(check.cluster_then_label.evaluate(CLUSTERS, REPS, LABELS), "correct")
    assert "No representative" not in check.cluster_then_label.evaluate(CLUSTERS, REPS, LABELS).message


OTHER = kmeans(X_pool, 20, rng=1, n_init=1)
FIFTY = kmeans(X_pool, 50, rng=0, n_init=1)
TEN = kmeans(X_pool, 10, rng=0, n_init=1)
SHUFFLED = kmeans(X_pool[::-1], 20, rng=0, n_init=1)


@pytest.mark.parametrize("clusters, reps, labels, fragments", [
    (CLUSTERS, REPS, y_pool_hidden, ["the hidden labels of every image", "nobody paid for"]),
    (CLUSTERS, REPS, y_pool_hidden[REPS], ["holds 20 labels, those of the representatives", "Propagate"]),
    (CLUSTERS, CLUSTERS.centers, LABELS, ["holds the centres themselves", "an average of images"]),
    (CLUSTERS, np.random.default_rng(0).choice(len(X_pool), 20, replace=False), LABELS,
     ["not the images nearest the centres", "typical image"]),                                  # random images
    (CLUSTERS, pool[REPS], LABELS, ["indices into the whole digit set, X_digits"]),
    (CLUSTERS, REPS[:10], LABELS, ["holds 10 images", "its own representative"]),
    (CLUSTERS, REPS, label_clusters(OTHER.labels, representatives(X_pool, OTHER),
                                    y_pool_hidden[representatives(X_pool, OTHER)], 20),
     ["does not give each image the label of its own cluster's representative"]),             # another clustering
    (FIFTY, representatives(X_pool, FIFTY), LABELS, ["50 clusters, the notebook's budget"]),
    (TEN, representatives(X_pool, TEN), LABELS, ["10 clusters", "one cluster per paid label"]),
    (SHUFFLED, REPS, LABELS, ["not the means of their images of X_pool", "run the notebook from the top"]),
])
def test_cluster_then_label_names_the_typical_mistakes(clusters, reps, labels, fragments):
    _kind_and_message(check.cluster_then_label.evaluate(clusters, reps, labels), "wrong", "Not yet: ", *fragments)


def test_cluster_then_label_unanswered_and_invalid():
    _kind_and_message(check.cluster_then_label.evaluate(..., ..., ...), "unanswered", "Exercise 1 is not answered")
    _kind_and_message(check.cluster_then_label.evaluate(CLUSTERS, REPS, ...), "unanswered", "(in labels_20)")
    _kind_and_message(check.cluster_then_label.evaluate(CLUSTERS.labels, REPS, LABELS), "invalid",
                      "clusters_20 should be the result of kmeans(X_pool, 20, rng=rng)")
    _kind_and_message(check.cluster_then_label.evaluate(CLUSTERS, REPS, LABELS[:100]), "invalid",
                      "one label per image of X_pool, shape (1348,)")
    _kind_and_message(check.cluster_then_label.evaluate(CLUSTERS, REPS + 5000, LABELS), "invalid",
                      "indices into X_pool, below 1348")
    _kind_and_message(check.cluster_then_label.evaluate(CLUSTERS, "reps", LABELS), "invalid",
                      "reps_20 should be an array of numbers")


# ---- the book's solution ----------------------------------------------------------------------------------


def test_the_solution_in_the_notebook_passes_its_check():
    text = " ".join(exercise_text(notebook_for("section_1_1_3")).split())
    written = {
        "clusters_20": "kmeans(X_pool, 20, rng=rng)",
        "reps_20": "representatives(X_pool, clusters_20)",
        "labels_20": "label_clusters(clusters_20.labels, reps_20, y_pool_hidden[reps_20], 20)",
    }
    namespace = {"kmeans": kmeans, "representatives": representatives, "label_clusters": label_clusters,
                 "X_pool": X_pool, "y_pool_hidden": y_pool_hidden, "rng": rng}
    for name, code in written.items():
        assert f"`{name} = {code}`" in text, f"the solution no longer writes {code!r}: update this test and the check"
        namespace[name] = eval(code, namespace)
    assert check.cluster_then_label.evaluate(*(namespace[name] for name in written)).passed
