import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons_lib.initializers import INITIALIZERS, calculate_gain, fans, initialize


def test_gains_match_pytorch_table():
    assert calculate_gain("linear") == 1.0
    assert calculate_gain("identity") == 1.0
    assert calculate_gain("sigmoid") == 1.0
    assert calculate_gain("tanh") == 5.0 / 3.0
    assert calculate_gain("relu") == math.sqrt(2.0)
    assert calculate_gain("leaky_relu") == math.sqrt(2.0 / (1 + 0.01**2))
    assert calculate_gain("leaky_relu", 0.2) == math.sqrt(2.0 / 1.04)
    assert calculate_gain("leaky_relu", 0) == math.sqrt(2.0)
    assert calculate_gain("selu") == 0.75


def test_gains_agree_with_torch_when_available():
    torch = pytest.importorskip("torch")
    for nl in ("linear", "sigmoid", "tanh", "relu", "selu"):
        assert calculate_gain(nl) == pytest.approx(torch.nn.init.calculate_gain(nl), rel=1e-15)
    assert calculate_gain("leaky_relu", 0.3) == pytest.approx(torch.nn.init.calculate_gain("leaky_relu", 0.3))


FAN_IN, FAN_OUT = 400, 600
SHAPE = (FAN_IN, FAN_OUT)      # 240,000 draws: sample std within ~0.3% of the true one


@pytest.mark.parametrize("name,std,bound", [
    ("normal", 1.0, None),
    ("uniform", 1 / math.sqrt(3), 1.0),
    ("glorot_uniform", math.sqrt(2 / (FAN_IN + FAN_OUT)), math.sqrt(6 / (FAN_IN + FAN_OUT))),
    ("xavier_uniform", math.sqrt(2 / (FAN_IN + FAN_OUT)), math.sqrt(6 / (FAN_IN + FAN_OUT))),
    ("glorot_normal", math.sqrt(2 / (FAN_IN + FAN_OUT)), None),
    ("he_uniform", math.sqrt(2 / FAN_IN), math.sqrt(2) * math.sqrt(3 / FAN_IN)),
    ("kaiming_uniform", math.sqrt(2 / FAN_IN), math.sqrt(6 / FAN_IN)),
    ("he_normal", math.sqrt(2 / FAN_IN), None),
    ("kaiming_normal", math.sqrt(2 / FAN_IN), None),
    ("pytorch_default", 1 / math.sqrt(3 * FAN_IN), 1 / math.sqrt(FAN_IN)),
])
def test_empirical_std_and_bounds(name, std, bound):
    w = initialize(name, SHAPE, np.random.default_rng(0))
    assert w.shape == SHAPE and w.dtype == np.float64
    assert abs(w.mean()) < 0.01 * std          # the standard error is 0.002 std
    assert w.std() == pytest.approx(std, rel=0.01)
    if bound is not None:
        assert np.abs(w).max() <= bound
        assert np.abs(w).max() > 0.99 * bound          # the bound is actually reached


@pytest.mark.parametrize("name,factor", [("glorot_normal", 5 / 3), ("he_normal", 1 / math.sqrt(2)),
                                         ("normal", 0.01)])
def test_explicit_gain_scales_std(name, factor):
    rng = np.random.default_rng(4)
    base = initialize(name, SHAPE, np.random.default_rng(4))
    gain = factor if name == "normal" else factor * (1.0 if name.startswith("glorot") else math.sqrt(2))
    scaled = initialize(name, SHAPE, rng, gain=gain)
    assert np.allclose(scaled, base * factor)


def test_gain_by_nonlinearity_name():
    a = initialize("glorot_uniform", (3, 4), 7, gain="tanh")
    b = initialize("glorot_uniform", (3, 4), 7, gain=5 / 3)
    assert np.array_equal(a, b)


def test_zeros_and_bias_shapes():
    assert np.array_equal(initialize("zeros", (3, 2), 0), np.zeros((3, 2)))
    assert initialize("normal", (5,), 0).shape == (5,)
    assert initialize("uniform", 5, 0).shape == (5,)
    assert fans((3, 7)) == (3, 7)


@pytest.mark.parametrize("name", INITIALIZERS)
def test_deterministic_given_seed(name):
    a = initialize(name, (6, 5), 123)
    b = initialize(name, (6, 5), np.random.default_rng(123))
    assert np.array_equal(a, b)
    if name != "zeros":
        assert not np.array_equal(a, initialize(name, (6, 5), 124))


def test_bad_arguments():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="name.*glorot_uniform"):
        initialize("glorot", (2, 2), rng)
    with pytest.raises(ValueError, match="shape"):
        initialize("he_normal", (4,), rng)
    with pytest.raises(ValueError, match="shape"):
        initialize("normal", (2, 0), rng)
    with pytest.raises(ValueError, match="shape"):
        initialize("normal", (2, 3, 4), rng)
    with pytest.raises(ValueError, match="shape"):
        initialize("normal", "ab", rng)
    with pytest.raises(ValueError, match="shape"):
        initialize("normal", (2.0, 3), rng)
    with pytest.raises(ValueError, match="rng"):
        initialize("normal", (2, 3), None)
    with pytest.raises(ValueError, match="gain"):
        initialize("he_normal", (2, 3), rng, gain=-1.0)
    with pytest.raises(ValueError, match="gain"):
        initialize("pytorch_default", (2, 3), rng, gain=2.0)
    with pytest.raises(ValueError, match="nonlinearity"):
        calculate_gain("swish")
    with pytest.raises(ValueError, match="param"):
        calculate_gain("tanh", 0.1)
    with pytest.raises(ValueError, match="param"):
        calculate_gain("leaky_relu", "0.1")


def test_pytorch_default_matches_torch_linear_bound():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    lin = torch.nn.Linear(50, 30)
    w = lin.weight.detach().numpy()
    assert np.abs(w).max() <= 1 / math.sqrt(50)
    ours = initialize("pytorch_default", (50, 30), 0)
    assert np.abs(ours).max() <= 1 / math.sqrt(50)
    assert ours.std() == pytest.approx(w.std(), rel=0.1)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(INITIALIZERS), st.integers(1, 20), st.integers(1, 20), st.integers(0, 2**32 - 1))
def test_shapes_property(name, fan_in, fan_out, seed):
    w = initialize(name, (fan_in, fan_out), seed)
    assert w.shape == (fan_in, fan_out)
    assert np.all(np.isfinite(w))
