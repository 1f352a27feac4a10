import matplotlib.pyplot as plt
import numpy as np
import pytest

from lessons_lib import perceptron
from lessons_lib.plots.perceptron import draw_tlus, draw_training
from lessons_lib.views.perceptron import snapshot_steps

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def test_draw_tlus_one_panel_per_unit_with_legend():
    fig = draw_tlus({"AND": ([1, 1], -1.5), "OR": ([1, 1], -0.5)}, X, np.array([[0, 0], [0, 1], [0, 1], [1, 1]]))
    assert [ax.get_title() for ax in fig.axes] == ["AND", "OR"]
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "decision boundary $z = 0$" in labels and "target 1" in labels
    # each panel: the shaded firing polygon, and the boundary line
    assert all(len(ax.patches) == 1 and len(ax.lines) == 1 for ax in fig.axes)
    plt.close(fig)
    with pytest.raises(ValueError, match="units"):
        draw_tlus({})


def test_draw_training_panels_follow_the_snapshots():
    model = perceptron.Perceptron(2).fit(X, [0, 1, 1, 0], max_epochs=5)   # XOR: never converges
    fig = draw_training(model.history, X, [0, 1, 1, 0], n_panels=6, ncols=3)
    steps = snapshot_steps(model.history, 6)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert len(titles) == len(steps)
    assert titles[0].startswith("start") and titles[-1].startswith("end: 5 epochs")
    assert titles[-1].endswith(f"after {steps[-1]} instances")
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "instance that triggered the update" in labels
    plt.close(fig)


def test_legend_sits_right_under_the_panels():
    fig = draw_tlus({"AND": ([1, 1], -1.5), "OR": ([1, 1], -0.5)}, X, np.array([[0, 0], [0, 1], [0, 1], [1, 1]]))
    renderer = fig.canvas.get_renderer()
    legend_top = fig.legends[0].get_window_extent(renderer).y1
    axes_bottom = min(ax.get_tightbbox(renderer).y0 for ax in fig.axes)
    assert 0 < axes_bottom - legend_top < 0.05 * fig.bbox.height
    plt.close(fig)
