"""Sections 2.3 and 2.3.1 — the numbers behind the backpropagation figures and tables.

Pure numpy (no matplotlib): a computational graph laid out for drawing, the operation counts that make
the cost of reverse mode concrete, a copy of a vectorised MLP as a scalar :class:`~lessons_lib.autodiff.ValueMLP`,
a whole-network gradient check, the symmetry-breaking experiment, the two-moons training run repeated over
seeds, a classifier's decision regions, and backpropagation on a tiny graph one node at a time (the explorer
of section 2.3.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import numpy as np

from .._validation import as_float_array, check_positive, check_positive_int
from ..autodiff import Value, ValueMLP
from ..datasets import make_moons
from ..layers import ActivationLayer, Dense
from ..network import Sequential, mlp
from ..optimizers import SGD
from ..training import evaluate, fit, predict

__all__ = ["GraphLayout", "graph_layout", "operation_counts", "to_value_mlp", "SymmetryRun", "symmetry_run",
           "MoonsRun", "moons_run", "DecisionGrid", "decision_grid", "BACKPROP_GRAPHS", "BACKPROP_STEPS",
           "BackpropStep", "BackpropWalk", "backprop_graph", "backprop_walk", "number_text"]


# ---- the computational graph of a Value ------------------------------------------------------------------

@dataclass(frozen=True)
class GraphLayout:
    """Where to draw each node of a :class:`Value` graph.

    ``nodes`` are in topological order (inputs first, the output last); ``position[k]`` is the (column, row)
    of ``nodes[k]``: an operation's column is the length of the longest path from a leaf to it, and a leaf
    (input or parameter) sits one column left of its earliest user, so every edge points to the right.
    ``edges`` are pairs of indices ``(parent, child)``.
    """

    nodes: tuple
    position: np.ndarray
    edges: tuple


def graph_layout(output: Value) -> GraphLayout:
    """Lay out the graph that ``output`` was computed from, column by column."""
    if not isinstance(output, Value):
        raise ValueError(f"output must be a Value, got {type(output).__name__}")
    order = output.graph()
    index = {id(node): k for k, node in enumerate(order)}
    column = np.zeros(len(order), dtype=int)
    for k, node in enumerate(order):                 # parents come first, so their columns are final
        if node.parents:
            column[k] = 1 + max(column[index[id(p)]] for p in node.parents)
    for k in range(len(order) - 1, -1, -1):          # a leaf sits just left of its earliest user
        node = order[k]
        if node.parents:
            for p in node.parents:
                if not p.parents:
                    j = index[id(p)]
                    column[j] = column[k] - 1 if column[j] == 0 else min(column[j], column[k] - 1)
    row = np.zeros(len(order))
    for c in range(column.max() + 1):
        members = np.flatnonzero(column == c)
        row[members] = np.arange(len(members)) - (len(members) - 1) / 2     # centred on 0
    edges = tuple((index[id(p)], k) for k, node in enumerate(order) for p in node.parents)
    return GraphLayout(tuple(order), np.column_stack([column, row]).astype(float), edges)


def operation_counts(output: Value) -> dict[str, int]:
    """Size of the graph behind ``output``: the work of one forward and one backward pass.

    ``operations`` is the number of nodes made by an operation (one evaluation each in the forward pass);
    ``edges`` the number of (parent, child) links -- the backward pass does one multiply-add per edge;
    ``leaves`` the number of inputs and parameters, each of which receives its gradient.
    """
    if not isinstance(output, Value):
        raise ValueError(f"output must be a Value, got {type(output).__name__}")
    order = output.graph()
    return {"operations": sum(1 for n in order if n.parents),
            "edges": sum(len(n.parents) for n in order),
            "leaves": sum(1 for n in order if not n.parents)}


# ---- vectorised network <-> scalar engine -------------------------------------------------------------------

def to_value_mlp(model: Sequential) -> ValueMLP:
    """A :class:`ValueMLP` with the same weights as ``model``: Dense layers, each followed by one activation
    (identity, tanh, sigmoid or relu) except possibly the last. Every hidden activation must be the same."""
    if not isinstance(model, Sequential):
        raise ValueError(f"model must be a Sequential, got {type(model).__name__}")
    weights, biases, acts = [], [], []
    for i, layer in enumerate(model):
        if isinstance(layer, Dense):
            if layer.b is None:
                raise ValueError(f"model[{i}] must have a bias to be copied into a ValueMLP")
            weights.append(layer.W.value)
            biases.append(layer.b.value)
            acts.append("identity")
        elif isinstance(layer, ActivationLayer) and acts and acts[-1] == "identity" and len(acts) == len(weights):
            acts[-1] = layer.name
        else:
            raise ValueError(f"model[{i}] must be a Dense layer or one activation after it, got {layer!r}")
    hidden = set(acts[:-1])
    if len(hidden) > 1:
        raise ValueError(f"model must use one hidden activation, got {sorted(hidden)}")
    return ValueMLP(weights, biases, activation=hidden.pop() if hidden else "tanh", output_activation=acts[-1])


# ---- symmetry breaking --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SymmetryRun:
    """One training run of a one-hidden-layer MLP, recorded epoch by epoch.

    ``hidden_weights[e]`` is the first layer's weight matrix (inputs x hidden units) after ``e`` epochs
    (``e = 0``: the initial weights); ``unit_spread[e]`` the largest difference between two hidden units'
    incoming weights and biases at that time (0 means all hidden units are identical).
    """

    init: str
    hidden_weights: np.ndarray
    unit_spread: np.ndarray
    train_loss: np.ndarray
    train_accuracy: np.ndarray


def _spread(dense: Dense) -> float:
    units = np.vstack([dense.W.value, dense.b.value])           # one column per hidden unit
    return float(np.max(units.max(axis=1) - units.min(axis=1)))


def symmetry_run(init: str, X, y, hidden: int = 4, activation: str = "sigmoid", epochs: int = 150,
                 lr: float = 2.0, batch_size: int = 20, seed: int = 0) -> SymmetryRun:
    """Train ``mlp([features, hidden, 1])`` with the initializer ``init`` (e.g. "zeros" or "glorot_uniform")
    on the binary labels ``y`` with plain SGD, and record the hidden layer after every epoch."""
    X = as_float_array(X, "X", ndim=2)
    hidden = check_positive_int(hidden, "hidden")
    epochs = check_positive_int(epochs, "epochs")
    lr = check_positive(lr, "lr")
    rng = np.random.default_rng(seed)
    model = mlp([X.shape[1], hidden, 1], activation=activation, rng=rng, init=init)
    first = model[0]
    weights, spread = [first.W.value.copy()], [_spread(first)]

    def record(epoch, history):
        weights.append(first.W.value.copy())
        spread.append(_spread(first))

    history = fit(model, "bce_with_logits", SGD(model.parameters(), lr=lr), X, y, epochs=epochs,
                  batch_size=batch_size, rng=rng, callback=record)
    return SymmetryRun(init, np.array(weights), np.array(spread), np.array(history.train_loss),
                       np.array(history.train_accuracy))


# ---- the two-moons run of section 2.3.1, repeated over seeds ------------------------------------------------

@dataclass(frozen=True)
class MoonsRun:
    """One two-moons training run of section 2.3.1, and a network without hidden layer on the same data.

    Per epoch (index ``e`` is epoch ``e + 1``): ``train_loss`` is the mean over the epoch's mini-batches,
    each measured before its own step (what :func:`~lessons_lib.training.fit` records);
    ``train_loss_at_end`` the loss on the whole training set with the weights at the end of the epoch,
    measured like ``val_loss``; ``val_accuracy`` the accuracy on the validation points. ``line_loss`` is the
    final training loss of ``mlp([2, 1])`` (a single straight boundary) trained the same way.
    """

    seed: int
    train_loss: np.ndarray
    train_loss_at_end: np.ndarray
    val_loss: np.ndarray
    val_accuracy: np.ndarray
    line_loss: float


def moons_run(seed: int, hidden=(16, 16), epochs: int = 100, lr: float = 0.3, batch_size: int = 20,
              n_train: int = 200, n_val: int = 100, noise: float = 0.2) -> MoonsRun:
    """Section 2.3.1's experiment from one seed: moons data, a tanh MLP trained with SGD, and a line.

    The seed draws, in this order, the ``n_train + n_val`` points of ``make_moons`` (the first ``n_train``
    train, the rest validate), the network's initial weights, the shuffling of its training, then the
    initial weights and shuffling of ``mlp([2, 1])``, trained with the same loss, optimizer and schedule.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    hidden = tuple(check_positive_int(h, "hidden") for h in hidden)
    epochs = check_positive_int(epochs, "epochs")
    lr = check_positive(lr, "lr")
    n_train = check_positive_int(n_train, "n_train")
    n_val = check_positive_int(n_val, "n_val")
    rng = np.random.default_rng(seed)
    X, y = make_moons(n_train + n_val, rng=rng, noise=noise)
    X_train, y_train, X_val, y_val = X[:n_train], y[:n_train], X[n_train:], y[n_train:]
    model = mlp([2, *hidden, 1], activation="tanh", rng=rng)
    at_end = []

    def record(epoch, history):
        at_end.append(evaluate(model, "bce_with_logits", X_train, y_train)[0])

    history = fit(model, "bce_with_logits", SGD(model.parameters(), lr=lr), X_train, y_train, epochs=epochs,
                  batch_size=batch_size, rng=rng, validation_data=(X_val, y_val), callback=record)
    line = mlp([2, 1], rng=rng)
    fit(line, "bce_with_logits", SGD(line.parameters(), lr=lr), X_train, y_train, epochs=epochs,
        batch_size=batch_size, rng=rng)
    line_loss = evaluate(line, "bce_with_logits", X_train, y_train)[0]
    return MoonsRun(int(seed), np.array(history.train_loss), np.array(at_end), np.array(history.val_loss),
                    np.array(history.val_accuracy), float(line_loss))


