"""What the McCulloch–Pitts explorer shows (section 2.1): every neuron's excitation, threshold and output."""

import io
import itertools

import numpy as np
import pytest

from lessons_lib import mcculloch_pitts as mp
from lessons_lib.explorers import static
from lessons_lib.explorers.mcculloch_pitts import MPNetworkExplorer
from lessons_lib.views.mcculloch_pitts import (
    NETWORKS,
    RADIUS,
    connection_curve,
    network_view,
    neuron_summary,
    run_network,
    with_inhibitor,
)

SETTINGS = list(itertools.product(NETWORKS, (False, True), (False, True), (False, True)))


def _pieces(curve):
    """The polylines of a NaN-separated curve array."""
    breaks = np.flatnonzero(np.isnan(curve[:, 0]))
    return [p for p in np.split(curve, breaks) if len(p[~np.isnan(p[:, 0])])]


def test_the_inhibitor_changes_nothing_while_silent_and_silences_everything_when_firing():
    for key, (_, build) in NETWORKS.items():
        network = build()
        wired = with_inhibitor(network)
        assert wired.input_names == network.input_names + ("I",)
        for x, out in mp.truth_table(network):
            assert wired.fire(x + (0,)) == out, (key, x)
            assert wired.fire(x + (1,)) == (0,), (key, x)


def test_with_inhibitor_bad_input():
    with pytest.raises(ValueError, match="network"):
        with_inhibitor("and")
    with pytest.raises(ValueError, match="name"):
        with_inhibitor(mp.and_network(), name="A")


def test_run_network_agrees_with_the_library_and_counts_by_hand():
    for key, (_, build) in NETWORKS.items():
        network = with_inhibitor(build())
        for x in itertools.product((0, 1), repeat=network.n_inputs):
            signals, states = run_network(network, x)
            assert tuple(signals[n] for n in network.layer_names[-1]) == network.fire(x), (key, x)
            for state in states:            # fires exactly when the rule of section 2.1 says so
                assert state.fires == int(not state.inhibited_by and state.excitation >= state.threshold)
    # OR with A and B firing: two connections each, 4 active against threshold 2
    _, (c,) = run_network(mp.or_network(), (1, 1))
    assert (c.excitation, c.threshold, c.fires, c.sources, c.counts) == (4, 2, 1, ("A", "B"), (2, 2))
    # A AND NOT B with both firing: 2 active connections from A, but B inhibits
    _, (c,) = run_network(mp.a_and_not_b_network(), (1, 1))
    assert (c.excitation, c.inhibited_by, c.fires) == (2, ("B",), 0)
    # XOR for (1, 0): D = A AND NOT B fires, E is inhibited by A, C counts D's two connections
    signals, (d, e, c) = run_network(mp.xor_network(), (1, 0))
    assert (signals["D"], signals["E"], signals["C"]) == (1, 0, 1)
    assert e.inhibited_by == ("A",) and (c.excitation, c.sources) == (2, ("D", "E"))
    with pytest.raises(ValueError, match="inputs"):
        run_network(mp.and_network(), (1, 2))
    with pytest.raises(ValueError, match="inputs"):
        run_network(mp.and_network(), (1,))


def test_network_view_truth_table_is_the_library_table():
    for key, (title, build) in NETWORKS.items():
        view = network_view(key, True, True, False)
        assert view.title == title
        table = mp.truth_table(build())
        assert [(row[0], row[2]) for row in view.table_rows] == table
    # XOR's table also shows its hidden neurons D and E
    xor = network_view("xor", True, False, False)
    assert xor.table_header == (("A", "B"), ("D", "E"), ("C",))
    assert [row[1] for row in xor.table_rows] == [(0, 0), (0, 1), (1, 0), (0, 0)]
    assert xor.table_row == 2                      # (A, B) = (1, 0) is the third row
    silenced = network_view("or", True, True, True)
    assert all(row[2] == (0,) for row in silenced.table_rows) and silenced.signals["C"] == 0


