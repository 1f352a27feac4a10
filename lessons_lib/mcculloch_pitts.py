"""Section 2.1 — logical computations with McCulloch–Pitts neurons.

A McCulloch–Pitts (1943) neuron has binary inputs and a binary output. Each input reaches it through some
number of *excitatory* connections (counted with multiplicity) or through an *inhibitory* connection. The
neuron fires when

* no inhibitory input is active (inhibition is absolute, as in the 1943 paper), and
* the number of active excitatory connections is **at least** the integer threshold.

("At least": with threshold 2, the identity network C = A of Figure 2.1a must fire when A's two connections
are active, so the rule "more than a certain number" that is often quoted is off by one.)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np


def _check_binary(values, name: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype == bool:
        return arr.astype(np.int64)
    if not np.issubdtype(arr.dtype, np.number) or not np.all(np.isin(arr, (0, 1))):
        raise ValueError(f"{name} must contain only binary values 0 or 1 (or booleans); got {values!r}")
    return arr.astype(np.int64)


@dataclass(frozen=True)
class McCullochPittsNeuron:
    """A neuron with integer threshold, excitatory connection counts and absolute inhibition.

    Parameters
    ----------
    excitatory : sequence of int
        For each input, how many excitatory connections it makes with this neuron (0 = none).
    threshold : int
        The neuron fires when at least ``threshold`` excitatory connections are active. Non-negative.
    inhibitory : sequence of bool, optional
        For each input, whether it also has an inhibitory connection. An active inhibitory input
        silences the neuron whatever the excitation. Default: no inhibition.
    """

    excitatory: tuple[int, ...]
    threshold: int
    inhibitory: tuple[bool, ...] = field(default=())

    def __post_init__(self):
        exc = tuple(self.excitatory)
        if not all(isinstance(w, (int, np.integer)) and not isinstance(w, bool) and w >= 0 for w in exc):
            raise ValueError(f"excitatory must be non-negative integer connection counts; got {self.excitatory!r}")
        t = self.threshold
        if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 0:
            raise ValueError(f"threshold must be a non-negative integer; got {t!r}")
        inh = tuple(self.inhibitory) if len(self.inhibitory) else (False,) * len(exc)
        if len(inh) != len(exc):
            raise ValueError(
                f"inhibitory must have one flag per input ({len(exc)} inputs); got {len(inh)} flags")
        if not all(isinstance(f, (bool, np.bool_)) for f in inh):
            raise ValueError(f"inhibitory must contain booleans; got {self.inhibitory!r}")
        object.__setattr__(self, "excitatory", tuple(int(w) for w in exc))
        object.__setattr__(self, "threshold", int(t))
        object.__setattr__(self, "inhibitory", tuple(bool(f) for f in inh))

    @property
    def n_inputs(self) -> int:
        return len(self.excitatory)

    def fire(self, inputs: Sequence[int]) -> int:
        """Output (0 or 1) for one vector of binary inputs."""
        x = _check_binary(inputs, "inputs")
        if x.shape != (self.n_inputs,):
            raise ValueError(f"inputs must hold {self.n_inputs} binary values, one per connection; "
                             f"got shape {x.shape}")
        if any(f and v for f, v in zip(self.inhibitory, x)):
            return 0
        return int(np.dot(self.excitatory, x) >= self.threshold)

    def __call__(self, *inputs: int) -> int:
        return self.fire(inputs)


@dataclass(frozen=True)
class McCullochPittsNetwork:
    """Layers of McCulloch–Pitts neurons; each layer reads the outputs of the layer before it.

    Parameters
    ----------
    layers : sequence of sequences of McCullochPittsNeuron
        ``layers[0]`` reads the network inputs; the outputs of the last layer are the network's outputs.
    input_names, layer_names : names used in truth tables and diagrams.
    """

    layers: tuple[tuple[McCullochPittsNeuron, ...], ...]
    input_names: tuple[str, ...]
    layer_names: tuple[tuple[str, ...], ...]

    def __post_init__(self):
        layers = tuple(tuple(layer) for layer in self.layers)
        if not layers or not all(layers):
            raise ValueError("layers must be a non-empty sequence of non-empty layers of neurons")
        width = len(self.input_names)
        for depth, layer in enumerate(layers):
            for neuron in layer:
                if not isinstance(neuron, McCullochPittsNeuron):
                    raise ValueError(f"layers[{depth}] must contain McCullochPittsNeuron objects")
                if neuron.n_inputs != width:
                    raise ValueError(f"layers[{depth}] has a neuron with {neuron.n_inputs} inputs but the "
                                     f"layer below provides {width}")
            width = len(layer)
        if [len(n) for n in self.layer_names] != [len(layer) for layer in layers]:
            raise ValueError("layer_names must give one name per neuron of each layer")
        object.__setattr__(self, "layers", layers)

    @property
    def n_inputs(self) -> int:
        return len(self.input_names)

    def fire(self, inputs: Sequence[int]) -> tuple[int, ...]:
        """Outputs of the last layer for one vector of binary inputs."""
        x = _check_binary(inputs, "inputs")
        if x.shape != (self.n_inputs,):
            raise ValueError(f"inputs must hold {self.n_inputs} binary values ({', '.join(self.input_names)});"
                             f" got shape {x.shape}")
        signals = tuple(int(v) for v in x)
        for layer in self.layers:
            signals = tuple(neuron.fire(signals) for neuron in layer)
        return signals

    def __call__(self, *inputs: int) -> int | tuple[int, ...]:
        out = self.fire(inputs)
        return out[0] if len(out) == 1 else out


def _single(name: str, excitatory, threshold=2, inhibitory=(), inputs=("A", "B")) -> McCullochPittsNetwork:
    neuron = McCullochPittsNeuron(tuple(excitatory), threshold, tuple(inhibitory))
    return McCullochPittsNetwork(((neuron,),), tuple(inputs), ((name,),))


def identity_network() -> McCullochPittsNetwork:
    """Figure 2.1a: C = A. A reaches C through two connections; the threshold is 2."""
    return _single("C", (2,), inputs=("A",))


def and_network() -> McCullochPittsNetwork:
    """Figure 2.1b: C = A AND B. One connection each; both are needed to reach 2."""
    return _single("C", (1, 1))


def or_network() -> McCullochPittsNetwork:
    """Figure 2.1c: C = A OR B. Two connections each, so either input alone reaches 2."""
    return _single("C", (2, 2))


def a_and_not_b_network() -> McCullochPittsNetwork:
    """Figure 2.1d: C = A AND NOT B. A excites C twice; B inhibits C."""
    return _single("C", (2, 0), inhibitory=(False, True))


def xor_network() -> McCullochPittsNetwork:
    """A XOR B = (A AND NOT B) OR (B AND NOT A): two layers, because no single neuron computes it."""
    a_not_b = McCullochPittsNeuron((2, 0), 2, (False, True))
    b_not_a = McCullochPittsNeuron((0, 2), 2, (True, False))
    either = McCullochPittsNeuron((2, 2), 2)
    return McCullochPittsNetwork(((a_not_b, b_not_a), (either,)), ("A", "B"), (("D", "E"), ("C",)))


FIGURE_2_1: dict[str, Callable[[], McCullochPittsNetwork]] = {
    "C = A": identity_network,
    "C = A AND B": and_network,
    "C = A OR B": or_network,
    "C = A AND NOT B": a_and_not_b_network,
}


def as_network(unit: McCullochPittsNeuron | McCullochPittsNetwork) -> McCullochPittsNetwork:
    """A network unchanged, or a lone neuron as a one-neuron network with inputs A, B, C, … and output "out"."""
    if isinstance(unit, McCullochPittsNetwork):
        return unit
    if isinstance(unit, McCullochPittsNeuron):
        names = tuple(chr(ord("A") + i) for i in range(unit.n_inputs))
        return McCullochPittsNetwork(((unit,),), names, (("out",),))
    raise ValueError(f"unit must be a McCullochPittsNeuron or McCullochPittsNetwork, got {type(unit).__name__}")


def truth_table(unit: McCullochPittsNeuron | McCullochPittsNetwork) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Every input combination (in binary counting order) with the outputs of a neuron or network."""
    network = as_network(unit)
    return [(x, network.fire(x)) for x in itertools.product((0, 1), repeat=network.n_inputs)]


