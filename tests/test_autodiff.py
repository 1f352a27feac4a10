import importlib.util
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons_lib.autodiff import Value, ValueMLP, mse_loss


def grad_of(f, *xs):
    """Run f on fresh leaves and return (output, gradients of the leaves)."""
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    out.backward()
    return out.data, [v.grad for v in leaves]


def fd(f, *xs, eps=1e-6):
    """Central differences of a float function, for comparison."""
    grads = []
    for i in range(len(xs)):
        hi = list(xs)
        lo = list(xs)
        hi[i] += eps
        lo[i] -= eps
        grads.append((f(*hi) - f(*lo)) / (2 * eps))
    return grads


def test_hand_computed_example():
    # L = (a*b + c)^2 with a=2, b=-3, c=10: L = 16; dL/da = 2*4*b = -24, dL/db = 2*4*a = 16, dL/dc = 8
    val, (ga, gb, gc) = grad_of(lambda a, b, c: (a * b + c) ** 2, 2.0, -3.0, 10.0)
    assert val == 16.0
    assert (ga, gb, gc) == (-24.0, 16.0, 8.0)


def test_reused_values_accumulate():
    _, (g,) = grad_of(lambda x: x * x, 3.0)
    assert g == 6.0
    _, (g,) = grad_of(lambda x: x + x, 3.0)
    assert g == 2.0
    _, (g,) = grad_of(lambda x: x * x * x - x, 2.0)
    assert g == 11.0                                         # 3x^2 - 1


OPS = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "rsub": (lambda a, b: 2.5 - a * b, lambda a, b: 2.5 - a * b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / b, lambda a, b: a / b),
    "rdiv": (lambda a, b: 1.5 / (a + b * b + 5), lambda a, b: 1.5 / (a + b * b + 5)),
    "pow": (lambda a, b: (a * a + 1) ** 1.7 + b ** 3, lambda a, b: (a * a + 1) ** 1.7 + b ** 3),
    "neg": (lambda a, b: -a * b, lambda a, b: -a * b),
    "exp": (lambda a, b: (a * b).exp(), lambda a, b: math.exp(a * b)),
    "log": (lambda a, b: (a * a + b * b).log(), lambda a, b: math.log(a * a + b * b)),
    "tanh": (lambda a, b: (a - b).tanh(), lambda a, b: math.tanh(a - b)),
    "sigmoid": (lambda a, b: (a * b).sigmoid(), lambda a, b: 1 / (1 + math.exp(-a * b))),
    "relu": (lambda a, b: (a - b).relu() + (b - a).relu() * 3, lambda a, b: max(a - b, 0) + 3 * max(b - a, 0)),
    "radd_rmul": (lambda a, b: 2 + 3 * a + b, lambda a, b: 2 + 3 * a + b),
}


@pytest.mark.parametrize("op", sorted(OPS))
def test_every_operation_against_finite_differences(op):
    f_value, f_float = OPS[op]
    rng = np.random.default_rng(sorted(OPS).index(op))
    for _ in range(5):
        a, b = rng.uniform(0.3, 2.0), rng.uniform(-2.0, -0.3)
        val, grads = grad_of(f_value, a, b)
        assert val == pytest.approx(f_float(a, b), rel=1e-14)
        ref = fd(f_float, a, b)
        for g, r in zip(grads, ref, strict=True):
            assert g == pytest.approx(r, rel=1e-7, abs=1e-9)


def test_deep_chain_has_no_recursion_limit():
    x = Value(0.5)
    y = x
    for _ in range(10_000):
        y = y * 1.0001 + 0.0
    y.backward()
    assert x.grad == pytest.approx(1.0001 ** 10_000, rel=1e-10)
    y.zero_grad()
    assert x.grad == 0.0 and y.grad == 0.0


def test_very_deep_chain_of_tanh():
    x = Value(0.1)
    y = x
    for _ in range(50_000):
        y = y.tanh()
    y.backward()
    assert 0 < x.grad <= 1


