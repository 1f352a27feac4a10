import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons_lib.gradcheck import check_vjp
from lessons_lib.losses import LOSSES, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, get_loss


def test_get_loss_names():
    assert isinstance(get_loss("mse"), MSELoss)
    assert isinstance(get_loss("bce_with_logits"), BCEWithLogitsLoss)
    assert isinstance(get_loss("cross_entropy"), CrossEntropyLoss)
    loss = MSELoss()
    assert get_loss(loss) is loss
    with pytest.raises(ValueError, match="name.*cross_entropy"):
        get_loss("hinge")
    assert set(LOSSES) == {"mse", "bce_with_logits", "cross_entropy"}


def test_mse_known_values():
    loss, cache = MSELoss().forward(np.array([[1.0], [2.0]]), np.array([[0.0], [4.0]]))
    assert loss == 2.5                                    # (1 + 4) / 2
    assert np.array_equal(MSELoss().backward(cache), [[1.0], [-2.0]])   # 2 (p - t) / 2
    assert MSELoss()(np.array([[1.0], [2.0]]), np.array([0.0, 4.0])) == 2.5   # (N,) target for (N, 1)


def test_bce_known_values():
    z = np.array([0.0, 2.0, -3.0])
    y = np.array([1.0, 0.0, 1.0])
    expected = np.mean([math.log(2), -math.log(1 - 1 / (1 + math.exp(-2))), -math.log(1 / (1 + math.exp(3)))])
    loss, cache = BCEWithLogitsLoss().forward(z, y)
    assert loss == pytest.approx(expected, rel=1e-14)
    s = 1 / (1 + np.exp(-z))
    assert np.allclose(BCEWithLogitsLoss().backward(cache), (s - y) / 3, rtol=1e-14)


def test_bce_is_stable_for_huge_logits():
    loss, cache = BCEWithLogitsLoss().forward(np.array([1e4, -1e4, 1e4]), np.array([1.0, 0.0, 0.0]))
    assert loss == pytest.approx(1e4 / 3)
    assert np.allclose(BCEWithLogitsLoss().backward(cache), [0.0, 0.0, 1 / 3])


def test_cross_entropy_known_values():
    z = np.array([[0.0, 0.0, 0.0, 0.0], [math.log(3), 0.0, 0.0, 0.0]])
    y = np.array([2, 0])
    loss, cache = CrossEntropyLoss().forward(z, y)
    assert loss == pytest.approx((math.log(4) + math.log(2)) / 2, rel=1e-14)
    g = CrossEntropyLoss().backward(cache)
    assert np.allclose(g, [[0.125, 0.125, -0.375, 0.125], [-0.25, 1 / 12, 1 / 12, 1 / 12]])
    assert np.allclose(g.sum(axis=1), 0.0)


def test_cross_entropy_stable_for_huge_logits():
    z = np.array([[1e4, 0.0, -1e4], [0.0, 1e4, 0.0]])
    loss, cache = CrossEntropyLoss().forward(z, np.array([0, 0]))
    assert loss == pytest.approx(1e4 / 2)
    assert np.all(np.isfinite(CrossEntropyLoss().backward(cache)))


