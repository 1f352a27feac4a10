import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lessons_lib.clustering import kmeans  # noqa: E402
from lessons_lib.datasets import load_digits, make_blobs  # noqa: E402
from lessons_lib.plots.chapter1_supervision import (  # noqa: E402
    draw_clustering,
    draw_digits,
    draw_elbow,
    draw_predicted_vs_true,
)


def test_predicted_vs_true():
    fig = draw_predicted_vs_true([1.0, 2.0, 3.0], [1.1, 1.9, 3.2], title="t", unit="k")
    ax = fig.axes[0]
    assert ax.get_title() == "t" and ax.get_xlabel() == "true value (k)"
    plt.close(fig)
    with pytest.raises(ValueError, match="same length"):
        draw_predicted_vs_true([1.0], [1.0, 2.0])


def test_clustering_two_panels_with_centres():
    X, _ = make_blobs(60, rng=0)
    r = kmeans(X, 2, rng=0)
    fig = draw_clustering(X, r)
    assert len(fig.axes) == 2 and fig.axes[1].get_title() == "k-means with k = 2"
    labels = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert labels == ["cluster 0", "cluster 1", "centre"]
    plt.close(fig)
    with pytest.raises(ValueError, match="X"):
        draw_clustering(np.zeros((5, 3)), r)


def test_elbow_normalises_each_curve():
    fig = draw_elbow([1, 2, 3], {"a": [10.0, 5.0, 4.0], "b": [2.0, 1.5, 1.0]}, mark={"a": 2})
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [1.0, 0.5, 0.4])
    assert ax.get_xlabel() == "number of clusters k"
    assert "elbow of a (k = 2)" in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(fig)
    with pytest.raises(ValueError, match="one inertia per k"):
        draw_elbow([1, 2], {"a": [1.0]})


def test_digit_grid():
    X, y = load_digits()
    fig = draw_digits(X[:12], titles=[str(v) for v in y[:12]], ncols=5, title="digits",
                      highlight=[i == 3 for i in range(12)])
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 12 and shown[0].get_title() == str(y[0])
    plt.close(fig)
    with pytest.raises(ValueError, match="images"):
        draw_digits(np.zeros((3, 10)))
    with pytest.raises(ValueError, match="titles"):
        draw_digits(X[:3], titles=["a"])
