import numpy as np
import pytest

from lessons_lib.losses import MSELoss
from lessons_lib.lstm import LSTM
from lessons_lib.rnn import RNN, loss_on_steps
from lessons_lib.through_time import compare_gradient_flow
from lessons_lib.views.bptt import per_step_recurrent_gradients, rnn_gradient_flow, sunspot_forecast


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_per_step_shares_sum_to_the_bptt_gradient(nonlinearity):
    rng = np.random.default_rng(0)
    rnn = RNN(2, 5, rng, nonlinearity=nonlinearity)
    X = rng.standard_normal((3, 6, 2))
    h0 = rng.standard_normal((3, 5))
    Y, cache = rnn.forward(X, h0)
    _, dY = loss_on_steps(MSELoss(), Y, rng.standard_normal((3, 2, 5)), [2, 4])
    shares = per_step_recurrent_gradients(rnn, dY, cache)
    assert shares.shape == (6, 5, 5)
    assert np.all(rnn.W_h.grad == 0)                    # the view touches no parameter gradient
    rnn.backward(dY, cache)
    np.testing.assert_allclose(shares.sum(axis=0), rnn.W_h.grad, rtol=1e-12, atol=1e-14)
    assert np.all(shares[5] == 0)                       # after the last used step: nothing


def test_step_zero_share_is_zero_with_a_zero_initial_state():
    rng = np.random.default_rng(1)
    rnn = RNN(1, 3, rng)
    Y, cache = rnn.forward(rng.standard_normal((2, 4, 1)))
    _, dY = loss_on_steps(MSELoss(), Y, rng.standard_normal((2, 1, 3)), [0])
    assert np.all(per_step_recurrent_gradients(rnn, dY, cache) == 0)


def test_per_step_shares_refuse_other_layers():
    lstm = LSTM(1, 2, 0)
    Y, cache = lstm.forward(np.zeros((1, 3, 1)))
    with pytest.raises(ValueError, match="rnn"):
        per_step_recurrent_gradients(lstm, np.zeros_like(Y), cache)


def test_sunspot_forecast_beats_the_baselines_one_step_ahead():
    result = sunspot_forecast(rng=0, epochs=10, free_steps=5)
    n_test = int(np.sum(result.years >= result.split_year))
    assert result.one_step.shape == (n_test,) and result.free_running.shape == (5,)
    assert result.split_year == 1950
    assert result.rmse["model, one step"] < result.rmse["persistence"] < result.rmse["training mean"]
    assert not result.history.diverged and len(result.history.epoch_losses) == 10


def test_sunspot_forecast_checks_the_split():
    with pytest.raises(ValueError, match="split_year"):
        sunspot_forecast(split_year=1710, window=24)
    with pytest.raises(ValueError, match="split_year"):
        sunspot_forecast(split_year=2100)


def test_rnn_gradient_flow_is_the_rnn_curve_of_compare_gradient_flow():
    flow = rnn_gradient_flow(scales=(0.5, 2.0), rng=3, seq_len=12, hidden_size=6, batch=4)
    assert flow.scales == (0.5, 2.0)
    for s in flow.scales:
        rnn = compare_gradient_flow(seq_len=12, hidden_size=6, batch=4, rng=3, rnn_weight_scale=s)["RNN"]
        np.testing.assert_allclose(flow.norms[s], rnn, rtol=1e-12)
        np.testing.assert_allclose(flow.back[s], rnn[::-1] / rnn[-1], rtol=1e-12)
        assert flow.back[s][0] == 1.0
        assert flow.per_step[s] == pytest.approx(flow.back[s][-1] ** (1 / 11))
    assert flow.sigma_max[2.0] == pytest.approx(4 * flow.sigma_max[0.5])
    assert flow.typical[2.0] == pytest.approx(4 * flow.typical[0.5])
    # a random direction is stretched less than the most-stretched one, on average
    assert 0 < flow.typical[0.5] < flow.sigma_max[0.5]


def test_typical_stretch_is_the_mean_stretch_of_random_directions():
    flow = rnn_gradient_flow(scales=(1.0,), rng=5, seq_len=3, hidden_size=10, batch=1)
    rng = np.random.default_rng(5)
    rng.normal(size=(1, 3, 4))
    W_h = RNN(4, 10, rng).W_h.value                  # the same draws as inside the view
    v = np.random.default_rng(0).standard_normal((20000, 10))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    assert np.sqrt(np.mean(np.sum((v @ W_h) ** 2, axis=1))) == pytest.approx(flow.typical[1.0], rel=0.02)