def test_cross_entropy_agrees_with_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    z = rng.normal(size=(6, 4)) * 3
    y = rng.integers(0, 4, size=6)
    zt = torch.tensor(z, requires_grad=True)
    lt = torch.nn.functional.cross_entropy(zt, torch.tensor(y))
    lt.backward()
    loss, cache = CrossEntropyLoss().forward(z, y)
    assert loss == pytest.approx(lt.item(), rel=1e-12)
    assert np.allclose(CrossEntropyLoss().backward(cache), zt.grad.numpy(), rtol=1e-10, atol=1e-14)
    zt2 = torch.tensor(z[:, :1], requires_grad=True)
    lt2 = torch.nn.functional.binary_cross_entropy_with_logits(zt2, torch.tensor(y[:, None] % 2.0))
    lt2.backward()
    loss2, cache2 = BCEWithLogitsLoss().forward(z[:, :1], y % 2)
    assert loss2 == pytest.approx(lt2.item(), rel=1e-12)
    assert np.allclose(BCEWithLogitsLoss().backward(cache2), zt2.grad.numpy(), rtol=1e-10)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradients_match_finite_differences(seed):
    rng = np.random.default_rng(seed)
    upstream = np.array(rng.normal())       # a random upstream scalar dJ/dL
    cases = [
        (MSELoss(), rng.normal(size=(7, 3)), rng.normal(size=(7, 3))),
        (BCEWithLogitsLoss(), rng.normal(scale=3, size=(7, 1)), rng.integers(0, 2, size=(7, 1)).astype(float)),
        (BCEWithLogitsLoss(), rng.normal(size=(5, 2)), rng.uniform(size=(5, 2))),       # soft targets
        (CrossEntropyLoss(), rng.normal(scale=2, size=(7, 5)), rng.integers(0, 5, size=7)),
    ]
    for loss_fn, pred, target in cases:
        _, cache = loss_fn.forward(pred, target)
        analytic = {"pred": upstream * loss_fn.backward(cache)}
        err = check_vjp(lambda lf=loss_fn, p=pred, t=target: np.array(lf.forward(p, t)[0]),
                        analytic, {"pred": pred}, upstream)
        assert err["pred"] <= 1e-7, (loss_fn, err)


def test_non_finite_predictions_give_nan_without_warnings():
    for loss_fn, pred, target in [
        (MSELoss(), np.array([[np.inf], [1.0]]), np.zeros((2, 1))),
        (BCEWithLogitsLoss(), np.array([np.nan, 1.0]), np.array([1.0, 0.0])),
        (CrossEntropyLoss(), np.array([[np.inf, 0.0], [0.0, 1.0]]), np.array([0, 1])),
    ]:
        loss, cache = loss_fn.forward(pred, target)
        assert math.isnan(loss)
        assert np.isnan(loss_fn.backward(cache)).all()
    loss, _ = MSELoss().forward(np.array([1e200, 0.0]), np.zeros(2))
    assert loss == math.inf


def test_bad_targets():
    with pytest.raises(ValueError, match="batch size"):
        MSELoss().forward(np.zeros((3, 1)), np.zeros((4, 1)))
    with pytest.raises(ValueError, match="target must have the shape"):
        MSELoss().forward(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="target"):
        MSELoss().forward(np.zeros(3), np.array([0.0, np.nan, 1.0]))
    with pytest.raises(ValueError, match="target.*\\[0, 1\\]"):
        BCEWithLogitsLoss().forward(np.zeros(3), np.array([0.0, 2.0, 1.0]))
    with pytest.raises(ValueError, match="target.*\\[0, 2\\]"):
        CrossEntropyLoss().forward(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="target.*\\[0, 2\\]"):
        CrossEntropyLoss().forward(np.zeros((2, 3)), np.array([-1, 0]))
    with pytest.raises(ValueError, match="target.*integer"):
        CrossEntropyLoss().forward(np.zeros((2, 3)), np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="target.*integer"):
        CrossEntropyLoss().forward(np.zeros((2, 3)), np.array([True, False]))
    with pytest.raises(ValueError, match="batch size"):
        CrossEntropyLoss().forward(np.zeros((2, 3)), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="pred"):
        CrossEntropyLoss().forward(np.zeros(3), np.array([0]))
    with pytest.raises(ValueError, match="pred"):
        MSELoss().forward(np.array(1.0), np.array(1.0))
    assert CrossEntropyLoss()(np.zeros((2, 3)), np.array([0.0, 2.0])) == pytest.approx(math.log(3))


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 8), st.integers(2, 6), st.integers(0, 10_000))
def test_cross_entropy_properties(n, c, seed):
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=5, size=(n, c))
    y = rng.integers(0, c, size=n)
    loss, cache = CrossEntropyLoss().forward(z, y)
    assert loss >= 0
    g = CrossEntropyLoss().backward(cache)
    assert g.shape == z.shape
    assert np.allclose(g.sum(axis=1), 0.0, atol=1e-12)
