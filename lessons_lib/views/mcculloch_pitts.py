"""Section 2.1 — what the McCulloch–Pitts explorer draws: every neuron's excitation, threshold and output.

numpy only. :func:`with_inhibitor` adds an inhibitory input to a network of Figure 2.1, :func:`run_network`
fires a network layer by layer with the neurons of :mod:`lessons_lib.mcculloch_pitts` and keeps what each
neuron saw, and :func:`network_view` gathers all the explorer shows for one setting of the inputs: the
layout of :func:`lessons_lib.mcculloch_pitts.diagram`, the connections as curves (which carry a signal, which
do not), each neuron's count of active connections against its threshold, and the truth table.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .. import mcculloch_pitts as mp

#: The networks of the explorer: Figure 2.1's four and the two-layer XOR network, by key: (name, builder).
NETWORKS = {
    "identity": ("C = A", mp.identity_network),
    "and": ("C = A AND B", mp.and_network),
    "or": ("C = A OR B", mp.or_network),
    "and_not": ("C = A AND NOT B", mp.a_and_not_b_network),
    "xor": ("C = A XOR B", mp.xor_network),
}
#: The name of the extra inhibitory input.
INHIBITOR = "I"
#: Radius of a neuron in the explorer's drawing (data units; one layer of the network spans 2 units).
RADIUS = 0.22
#: Width of the drawing: inputs at x = 0, the output layer at x = WIDTH; rows ROW_SPACING apart.
WIDTH = 2.8
ROW_SPACING = 0.8


def with_inhibitor(network: mp.McCullochPittsNetwork, name: str = INHIBITOR) -> mp.McCullochPittsNetwork:
    """The same network with one more input, ``name``, that inhibits every neuron of the first layer.

    While that input is silent the network computes what it computed before; when it fires, every neuron
    of the first layer is silenced whatever its excitation (inhibition is absolute), and so is everything
    those neurons drive. The neurons themselves are :class:`~lessons_lib.mcculloch_pitts.McCullochPittsNeuron`.
    """
    if not isinstance(network, mp.McCullochPittsNetwork):
        raise ValueError(f"network must be a McCullochPittsNetwork, got {type(network).__name__}")
    if not isinstance(name, str) or not name or name in network.input_names or any(
            name in names for names in network.layer_names):
        raise ValueError(f"name must be a new, non-empty neuron name, got {name!r}")
    first = tuple(mp.McCullochPittsNeuron(n.excitatory + (0,), n.threshold, n.inhibitory + (True,))
                  for n in network.layers[0])
    return mp.McCullochPittsNetwork((first, *network.layers[1:]), network.input_names + (name,),
                                    network.layer_names)


@dataclass(frozen=True)
class NeuronState:
    """What one neuron saw and did for one input.

    ``excitation`` is the number of active excitatory connections (each input's connection count times its
    0/1 signal, summed), ``inhibited_by`` the names of the firing inputs that inhibit it, ``fires`` its
    output. ``sources`` and ``counts`` give its excitatory connections: from which neuron, how many.
    """

    name: str
    layer: int
    excitation: int
    threshold: int
    inhibited_by: tuple[str, ...]
    fires: int
    sources: tuple[str, ...]
    counts: tuple[int, ...]


def run_network(network: mp.McCullochPittsNetwork, inputs: Sequence[int]) -> tuple[dict[str, int],
                                                                                  tuple[NeuronState, ...]]:
    """Fire ``network`` on ``inputs`` layer by layer: every signal (inputs and neurons, by name) and every
    neuron's state. The outputs are the library's: each neuron's own :meth:`fire` decides."""
    if not isinstance(network, mp.McCullochPittsNetwork):
        raise ValueError(f"network must be a McCullochPittsNetwork, got {type(network).__name__}")
    x = mp._check_binary(inputs, "inputs")
    if x.shape != (network.n_inputs,):
        raise ValueError(f"inputs must hold {network.n_inputs} binary values ({', '.join(network.input_names)}); "
                         f"got shape {x.shape}")
    signals = {name: int(v) for name, v in zip(network.input_names, x)}
    names, values = network.input_names, tuple(int(v) for v in x)
    states = []
    for depth, (layer, layer_names) in enumerate(zip(network.layers, network.layer_names)):
        outputs = []
        for neuron, name in zip(layer, layer_names):
            fires = neuron.fire(values)
            used = [(src, n) for src, n in zip(names, neuron.excitatory) if n]
            states.append(NeuronState(
                name=name, layer=depth, excitation=int(np.dot(neuron.excitatory, values)),
                threshold=neuron.threshold,
                inhibited_by=tuple(src for src, inh, v in zip(names, neuron.inhibitory, values) if inh and v),
                fires=fires, sources=tuple(s for s, _ in used), counts=tuple(n for _, n in used)))
            outputs.append(fires)
            signals[name] = fires
        names, values = layer_names, tuple(outputs)
    return signals, tuple(states)


