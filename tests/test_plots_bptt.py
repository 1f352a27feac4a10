import matplotlib.pyplot as plt
import numpy as np
import pytest

from lessons_lib.plots.bptt import (
    draw_unrolled_bptt,
    draw_wirings,
    plot_clipping,
    plot_gradient_flow,
    plot_sunspot_forecast,
)
from lessons_lib.seq2seq import History
from lessons_lib.views.bptt import SunspotForecast


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_wirings_have_four_titled_panels():
    fig = draw_wirings()
    titles = [ax.get_title() for ax in fig.axes]
    assert len(titles) == 4
    assert [t.split(":")[0] for t in titles] == ["sequence-to-sequence", "sequence-to-vector",
                                                 "vector-to-sequence", "encoder-decoder"]


def test_unrolled_bptt_labels_every_state_with_its_gradient():
    fig = draw_unrolled_bptt([0.5, 0.25, 0.0], loss_steps=[1])
    texts = [t.get_text() for t in fig.axes[0].texts]
    labels = [t for t in texts if t.startswith("‖∂L/∂h‖")]
    assert labels == ["‖∂L/∂h‖\n= 0.5", "‖∂L/∂h‖\n= 0.25", "‖∂L/∂h‖\n= 0"]
    title = fig.axes[0].get_title()
    assert "[1]" in title
    # the title names the colours the arrows really have (blue state arrows, vermillion gradients)
    assert "orange dashed = gradient" in title and "blue" in title and "red" not in title


def test_gradient_flow_has_one_panel_per_setting_and_curves_start_at_one():
    norms = {"RNN": np.geomspace(1e-3, 2.0, 10), "LSTM": np.linspace(0.5, 2.0, 10)}
    fig = plot_gradient_flow({"a": norms, "b": norms})
    assert [ax.get_title() for ax in fig.axes] == ["a", "b"]
    for line in fig.axes[0].get_lines():
        assert line.get_ydata()[0] == pytest.approx(1.0)
    assert fig.axes[0].get_yscale() == "log"


def test_clipping_plot_caps_values_off_the_scale():
    exploded = History(losses=[2.0, 1e60], grad_norms=[400.0, 1e61], diverged_at=1, reason="boom")
    fine = History(losses=[2.0, 1.0, 0.5], grad_norms=[400.0, 10.0, 1.0])
    fig = plot_clipping({"no clip": exploded, "clip": fine}, cap=1e8)
    ax_g = fig.axes[0]
    assert max(np.max(line.get_ydata()) for line in ax_g.get_lines()) <= 1e8
    assert any("1e+61" in t.get_text() for t in ax_g.texts)


def test_sunspot_plot_draws_observed_and_both_forecasts():
    years = np.arange(1900.0, 1920.0)
    values = np.arange(20.0)
    result = SunspotForecast(years, values, 1915.0, values[15:] + 1, values[15:18], {}, History())
    fig = plot_sunspot_forecast(result)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [          # under the panel
        "observed", "model, one step ahead (given the true past)", "model, free-running from the split"]
