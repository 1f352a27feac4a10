import matplotlib.pyplot as plt
import numpy as np

from lessons_lib.lstm import LSTM
from lessons_lib.plots.lstm import draw_lstm_cell, plot_gate_heatmaps, plot_gradient_flow, plot_loss_curves
from lessons_lib.views.lstm import gate_traces


def _texts(fig):
    return {t.get_text() for ax in fig.axes for t in ax.texts}


def test_cell_diagram_names_its_states_and_gates():
    fig = draw_lstm_cell()
    assert {r"$c_{t-1}$", r"$c_t$", r"$h_{t-1}$", r"$h_t$", r"$f_t$", r"$i_t$", r"$g_t$", r"$o_t$"} <= _texts(fig)
    plt.close(fig)


def test_measurement_plots_have_one_line_per_curve():
    flows = {"a": {"RNN": np.geomspace(1e-6, 1, 10), "LSTM": np.ones(10)}, "b": {"RNN": np.ones(10)}}
    fig = plot_gradient_flow(flows)
    assert [ax.get_title() for ax in fig.axes] == ["a", "b"] and len(fig.axes[0].lines) == 2
    plt.close(fig)
    fig = plot_loss_curves({"x": np.ones((3, 5)), "y": np.ones(5)}, baseline=1.0)
    assert len(fig.axes[0].lines) == 3 + 1 + 1 + 1 + 1      # runs + medians + single run + baseline
    plt.close(fig)


def test_gate_heatmaps_have_four_panels_and_a_marker():
    tr = gate_traces(LSTM(2, 3, rng=0), np.zeros((6, 2)))
    fig = plot_gate_heatmaps(tr, marker=2, title="t")
    panels = [ax for ax in fig.axes if ax.get_title(loc="left")]
    assert len(panels) == 4 and all(ax.lines for ax in panels)
    plt.close(fig)