# ---- decision regions -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DecisionGrid:
    """The model's probability of class 1 at every point of a regular grid: ``probability[i, j]`` is at
    ``(x[j], y[i])``, the layout of ``matplotlib``'s ``contourf(x, y, probability)``."""

    x: np.ndarray
    y: np.ndarray
    probability: np.ndarray


def decision_grid(model, xlim: tuple[float, float], ylim: tuple[float, float], n: int = 200) -> DecisionGrid:
    """Evaluate a two-input binary classifier (one logit out, or two class logits) on an ``n`` x ``n`` grid."""
    n = check_positive_int(n, "n", minimum=2)
    for name, lim in (("xlim", xlim), ("ylim", ylim)):
        lo, hi = (float(v) for v in lim)
        if not lo < hi:
            raise ValueError(f"{name} must be (low, high) with low < high, got {lim!r}")
    xs, ys = np.linspace(*xlim, n), np.linspace(*ylim, n)
    gx, gy = np.meshgrid(xs, ys)
    logits = predict(model, np.column_stack([gx.ravel(), gy.ravel()]))
    if logits.shape[1] == 1:
        z = logits[:, 0]
    elif logits.shape[1] == 2:
        z = logits[:, 1] - logits[:, 0]          # softmax of two logits = sigmoid of their difference
    else:
        raise ValueError(f"model must output 1 or 2 logits, got {logits.shape[1]}")
    prob = np.exp(-np.logaddexp(0.0, -z))       # sigmoid without overflow
    return DecisionGrid(xs, ys, prob.reshape(n, n))


