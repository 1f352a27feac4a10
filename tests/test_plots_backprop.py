import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lessons_lib.autodiff import Value  # noqa: E402
from lessons_lib.datasets import make_xor  # noqa: E402
from lessons_lib.network import mlp  # noqa: E402
from lessons_lib.plots.backprop import (  # noqa: E402
    draw_mlp,
    draw_value_graph,
    plot_decision_regions,
    plot_symmetry,
    plot_training_curves,
)
from lessons_lib.training import History  # noqa: E402
from lessons_lib.views.backprop import decision_grid, symmetry_run  # noqa: E402


def test_draw_mlp_labels_layers():
    fig = draw_mlp([2, 3, 3, 1])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["input layer", "hidden layer 1", "hidden layer 2", "output layer"]
    plt.close(fig)
    with pytest.raises(ValueError, match="sizes"):
        draw_mlp([3])


def test_draw_value_graph_one_box_per_node():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    out = a * b + a
    out.backward()
    fig = draw_value_graph(out)
    boxes = [t.get_text() for t in fig.axes[0].texts if t.get_text()]      # arrows are empty annotations
    assert len(boxes) == 4
    assert any("grad 4" in t for t in boxes)     # d(ab + a)/da = b + 1     # d(ab + a)/da = b + 1
    plt.close(fig)


def test_other_plots_have_titles_and_labels():
    X, y = make_xor(20, rng=0)
    model = mlp([2, 3, 1], activation="tanh", rng=0)
    fig = plot_decision_regions(decision_grid(model, (-1, 1), (-1, 1), n=20), X, y, title="t")
    assert fig.axes[0].get_title() == "t" and fig.axes[0].get_xlabel()
    plt.close(fig)
    runs = {"zero": symmetry_run("zeros", X, y, epochs=2), "random": symmetry_run("glorot_uniform", X, y, epochs=2)}
    fig = plot_symmetry(runs)
    assert len(fig.axes) == 4 and all(ax.get_title() for ax in fig.axes)
    assert fig.axes[0].get_ylabel() and fig.axes[2].get_ylabel()        # the left column names both rows
    assert [t.get_text() for t in fig.legends[0].get_texts()][0] == "hidden unit 1"
    assert "w_{ij} - w_{ik}" in fig.axes[2].get_ylabel()   # bottom left: the spread
    plt.close(fig)
    h = History(train_loss=[1.0, 0.5], val_loss=[1.1, 0.7], train_accuracy=[0.5, 0.8], val_accuracy=[0.4, 0.7])
    fig = plot_training_curves(h)
    assert [len(ax.lines) for ax in fig.axes] == [2, 2]
    np.testing.assert_allclose(fig.axes[0].lines[0].get_ydata(), [1.0, 0.5])
    plt.close(fig)
