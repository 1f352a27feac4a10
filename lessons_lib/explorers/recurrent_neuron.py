"""Section 2.4 — one recurrent neuron, unrolled over a short input sequence."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb

from ..plots.style import OKABE_ITO
from ..views.rnn import NEURON_INPUTS, NEURON_STEPS, SATURATED, recurrent_neuron
from .base import Choice, Explorer, Slider

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_POSITIVE, _NEGATIVE = np.array(to_rgb(OKABE_ITO["blue"])), np.array(to_rgb(OKABE_ITO["vermillion"]))


def _fill(y: float) -> tuple:
    """A cell's colour: white at 0, blue towards +1, vermillion towards -1."""
    return tuple((1 - abs(y)) * np.ones(3) + abs(y) * (_POSITIVE if y >= 0 else _NEGATIVE))


def _number(v: float, digits: int = 2) -> str:
    """A value as written on the chain, with a real minus sign."""
    text = f"{v:.{digits}f}"
    return text.replace("-", "−") if text.strip("-0.") else text.lstrip("-")


def _signed(v: float, first: bool = False) -> str:
    """``+ 0.5`` / ``− 0.5`` between the terms of the equation, ``−0.5`` / ``0.5`` for the first."""
    text = f"{abs(v):g}"
    if first:
        return ("−" if v < 0 else "") + text
    return ("− " if v < 0 else "+ ") + text