# ---- backpropagation one node at a time (the explorer of section 2.3.1) ---------------------------------------

#: The explorer's graphs: name -> what it computes. Each has 4 leaves and 5 operations, so its walk has the
#: same number of steps (:data:`BACKPROP_STEPS`).
BACKPROP_GRAPHS = {
    "neuron": "one neuron and its loss: L = (tanh(w·x + b) − t)²",
    "shared": "a weight used twice: L = (w·x₁ + w·x₂ − t)²",
}
#: Steps of every walk: the leaves (step 0), 5 forward steps (one per operation), 9 backward steps (one per node).
BACKPROP_STEPS = 15
_FD_EPS = 1e-6
_LEAF_ORDER = ("x", "x₁", "x₂", "w", "b", "t")     # the order in which step 0 lists the leaves


def _neuron(leaves: dict) -> Value:
    x, w, b, t = (Value(leaves[k], label=k) for k in ("x", "w", "b", "t"))
    m = w * x
    z = m + b
    y = z.tanh()
    e = y - t
    loss = e ** 2
    for node, label in ((m, "m"), (z, "z"), (y, "y"), (e, "e"), (loss, "L")):
        node.label = label
    return loss


def _shared(leaves: dict) -> Value:
    w, x1, x2, t = (Value(leaves[k], label=k) for k in ("w", "x₁", "x₂", "t"))
    u1 = w * x1
    u2 = w * x2
    s = u1 + u2
    e = s - t
    loss = e ** 2
    for node, label in ((u1, "u₁"), (u2, "u₂"), (s, "s"), (e, "e"), (loss, "L")):
        node.label = label
    return loss


