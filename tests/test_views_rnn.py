"""Views of section 2.4: an input's influence over time, the dominant period of a series."""


import numpy as np
import pytest

from lessons_lib.rnn import RNN
from lessons_lib.views.rnn import dominant_period, input_influence


def test_input_influence_is_causal_and_fades():
    rng = np.random.default_rng(0)
    layer = RNN(2, 3, rng)
    X = rng.normal(size=(2, 12, 2))
    inf = input_influence(layer, X, step=4)
    assert inf.shape == (12,)
    assert np.all(inf[:4] == 0) and np.all(inf[4:] > 0)     # the past cannot change, the future does
    assert inf[-1] < inf[4]
    # the change at the step itself is exactly what one forward step computes
    Y, _ = layer.forward(X)
    X2 = X.copy()
    X2[:, 4] += 1.0
    Y2, _ = layer.forward(X2)
    np.testing.assert_allclose(inf[4], np.abs(Y2[:, 4] - Y[:, 4]).max())


def test_input_influence_bad_input():
    layer = RNN(1, 2, 0)
    X = np.zeros((1, 5, 1))
    with pytest.raises(ValueError, match="step"):
        input_influence(layer, X, step=5)
    with pytest.raises(ValueError, match="rnn"):
        input_influence("rnn", X)
    with pytest.raises(ValueError, match="X"):
        input_influence(layer, np.zeros((1, 5, 2)))


def test_dominant_period_of_a_sine():
    t = np.arange(200)
    assert dominant_period(np.sin(2 * np.pi * t / 20) + 3.0) == pytest.approx(20.0)
    assert dominant_period(np.sin(2 * np.pi * t / 20), spacing=0.5) == pytest.approx(10.0)
    with pytest.raises(ValueError, match="values"):
        dominant_period(np.zeros((3, 3)))
