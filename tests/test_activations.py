import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lessons_lib import activations as A
from lessons_lib.activations import ACTIVATIONS, get_activation, log_softmax, saturation_mask, softmax
from lessons_lib.gradcheck import check_vjp

SMOOTH = {"identity", "sigmoid", "tanh", "softplus", "gelu"}


def test_names_cover_the_agreed_list():
    for name in ("identity", "step", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "softplus",
                 "gelu"):
        assert name in ACTIVATIONS
        assert get_activation(name).name == name


def test_known_values():
    z = np.array([-2.0, 0.0, 3.0])
    assert np.array_equal(A.step(z), [0.0, 1.0, 1.0])          # step(0) = 1 by convention
    assert np.allclose(A.sigmoid(z), [1 / (1 + math.e**2), 0.5, 1 / (1 + math.e**-3)], rtol=1e-15)
    assert np.allclose(A.tanh(z), [math.tanh(-2), 0.0, math.tanh(3)], rtol=1e-15)
    assert np.array_equal(A.relu(z), [0.0, 0.0, 3.0])
    assert np.allclose(A.leaky_relu(z), [-0.02, 0.0, 3.0], rtol=1e-15)
    assert np.allclose(A.leaky_relu(z, 0.2), [-0.4, 0.0, 3.0], rtol=1e-15)
    assert np.allclose(A.elu(z), [math.exp(-2) - 1, 0.0, 3.0], rtol=1e-15)
    assert np.allclose(A.selu(z), [1.0507009873554805 * 1.6732632423543772 * (math.exp(-2) - 1), 0.0,
                                   1.0507009873554805 * 3.0], rtol=1e-14)
    assert np.allclose(A.softplus(z), [math.log1p(math.exp(-2)), math.log(2), math.log1p(math.exp(3))],
                       rtol=1e-15)
    phi = [0.5 * (1 + math.erf(v / math.sqrt(2))) for v in z]
    assert np.allclose(A.gelu(z), z * phi, rtol=1e-14, atol=0)
    assert np.array_equal(A.identity(z), z)


def test_tanh_is_rescaled_sigmoid():
    z = np.linspace(-5, 5, 41)
    assert np.allclose(A.tanh(z), 2 * A.sigmoid(2 * z) - 1, atol=1e-15)


def test_known_derivatives():
    assert A.sigmoid_derivative(np.array(0.0)) == 0.25
    assert A.tanh_derivative(np.array(0.0)) == 1.0
    # the kinks follow PyTorch's backward: relu'(0) = 0, leaky_relu'(0) = slope, elu'(0) = alpha
    assert np.array_equal(A.relu_derivative(np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 1.0])
    assert np.allclose(A.leaky_relu_derivative(np.array([-1.0, 0.0, 2.0])), [0.01, 0.01, 1.0])
    assert A.elu_derivative(np.array(0.0)) == 1.0
    assert np.array_equal(A.step_derivative(np.array([-1.0, 0.0, 1.0])), [0.0, 0.0, 0.0])
    assert A.gelu_derivative(np.array(0.0)) == 0.5


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_derivative_matches_finite_differences(name):
    rng = np.random.default_rng(1)
    z = rng.normal(scale=2.0, size=(5, 7))
    if name not in SMOOTH:
        z[np.abs(z) < 1e-3] = 0.5       # stay away from the kink at 0 by more than the step eps
    act = get_activation(name)
    upstream = rng.normal(size=z.shape)
    analytic = {"z": upstream * act.derivative(z)}
    err = check_vjp(lambda: act(z), analytic, {"z": z}, upstream)
    assert err["z"] <= 1e-7, err


@pytest.mark.parametrize("kwargs", [{"negative_slope": 0.3}, {"negative_slope": 0.0}])
def test_leaky_relu_slope_parameter(kwargs):
    act = get_activation("leaky_relu", **kwargs)
    z = np.array([-2.0, 1.0])
    assert np.allclose(act(z), [-2 * kwargs["negative_slope"], 1.0])
    assert np.allclose(act.derivative(z), [kwargs["negative_slope"], 1.0])


def test_elu_alpha_parameter_and_gradcheck():
    rng = np.random.default_rng(2)
    act = get_activation("elu", alpha=0.7)
    z = rng.normal(size=20) + 0.01
    upstream = rng.normal(size=20)
    err = check_vjp(lambda: act(z), {"z": upstream * act.derivative(z)}, {"z": z}, upstream)
    assert err["z"] <= 1e-7
    assert np.isclose(act(np.array(-50.0)), -0.7)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_no_warnings_and_finite_at_extremes(name):
    z = np.array([-1e4, -800.0, -40.0, 0.0, 40.0, 800.0, 1e4])
    act = get_activation(name)
    a, d = act(z), act.derivative(z)           # filterwarnings=error turns any warning into a failure
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(d))


