import numpy as np
import pytest

from lessons_lib.losses import MSELoss
from lessons_lib.lstm import LSTM
from lessons_lib.rnn import RNN, loss_on_steps
from lessons_lib.views.bptt import per_step_recurrent_gradients, sunspot_forecast


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