# name -> (builder, the leaves' values with the first input left out, the first input's name)
_BUILDERS = {"neuron": (_neuron, {"w": 0.5, "b": -0.3, "t": 1.0}, "x"),
             "shared": (_shared, {"w": 0.5, "x₂": -1.5, "t": 1.0}, "x₁")}


def backprop_graph(graph: str, first_input: float = 2.0) -> Value:
    """The loss ``L`` of one of :data:`BACKPROP_GRAPHS` after its forward pass (no gradients yet), every node
    labelled. ``first_input`` is the value of ``x`` ("neuron") or ``x₁`` ("shared")."""
    if graph not in _BUILDERS:
        raise ValueError(f"graph must be one of {', '.join(map(repr, _BUILDERS))}, got {graph!r}")
    if isinstance(first_input, bool) or not isinstance(first_input, (int, float, np.integer, np.floating)) \
            or not np.isfinite(first_input):
        raise ValueError(f"first_input must be a finite number, got {first_input!r}")
    build, leaves, first = _BUILDERS[graph]
    return build({**leaves, first: float(first_input)})


def number_text(v: float) -> str:
    """A number as the explorer writes it: 3 significant digits (trailing zeros kept when it was rounded:
    "−1.00", but "0.5"), a true minus sign."""
    # Halves round up, as a student rounds by hand (0.5625 -> 0.563; Python's format rounds to even).
    v = float(v)
    if v != 0 and np.isfinite(v):
        exponent = int(np.floor(np.log10(abs(v)))) - 2
        v = float(Decimal(repr(v)).scaleb(-exponent).quantize(Decimal(1), ROUND_HALF_UP).scaleb(exponent))
    text = f"{v:.3g}"
    if abs(float(text) - v) > 1e-9 * max(1.0, abs(v)):
        text = f"{v:#.3g}".rstrip(".")
    text = text.replace("-", "−")
    return "0" if text == "−0" else text


def _factor(v: float) -> str:
    """A number inside a product: negative ones in brackets."""
    text = number_text(v)
    return f"({text})" if text.startswith("−") else text


def _expression(node: Value, names: dict) -> str:
    """The right-hand side of ``node``'s definition, in its parents' names: "w·x", "tanh z", "e²"."""
    p = [names[id(q)] for q in node.parents]
    if node.op == "+":
        return f"{p[0]} + {p[1]}"
    if node.op == "-":
        return f"{p[0]} − {p[1]}"
    if node.op == "*":
        return f"{p[0]}·{p[1]}"
    if node.op == "**2":
        return f"{p[0]}²"
    if node.op == "tanh":
        return f"tanh {p[0]}"
    raise ValueError(f"the explorer does not draw the operation {node.op!r}")


def _forward_numbers(node: Value) -> str:
    """The same expression with the parents' values: "0.5·2", "tanh(0.7)"."""
    v = [q.data for q in node.parents]
    if node.op == "+":
        return f"{number_text(v[0])} + {_factor(v[1])}"
    if node.op == "-":
        return f"{number_text(v[0])} − {_factor(v[1])}"
    if node.op == "*":
        return f"{_factor(v[0])}·{_factor(v[1])}"
    if node.op == "**2":
        return f"{_factor(v[0])}²"
    return f"tanh({number_text(v[0])})"