@dataclass(frozen=True)
class Edge:
    """One connection of the drawing: ``inhibitory`` or one of ``count`` parallel excitatory ones."""

    source: str
    target: str
    inhibitory: bool
    count: int
    #: Whether the source fires, so that the connection carries a signal.
    active: bool


@dataclass(frozen=True)
class NetworkView:
    """Everything the explorer draws for one network and one setting of its inputs."""

    key: str
    title: str
    network: mp.McCullochPittsNetwork
    #: Node name -> (x, y) in the drawing.
    positions: dict
    #: Node name -> 0/1: the inputs and every neuron.
    signals: dict
    neurons: tuple[NeuronState, ...]
    edges: tuple[Edge, ...]
    #: Inputs that were set but that this network does not have (B for "C = A").
    unused: tuple[str, ...]
    #: The truth table over A and B at the current value of the inhibitory input: the header (names of the
    #: inputs, of the hidden neurons, of the outputs) and one row of 0/1 values per combination.
    table_header: tuple[tuple[str, ...], ...]
    table_rows: tuple[tuple[tuple[int, ...], ...], ...]
    #: The row of the table that the current inputs select.
    table_row: int
    #: Every connection as curves, NaN-separated, by kind: "excite_on", "excite_off", "inhibit_on",
    #: "inhibit_off" (the curves), "bar_on", "bar_off" (the bars that end inhibitory connections).
    curves: dict


def layout(network: mp.McCullochPittsNetwork) -> dict:
    """Node positions: :func:`~lessons_lib.mcculloch_pitts.diagram`'s columns stretched to span ``WIDTH``,
    its rows ``ROW_SPACING`` apart."""
    d = mp.diagram(network)
    columns = max(x for x, _ in d.nodes.values())
    return {name: (x * WIDTH / columns, y * ROW_SPACING) for name, (x, y) in d.nodes.items()}


def _bezier(p0, p2, rad: float, n: int = 48) -> np.ndarray:
    """The quadratic Bézier curve of matplotlib's ``arc3,rad=...`` connection from ``p0`` to ``p2``."""
    p0, p2 = np.asarray(p0, float), np.asarray(p2, float)
    (dx, dy) = p2 - p0
    control = (p0 + p2) / 2 + rad * np.array([dy, -dx])
    t = np.linspace(0.0, 1.0, n)[:, None]
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * control + t ** 2 * p2


def connection_curve(p0, p1, rad: float, radius: float = RADIUS, gap: float = 0.02) -> np.ndarray:
    """The curve of one connection from a node at ``p0`` to one at ``p1``, bent by ``rad`` (0: straight),
    with the parts inside either node (of radius ``radius``, plus ``gap``) cut off; shape (k, 2)."""
    curve = _bezier(p0, p1, rad, n=160)
    outside = ((np.linalg.norm(curve - np.asarray(p0, float), axis=1) >= radius + gap)
               & (np.linalg.norm(curve - np.asarray(p1, float), axis=1) >= radius + gap))
    return curve[outside]


def arrow_head(curve: np.ndarray, length: float = 0.09, angle_deg: float = 28.0) -> np.ndarray:
    """An open arrow head (two strokes, NaN between them) at the end of ``curve``, pointing along it."""
    tip, before = curve[-1], curve[-4]
    direction = (tip - before) / np.linalg.norm(tip - before)
    strokes = []
    for sign in (1, -1):
        a = np.deg2rad(sign * angle_deg)
        back = -np.array([np.cos(a) * direction[0] - np.sin(a) * direction[1],
                          np.sin(a) * direction[0] + np.cos(a) * direction[1]])
        strokes += [tip + length * back, tip, [np.nan, np.nan]]
    return np.array(strokes[:-1])


def end_bar(curve: np.ndarray, half: float = 0.07) -> np.ndarray:
    """A bar across the end of ``curve`` (the end of an inhibitory connection), shape (2, 2)."""
    tip, before = curve[-1], curve[-4]
    direction = (tip - before) / np.linalg.norm(tip - before)
    normal = np.array([-direction[1], direction[0]])
    return np.array([tip - half * normal, tip + half * normal])