def test_backward_twice_doubles_leaf_gradients_and_zero_grad_clears_all():
    a, b = Value(2.0), Value(-1.0)
    c = a * b
    d = c.tanh() + a
    d.backward()
    first = (a.grad, b.grad)
    d.backward()
    assert (a.grad, b.grad) == pytest.approx((2 * first[0], 2 * first[1]))
    d.zero_grad()
    assert all(v.grad == 0.0 for v in (a, b, c, d))
    d.backward()
    assert (a.grad, b.grad) == pytest.approx(first)


def test_graph_is_topological():
    a = Value(1.0)
    b = a * 2
    c = a + b
    d = c * b
    order = d.graph()
    pos = {id(v): i for i, v in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert pos[id(parent)] < pos[id(node)]
    assert len(order) == len({id(v) for v in order})


def test_sigmoid_and_exp_extremes():
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0
    assert Value(1000.0).exp().data == math.inf


def test_pow_edge_cases():
    _, (g,) = grad_of(lambda x: x ** 2, 0.0)
    assert g == 0.0
    _, (g,) = grad_of(lambda x: x ** 0, 3.0)
    assert g == 0.0
    _, (g,) = grad_of(lambda x: x ** -1, 2.0)
    assert g == -0.25


def test_bad_inputs():
    with pytest.raises(ValueError, match="data"):
        Value("3")
    with pytest.raises(ValueError, match="data"):
        Value(Value(1.0))
    with pytest.raises(ValueError, match="log"):
        Value(0.0).log()
    with pytest.raises(ValueError, match="exponent"):
        Value(2.0) ** Value(2.0)
    with pytest.raises(ValueError, match="exponent"):
        Value(-2.0) ** 0.5
    with pytest.raises(ValueError, match="exponent"):
        Value(0.0) ** -1
    with pytest.raises(ValueError, match="division"):
        Value(1.0) / 0
    with pytest.raises(ValueError, match="activation"):
        ValueMLP([np.ones((2, 2))], [np.ones(2)], activation="softmax")
    with pytest.raises(ValueError, match="biases\\[0\\]"):
        ValueMLP([np.ones((2, 3))], [np.ones(2)])
    with pytest.raises(ValueError, match="weights\\[1\\]"):
        ValueMLP([np.ones((2, 3)), np.ones((2, 1))], [np.ones(3), np.ones(1)])
    with pytest.raises(ValueError, match="x must have 2"):
        ValueMLP([np.ones((2, 3))], [np.ones(3)])([1.0])
    with pytest.raises(ValueError, match="targets"):
        mse_loss([[Value(1.0)]], np.zeros((2, 1)))


# ---- numpy reference MLP, written here independently of lessons_lib.layers ------------------------------

ACT = {
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),
    "identity": (lambda z: z, lambda z: np.ones_like(z)),
}


def numpy_mlp_grads(X, Y, Ws, bs, act, out_act):
    hs, zs = [X], []
    for l, (W, b) in enumerate(zip(Ws, bs, strict=True)):
        z = hs[-1] @ W + b
        zs.append(z)
        hs.append(ACT[out_act if l == len(Ws) - 1 else act][0](z))
    loss = np.mean((hs[-1] - Y) ** 2)
    dh = 2 * (hs[-1] - Y) / Y.size
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    for l in reversed(range(len(Ws))):
        dz = dh * ACT[out_act if l == len(Ws) - 1 else act][1](zs[l])
        dWs[l] = hs[l].T @ dz
        dbs[l] = dz.sum(axis=0)
        dh = dz @ Ws[l].T
    return loss, dWs, dbs, dh


def random_net(rng, sizes):
    Ws = [rng.normal(scale=0.8, size=(m, n)) for m, n in zip(sizes[:-1], sizes[1:], strict=True)]
    bs = [rng.normal(scale=0.5, size=n) for n in sizes[1:]]      # non-zero biases: zeros hide bugs
    return Ws, bs