def test_rnn_gradient_flow_obeys_the_singular_value_bound():
    # Every step multiplies the gradient by at most sigma_max(s W_h) (tanh' <= 1), so k steps back the
    # share is at most sigma_max ** k, whatever the scale.
    flow = rnn_gradient_flow(scales=(0.5, 1.0, 3.0), rng=0, seq_len=20, hidden_size=8, batch=3)
    k = np.arange(20)
    for s in flow.scales:
        assert np.all(flow.back[s] <= flow.sigma_max[s] ** k * (1 + 1e-9))
    assert flow.per_step[0.5] < flow.per_step[1.0] < flow.per_step[3.0]


def test_rnn_gradient_flow_checks_its_arguments():
    with pytest.raises(ValueError, match="scales"):
        rnn_gradient_flow(scales=(1.0, -2.0))
    with pytest.raises(ValueError, match="scales"):
        rnn_gradient_flow(scales=())
    with pytest.raises(ValueError, match="seq_len"):
        rnn_gradient_flow(seq_len=1)


def test_compare_gradient_flow_returns_the_cells_asked_for():
    every = compare_gradient_flow(seq_len=10, hidden_size=5, batch=2, rng=4, keep_gate_bias=3.0)
    some = compare_gradient_flow(seq_len=10, hidden_size=5, batch=2, rng=4, keep_gate_bias=3.0,
                                 cells=("GRU", "RNN"))
    assert list(some) == ["GRU", "RNN"]
    for name in some:
        np.testing.assert_array_equal(some[name], every[name])
    for bad in ((), "RNN", ("RNN", "CNN")):
        with pytest.raises(ValueError, match="cells"):
            compare_gradient_flow(seq_len=5, cells=bad)


# ---------------------------------------------------------------------------------------------------------
# One cell's gradient through time (the explorer of section 2.4.1)
# ---------------------------------------------------------------------------------------------------------
from lessons_lib.gru import GRU  # noqa: E402
from lessons_lib.through_time import gradient_norms_through_time  # noqa: E402
from lessons_lib.views.bptt import (  # noqa: E402
    FLOW_BASE_STEPS,
    FLOW_CELLS,
    FLOW_MAX_STEPS,
    gradient_flow_through_time,
)

SMALL = dict(rng=3, input_size=2, hidden_size=6, batch=3)


@pytest.mark.parametrize("scale, bias", [(1.0, 0.0), (0.5, 3.0), (2.5, 1.0)])
def test_cell_flow_at_the_base_length_is_compare_gradient_flow(scale, bias):
    rnn = gradient_flow_through_time("RNN", scale, FLOW_BASE_STEPS, **SMALL)
    lstm = gradient_flow_through_time("LSTM", 1.0, FLOW_BASE_STEPS, bias, **SMALL)
    reference = compare_gradient_flow(seq_len=FLOW_BASE_STEPS, input_size=2, hidden_size=6, batch=3, rng=3,
                                      rnn_weight_scale=scale, keep_gate_bias=bias)
    np.testing.assert_array_equal(rnn.norms, reference["RNN"])
    np.testing.assert_array_equal(lstm.norms, reference["LSTM"])
    gru = gradient_flow_through_time("GRU", 1.0, FLOW_BASE_STEPS, **SMALL)    # no forget gate: PyTorch's init
    np.testing.assert_array_equal(gru.norms, compare_gradient_flow(seq_len=FLOW_BASE_STEPS, input_size=2,
                                                                   hidden_size=6, batch=3, rng=3)["GRU"])
    assert rnn.seq_len == FLOW_BASE_STEPS and rnn.forget_bias is None and lstm.forget_bias == bias


