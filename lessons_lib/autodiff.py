"""A tiny reverse-mode automatic differentiation engine on scalars (section 2.3).

Every arithmetic operation on :class:`Value` objects creates a new ``Value`` that remembers its inputs
(``parents``) and the *local* derivative of its result with respect to each input, computed right next to
the forward expression. ``backward()`` then walks the graph from the output back to the inputs, applying
the chain rule once per edge:

    parent.grad += local_derivative * child.grad

This is reverse-mode automatic differentiation (Linnainmaa, 1970), and running it on a network's loss is
backpropagation: one forward pass to compute the values, one backward pass to get *every* partial
derivative of the output at once.

Two details a reader should notice:

* ``+=`` rather than ``=``: a value used twice (``x * x``, or a weight shared by several units) receives one
  contribution per use, and the contributions add up (the multivariate chain rule).
* The backward pass must visit a node only after every node that uses it, i.e. in reverse topological
  order. The order is built with an explicit stack instead of recursion, so a chain of 100,000 operations
  (an RNN unrolled over many steps, say) does not hit Python's recursion limit.

The design follows the spirit of Karpathy's micrograd; the code is our own.
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import as_float_array, check_choice

__all__ = ["Value", "ValueMLP", "mse_loss"]


class Value:
    """A scalar that records how it was computed, so that gradients can flow back through it.

    Attributes
    ----------
    data : float
        The value computed in the forward pass.
    grad : float
        d(output)/d(this value), filled in by :meth:`backward` of some output.
    parents : tuple of Value
        The inputs of the operation that produced this value (empty for a leaf: an input or a weight).
    local_grads : tuple of float
        d(this value)/d(parent) for each parent, evaluated at the forward values.
    op : str
        The operation's name, for printing and drawing the graph.
    """

    __slots__ = ("data", "grad", "parents", "local_grads", "op", "label")

    def __init__(self, data: float, parents: tuple = (), local_grads: tuple = (), op: str = "",
                 label: str = ""):
        if isinstance(data, Value):
            raise ValueError("data must be a number, got a Value (use it directly)")
        if isinstance(data, bool) or not isinstance(data, (int, float, np.integer, np.floating)):
            raise ValueError(f"data must be a real number, got {data!r}")
        self.data = float(data)
        self.grad = 0.0
        self.parents = parents
        self.local_grads = local_grads
        self.op = op
        self.label = label

    def __repr__(self) -> str:
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    # ---- arithmetic: result, then (parents), then (d result / d parent for each parent) ---------------

    def __add__(self, other):
        other = _lift(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other):
        other = _lift(other)
        # d(a*b)/da = b, d(a*b)/db = a
        return Value(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __pow__(self, exponent):
        if isinstance(exponent, Value) or isinstance(exponent, bool) \
                or not isinstance(exponent, (int, float, np.integer, np.floating)):
            raise ValueError(f"exponent must be a plain number, got {exponent!r}")
        p = float(exponent)
        x = self.data
        if x < 0 and not p.is_integer():
            raise ValueError(f"a negative base ({x}) needs an integer exponent, got {p}")
        if x == 0 and p < 0:
            raise ValueError(f"0 cannot be raised to a negative exponent ({p}): division by zero")
        out = x ** p
        # d(x^p)/dx = p x^(p-1); at x = 0 that is 0 for p > 1, 1 for p = 1 and infinite for 0 < p < 1.
        if p == 0:
            local = 0.0
        elif x == 0:
            local = 0.0 if p > 1 else (1.0 if p == 1 else math.inf)
        else:
            local = p * x ** (p - 1)
        return Value(out, (self,), (local,), f"**{exponent:g}")

    def __neg__(self):
        return Value(-self.data, (self,), (-1.0,), "neg")

    def __sub__(self, other):
        other = _lift(other)
        return Value(self.data - other.data, (self, other), (1.0, -1.0), "-")

    def __truediv__(self, other):
        other = _lift(other)
        if other.data == 0:
            raise ValueError("division by a Value equal to 0")
        # d(a/b)/da = 1/b, d(a/b)/db = -a/b^2
        return Value(self.data / other.data, (self, other),
                     (1.0 / other.data, -self.data / other.data ** 2), "/")

    def __radd__(self, other):          # other + self, when other is a plain number
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return _lift(other) - self

    def __rtruediv__(self, other):
        return _lift(other) / self

    # ---- elementary functions ---------------------------------------------------------------------------

    def exp(self):
        e = math.exp(self.data) if self.data < 709.78 else math.inf     # beyond that exp overflows a float
        return Value(e, (self,), (e,), "exp")                          # (e^x)' = e^x

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log needs a positive value, got {self.data}")
        return Value(math.log(self.data), (self,), (1.0 / self.data,), "log")    # (log x)' = 1/x

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t * t,), "tanh")              # tanh' = 1 - tanh^2

    def sigmoid(self):
        x = self.data
        # only exponentiate -|x|, so no overflow for large |x|
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return Value(s, (self,), (s * (1.0 - s),), "sigmoid")         # sigma' = sigma (1 - sigma)

    def relu(self):
        x = self.data
        return Value(max(x, 0.0), (self,), (1.0 if x > 0 else 0.0,), "relu")   # 0 at the kink, as PyTorch

    def identity(self):
        return self

    # ---- the backward pass ------------------------------------------------------------------------------

    def graph(self) -> list[Value]:
        """Every node that ``self`` depends on (itself included), each after all of its parents.

        Depth-first search with an explicit stack: a node is appended when all its parents are done
        ("post-order"), which is a topological order. No recursion, so any depth works.
        """
        order: list[Value] = []
        visited: set[int] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
                continue
            if id(node) in visited:
                continue
            visited.add(id(node))
            stack.append((node, True))             # come back to it after its parents
            for parent in node.parents:
                if id(parent) not in visited:
                    stack.append((parent, False))
        return order

    def backward(self) -> None:
        """Fill ``grad`` of every node in the graph with d(self)/d(node).

        As in PyTorch, the gradients of the *leaves* (inputs and weights) accumulate across calls --
        call :meth:`zero_grad` between two backward passes you do not want added together. Intermediate
        nodes are reset first, so that calling ``backward`` twice adds exactly twice the gradient.
        """
        order = self.graph()
        for node in order:
            if node.parents:
                node.grad = 0.0
        self.grad += 1.0                           # d(self)/d(self)
        for node in reversed(order):               # every user of a node comes before the node itself
            for parent, local in zip(node.parents, node.local_grads, strict=True):
                parent.grad += local * node.grad   # chain rule; += because a node may have several users

    def zero_grad(self) -> None:
        """Set to 0 the gradient of every node reachable from this one (itself included)."""
        for node in self.graph():
            node.grad = 0.0


def _lift(x) -> Value:
    return x if isinstance(x, Value) else Value(x)


_UNIT_FUNCTIONS = ("identity", "tanh", "sigmoid", "relu")


class ValueMLP:
    """A small multilayer perceptron whose every weight is a :class:`Value`, built from numpy arrays.

    Layer ``l`` computes ``h_l = phi(h_{l-1} @ W_l + b_l)`` with ``W_l`` of shape ``(fan_in, fan_out)``
    (the layout of :mod:`lessons_lib.layers`), ``phi = activation`` for hidden layers and
    ``output_activation`` for the last one. Slow -- one Python object per multiplication -- but every
    gradient it reports comes from the chain rule applied edge by edge, which makes it a reference for the
    vectorised layers.

    Parameters
    ----------
    weights, biases : lists of arrays
        ``weights[l]`` of shape ``(fan_in, fan_out)`` and ``biases[l]`` of shape ``(fan_out,)``.
    activation, output_activation : str
        One of "identity", "tanh", "sigmoid", "relu".
    """

    def __init__(self, weights, biases, activation: str = "tanh", output_activation: str = "identity"):
        check_choice(activation, "activation", _UNIT_FUNCTIONS)
        check_choice(output_activation, "output_activation", _UNIT_FUNCTIONS)
        if len(weights) != len(biases) or not weights:
            raise ValueError(f"weights and biases must be non-empty lists of the same length, "
                             f"got {len(weights)} and {len(biases)}")
        self.W: list[list[list[Value]]] = []
        self.b: list[list[Value]] = []
        fan_prev = None
        for l, (w, b) in enumerate(zip(weights, biases, strict=True)):
            w = as_float_array(w, f"weights[{l}]", ndim=2)
            b = as_float_array(b, f"biases[{l}]", ndim=1)
            if fan_prev is not None and w.shape[0] != fan_prev:
                raise ValueError(f"weights[{l}] must have {fan_prev} rows to follow the previous layer, "
                                 f"got shape {w.shape}")
            if b.shape[0] != w.shape[1]:
                raise ValueError(f"biases[{l}] must have {w.shape[1]} entries, got {b.shape[0]}")
            self.W.append([[Value(w[i, j], label=f"W{l}[{i},{j}]") for j in range(w.shape[1])]
                           for i in range(w.shape[0])])
            self.b.append([Value(b[j], label=f"b{l}[{j}]") for j in range(b.shape[0])])
            fan_prev = w.shape[1]
        self.activation = activation
        self.output_activation = output_activation

    def __call__(self, x) -> list[Value]:
        """Forward pass of ONE instance ``x`` (numbers or Values); returns the list of output Values."""
        h = [v if isinstance(v, Value) else Value(v) for v in x]
        if len(h) != len(self.W[0]):
            raise ValueError(f"x must have {len(self.W[0])} features, got {len(h)}")
        for l, (W, b) in enumerate(zip(self.W, self.b, strict=True)):
            phi = self.output_activation if l == len(self.W) - 1 else self.activation
            z = [sum((h[i] * W[i][j] for i in range(len(h))), b[j]) for j in range(len(b))]
            h = [getattr(zj, phi)() for zj in z]
        return h

    def forward_batch(self, X) -> list[list[Value]]:
        """One output list per row of ``X``."""
        X = as_float_array(X, "X", ndim=2)
        return [self(row) for row in X]

    def parameters(self) -> list[Value]:
        """All weights and biases, layer by layer (W then b, row-major)."""
        params: list[Value] = []
        for W, b in zip(self.W, self.b, strict=True):
            params.extend(v for row in W for v in row)
            params.extend(b)
        return params

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0

    def gradients(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """``(dW, db)``: the gradients as numpy arrays shaped like the weights and biases."""
        dW = [np.array([[v.grad for v in row] for row in W]) for W in self.W]
        db = [np.array([v.grad for v in b]) for b in self.b]
        return dW, db


def mse_loss(outputs: list[list[Value]], targets) -> Value:
    """Mean over all elements of (output - target)^2, as :class:`lessons_lib.losses.MSELoss`."""
    T = as_float_array(targets, "targets", ndim=2)
    if T.shape != (len(outputs), len(outputs[0]) if outputs else 0):
        raise ValueError(f"targets must have shape ({len(outputs)}, {len(outputs[0]) if outputs else 0}), "
                         f"got {T.shape}")
    terms = [(o - t) ** 2 for row, trow in zip(outputs, T, strict=True) for o, t in zip(row, trow, strict=True)]
    return sum(terms[1:], terms[0]) / len(terms)