def _local_rule(user: Value, position: int, names: dict) -> str:
    """The local derivative of ``user`` with respect to its parent number ``position``, as a rule and its
    value: "∂(w·x)/∂w = x = 2", "∂tanh z/∂z = 1 − y² = 0.635"."""
    p, me = [names[id(q)] for q in user.parents], names[id(user)]
    local = user.local_grads[position]
    wrt = p[position]
    if user.op in ("+", "-"):
        sign = "−1" if user.op == "-" and position == 1 else "1"
        return f"∂({_expression(user, names)})/∂{wrt} = {sign}"
    if user.op == "*":
        return f"∂({p[0]}·{p[1]})/∂{wrt} = {p[1 - position]} = {number_text(local)}"
    if user.op == "**2":
        return f"∂({wrt}²)/∂{wrt} = 2{wrt} = {number_text(local)}"
    return f"∂(tanh {wrt})/∂{wrt} = 1 − {me}² = {number_text(local)}"


@dataclass(frozen=True)
class BackpropStep:
    """What one step of the walk shows.

    ``phase`` is "inputs" (step 0: only the leaves have values), "forward" (``node`` has just been
    computed) or "backward" (``node`` has just received its gradient). ``has_value[k]`` says whether node
    ``k`` has its value yet; ``grad[k]`` is its gradient when known, NaN before. ``edges`` are the indices
    (into :attr:`BackpropWalk.edges`) of the edges this step uses: into ``node`` in the forward pass, out of it
    (to its users) in the backward pass. ``lines`` is the explanation written beside the graph.
    """

    phase: str
    node: int
    has_value: np.ndarray
    grad: np.ndarray
    edges: tuple
    lines: tuple


@dataclass(frozen=True)
class BackpropWalk:
    """Backpropagation on one small graph, one node at a time.

    ``names[k]`` and ``formulas[k]`` ("m = w·x"; a leaf's is its name) describe ``nodes`` of
    :func:`graph_layout`, in topological order; ``position``, ``edges`` as there, ``leaf[k]`` whether node
    ``k`` is an input or parameter. ``grad`` holds the gradients as the walk computes them (each node's from
    its users', with the engine's local derivatives), ``engine_grad`` those of ``Value.backward()`` and
    ``numeric_grad`` central finite differences for the leaves (NaN for the other nodes).
    """

    graph: str
    names: tuple
    formulas: tuple
    position: np.ndarray
    edges: tuple
    leaf: np.ndarray
    values: np.ndarray
    grad: np.ndarray
    engine_grad: np.ndarray
    numeric_grad: np.ndarray
    steps: tuple