class RecurrentNeuronExplorer(Explorer):
    """ŷ_t = tanh(w_x x_t + w_ŷ ŷ_{t-1} + b) over ten steps: memory that fades, oscillates or saturates."""

    title = "One recurrent neuron"
    controls = {
        "w_x": Slider("input weight w_x", -3.0, 3.0, 1.0, step=0.1),
        "w_y": Slider("recurrent weight w_ŷ", -3.0, 3.0, 0.5, step=0.1),
        "b": Slider("bias b", -2.0, 2.0, 0.0, step=0.1),
        "inputs": Choice("input sequence", NEURON_INPUTS, "pulse",
                         {"pulse": "a single pulse", "step": "a step", "sine": "a sine"}),
    }
    # The site's frames: the pulse (memory) and the step, a weak and a strong input weight, and recurrent
    # weights that forget fast or slowly, flip the sign at every step, or latch (|w_ŷ| > 1); the bias and
    # the sine stay in Jupyter.
    site_grid = {"inputs": ("pulse", "step"), "w_x": (1.0, 3.0), "w_y": (-1.5, -0.8, 0.0, 0.5, 0.9, 1.5)}
    figsize = (6.72, 5.0)

    def compute(self, w_x, w_y, b, inputs):
        return recurrent_neuron(w_x, w_y, b, inputs)

    def build(self, fig):
        grid = fig.add_gridspec(2, 1, height_ratios=(1.55, 1))
        self.ax_s = fig.add_subplot(grid[0])
        self.ax_c = fig.add_subplot(grid[1], sharex=self.ax_s)
        t = np.arange(NEURON_STEPS)
        # the input as grey bars (one line broken by NaN), the output as a line over it
        (self.x_bars,) = self.ax_s.plot([], [], color="0.6", lw=9, solid_capstyle="butt", label="input $x_t$")
        (self.y_line,) = self.ax_s.plot([], [], color=OKABE_ITO["blue"], lw=2, marker="o", ms=6,
                                        label=r"output $\hat y_t$")
        (self.y_sat,) = self.ax_s.plot([], [], ls="none", marker="o", ms=12, mfc="none", mew=2,
                                       color=OKABE_ITO["vermillion"], label=f"saturated: |ŷ| > {SATURATED}")
        for sign in (-1, 1):
            self.ax_s.axhspan(sign * SATURATED, sign * 1.0, color="0.9", zorder=0)
        self.ax_s.axhline(0, color="0.7", lw=0.8, zorder=0)
        self.ax_s.set(xlim=(-0.5, NEURON_STEPS - 0.5), ylim=(-1.2, 1.85), yticks=[-1, -0.5, 0, 0.5, 1],
                      ylabel="value")
        self.ax_s.tick_params(labelbottom=False)
        self.ax_s.legend(loc="upper center", ncol=3, frameon=False, handlelength=1.5, columnspacing=1.0)
        # The chain: one copy of the neuron per step (its colour: its output), the output written under it, and
        # above each arrow the factor by which a change of the previous output reaches the next one.
        self.cells = []
        for k in t:
            (cell,) = self.ax_c.plot([k], [0.0], ls="none", marker="s", ms=20, mec="0.3", mew=1)
            self.cells.append(cell)
        # the arrows: shafts (one line broken by NaN) and heads (triangle markers), cheaper than annotations
        shafts = np.column_stack([t[:-1] + 0.2, t[:-1] + 0.7, np.full(t.size - 1, np.nan)]).ravel()
        self.ax_c.plot(shafts, np.where(np.isnan(shafts), np.nan, 0.0), color="0.3", lw=1.2, zorder=1.5)
        self.ax_c.plot(t[:-1] + 0.7, np.zeros(t.size - 1), ls="none", marker=">", ms=6, color="0.3", zorder=1.5)
        # figure texts placed in the chain's data units: the explorer redraws figure texts on every change
        to_data = self.ax_c.transData
        self.y_texts = [fig.text(k, -0.62, "", transform=to_data, ha="center", va="center", fontsize=10)
                        for k in t]
        self.f_texts = [fig.text(k + 0.5, 0.55, "", transform=to_data, ha="center", va="center", fontsize=10,
                                 color="0.25") for k in t[:-1]]
        self.ax_c.set(ylim=(-0.95, 0.85), xticks=t, xlabel="time step $t$")
        self.ax_c.set_yticks([0.55, -0.62], ["factor", "$\\hat y_t$"])
        self.ax_c.tick_params(axis="y", length=0)
        # A static text, not the axes' title: titles are redrawn on every change, and mathtext costs.
        self.ax_c.text(0.5, 1.06, "Unrolled: one copy of the neuron per step; on each arrow, the factor\n"
                       "$\\partial\\hat y_t/\\partial\\hat y_{t-1} = w_{\\hat y}\\,(1-\\hat y_t^{\\,2})$ "
                       "that carries a change on", transform=self.ax_c.transAxes, ha="center", va="bottom",
                       fontsize=10)
        for side in ("left", "right", "top"):
            self.ax_c.spines[side].set_visible(False)
        self.suptitle = fig.suptitle("\n", fontsize=10)

    def draw(self, view):
        t = view.t
        bars = np.column_stack([t, t, np.full(t.size, np.nan)]).ravel()
        heights = np.column_stack([np.zeros(t.size), view.x, np.full(t.size, np.nan)]).ravel()
        self.x_bars.set_data(bars, heights)
        self.y_line.set_data(t, view.y)
        self.y_sat.set_data(t[view.saturated], view.y[view.saturated])
        for cell, text, y in zip(self.cells, self.y_texts, view.y):
            cell.set_markerfacecolor(_fill(y))
            text.set_text(_number(y))
        for text, f in zip(self.f_texts, view.factor):
            text.set_text(_number(f))
        w_x, w_y, b = (self.values[k] for k in ("w_x", "w_y", "b"))
        memory = view.memory
        # two significant digits, whatever the size (0.0016, 0.10, 1.2e-05)
        shown = (f"{memory:.2g}" if abs(memory) >= 1e-4 or memory == 0 else f"{memory:.1e}").replace("-", "−")
        notes = [f"∂ŷ{str(t[-1]).translate(_SUBSCRIPTS)}/∂ŷ₀ = {shown}"]
        if w_y < 0:
            notes.append("each step flips the sign of a change")
        n_sat = int(view.saturated.sum())
        if n_sat:
            notes.append(f"{n_sat} of {t.size} outputs saturated")
        # plain text (unicode subscripts): mathtext would be parsed again for every new value
        head = f"ŷₜ = tanh({_signed(w_x, first=True)}·xₜ {_signed(w_y)}·ŷₜ₋₁ {_signed(b)})"
        self.suptitle.set_text(head + "\n" + ", ".join(notes))
        self.show_message(None)
