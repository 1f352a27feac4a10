"""Section 2.4.1 — how much gradient reaches the past: a simple RNN, an LSTM and a GRU compared."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter, Locator, NullLocator

from ..plots.style import OKABE_ITO
from ..views.bptt import FLOW_BASE_STEPS, FLOW_CELLS, FLOW_MAX_STEPS, gradient_flow_through_time
from .base import Choice, Explorer, Preset, Slider

CELL_NAMES = {"RNN": "simple RNN", "LSTM": "LSTM", "GRU": "GRU"}
_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_COLORS = {"RNN": OKABE_ITO["blue"], "LSTM": OKABE_ITO["orange"], "GRU": OKABE_ITO["green"]}

#: The site's cells: the LSTM also with the forget-gate bias of section 2.4.2, which is what makes it carry
#: the gradient at initialisation.
CELL_PRESETS = (
    ("simple RNN", dict(cell="RNN", forget_bias=0.0)),
    ("LSTM", dict(cell="LSTM", forget_bias=0.0)),
    ("LSTM, forget-gate bias 3", dict(cell="LSTM", forget_bias=3.0)),
    ("GRU", dict(cell="GRU", forget_bias=0.0)),
)


def _decade(value, _position=None) -> str:
    """A tick label of a log axis whose ticks are whole decades: ``10⁻¹²``."""
    return "10" + str(int(round(np.log10(value)))).translate(_SUPERSCRIPTS) if value > 0 else ""


class _Decades(Locator):
    """Ticks at whole decades, every 1, 2, 5, 10 or 20 of them (at most eight ticks), 10⁰ always among them."""

    def __call__(self):
        return self.tick_values(*self.axis.get_view_interval())

    def tick_values(self, vmin, vmax):
        lo, hi = int(np.ceil(np.log10(vmin) - 1e-9)), int(np.floor(np.log10(vmax) + 1e-9))
        step = next((s for s in (1, 2, 5, 10, 20) if (hi - lo) / s <= 7), 50)
        return 10.0 ** np.arange(step * int(np.ceil(lo / step)), hi + 1, step)


class GradientsThroughTimeExplorer(Explorer):
    """``||dL/dh_t||`` against the distance from a loss on the last step, for one cell against the simple RNN."""

    title = "Gradients through time"
    controls = {
        "cell": Choice("cell", FLOW_CELLS, "RNN", CELL_NAMES),
        "scale": Slider("recurrent weight scale s", 0.25, 4.0, 1.0, step=0.05),
        "seq_len": Slider("sequence length T", 10, FLOW_MAX_STEPS, FLOW_BASE_STEPS, step=5, integer=True),
        "forget_bias": Slider("forget-gate bias (LSTM only)", 0.0, 5.0, 0.0, step=0.5),
    }
    # The site's frames: each cell (the LSTM with and without the forget-gate bias) at scales from half to
    # three times PyTorch's; the sequence length (and other forget-gate biases) stay in Jupyter.
    site_grid = {"cell": Preset("cell", CELL_PRESETS), "scale": (0.5, 1.0, 1.5, 2.0, 3.0)}
    figsize = (6.72, 4.4)

    def compute(self, cell, scale, seq_len, forget_bias):
        # the reference: the simple RNN at PyTorch's initialisation, over the same steps
        return (gradient_flow_through_time(cell, scale, seq_len, forget_bias),
                gradient_flow_through_time("RNN", 1.0, seq_len))

    def build(self, fig):
        ax = self.ax = fig.add_subplot()
        (self.ref_line,) = ax.plot([], [], color="0.45", ls="--", lw=1.5, label=" ")
        (self.line,) = ax.plot([], [], lw=2.5, label=" ")
        self.level = ax.axhline(1.0, color=OKABE_ITO["black"], ls=":", lw=1, label="as large as at the loss")
        ax.set(yscale="log", xlabel="steps back from the loss, $T-1-t$",
               ylabel="$\\Vert\\partial L/\\partial h_t\\Vert \\;/\\; \\Vert\\partial L/\\partial h_{T-1}\\Vert$")
        ax.yaxis.set_major_locator(_Decades())
        ax.yaxis.set_minor_locator(NullLocator())
        # "10⁻¹²" in plain text: the default mathtext labels are parsed again whenever the limits change
        ax.yaxis.set_major_formatter(FuncFormatter(_decade))
        ax.grid(True, which="major", alpha=0.3)
        self.legend = ax.legend(loc="lower left", framealpha=0.9)
        # the legend's title says why the forget-gate bias does nothing when another cell is chosen
        self.legend.get_title().set_color(OKABE_ITO["vermillion"])

    def draw(self, view):
        flow, ref = view
        k = np.arange(flow.seq_len)
        self.line.set_data(k, flow.back)
        self.line.set_color(_COLORS[flow.cell])
        self.ref_line.set_data(k, ref.back)
        self.ref_line.set_visible(flow.cell != "RNN" or flow.scale != 1.0)
        texts = self.legend.get_texts()
        bias = f", forget-gate bias {flow.forget_bias:g}" if flow.forget_bias else ""
        texts[1].set_text(f"{CELL_NAMES[flow.cell]}, s = {flow.scale:g}{bias}: × {flow.per_step:.2f} per step")
        texts[0].set_text(f"simple RNN, s = 1: × {ref.per_step:.2f} per step")
        for artist in (texts[0], self.legend.legend_handles[0]):
            artist.set_visible(self.ref_line.get_visible())
        self.legend.legend_handles[1].set_color(_COLORS[flow.cell])
        values = np.concatenate([flow.back, ref.back])
        values = values[np.isfinite(values) & (values > 0)]
        # Whole decades, in steps of ten below and of five above (ten above the loss's level at the most):
        # nearby settings keep the axes, and the cached background with them. The room left below the curves
        # holds the legend.
        lo, hi = np.log10(values.min()), np.log10(values.max())
        top = 1.0 if hi < 0.5 else 5 * np.ceil((hi + 0.5) / 5)
        self.ax.set_ylim(10.0 ** (10 * np.floor((lo - 0.5) / 10)), 10.0 ** top)
        self.ax.set_xlim(-0.02 * flow.seq_len, flow.seq_len - 1 + 0.02 * flow.seq_len)
        self.ax.title.set_text(f"Gradient of a loss on the last of T = {flow.seq_len} steps")
        forget_bias = self.values["forget_bias"]
        self.legend.set_title(f"forget-gate bias {forget_bias:g}: the LSTM's only, not the {CELL_NAMES[flow.cell]}'s"
                              if flow.cell != "LSTM" and forget_bias else "")
        self.show_message(None if np.all(np.isfinite(flow.back)) else
                          "The gradient overflowed: try a smaller weight scale or a shorter sequence.")
