import matplotlib.pyplot as plt
import numpy as np

from lessons_lib.network import mlp
from lessons_lib.plots.dropout import draw_thinned_networks, plot_decision_boundaries, plot_learning_curves
from lessons_lib.training import History
from lessons_lib.views.dropout import decision_grid, thinned_networks


def test_thinned_networks_draw_only_connections_between_kept_units():
    nets = thinned_networks([3, 4, 2], p=0.5, n_networks=2, rng=3)
    fig = draw_thinned_networks(nets)
    for k, (ax, net) in enumerate(zip(fig.axes, nets)):
        expected = int(net[0].sum() * net[1].sum() + net[1].sum() * net[2].sum())
        assert len(ax.lines) == expected
        assert ax.get_title() == f"step {k + 1}:\n{expected} connections used"
    assert [t.get_text() for t in fig.legends[0].get_texts()][2] == "output unit (never dropped)"
    plt.close(fig)


def test_learning_curves_and_boundaries():
    h = History(train_loss=[1.0, 0.5], val_loss=[1.1, 0.9], val_accuracy=[0.5, 0.7])
    fig = plot_learning_curves({"a": h, "b": h})
    assert len(fig.axes[0].lines) == 4 and len(fig.axes[1].lines) == 2
    # one legend: a colour per run, a line style per data set
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["a", "b", "training", "validation"]
    assert fig.axes[0].get_yscale() == "log"
    plt.close(fig)
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1])
    fig = plot_decision_boundaries({"m": decision_grid(mlp([2, 4, 2], rng=0), X, n=10)}, X, y)
    assert fig.axes[0].get_title() == "m"
    assert fig.axes[-1].get_ylabel() == "predicted probability\nof class 1"  # the colour bar
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["class 0 (training)", "class 1 (training)"]
    plt.close(fig)
