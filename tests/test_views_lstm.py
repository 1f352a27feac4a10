import numpy as np
import pytest

from lessons_lib.lstm import LSTM
from lessons_lib.through_time import compare_gradient_flow
from lessons_lib.views.lstm import (
    gate_traces,
    lstm_flow_cold_and_warm,
    marked_value_task,
    memory_correlation,
    set_forget_bias,
    train_marked_value_lstm,
)


def test_marked_value_task_targets_are_the_marked_values():
    X, y, pos = marked_value_task(50, 10, rng=0)
    assert X.shape == (50, 10, 2) and y.shape == (50, 1)
    assert np.all(X[:, :, 1].sum(axis=1) == 1) and np.all(pos < 5)
    np.testing.assert_array_equal(y[:, 0], X[np.arange(50), pos, 0])
    _, _, first = marked_value_task(20, 10, rng=1, first_only=True)
    assert np.all(first == 0)
    with pytest.raises(ValueError, match="seq_len"):
        marked_value_task(5, 1, rng=0)


def test_set_forget_bias_touches_only_the_forget_block():
    lstm = LSTM(2, 3, rng=0)
    before = lstm.b_x.value.copy()
    set_forget_bias(lstm, 2.5)
    np.testing.assert_array_equal(lstm.b_x.value[3:6], 2.5)
    np.testing.assert_array_equal(lstm.b_h.value[3:6], 0.0)
    np.testing.assert_array_equal(lstm.b_x.value[:3], before[:3])
    _, cache = lstm.forward(np.zeros((1, 1, 2)))
    np.testing.assert_allclose(cache["gates"]["f"], 1 / (1 + np.exp(-2.5)))


def test_gate_traces_match_the_layer_and_lie_in_range():
    lstm = LSTM(2, 4, rng=0)
    x = np.random.default_rng(0).normal(size=(7, 2))
    tr = gate_traces(lstm, x)
    assert set(tr) == {"i", "f", "g", "o", "c", "h"}
    Y, _ = lstm.forward(x[None])
    np.testing.assert_allclose(tr["h"], Y[0])
    for k in "ifo":
        assert tr[k].shape == (7, 4) and tr[k].min() > 0 and tr[k].max() < 1
    np.testing.assert_allclose(tr["h"], tr["o"] * np.tanh(tr["c"]))
    with pytest.raises(ValueError, match="x must be"):
        gate_traces(lstm, x[None])


def test_trained_lstm_stores_the_marked_value():
    model, history, (X, y, _) = train_marked_value_lstm(rng=0, n=256, epochs=20)
    assert history.final_loss < 0.05 < history.epoch_losses[0]
    assert np.abs(memory_correlation(model.recurrent, X, y)).max() > 0.9
    with pytest.raises(ValueError, match="y must"):
        memory_correlation(model.recurrent, X, y[:3])


def test_marked_value_runs_are_the_single_runs_trained_side_by_side():
    from lessons_lib.views.lstm import train_marked_value_runs
    runs = train_marked_value_runs(seeds=(0, 3), forget_bias=2.0, n=64, epochs=2)
    assert runs.seeds == (0, 3) and runs.losses.shape == (2, 2)
    np.testing.assert_array_equal(runs.final, runs.losses[:, -1])
    for k, seed in enumerate((0, 3)):
        model, history, (X, y, positions) = train_marked_value_lstm(rng=seed, forget_bias=2.0, n=64, epochs=2)
        np.testing.assert_allclose(runs.losses[k], history.epoch_losses, rtol=1e-10)
        np.testing.assert_array_equal(runs.data[k][0], X)
        for p_run, p_alone in zip(runs.models[k].parameters(), model.parameters()):
            np.testing.assert_allclose(p_run.value, p_alone.value, rtol=1e-9, atol=1e-12)


def test_marked_value_runs_of_other_cells_and_bad_input():
    from lessons_lib.gru import GRU
    from lessons_lib.views.lstm import train_marked_value_runs
    runs = train_marked_value_runs(seeds=[1], cell="gru", n=32, epochs=1, first_only=True)
    assert isinstance(runs.models[0].recurrent, GRU)
    assert np.all(runs.data[0][2] == 0)                 # first_only: the marker is always at step 0
    with pytest.raises(ValueError, match="forget_bias"):
        train_marked_value_runs(seeds=[0], cell="rnn", forget_bias=2.0)
    with pytest.raises(ValueError, match="seeds"):
        train_marked_value_runs(seeds=[])
    with pytest.raises(ValueError, match="cell"):
        train_marked_value_runs(seeds=[0], cell="transformer")


def test_lstm_flow_cold_is_the_curve_of_compare_gradient_flow():
    flow = lstm_flow_cold_and_warm(rng=3, seq_len=12, hidden_size=6, batch=4)
    lstm = compare_gradient_flow(seq_len=12, hidden_size=6, batch=4, rng=3, keep_gate_bias=3.0)["LSTM"]
    np.testing.assert_allclose(flow.cold, lstm[::-1] / lstm[-1], rtol=1e-12)
    assert flow.cold[0] == flow.warm[0] == 1.0
    assert flow.cell_size.shape == (12,) and np.all(flow.cell_size > 0)
    assert not np.allclose(flow.cold, flow.warm)


def test_lstm_flow_warm_start_removes_the_rise_towards_the_start():
    flow = lstm_flow_cold_and_warm(rng=2_4_2)
    assert flow.cold[49] > 2 * flow.cold[20]      # cold: the curve rises again near step 0
    assert flow.warm[49] < 1.5 * flow.warm[20]    # warm: it stays about level
    assert flow.cell_size[-1] > 5 * flow.cell_size[0]


def test_lstm_flow_checks_its_arguments():
    with pytest.raises(ValueError, match="seq_len"):
        lstm_flow_cold_and_warm(seq_len=0)
