"""Inverted dropout: masks from the explicit rng, scaling, eval identity, gradient with a fixed mask."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons_lib.dropout import Dropout
from lessons_lib.gradcheck import check_vjp


def test_mask_values_and_scaling():
    d = Dropout(0.25, rng=0)
    out, mask = d.forward(np.ones((200, 50)))
    assert set(np.unique(mask)) == {0.0, 1 / 0.75}
    np.testing.assert_array_equal(out, mask)
    assert abs((mask == 0).mean() - 0.25) < 0.02      # 10 000 draws: std of the fraction ~ 0.004
    assert abs(out.mean() - 1.0) < 0.03                 # inverted dropout keeps the expectation


def test_same_seed_same_mask_and_mask_drawn_from_given_rng():
    a = Dropout(0.5, rng=np.random.default_rng(7)).forward(np.ones((4, 6)))[1]
    b = Dropout(0.5, rng=7).forward(np.ones((4, 6)))[1]
    np.testing.assert_array_equal(a, b)
    expected = (np.random.default_rng(7).random((4, 6)) >= 0.5) * 2.0
    np.testing.assert_array_equal(a, expected)


def test_eval_and_p_zero_are_identity():
    x = np.random.default_rng(0).normal(size=(3, 4))
    d = Dropout(0.5, rng=0).eval()
    out, cache = d.forward(x)
    np.testing.assert_array_equal(out, x)
    up = np.ones_like(x)
    np.testing.assert_array_equal(d.backward(up, cache), up)
    np.testing.assert_array_equal(Dropout(0.0, rng=0)(x), x)


def test_gradcheck_with_fixed_mask():
    rng = np.random.default_rng(1)
    d = Dropout(0.3, rng=2)
    x = rng.normal(size=(4, 5))
    up = rng.normal(size=(4, 5))
    out, mask = d.forward(x)
    dx = d.backward(up, mask)
    errs = check_vjp(lambda: x * mask, {"x": dx}, {"x": x}, up)
    assert errs["x"] < 1e-7
    np.testing.assert_array_equal(dx, up * mask)


def test_bad_input():
    for p in (-0.1, 1.0, 1.5):
        with pytest.raises(ValueError, match="p must be in"):
            Dropout(p, rng=0)
    with pytest.raises(ValueError, match="rng"):
        Dropout(0.5, rng=None)


@settings(max_examples=20, deadline=None)
@given(shape=st.lists(st.integers(1, 5), min_size=1, max_size=3),
       dtype=st.sampled_from([np.float32, np.float64]))
def test_shapes_and_dtypes(shape, dtype):
    d = Dropout(0.5, rng=0)
    x = np.ones(shape, dtype=dtype)
    out, mask = d.forward(x)
    assert out.shape == tuple(shape) and out.dtype == dtype
    assert d.backward(np.ones_like(out), mask).dtype == dtype
