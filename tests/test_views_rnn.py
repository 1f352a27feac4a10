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


# ---------------------------------------------------------------------------------------------------------
# One recurrent neuron, unrolled (the explorer of section 2.4)
# ---------------------------------------------------------------------------------------------------------
from lessons_lib.views.rnn import NEURON_INPUTS, NEURON_STEPS, neuron_input, recurrent_neuron  # noqa: E402


def test_neuron_inputs():
    np.testing.assert_array_equal(neuron_input("pulse", 4), [1, 0, 0, 0])
    np.testing.assert_array_equal(neuron_input("step", 3), [1, 1, 1])
    np.testing.assert_allclose(neuron_input("sine", 9), np.sin(np.pi / 4 * np.arange(9)), atol=1e-15)
    assert all(neuron_input(kind).shape == (NEURON_STEPS,) for kind in NEURON_INPUTS)


def test_recurrent_neuron_by_hand():
    # y_0 = tanh(1), y_t = tanh(0.5 y_{t-1}) for the pulse: the pulse fades step by step
    view = recurrent_neuron(1.0, 0.5, 0.0, "pulse")
    expected = [np.tanh(1.0)]
    for _ in range(NEURON_STEPS - 1):
        expected.append(np.tanh(0.5 * expected[-1]))
    np.testing.assert_allclose(view.y, expected, rtol=1e-14)
    assert view.y[0] == pytest.approx(0.7616, abs=1e-4) and view.y[1] == pytest.approx(0.3633, abs=1e-4)
    np.testing.assert_allclose(view.factor, 0.5 * (1 - np.array(expected[1:]) ** 2), rtol=1e-14)
    assert view.memory == pytest.approx(np.prod(view.factor))
    assert not view.saturated.any()


@pytest.mark.parametrize("kind", NEURON_INPUTS)
@pytest.mark.parametrize("w_x, w_y, b", [(1.0, 0.5, 0.0), (-2.0, -0.8, 1.3), (3.0, 2.5, -0.4)])
def test_recurrent_neuron_is_the_library_rnn(kind, w_x, w_y, b):
    """The outputs are RNN.forward's with these weights; the factors multiply to what BPTT sends back."""
    view = recurrent_neuron(w_x, w_y, b, kind)
    layer = RNN(1, 1, rng=7)
    layer.W_x.value[...], layer.W_h.value[...] = w_x, w_y
    layer.b_x.value[...], layer.b_h.value[...] = b - 0.25, 0.25     # only the sum matters
    Y, cache = layer.forward(neuron_input(kind).reshape(1, -1, 1))
    np.testing.assert_allclose(view.y, Y[0, :, 0], rtol=1e-12, atol=1e-15)
    dY = np.zeros_like(Y)
    dY[0, -1] = 1.0                                  # L = y_{T-1}: dL/dh_t = d y_{T-1} / d y_t
    dH = layer.state_gradients(dY, cache)[0, :, 0]
    np.testing.assert_allclose(dH[:-1], np.cumprod(view.factor[::-1])[::-1], rtol=1e-10, atol=1e-300)
    assert view.memory == pytest.approx(dH[0], rel=1e-10, abs=1e-300)
    np.testing.assert_array_equal(view.saturated, np.abs(Y[0, :, 0]) > 0.95)


def test_recurrent_neuron_memory_oscillation_and_saturation():
    # no recurrent weight: no memory, each output depends on its own input only
    none = recurrent_neuron(1.0, 0.0, 0.0, "pulse")
    np.testing.assert_array_equal(none.y[1:], 0.0)
    assert none.memory == 0.0
    # a negative recurrent weight flips the sign at every step
    flip = recurrent_neuron(1.0, -0.8, 0.0, "pulse")
    np.testing.assert_array_equal(np.sign(flip.y), (-1.0) ** np.arange(NEURON_STEPS))
    # large weights saturate the neuron, and a saturated step passes almost nothing on
    big = recurrent_neuron(3.0, 3.0, 0.0, "step")
    assert big.saturated.all() and np.all(np.abs(big.factor) < 0.01)
    # |w_y| < 1 bounds every factor (tanh' <= 1): the memory fades at least geometrically
    fade = recurrent_neuron(1.0, 0.9, 0.0, "pulse")
    assert np.all(np.abs(fade.factor) <= 0.9) and abs(fade.memory) <= 0.9 ** (NEURON_STEPS - 1)


def test_recurrent_neuron_accepts_an_array_and_rejects_bad_input():
    np.testing.assert_allclose(recurrent_neuron(2.0, 0.0, 0.0, [0.5, -0.5]).y, np.tanh([1.0, -1.0]))
    with pytest.raises(ValueError, match="kind"):
        recurrent_neuron(1.0, 0.5, 0.0, "square")
    with pytest.raises(ValueError, match="inputs"):
        recurrent_neuron(1.0, 0.5, 0.0, np.zeros((2, 3)))
    with pytest.raises(ValueError, match="inputs"):
        recurrent_neuron(1.0, 0.5, 0.0, [1.0])
    with pytest.raises(ValueError, match="w_x"):
        recurrent_neuron(np.nan, 0.5)
    with pytest.raises(ValueError, match="w_y"):
        recurrent_neuron(1.0, "big")
    with pytest.raises(ValueError, match="steps"):
        neuron_input("pulse", 1)


def test_recurrent_neuron_explorer_writes_the_view_and_opens_on_the_defaults():
    from lessons_lib.explorers import static
    from lessons_lib.explorers.recurrent_neuron import RecurrentNeuronExplorer

    explorer = RecurrentNeuronExplorer()
    axes = static.site_axes(explorer)
    assert static.frame_count(explorer) <= 24
    for axis, i in zip(axes, static.start_index(explorer, axes)):
        assert all(explorer.values[k] == v for k, v in axis.settings[i].items())
    assert static.jupyter_only(explorer) == ["bias b (0)"]
    assert any(v < 0 for v in explorer.site_grid["w_y"]) and len(explorer.site_grid["w_y"]) == 6
    explorer.update(w_y=-0.8)
    view = recurrent_neuron(1.0, -0.8, 0.0, "pulse")
    assert [t.get_text() for t in explorer.y_texts] == [f"{y:.2f}".replace("-", "−") for y in view.y]
    assert [t.get_text() for t in explorer.f_texts] == [f"{f:.2f}".replace("-", "−") for f in view.factor]
    assert "flips the sign" in explorer.suptitle.get_text()
