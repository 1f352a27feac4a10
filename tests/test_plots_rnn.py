import matplotlib.pyplot as plt
import numpy as np

from lessons_lib.plots.rnn import draw_unrolled, plot_influence, plot_series, plot_states
from lessons_lib.sequences import load_series


def test_unrolled_diagram_has_one_neuron_per_step_plus_the_folded_one():
    fig = draw_unrolled(5)
    left, right = fig.axes
    assert sum(type(p).__name__ == "Circle" for p in left.patches) == 1
    assert sum(type(p).__name__ == "Circle" for p in right.patches) == 5
    assert "5 steps" in right.get_title()
    plt.close(fig)


def test_states_series_and_influence_figures():
    fig = plot_states(np.zeros(10), np.zeros((10, 3)))
    assert len(fig.axes[1].lines) == 3
    plt.close(fig)
    fig = plot_series(load_series("sunspots"))
    assert fig.axes[0].get_xlabel() == "year"
    plt.close(fig)
    fig = plot_influence(np.array([0.0, 0.0, 0.5, 0.1]), step=2)
    assert len(fig.axes[0].patches) == 2 and fig.axes[0].get_xlim() == (-0.5, 3.5)
    plt.close(fig)