def _join(pieces: list[np.ndarray]) -> np.ndarray:
    """Polylines in one array, separated by NaN rows (one matplotlib line draws them all); (0, 2) if none."""
    if not pieces:
        return np.empty((0, 2))
    gap = np.full((1, 2), np.nan)
    return np.concatenate([p for piece in pieces for p in (piece, gap)][:-1])


def _edges(network: mp.McCullochPittsNetwork, signals: dict) -> tuple[Edge, ...]:
    edges = []
    for src, dst, n_excite, inhibits in mp.diagram(network).edges:
        if n_excite:
            edges.append(Edge(src, dst, False, n_excite, bool(signals[src])))
        if inhibits:
            edges.append(Edge(src, dst, True, 0, bool(signals[src])))
    return tuple(edges)


def _curves(edges: tuple[Edge, ...], positions: dict) -> dict:
    pieces = {k: [] for k in ("excite_on", "excite_off", "inhibit_on", "inhibit_off", "bar_on", "bar_off")}
    for e in edges:
        on = "on" if e.active else "off"
        p0, p1 = positions[e.source], positions[e.target]
        if e.inhibitory:
            # bent to the right of its direction (downwards from left to right), away from the excitation
            curve = connection_curve(p0, p1, 0.3)
            pieces[f"inhibit_{on}"].append(curve)
            pieces[f"bar_{on}"].append(end_bar(curve))
            continue
        # Parallel connections are arcs bent by different amounts (as in Figure 2.1), each with its head.
        for k in range(e.count):
            curve = connection_curve(p0, p1, 0.0 if e.count == 1 else 0.12 * (k - (e.count - 1) / 2))
            pieces[f"excite_{on}"] += [curve, arrow_head(curve)]
    return {k: _join(v) for k, v in pieces.items()}


@functools.lru_cache(maxsize=64)
def network_view(key: str, a: bool, b: bool, inhibitor: bool) -> NetworkView:
    """The network ``key`` of :data:`NETWORKS` with the inhibitory input ``I`` added, for the inputs
    A = ``a``, B = ``b`` and I = ``inhibitor`` (each True/False or 1/0).

    A network without input B (``"identity"``) ignores ``b`` and lists B in ``unused``.
    """
    if key not in NETWORKS:
        raise ValueError(f"key must be one of {', '.join(map(repr, NETWORKS))}; got {key!r}")
    values = {}
    for name, value in (("a", a), ("b", b), ("inhibitor", inhibitor)):
        if not isinstance(value, (bool, np.bool_)) and value not in (0, 1):
            raise ValueError(f"{name} must be True/False (or 1/0), got {value!r}")
        values[name] = int(bool(value))
    title, build = NETWORKS[key]
    network = with_inhibitor(build())
    given = {"A": values["a"], "B": values["b"], INHIBITOR: values["inhibitor"]}
    inputs = [given[name] for name in network.input_names]
    signals, neurons = run_network(network, inputs)
    positions = layout(network)
    edges = _edges(network, signals)
    # The truth table over the inputs other than I, at the current I.
    logic_inputs = tuple(n for n in network.input_names if n != INHIBITOR)
    hidden = tuple(n for names in network.layer_names[:-1] for n in names)
    outputs = network.layer_names[-1]
    rows = []
    for combo in itertools.product((0, 1), repeat=len(logic_inputs)):
        setting = dict(zip(logic_inputs, combo), **{INHIBITOR: values["inhibitor"]})
        s, _ = run_network(network, [setting[n] for n in network.input_names])
        rows.append((combo, tuple(s[n] for n in hidden), tuple(s[n] for n in outputs)))
    current = tuple(given[n] for n in logic_inputs)
    row = next(k for k, r in enumerate(rows) if r[0] == current)
    return NetworkView(key=key, title=title, network=network, positions=positions, signals=signals,
                       neurons=neurons, edges=edges, unused=tuple(n for n in ("A", "B") if n not in positions),
                       table_header=(logic_inputs, hidden, outputs), table_rows=tuple(rows), table_row=row,
                       curves=_curves(edges, positions))


def neuron_summary(state: NeuronState) -> str:
    """One line on what a neuron did: its active connections against its threshold, or its inhibition."""
    if state.inhibited_by:
        who = " and ".join(state.inhibited_by)
        return f"{state.name}: inhibited by {who}, so silent whatever its excitation"
    relation = "≥" if state.excitation >= state.threshold else "<"
    verdict = "fires" if state.fires else "silent"
    return f"{state.name}: {state.excitation} active excitatory {_plural(state.excitation)} {relation} θ = " \
           f"{state.threshold}, so {verdict}"


def _plural(n: int) -> str:
    return "connection" if n == 1 else "connections"
