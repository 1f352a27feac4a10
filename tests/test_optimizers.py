"""Optimizers against scalar re-derivations of the documented formulas, and against torch.optim."""

import math

import numpy as np
import pytest

from lessons_lib.optimizers import (
    SGD,
    Adam,
    Adamax,
    AdamW,
    NAdam,
    RMSprop,
    clip_grad_norm,
    clip_grad_value,
    get_optimizer,
)
from lessons_lib.parameter import Parameter

STEPS = 20


def _grad(value, t, offset):
    """A deterministic gradient that depends on the current value (a quadratic bowl plus a wobble)."""
    return 2.0 * (value - 0.3) + 0.1 * math.sin(1.7 * t + offset)


# ----- reference loops: one scalar at a time, plain Python floats, formulas written out afresh -----

def ref_sgd(x, off, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
    buf = None
    for t in range(1, STEPS + 1):
        g = _grad(x, t, off) + weight_decay * x
        if momentum:
            buf = g if buf is None else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        x = x - lr * g
    return x


def ref_rmsprop(x, off, lr, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
    sq, avg, buf = 0.0, 0.0, 0.0
    for t in range(1, STEPS + 1):
        g = _grad(x, t, off) + weight_decay * x
        sq = alpha * sq + (1 - alpha) * g * g
        var = sq
        if centered:
            avg = alpha * avg + (1 - alpha) * g
            var = sq - avg * avg
        if momentum:
            buf = momentum * buf + g / (math.sqrt(var) + eps)
            x = x - lr * buf
        else:
            x = x - lr * g / (math.sqrt(var) + eps)
    return x


def ref_adam(x, off, lr, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0, decoupled=False):
    m = v = 0.0
    for t in range(1, STEPS + 1):
        g = _grad(x, t, off)
        if decoupled:
            x = x * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * x
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = m / (1 - b1 ** t)
        v_hat = v / (1 - b2 ** t)
        x = x - lr * m_hat / (math.sqrt(v_hat) + eps)
    return x


def ref_adamax(x, off, lr, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0):
    m = u = 0.0
    for t in range(1, STEPS + 1):
        g = _grad(x, t, off) + weight_decay * x
        m = b1 * m + (1 - b1) * g
        u = max(b2 * u, abs(g) + eps)
        x = x - lr * m / ((1 - b1 ** t) * u)
    return x


def ref_nadam(x, off, lr, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0, psi=4e-3):
    m = v = 0.0
    mus = []
    for t in range(1, STEPS + 1):
        g = _grad(x, t, off) + weight_decay * x
        mus.append(b1 * (1 - 0.5 * 0.96 ** (t * psi)))
        mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = mu_next * m / (1 - math.prod(mus) * mu_next) + (1 - mus[-1]) * g / (1 - math.prod(mus))
        v_hat = v / (1 - b2 ** t)
        x = x - lr * m_hat / (math.sqrt(v_hat) + eps)
    return x


CASES = [
    (SGD, dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01), ref_sgd, {}),
    (SGD, dict(lr=0.05, momentum=0.9, weight_decay=0.01, nesterov=True), ref_sgd, {}),
    (SGD, dict(lr=0.05, weight_decay=0.01), ref_sgd, {}),
    (RMSprop, dict(lr=0.01, alpha=0.9, weight_decay=0.01), ref_rmsprop, {}),
    (RMSprop, dict(lr=0.01, alpha=0.9, weight_decay=0.01, momentum=0.5, centered=True), ref_rmsprop, {}),
    (Adam, dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.01), ref_adam, {}),
    (AdamW, dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.1), ref_adam, {"decoupled": True}),
    (Adamax, dict(lr=0.02, betas=(0.8, 0.99), weight_decay=0.01), ref_adamax, {}),
    (NAdam, dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.01, momentum_decay=4e-3), ref_nadam, {}),
]


def _ref_kwargs(kw, extra):
    out = dict(kw, **extra)
    if "betas" in out:
        out["b1"], out["b2"] = out.pop("betas")
    if "momentum_decay" in out:
        out["psi"] = out.pop("momentum_decay")
    return out


def _run_ours(cls, kw, values):
    params = [Parameter(v.copy()) for v in values]
    opt = cls(params, **kw)
    offsets = [np.arange(v.size).reshape(v.shape) + 10.0 * k for k, v in enumerate(values)]
    for t in range(1, STEPS + 1):
        opt.zero_grad()
        for p, off in zip(params, offsets):
            p.grad += 2.0 * (p.value - 0.3) + 0.1 * np.sin(1.7 * t + off)
        opt.step()
    return [p.value for p in params], offsets