def test_extreme_values_are_right():
    assert A.sigmoid(np.array(-1e4)) == 0.0 and A.sigmoid(np.array(1e4)) == 1.0
    assert A.sigmoid(np.array(-700.0)) > 0                    # tiny but not underflowed
    assert A.softplus(np.array(1e4)) == 1e4
    assert A.gelu(np.array(1e4)) == 1e4 and A.gelu(np.array(-1e4)) == 0.0
    # far tail of GELU keeps relative accuracy: z * Phi(z) with Phi(-10) = erfc(10/sqrt2)/2
    assert np.isclose(A.gelu(np.array(-10.0)), -10 * 0.5 * math.erfc(10 / math.sqrt(2)), rtol=1e-12, atol=0)


def test_erf_against_math_erf():
    x = np.concatenate([np.linspace(-6, 6, 4001), [-30.0, -27.0, 1e-300, 0.0, 27.0, 30.0]])
    assert np.max(np.abs(A.erf(x) - [math.erf(v) for v in x])) < 1e-14
    assert np.max(np.abs(A.erfc(x) - [math.erfc(v) for v in x])) < 1e-14
    tail = np.linspace(0.5, 26.5, 2001)
    ref = np.array([math.erfc(v) for v in tail])
    assert np.max(np.abs(A.erfc(tail) - ref) / ref) < 2e-13
    assert A.erf(np.array(np.inf)) == 1.0 and A.erfc(np.array(-np.inf)) == 2.0
    assert np.isnan(A.erf(np.array(np.nan)))


def test_softmax_is_stable_and_normalised():
    z = np.array([[1e4, 1e4 - 1.0, -1e4], [0.0, 0.0, 0.0]])
    p = softmax(z)
    assert np.all(np.isfinite(p))
    assert np.allclose(p.sum(axis=1), 1.0)
    assert np.allclose(p[0, :2], [1 / (1 + math.e**-1), math.e**-1 / (1 + math.e**-1)])
    assert np.allclose(p[1], 1 / 3)
    lp = log_softmax(z)
    assert np.all(np.isfinite(lp))
    assert np.isclose(lp[0, 2], -2e4 - math.log1p(math.exp(-1)), rtol=1e-12)
    assert np.allclose(np.exp(lp), p)
    assert np.allclose(softmax(z.T, axis=0), p.T)


def test_softmax_is_shift_invariant():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(4, 6))
    assert np.allclose(softmax(z), softmax(z + 123.0))


def test_saturation_mask():
    z = np.array([-10.0, -0.5, 0.0, 0.5, 10.0])
    assert np.array_equal(saturation_mask("sigmoid", z), [True, False, False, False, True])
    assert np.array_equal(saturation_mask("relu", z), [True, True, True, False, False])
    assert saturation_mask("step", z).all()
    assert not saturation_mask("identity", z).any()
    assert saturation_mask(get_activation("tanh"), z, threshold=1e-10).sum() == 0


def test_bad_inputs():
    with pytest.raises(ValueError, match="name.*sigmoid"):
        get_activation("sigmoind")
    with pytest.raises(ValueError, match="negative_slope"):
        get_activation("relu", negative_slope=0.1)
    with pytest.raises(ValueError, match="alpha"):
        get_activation("elu", alpha=-1.0)
    with pytest.raises(ValueError, match="threshold"):
        saturation_mask("tanh", np.zeros(3), threshold=0)
    with pytest.raises(ValueError, match="z"):
        A.sigmoid(np.array(["a"]))


def test_activation_passes_through_nan_without_raising():
    # a diverging network must be able to produce NaN so training can stop and report it
    assert np.isnan(A.tanh(np.array(np.nan)))
    assert np.isnan(A.gelu(np.array(np.nan)))


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(dtype=st.sampled_from([np.float32, np.float64]), shape=hnp.array_shapes(max_dims=3),
                  elements=st.floats(-50, 50, width=32)),
       st.sampled_from(ACTIVATIONS))
def test_shape_and_dtype_preserved(z, name):
    act = get_activation(name)
    a, d = act(z), act.derivative(z)
    assert a.shape == z.shape and d.shape == z.shape
    assert a.dtype == z.dtype and d.dtype == z.dtype