@lru_cache(maxsize=64)
def backprop_walk(graph: str, first_input: float = 2.0) -> BackpropWalk:
    """Walk the graph ``graph`` (a key of :data:`BACKPROP_GRAPHS`) forward, one operation per step, then
    backward, one node per step in reverse topological order, as ``Value.backward()`` visits them.

    In the backward pass each node's gradient is the sum, over its users, of the user's gradient times the
    user's local derivative with respect to it (the engine's ``local_grads``): the chain rule that
    ``backward()`` applies edge by edge with ``+=``, collected at the receiving node.
    """
    output = backprop_graph(graph, first_input)
    layout = graph_layout(output)
    nodes = layout.nodes
    index = {id(node): k for k, node in enumerate(nodes)}
    names = {id(node): node.label for node in nodes}
    out_name = names[id(output)]
    n = len(nodes)
    formulas = tuple(node.label if not node.parents else f"{node.label} = {_expression(node, names)}"
                     for node in nodes)
    leaf = np.array([not node.parents for node in nodes])
    values = np.array([node.data for node in nodes])
    edge_index = {edge: e for e, edge in enumerate(layout.edges)}
    users = [[] for _ in range(n)]                  # (user index, position of the node among its parents)
    for k, node in enumerate(nodes):
        for position, parent in enumerate(node.parents):
            users[index[id(parent)]].append((k, position))

    def grad_name(k):
        return f"∂{out_name}/∂{nodes[k].label}"

    steps = []
    has_value = leaf.copy()
    grad = np.full(n, np.nan)
    leaves = ", ".join(f"{nodes[k].label} = {number_text(values[k])}"
                       for k in sorted(np.flatnonzero(leaf), key=lambda k: _LEAF_ORDER.index(nodes[k].label)))
    steps.append(BackpropStep("inputs", -1, has_value.copy(), grad.copy(), (),
                              ("Start: the inputs and parameters (blue) have values.",
                               leaves,
                               "Move the step slider to run the forward pass; in the backward pass each node's",
                               f"gradient, grad = ∂{out_name}/∂node, appears under it.")))
    operations = [k for k in range(n) if not leaf[k]]
    for j, k in enumerate(operations, start=1):
        has_value[k] = True
        node = nodes[k]
        edges = tuple(edge_index[(index[id(p)], k)] for p in node.parents)
        steps.append(BackpropStep("forward", k, has_value.copy(), grad.copy(), edges, (
            f"Forward pass, operation {j} of {len(operations)}: compute {node.label}.",
            f"{formulas[k]} = {_forward_numbers(node)} = {number_text(values[k])}",
            "Each operation also stores its local derivatives for the way back.")))
    for j, k in enumerate(reversed(range(n)), start=1):
        head = f"Backward pass, node {j} of {n}: {grad_name(k)}."
        if not users[k]:                             # the output
            grad[k] = 1.0
            lines = (head, f"{grad_name(k)} = 1: the backward pass starts at the output.")
            edges = ()
        else:
            total, terms, numbers, rules = 0.0, [], [], []
            for user, position in users[k]:
                local = nodes[user].local_grads[position]
                total += grad[user] * local
                terms.append(f"{grad_name(user)}·∂{nodes[user].label}/∂{nodes[k].label}")
                numbers.append(f"{_factor(grad[user])}·{_factor(local)}")
                rules.append(_local_rule(nodes[user], position, names))
            grad[k] = total
            used = " and ".join(nodes[u].label for u, _ in users[k])
            lines = (head,
                     f"{nodes[k].label} is used by {used}; local rule{'s' if len(rules) > 1 else ''}: "
                     + ";  ".join(rules),
                     f"{grad_name(k)} = {' + '.join(terms)} = {' + '.join(numbers)} = {number_text(total)}")
            edges = tuple(edge_index[(k, user)] for user, _ in users[k])
        steps.append(BackpropStep("backward", k, has_value.copy(), grad.copy(), edges, lines))

    output.backward()
    engine = np.array([node.grad for node in nodes])
    build, fixed, first = _BUILDERS[graph]
    leaf_values = {**fixed, first: float(first_input)}
    numeric = np.full(n, np.nan)
    for k in np.flatnonzero(leaf):
        name = nodes[k].label
        up = build({**leaf_values, name: leaf_values[name] + _FD_EPS}).data
        down = build({**leaf_values, name: leaf_values[name] - _FD_EPS}).data
        numeric[k] = (up - down) / (2 * _FD_EPS)
    gap = float(np.max(np.abs(numeric[leaf] - grad[leaf])))
    last = steps[-1]
    agree = "agree to within 1e-6" if gap < 1e-6 else f"differ by up to {gap:.2g}"
    steps[-1] = BackpropStep(last.phase, last.node, last.has_value, last.grad, last.edges, last.lines + (
        f"Done: these are the gradients of {out_name}.backward(); finite differences {agree}.",))
    if len(steps) != BACKPROP_STEPS:                 # every graph offers the same step slider
        raise AssertionError(f"graph {graph!r} has {len(steps)} steps, not {BACKPROP_STEPS}")
    return BackpropWalk(graph, tuple(node.label for node in nodes), formulas, layout.position, layout.edges,
                        leaf, values, grad.copy(), engine, numeric, tuple(steps))