@pytest.mark.parametrize("cls,kw,ref,extra", CASES, ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_twenty_steps_match_scalar_reference(cls, kw, ref, extra):
    rng = np.random.default_rng(0)
    values = [rng.normal(size=(3, 2)), rng.normal(size=4)]
    got, offsets = _run_ours(cls, kw, values)
    for v, g, off in zip(values, got, offsets):
        want = np.array([ref(float(x), float(o), **_ref_kwargs(kw, extra)) for x, o in
                         zip(v.ravel(), off.ravel())]).reshape(v.shape)
        np.testing.assert_allclose(g, want, rtol=1e-12, atol=1e-13)
        assert not np.allclose(g, v)  # the optimizer really moved


def test_adam_first_step_moves_by_lr_times_sign():
    # By hand: at t=1, m_hat = g and v_hat = g^2, so the step is lr*g/(|g|+eps) ~ lr*sign(g).
    p = Parameter(np.array([1.0, -2.0, 0.5]))
    p.grad[...] = [3.0, -0.25, 1e-3]
    Adam([p], lr=0.1).step()
    np.testing.assert_allclose(p.value, [0.9, -1.9, 0.4], atol=1e-6)


def test_sgd_known_values_by_hand():
    # momentum 0.5: b1 = g1 = 1, p = 1 - 0.1*1 = 0.9; b2 = 0.5*1 + 2 = 2.5, p = 0.9 - 0.25 = 0.65
    p = Parameter(np.array([1.0]))
    opt = SGD([p], lr=0.1, momentum=0.5)
    p.grad[...] = 1.0
    opt.step()
    assert p.value[0] == pytest.approx(0.9)
    p.grad[...] = 2.0
    opt.step()
    assert p.value[0] == pytest.approx(0.65)


def test_adamw_decay_is_decoupled_from_gradient():
    # With zero gradient Adam's update is 0/(0+eps) = 0, so AdamW only shrinks: p *= 1 - lr*wd.
    p = Parameter(np.array([2.0, -4.0]))
    AdamW([p], lr=0.1, weight_decay=0.5).step()
    np.testing.assert_allclose(p.value, [2.0 * 0.95, -4.0 * 0.95])


def test_state_dict_roundtrip_resumes_identically():
    rng = np.random.default_rng(1)
    values = [rng.normal(size=(2, 3))]
    p = Parameter(values[0].copy())
    opt = Adam([p], lr=0.05)
    for _ in range(3):
        p.grad[...] = rng.normal(size=p.shape)
        opt.step()
    saved_state, saved_value = opt.state_dict(), p.value.copy()
    grads = [rng.normal(size=p.shape) for _ in range(3)]
    for g in grads:
        p.grad[...] = g
        opt.step()
    first = p.value.copy()
    opt.state[0]["exp_avg"][...] = 99.0  # corrupt, then restore
    opt.load_state_dict(saved_state)
    p.value[...] = saved_value
    for g in grads:
        p.grad[...] = g
        opt.step()
    np.testing.assert_array_equal(p.value, first)


def test_state_dict_is_a_copy():
    p = Parameter(np.ones(2))
    opt = Adam([p])
    p.grad[...] = 1.0
    opt.step()
    sd = opt.state_dict()
    opt.step()
    assert sd["state"][0]["step"] == 1
    assert opt.state[0]["step"] == 2


def test_get_optimizer_and_defaults():
    p = [Parameter(np.zeros(2))]
    assert isinstance(get_optimizer("Adam", p), Adam)
    assert get_optimizer("adamw", p).weight_decay == 1e-2
    assert get_optimizer("adamax", p).lr == 2e-3
    assert get_optimizer("nadam", p).momentum_decay == 4e-3
    r = get_optimizer("rmsprop", p)
    assert (r.lr, r.alpha, r.eps) == (1e-2, 0.99, 1e-8)
    with pytest.raises(ValueError, match="name"):
        get_optimizer("adagrad", p)


@pytest.mark.parametrize("kw,name", [
    (dict(lr=0.0), "lr"), (dict(lr=-1.0), "lr"), (dict(betas=(1.0, 0.9)), r"betas\[0\]"),
    (dict(betas=(0.9, -0.1)), r"betas\[1\]"), (dict(eps=0.0), "eps"), (dict(weight_decay=-1.0), "weight_decay"),
    (dict(betas=0.9), "betas"),
])
def test_adam_rejects_bad_hyperparameters(kw, name):
    with pytest.raises(ValueError, match=name):
        Adam([Parameter(np.zeros(1))], **kw)


def test_other_bad_inputs():
    p = [Parameter(np.zeros(1))]
    with pytest.raises(ValueError, match="nesterov"):
        SGD(p, lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="alpha"):
        RMSprop(p, alpha=1.0)
    with pytest.raises(ValueError, match="momentum_decay"):
        NAdam(p, momentum_decay=-1.0)
    with pytest.raises(ValueError, match="params"):
        SGD([], lr=0.1)
    with pytest.raises(ValueError, match=r"params\[0\]"):
        SGD([np.zeros(2)], lr=0.1)
    with pytest.raises(ValueError, match="max_norm"):
        clip_grad_norm(p, 0.0)
    with pytest.raises(ValueError, match="clip_value"):
        clip_grad_value(p, -1.0)


def test_clip_grad_norm_known_values():
    a, b = Parameter(np.zeros(2)), Parameter(np.zeros(1))
    a.grad[...] = [3.0, 0.0]
    b.grad[...] = [4.0]
    total = clip_grad_norm([a, b], 1.0)
    assert total == pytest.approx(5.0)
    np.testing.assert_allclose(np.r_[a.grad, b.grad], [0.6, 0.0, 0.8], rtol=1e-6)
    assert clip_grad_norm([a, b], 10.0) == pytest.approx(1.0, rel=1e-6)  # below the limit: unchanged
    np.testing.assert_allclose(np.r_[a.grad, b.grad], [0.6, 0.0, 0.8], rtol=1e-6)


def test_clip_grad_norm_huge_and_nonfinite_without_warnings():
    a = Parameter(np.zeros(3))
    a.grad[...] = [1e300, 1e300, -1e300]
    assert clip_grad_norm([a], 1.0) == pytest.approx(math.sqrt(3) * 1e300)
    np.testing.assert_allclose(np.linalg.norm(a.grad), 1.0, rtol=1e-5)
    a.grad[...] = [np.inf, 1.0, 0.0]
    assert clip_grad_norm([a], 1.0) == np.inf
    a.grad[...] = [np.nan, 1.0, 0.0]
    assert math.isnan(clip_grad_norm([a], 1.0))


def test_clip_grad_value():
    a = Parameter(np.zeros(3))
    a.grad[...] = [-5.0, 0.5, 7.0]
    clip_grad_value([a], 1.0)
    np.testing.assert_array_equal(a.grad, [-1.0, 0.5, 1.0])


# ----------------------------------- cross-check with torch.optim -----------------------------------

TORCH_CASES = [
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.9, weight_decay=0.01, nesterov=True)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, weight_decay=0.01, momentum=0.5, centered=True)),
    ("RMSprop", dict(lr=0.01, weight_decay=0.01)),
    ("Adam", dict(lr=0.01, weight_decay=0.01)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1)),
    ("Adamax", dict(lr=0.02, weight_decay=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.01)),
]


@pytest.mark.parametrize("name,kw", TORCH_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(TORCH_CASES)])
def test_matches_torch_optim(name, kw):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    shapes = [(4, 3), (3,)]
    init = [rng.normal(size=s) for s in shapes]
    grads = [[rng.normal(size=s) for s in shapes] for _ in range(STEPS)]
    ours = [Parameter(v.copy()) for v in init]
    opt = get_optimizer(name, ours, **kw)
    theirs = [torch.tensor(v.copy(), dtype=torch.float64, requires_grad=True) for v in init]
    topt = getattr(torch.optim, name)(theirs, **kw)
    old_dtype = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)  # else torch keeps NAdam's step and mu_product in float32
    try:
        for step_grads in grads:
            for p, tp, g in zip(ours, theirs, step_grads):
                p.grad[...] = g
                tp.grad = torch.tensor(g, dtype=torch.float64)
            opt.step()
            topt.step()
    finally:
        torch.set_default_dtype(old_dtype)
    for p, tp in zip(ours, theirs):
        np.testing.assert_allclose(p.value, tp.detach().numpy(), rtol=1e-10, atol=1e-12)
