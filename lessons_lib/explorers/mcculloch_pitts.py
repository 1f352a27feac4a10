"""Section 2.1 — the McCulloch–Pitts explorer: set the inputs and watch every neuron fire, or not."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from ..plots.style import OKABE_ITO
from ..views.mcculloch_pitts import INHIBITOR, NETWORKS, RADIUS, network_view, neuron_summary
from .base import Choice, Explorer, Preset, Toggle

_EXCITE = OKABE_ITO["blue"]
_INHIBIT = OKABE_ITO["vermillion"]
_FIRING = OKABE_ITO["orange"]
_XLIM, _YLIM = (-0.5, 3.35), (-1.1, 1.28)
# Network panel, truth table and the lines under them, as [left, bottom, width, height] of the figure: fixed
# positions, so the neurons' size (markers, in points) follows from them before anything is drawn.
_NET_RECT, _TABLE_RECT, _TEXT_RECT = (0.0, 0.28, 0.64, 0.6), (0.65, 0.28, 0.34, 0.6), (0.0, 0.0, 1.0, 0.27)
_MAX_NODES, _MAX_NEURONS, _TABLE_LINES = 6, 3, 6

#: The site's networks: Figure 2.1's four and XOR, each without the inhibitory input firing, and OR with it.
NETWORK_SETTINGS = tuple((title, {"network": key, "inhibitor": False}) for key, (title, _) in NETWORKS.items()) + (
    ("C = A OR B, I fires", {"network": "or", "inhibitor": True}),)


class MPNetworkExplorer(Explorer):
    """The networks of Figure 2.1 (and XOR) with switchable inputs: who fires, and why."""

    title = "McCulloch–Pitts networks"
    controls = {
        "network": Choice("network", tuple(NETWORKS), "and", {key: title for key, (title, _) in NETWORKS.items()}),
        "a": Toggle("input A fires", True),
        "b": Toggle("input B fires", False),
        "inhibitor": Toggle(f"inhibitory input {INHIBITOR} fires", False),
    }
    # The site's frames: every network (and OR with I firing) for the four settings of A and B.
    site_grid = {"network": Preset("network", NETWORK_SETTINGS), "a": (False, True), "b": (False, True)}
    figsize = (6.72, 4.2)

    def compute(self, network, a, b, inhibitor):
        return network_view(network, a, b, inhibitor)

    def build(self, fig):
        fig.set_layout_engine(None)             # the panels have fixed positions (see _NET_RECT)
        self.ax_net = fig.add_axes(_NET_RECT)
        self.ax_table = fig.add_axes(_TABLE_RECT)
        ax_text = fig.add_axes(_TEXT_RECT)
        for ax in (self.ax_net, self.ax_table, ax_text):
            ax.axis("off")
        self.ax_net.set(xlim=_XLIM, ylim=_YLIM, aspect="equal")
        self.ax_table.set(xlim=(0, 1), ylim=(0, 1))
        ax_text.set(xlim=(0, 1), ylim=(0, 1))
        ax = self.ax_net
        self.curves = {
            "excite_off": ax.plot([], [], color=_EXCITE, lw=1.2, alpha=0.35, zorder=1)[0],
            "inhibit_off": ax.plot([], [], color=_INHIBIT, lw=1.2, alpha=0.35, ls=(0, (4, 2)), zorder=1)[0],
            "bar_off": ax.plot([], [], color=_INHIBIT, lw=1.6, alpha=0.35, zorder=1)[0],
            "excite_on": ax.plot([], [], color=_EXCITE, lw=2.4, zorder=2)[0],
            "inhibit_on": ax.plot([], [], color=_INHIBIT, lw=2.4, ls=(0, (4, 2)), zorder=2)[0],
            "bar_on": ax.plot([], [], color=_INHIBIT, lw=2.8, zorder=2)[0],
        }
        size = 2 * RADIUS * _points_per_unit(fig)
        marker = dict(ls="none", marker="o", markersize=size, markeredgecolor="black", markeredgewidth=1.5,
                      zorder=3)
        self.silent_inputs = ax.plot([], [], markerfacecolor="white", **marker)[0]
        self.silent_neurons = ax.plot([], [], markerfacecolor="#e6e6e6", **marker)[0]
        self.firing = ax.plot([], [], markerfacecolor=_FIRING, **marker)[0]
        text = dict(transform=ax.transData, ha="center", va="center")
        self.names = [fig.text(0, 0, "", fontsize=13, fontweight="bold", **text) for _ in range(_MAX_NODES)]
        self.input_values = [fig.text(0, 0, "", fontsize=12, **dict(text, ha="right")) for _ in range(3)]
        self.sums = [fig.text(0, 0, "", fontsize=10, **dict(text, va="bottom"),
                              bbox=dict(facecolor="white", edgecolor="none", alpha=0.8, pad=1))
                     for _ in range(_MAX_NEURONS)]
        # the truth table: one monospace line per row, the current row on a band
        (self.band,) = self.ax_table.plot([0.08, 0.92], [0, 0], color=OKABE_ITO["yellow"], lw=17,
                                          solid_capstyle="butt", alpha=0.7)
        self.table = [fig.text(0.5, 0.86 - 0.13 * k, "", transform=self.ax_table.transAxes, ha="center",
                               va="center", fontsize=12, family="monospace") for k in range(_TABLE_LINES)]
        self.ax_table.set_title("", fontsize=11)
        # what each neuron did, in words, under a key to the drawing
        self.ledger = [fig.text(0.02, 0.66 - 0.2 * k, "", transform=ax_text.transAxes, ha="left", va="center",
                                fontsize=10.5) for k in range(_MAX_NEURONS + 1)]
        key = [Line2D([], [], ls="none", marker="o", markersize=11, markerfacecolor=_FIRING,
                      markeredgecolor="black", label="fires (1)"),
               Line2D([], [], ls="none", marker="o", markersize=11, markerfacecolor="#e6e6e6",
                      markeredgecolor="black", label="silent (0)"),
               Line2D([], [], color=_EXCITE, lw=2.4, label="excitatory"),
               Line2D([], [], color=_INHIBIT, lw=2.4, ls=(0, (4, 2)), label="inhibitory (ends in a bar)")]
        # a figure legend: drawn once into the background (it never changes)
        fig.legend(handles=key, loc="upper center", ncol=4, frameon=False, fontsize=10, handlelength=1.6,
                   columnspacing=1.2, borderaxespad=0.0, bbox_to_anchor=(0.5, 1.0), bbox_transform=ax_text.transAxes)
        self.headline = fig.text(0.5, 0.965, "", ha="center", va="center", fontsize=12.5)

    def draw(self, view):
        for kind, line in self.curves.items():
            line.set_data(view.curves[kind][:, 0], view.curves[kind][:, 1])
        network = view.network
        nodes = list(view.positions)
        groups = {"firing": [], "inputs": [], "neurons": []}
        for name in nodes:
            kind = "firing" if view.signals[name] else "inputs" if name in network.input_names else "neurons"
            groups[kind].append(view.positions[name])
        for line, kind in ((self.firing, "firing"), (self.silent_inputs, "inputs"),
                           (self.silent_neurons, "neurons")):
            points = np.array(groups[kind]).reshape(-1, 2)
            line.set_data(points[:, 0], points[:, 1])
        _show(self.names, [(view.positions[n], n) for n in nodes])
        _show(self.input_values, [((x - RADIUS - 0.06, y), str(view.signals[n]))
                                  for n, (x, y) in view.positions.items() if n in network.input_names])
        labels = []
        for state in view.neurons:
            x, y = view.positions[state.name]
            if state.inhibited_by:
                text = "inhibited"
            else:
                relation = "≥" if state.excitation >= state.threshold else "<"
                text = f"Σ = {state.excitation} {relation} θ = {state.threshold}"
            labels.append(((x, y + RADIUS + 0.05), text))
        _show(self.sums, labels)

        inputs, hidden, outputs = view.table_header
        lines = [_row(inputs, hidden, outputs), "-" * len(_row(inputs, hidden, outputs))]
        lines += [_row(*([str(v) for v in part] for part in row)) for row in view.table_rows]
        for text, line in zip(self.table, lines + [""] * (len(self.table) - len(lines))):
            text.set_text(line)
        band_y = 0.86 - 0.13 * (2 + view.table_row)
        self.band.set_ydata([band_y, band_y])
        self.ax_table.title.set_text(f"Truth table ({INHIBITOR} = {view.signals[INHIBITOR]})")

        ledger = [neuron_summary(state) for state in view.neurons]
        if view.unused:
            ledger.append(f"{' and '.join(view.unused)}: not an input of this network, so it changes nothing")
        for text, line in zip(self.ledger, ledger + [""] * (len(self.ledger) - len(ledger))):
            text.set_text(line)
        given = ", ".join(f"{n} = {view.signals[n]}" for n in ("A", "B", INHIBITOR) if n in view.signals)
        result = ", ".join(f"{n} = {view.signals[n]}" for n in outputs)
        self.headline.set_text(f"{view.title}:  {given}  →  {result}")


def _points_per_unit(fig) -> float:
    """Points per data unit of the network panel (equal aspect: the smaller of its two scales)."""
    width, height = fig.get_figwidth() * _NET_RECT[2], fig.get_figheight() * _NET_RECT[3]
    return 72 * min(width / (_XLIM[1] - _XLIM[0]), height / (_YLIM[1] - _YLIM[0]))


def _show(texts, items) -> None:
    """Put ``(position, string)`` items into a pool of texts; hide the rest."""
    for k, text in enumerate(texts):
        if k < len(items):
            text.set_position(items[k][0])
            text.set_text(items[k][1])
        text.set_visible(k < len(items))


def _row(inputs, hidden, outputs) -> str:
    return " | ".join(" ".join(part) for part in (inputs, hidden, outputs) if part)