@pytest.mark.parametrize("act,out_act", [("tanh", "identity"), ("sigmoid", "sigmoid"), ("relu", "tanh")])
def test_value_mlp_matches_numpy_backprop(act, out_act):
    rng = np.random.default_rng(11)
    sizes = [3, 4, 5, 2]
    Ws, bs = random_net(rng, sizes)
    X = rng.normal(size=(6, 3))
    Y = rng.normal(size=(6, 2))
    net = ValueMLP(Ws, bs, activation=act, output_activation=out_act)
    loss = mse_loss(net.forward_batch(X), Y)
    loss.backward()
    ref_loss, ref_dW, ref_db, _ = numpy_mlp_grads(X, Y, Ws, bs, act, out_act)
    assert loss.data == pytest.approx(ref_loss, rel=1e-12)
    dW, db = net.gradients()
    for ours, ref in zip(dW + db, ref_dW + ref_db, strict=True):
        assert np.allclose(ours, ref, rtol=1e-10, atol=1e-13)
    assert len(net.parameters()) == sum(W.size + b.size for W, b in zip(Ws, bs, strict=True))
    net.zero_grad()
    assert all(p.grad == 0.0 for p in net.parameters())


def test_value_mlp_input_gradient():
    rng = np.random.default_rng(12)
    Ws, bs = random_net(rng, [2, 3, 1])
    X = rng.normal(size=(1, 2))
    Y = rng.normal(size=(1, 1))
    xs = [Value(v) for v in X[0]]
    net = ValueMLP(Ws, bs)
    loss = mse_loss([net(xs)], Y)
    loss.backward()
    _, _, _, dX = numpy_mlp_grads(X, Y, Ws, bs, "tanh", "identity")
    assert np.allclose([v.grad for v in xs], dX[0], rtol=1e-10)


@pytest.mark.skipif(importlib.util.find_spec("lessons_lib.network") is None
                    or importlib.util.find_spec("lessons_lib.layers") is None,
                    reason="lessons_lib.layers / network not available")
def test_value_mlp_matches_lessons_lib_layers():
    from lessons_lib.layers import ActivationLayer, Dense
    from lessons_lib.losses import MSELoss
    from lessons_lib.network import Sequential

    rng = np.random.default_rng(13)
    sizes = [3, 5, 2]
    Ws, bs = random_net(rng, sizes)
    X = rng.normal(size=(4, 3))
    Y = rng.normal(size=(4, 2))
    layers = []
    for l, (W, b) in enumerate(zip(Ws, bs, strict=True)):
        d = Dense(W.shape[0], W.shape[1], rng=0)
        d.W.value[...] = W
        d.b.value[...] = b
        layers.append(d)
        if l < len(Ws) - 1:
            layers.append(ActivationLayer("tanh"))
    model = Sequential(*layers)
    out, caches = model.forward(X)
    loss_fn = MSELoss()
    loss, lcache = loss_fn.forward(out, Y)
    model.backward(loss_fn.backward(lcache), caches)

    net = ValueMLP(Ws, bs, activation="tanh")
    vloss = mse_loss(net.forward_batch(X), Y)
    vloss.backward()
    assert vloss.data == pytest.approx(loss, rel=1e-12)
    dW, db = net.gradients()
    dense = [layer for layer in layers if isinstance(layer, Dense)]
    for l, layer in enumerate(dense):
        assert np.allclose(layer.W.grad, dW[l], rtol=1e-10, atol=1e-13)
        assert np.allclose(layer.b.grad, db[l], rtol=1e-10, atol=1e-13)


@settings(max_examples=40, deadline=None)
@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(0.5, 3))
def test_random_expression_property(a, b, c):
    def f(a, b, c):
        return ((a * b).tanh() + (c.log() * a) ** 2 - b / c).sigmoid() * c

    def g(a, b, c):
        s = math.tanh(a * b) + (math.log(c) * a) ** 2 - b / c
        return 1 / (1 + math.exp(-s)) * c

    val, grads = grad_of(f, a, b, c)
    assert val == pytest.approx(g(a, b, c), rel=1e-12)
    for got, ref in zip(grads, fd(g, a, b, c), strict=True):
        assert got == pytest.approx(ref, rel=1e-6, abs=1e-8)