def test_network_view_marks_the_connections_that_carry_a_signal():
    for key, a, b, i in SETTINGS:
        view = network_view(key, a, b, i)
        for edge in view.edges:
            assert edge.active == bool(view.signals[edge.source])
        n_excite = sum(e.count for e in view.edges if not e.inhibitory)
        n_inhibit = sum(e.inhibitory for e in view.edges)
        # every excitatory connection is a curve and an arrow head of two strokes; every inhibitory one a
        # curve and a bar
        excite = _pieces(view.curves["excite_on"]) + _pieces(view.curves["excite_off"])
        assert len(excite) == 3 * n_excite, key
        inhibit = _pieces(view.curves["inhibit_on"]) + _pieces(view.curves["inhibit_off"])
        bars = _pieces(view.curves["bar_on"]) + _pieces(view.curves["bar_off"])
        assert len(inhibit) == len(bars) == n_inhibit, key
    # "C = A OR B": 2 + 2 excitatory connections; I inhibits C
    view = network_view("or", True, False, False)
    assert [(e.source, e.count, e.inhibitory, e.active) for e in view.edges] == [
        ("A", 2, False, True), ("B", 2, False, False), ("I", 0, True, False)]


def test_identity_network_has_no_input_b():
    on, off = network_view("identity", True, True, False), network_view("identity", True, False, False)
    assert on.unused == ("B",) and "B" not in on.signals
    assert on.signals == off.signals


def test_connection_curves_end_at_the_nodes_edges():
    p0, p1 = np.array([0.0, 0.8]), np.array([2.8, 0.0])
    for rad in (0.0, 0.12, -0.3):
        curve = connection_curve(p0, p1, rad)
        d0, d1 = np.linalg.norm(curve - p0, axis=1), np.linalg.norm(curve - p1, axis=1)
        assert d0.min() >= RADIUS and d1.min() >= RADIUS
        assert d0[0] < RADIUS + 0.05 and d1[-1] < RADIUS + 0.05     # starts and ends next to the circles
    straight = connection_curve(p0, p1, 0.0)
    direction = (p1 - p0) / np.linalg.norm(p1 - p0)
    offset = straight - p0
    np.testing.assert_allclose(offset[:, 0] * direction[1] - offset[:, 1] * direction[0], 0, atol=1e-12)


def test_neuron_summary():
    _, (c,) = run_network(mp.and_network(), (1, 0))
    assert neuron_summary(c) == "C: 1 active excitatory connection < θ = 2, so silent"
    _, (c,) = run_network(mp.or_network(), (1, 1))
    assert neuron_summary(c) == "C: 4 active excitatory connections ≥ θ = 2, so fires"
    _, (c,) = run_network(mp.a_and_not_b_network(), (1, 1))
    assert neuron_summary(c) == "C: inhibited by B, so silent whatever its excitation"


def test_network_view_bad_input():
    with pytest.raises(ValueError, match="key"):
        network_view("nand", True, False, False)
    with pytest.raises(ValueError, match="inhibitor"):
        network_view("and", True, False, 2)


def test_explorer_site_grid_holds_the_defaults_and_every_network():
    explorer = MPNetworkExplorer()
    axes = static.site_axes(explorer)
    assert static.frame_count(explorer) == 24
    assert axes[0].names == ("C = A", "C = A AND B", "C = A OR B", "C = A AND NOT B", "C = A XOR B",
                             "C = A OR B, I fires")
    start = static.start_index(explorer, axes)
    for axis, i in zip(axes, start):
        assert all(explorer.values[k] == v for k, v in axis.settings[i].items()), axis.label
    assert static.jupyter_only(explorer) == []


def test_explorer_headline_and_incremental_redraw():
    from PIL import Image

    def pixels(png):
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)

    explorer = MPNetworkExplorer()
    explorer.render()
    assert explorer.headline.get_text() == "C = A AND B:  A = 1, B = 0, I = 0  →  C = 0"
    for name, value in (("network", "xor"),):
        incremental = pixels(explorer.update(**{name: value}))
        explorer._background = None
        assert np.abs(incremental - pixels(explorer.render())).max() <= 2, (name, value)
    assert explorer.headline.get_text() == "C = A XOR B:  A = 1, B = 0, I = 0  →  C = 1"