@pytest.mark.parametrize("cell", FLOW_CELLS)
@pytest.mark.parametrize("seq_len", [2, 17, FLOW_MAX_STEPS])
def test_every_length_runs_the_same_layers_on_the_same_sequences(cell, seq_len):
    """The layers are drawn as compare_gradient_flow draws them for the base length, the inputs of later
    steps after them; the whole recurrent matrix is scaled, and the shares and the factor follow."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(3, FLOW_BASE_STEPS, 2))
    layers = {"RNN": RNN(2, 6, rng), "LSTM": LSTM(2, 6, rng), "GRU": GRU(2, 6, rng)}
    X = np.concatenate([X, rng.normal(size=(3, FLOW_MAX_STEPS - FLOW_BASE_STEPS, 2))], axis=1)
    layer = layers[cell]
    layer.W_h.value *= 1.7
    if cell == "LSTM":
        layer.b_x.value[6:12], layer.b_h.value[6:12] = 2.0, 0.0
    expected = gradient_norms_through_time(layer, X[:, :seq_len])
    flow = gradient_flow_through_time(cell, 1.7, seq_len, 2.0, **SMALL)
    np.testing.assert_allclose(flow.norms, expected, rtol=1e-12)
    np.testing.assert_allclose(flow.back, expected[::-1] / expected[-1], rtol=1e-12)
    assert flow.back[0] == 1.0 and flow.norms[-1] == pytest.approx(np.sqrt(6))   # the loss's own gradient
    assert flow.per_step == pytest.approx(flow.back[-1] ** (1 / (seq_len - 1)))


def test_cell_flow_properties():
    # the forget-gate bias belongs to the LSTM: the other cells ignore it
    for cell in ("RNN", "GRU"):
        np.testing.assert_array_equal(gradient_flow_through_time(cell, 1.0, 20, 0.0, **SMALL).norms,
                                      gradient_flow_through_time(cell, 1.0, 20, 4.0, **SMALL).norms)
    # ... and it keeps the LSTM's gradient alive (forget gate near sigmoid(3) = 0.95)
    cold = gradient_flow_through_time("LSTM", 1.0, 40, 0.0, **SMALL)
    warm = gradient_flow_through_time("LSTM", 1.0, 40, 3.0, **SMALL)
    assert cold.per_step < 0.8 < warm.per_step
    # a larger recurrent weight scale carries more of the simple RNN's gradient back
    per_step = [gradient_flow_through_time("RNN", s, 40, **SMALL).per_step for s in (0.5, 1.0, 2.0, 4.0)]
    assert np.all(np.diff(per_step) > 0)
    # cached and read-only: every caller shares the same result
    again = gradient_flow_through_time("LSTM", 1.0, 40, 3.0, **SMALL)
    assert again is warm and not warm.norms.flags.writeable and not warm.back.flags.writeable


def test_cell_flow_reproduces_the_sections_numbers():
    # the default of the explorer: the layer of section 2.4.1's table at s = 1 (x 0.57 per step)
    flow = gradient_flow_through_time()
    assert flow.per_step == pytest.approx(rnn_gradient_flow(scales=(1.0,), rng=241).per_step[1.0], rel=1e-12)
    assert round(flow.per_step, 2) == 0.57


@pytest.mark.parametrize("kwargs, match", [
    (dict(cell="gru"), "cell"), (dict(scale=0.0), "scale"), (dict(seq_len=1), "seq_len"),
    (dict(seq_len=FLOW_MAX_STEPS + 1), "seq_len"), (dict(seq_len=20.0), "seq_len"),
    (dict(cell="LSTM", forget_bias=np.nan), "forget_bias"), (dict(rng=np.random.default_rng(0)), "rng"),
    (dict(hidden_size=0), "hidden_size"),
])
def test_cell_flow_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        gradient_flow_through_time(**kwargs)


def test_gradients_through_time_explorer_shows_the_factor_and_opens_on_the_defaults():
    from lessons_lib.explorers import static
    from lessons_lib.explorers.through_time import CELL_PRESETS, GradientsThroughTimeExplorer

    explorer = GradientsThroughTimeExplorer()
    axes = static.site_axes(explorer)
    assert static.frame_count(explorer) == 20 and axes[0].names == tuple(n for n, _ in CELL_PRESETS)
    for axis, i in zip(axes, static.start_index(explorer, axes)):
        assert all(explorer.values[k] == v for k, v in axis.settings[i].items())
    assert {"cell": "LSTM", "forget_bias": 3.0} in axes[0].settings
    assert static.jupyter_only(explorer) == ["sequence length T (50)"]
    explorer.update(cell="LSTM", forget_bias=3.0)
    texts = [t.get_text() for t in explorer.legend.get_texts()]
    lstm = gradient_flow_through_time("LSTM", 1.0, 50, 3.0)
    assert texts[:2] == ["simple RNN, s = 1: × 0.57 per step",
                         f"LSTM, s = 1, forget-gate bias 3: × {lstm.per_step:.2f} per step"]
    np.testing.assert_array_equal(explorer.line.get_ydata(), lstm.back)
    assert explorer.legend.get_title().get_text() == ""
    explorer.update(cell="GRU")          # the bias stays at 3, but the GRU has no forget gate: it says so
    assert "LSTM's only" in explorer.legend.get_title().get_text()
