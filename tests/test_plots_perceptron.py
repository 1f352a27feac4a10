import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from lessons_lib import perceptron
from lessons_lib.plots.perceptron import draw_tlu_and_perceptron, draw_tlus, draw_training
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


def test_tlu_and_perceptron_diagram_names_every_part():
    fig = draw_tlu_and_perceptron()
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    texts = {t.get_text() for t in ax.texts}
    # the TLU: inputs, their weights, the bias, the net input z, the step and the output
    assert {r"$x_1$", r"$x_2$", r"$x_n$", r"$w_1$", r"$w_2$", r"$w_n$", r"bias $b$", r"$z$", r"$\hat{y}$"} <= texts
    assert any("step" in t for t in texts) and any(r"\mathbf{w}^\top\mathbf{x} + b" in t for t in texts)
    # the perceptron: three inputs, a bias neuron, three outputs, both layers named
    assert {r"$x_3$", "1", r"$\hat{y}_1$", r"$\hat{y}_2$", r"$\hat{y}_3$", "input layer"} <= texts
    assert any(t.startswith("output layer") for t in texts) and any("bias neuron" in t for t in texts)
    # fully connected: 3 x 3 weights and 3 bias connections; plus 3 outputs, and in the TLU 3 inputs,
    # sum -> step, bias and output
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == 9 + 3 + 3 + 3 + 1 + 1 + 1
    plt.close(fig)


def test_tlu_and_perceptron_text_is_legible_and_inside_the_figure():
    fig = draw_tlu_and_perceptron()
    assert 8 <= fig.get_figwidth() <= 9
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.axes[0].texts if t.get_text().strip()]
    assert min(t.get_fontsize() for t in texts) >= 11
    boxes = [t.get_window_extent(renderer) for t in texts]
    for box in boxes:
        assert 0 <= box.x0 and box.x1 <= fig.bbox.width and 0 <= box.y0 and box.y1 <= fig.bbox.height
    # no two labels overlap
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)
    plt.close(fig)