def format_truth_table(unit: McCullochPittsNeuron | McCullochPittsNetwork) -> str:
    """The truth table as aligned text, one row per input combination."""
    network = as_network(unit)
    outputs = network.layer_names[-1]
    header = " ".join(network.input_names) + " | " + " ".join(outputs)
    lines = [header, "-" * len(header)]
    for x, y in truth_table(network):
        lines.append(" ".join(str(v) for v in x) + " | " + " ".join(str(v) for v in y))
    return "\n".join(lines)


def single_neurons_computing(target: Callable[..., int], n_inputs: int = 2, max_connections: int = 3,
                             max_threshold: int = 4) -> list[McCullochPittsNeuron]:
    """Search every single neuron with small connection counts and thresholds that computes ``target``.

    An exhaustive search over a small space is not a proof, but for XOR the proof is short: whatever makes
    the neuron fire for (1, 0) and for (0, 1) — no inhibition from either input, and enough excitation from
    each alone — makes it fire for (1, 1) too.
    """
    found = []
    counts = range(max_connections + 1)
    for exc in itertools.product(counts, repeat=n_inputs):
        for inh in itertools.product((False, True), repeat=n_inputs):
            for threshold in range(max_threshold + 1):
                neuron = McCullochPittsNeuron(exc, threshold, inh)
                if all(neuron.fire(x) == target(*x) for x in itertools.product((0, 1), repeat=n_inputs)):
                    found.append(neuron)
    return found


@dataclass(frozen=True)
class Diagram:
    """What a drawing of a network needs: node positions and edges, computed without matplotlib."""

    nodes: dict[str, tuple[float, float]]
    # (source, target, number of excitatory connections, inhibitory?)
    edges: list[tuple[str, str, int, bool]]
    thresholds: dict[str, int]


def diagram(network: McCullochPittsNetwork) -> Diagram:
    """Lay a network out left to right: inputs in column 0, layer k in column k + 1, rows centred."""
    columns = [network.input_names, *network.layer_names]
    nodes: dict[str, tuple[float, float]] = {}
    for col, names in enumerate(columns):
        for row, name in enumerate(names):
            nodes[name] = (float(col), (len(names) - 1) / 2 - row)
    edges: list[tuple[str, str, int, bool]] = []
    thresholds: dict[str, int] = {}
    for sources, layer, names in zip(columns, network.layers, network.layer_names):
        for neuron, name in zip(layer, names):
            thresholds[name] = neuron.threshold
            for src, n_exc, inh in zip(sources, neuron.excitatory, neuron.inhibitory):
                if n_exc or inh:
                    edges.append((src, name, n_exc, inh))
    return Diagram(nodes, edges, thresholds)
