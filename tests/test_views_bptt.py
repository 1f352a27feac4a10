import numpy as np
import pytest

from lessons_lib.losses import MSELoss
from lessons_lib.lstm import LSTM
from lessons_lib.rnn import RNN, loss_on_steps
from lessons_lib.through_time import compare_gradient_flow
from lessons_lib.views.bptt import lstm_flow_cold_and_warm, per_step_recurrent_gradients, sunspot_forecast


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


def test_lstm_flow_cold_is_the_curve_of_compare_gradient_flow():
    flow = lstm_flow_cold_and_warm(rng=3, seq_len=12, hidden_size=6, batch=4)
    lstm = compare_gradient_flow(seq_len=12, hidden_size=6, batch=4, rng=3, keep_gate_bias=3.0)["LSTM"]
    np.testing.assert_allclose(flow.cold, lstm[::-1] / lstm[-1], rtol=1e-12)
    assert flow.cold[0] == flow.warm[0] == 1.0
    assert flow.cell_size.shape == (12,) and np.all(flow.cell_size > 0)
    assert not np.allclose(flow.cold, flow.warm)


def test_lstm_flow_warm_start_removes_the_rise_towards_the_start():
    flow = lstm_flow_cold_and_warm(rng=2_4_1)
    assert flow.cold[49] > 2 * flow.cold[20]      # cold: the curve rises again near step 0
    assert flow.warm[49] < 1.5 * flow.warm[20]    # warm: it stays about level
    assert flow.cell_size[-1] > 5 * flow.cell_size[0]


def test_lstm_flow_checks_its_arguments():
    with pytest.raises(ValueError, match="seq_len"):
        lstm_flow_cold_and_warm(seq_len=0)
