"""Sections 2.4.2 and 2.4.3 — a one-unit LSTM and a one-unit GRU with hand-set gates.

Both cells read the same short sequence (:func:`lessons_lib.views.lstm.cue_sequence`): a value to store at
step 2, announced by a write cue, distractors at the other steps, and, if chosen, an erase cue at step 9.
The sliders set the gates' biases; the figure shows the inputs, the gates and the states step by step, as
the layers of :mod:`lessons_lib.lstm` and :mod:`lessons_lib.gru` compute them with those numbers written
into their weights (:func:`~lessons_lib.views.lstm.lstm_cell_view`, :func:`~lessons_lib.views.gru.gru_cell_view`).
The two explorers share one figure (:class:`GatedCellFigure`); each names its own lines and equations.
"""

from __future__ import annotations

import numpy as np
from matplotlib.legend import Legend

from ..plots.lstm import GATE_COLORS
from ..plots.style import OKABE_ITO, wrap_to_width
from ..views.gru import gru_cell_view
from ..views.lstm import CELL_STEPS, ERASE_STEP, WRITE_STEP, lstm_cell_view
from .base import Explorer, Slider, Toggle

#: The grid of the site's frames for both cells: four keep biases, three values of the other bias, with and
#: without the erase cue (24 frames).
KEEP_BIASES = (0.0, 2.0, 4.0, 6.0)


class GatedCellFigure:
    """The figure both cells share: the input sequence above the gates above the states, over the steps.

    A mix-in placed before :class:`~lessons_lib.explorers.core.Explorer` (itself no explorer: every explorer
    class of the package is registered in ``EXPLORERS``). A subclass sets ``gate_lines`` and ``state_lines``,
    tuples of ``(field of its view, legend label, colour, line style)``, ``memory`` (the field that holds the
    stored value and its symbol) and ``compute``.
    """

    gate_lines: tuple = ()
    state_lines: tuple = ()
    memory: tuple[str, str] = ("h", "h")
    figsize = (6.72, 5.8)

    #: The panels' heights (inches): sequence, gates, states; and the figure's margins around them.
    panel_heights = (1.15, 1.15, 1.53)
    margins = dict(left=0.78, right=1.62, top=0.62, bottom=0.55, gap=0.4)

    def build(self, fig):
        # A fixed layout: the figure never changes shape, and constrained layout would cost as much as the
        # rest of a site frame. The legends stand in a column on the right, one beside each panel.
        fig.set_layout_engine(None)          # (None, not "none": no placeholder engine, no layout pass)
        width, height = self.figsize
        m = self.margins
        if abs(m["top"] + sum(self.panel_heights) + 2 * m["gap"] + m["bottom"] - height) > 0.05:
            raise ValueError(f"panel_heights and margins of {type(self).__name__} do not fill its figsize")
        bottom = height - m["top"]
        axes = []
        for k, panel in enumerate(self.panel_heights):
            bottom -= panel + (m["gap"] if k else 0.0)
            axes.append(fig.add_axes((m["left"] / width, bottom / height, (width - m["left"] - m["right"]) / width,
                                      panel / height), sharex=axes[0] if axes else None))
        self.ax_x, self.ax_g, self.ax_s = axes
        for ax in axes[:-1]:
            ax.tick_params(labelbottom=False)
        steps = np.arange(CELL_STEPS)
        (self.stems,) = self.ax_x.plot([], [], color="0.55", lw=1.5)
        (self.values_line,) = self.ax_x.plot([], [], "o", color=OKABE_ITO["black"], ms=5, label="value $v_t$")
        self.cues = {"write": [], "erase": []}
        for ax in axes:
            self.cues["write"].append(ax.axvline(WRITE_STEP, color=OKABE_ITO["black"], ls="--", lw=1.2,
                                                 label="write cue"))
            self.cues["erase"].append(ax.axvline(ERASE_STEP, color=OKABE_ITO["black"], ls=":", lw=1.8,
                                                 label="erase cue"))
        self.ax_x.axhline(0, color="0.8", lw=0.8, zorder=0)
        self.ax_s.axhline(0, color="0.8", lw=0.8, zorder=0)
        self.lines = {}
        for ax, specs in ((self.ax_g, self.gate_lines), (self.ax_s, self.state_lines)):
            for k, (field, label, color, style) in enumerate(specs):
                candidate = ax is self.ax_s and k == len(specs) - 1      # drawn lighter, behind the states
                (self.lines[field],) = ax.plot(steps, np.zeros(CELL_STEPS), color=color, ls=style,
                                               lw=1.4 if candidate else 2, marker=".", ms=4 if candidate else 7,
                                               zorder=1.5 if candidate else 2, label=label)
        self.ax_x.set(ylim=(-1.15, 1.15), ylabel="input")
        self.ax_g.set(ylim=(-0.05, 1.05), ylabel="gate value")
        self.ax_s.set(xlim=(-0.5, CELL_STEPS - 0.5), xlabel="step t", ylabel="state")
        self.ax_s.set_xticks(steps)
        self.legends = {}
        for ax, title in zip(axes, ("The sequence", "The gates", "The states")):
            # The titles and the legends never change: drawn as plain texts and artists of the axes, they are
            # part of the cached background instead of being redrawn with the data (text is most of the cost
            # of a frame).
            ax.text(0.5, 1.03, title, transform=ax.transAxes, ha="center", va="bottom", fontsize=12)
            ax.yaxis.set_label_coords(-0.12, 0.5)     # the same place in every panel, clear of the tick labels
            handles = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
            if ax is not self.ax_x:      # the cues are named once, in the top panel
                handles = [h for h in handles if h not in self.cues["write"] + self.cues["erase"]]
            self.legends[title] = ax.add_artist(Legend(ax, handles, [h.get_label() for h in handles],
                                                       loc="center left", bbox_to_anchor=(1.01, 0.5),
                                                       frameon=False, handlelength=1.6))
        self.suptitle = fig.suptitle("\n", fontsize=10, y=1 - 0.08 / height, va="top")

    def draw(self, view):
        steps = np.arange(CELL_STEPS)
        value = view.x[:, 0]
        self.stems.set_data(np.repeat(steps, 3), np.column_stack([np.zeros(CELL_STEPS), value,
                                                                   np.full(CELL_STEPS, np.nan)]).ravel())
        self.values_line.set_data(steps, value)
        erase = bool(view.x[ERASE_STEP, 2])
        for line in self.cues["erase"]:
            line.set_visible(erase)
        for field, line in self.lines.items():
            line.set_ydata(getattr(view, field))
        states = np.concatenate([getattr(view, field) for field, *_ in self.state_lines])
        top = max(1.0, float(np.ceil(2 * np.abs(states).max())) / 2)   # half units: the limits rarely change
        self.ax_s.set_ylim(-1.1 * top, 1.1 * top)
        text = self.verdict(view)
        # The verdicts hold at most about 81 characters, 406 pt wide at 10 pt (5.1 pt a character at most),
        # and fit the 469 pt of the figure; measuring them would cost 5 ms a frame.
        if len(text) > 88:
            text = wrap_to_width(text, 0.97 * self.figsize[0], self.suptitle.get_fontsize())
        self.suptitle.set_text(text)

    def verdict(self, view) -> str:
        """One sentence over the figure: what was stored, and what is left of it."""
        field, symbol = self.memory
        trace = getattr(view, field)
        text = f"Written at step {WRITE_STEP}: {symbol} = {_signed(view.stored)}; at step {view.held_step}: " \
               f"{_signed(view.held)}"
        if abs(view.stored) >= 0.05:
            text += f" ({_signed(100 * view.held / view.stored, 0)}%)"
        if view.x[ERASE_STEP, 2]:
            text += f"; after the erase cue: {_signed(trace[ERASE_STEP])}"
        return text + "."


class LSTMCellExplorer(GatedCellFigure, Explorer):
    """A one-unit LSTM whose gates are set by hand (section 2.4.2): watch ``c_t`` keep a value or lose it.

    The cell computes the equations of 2.4.2, "Two states instead of one" (unnumbered in the book; its
    equation numbers follow the syllabus, which stops at (2.13))::

        i_t = σ(x_t W_xi + h_{t-1} W_hi + b_i)      f_t = σ(x_t W_xf + h_{t-1} W_hf + b_f)
        g_t = tanh(x_t W_xg + h_{t-1} W_hg + b_g)   o_t = σ(x_t W_xo + h_{t-1} W_ho + b_o)
        c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t             h_t = o_t ⊙ tanh(c_t)

    with one unit, no recurrent weights and the inputs (value, write cue, erase cue) weighted as in
    :func:`lessons_lib.views.lstm.hand_set_lstm`: ``i_t = σ(b_i + w · write_t)``, ``f_t = σ(b_f − 12 erase_t)``,
    ``g_t = tanh(value_t)``, ``o_t = σ(b_o)``. The sliders set ``b_f``, ``b_i``, ``b_o`` and ``w``.
    """

    title = "A one-unit LSTM, gates set by hand"
    controls = {
        "forget_bias": Slider("forget-gate bias", -4.0, 6.0, 4.0, step=0.5),
        "input_bias": Slider("input-gate bias", -6.0, 4.0, -4.0, step=0.5),
        "output_bias": Slider("output-gate bias", -4.0, 4.0, 2.0, step=0.5),
        "cue_weight": Slider("write cue's weight on the input gate", 0.0, 12.0, 8.0, step=0.5),
        "distractors": Toggle("distractors", True),
        "erase": Toggle("erase cue at step 9", False),
    }
    # The site's frames: the forget bias from forgetful to keeping, the input gate closed, ajar and open,
    # without and with the erase cue (the "things to try" of 2.4.2); output gate and cue weight stay at
    # their defaults there.
    site_grid = {"forget_bias": KEEP_BIASES, "input_bias": (-4.0, -1.0, 2.0), "erase": (False, True)}
    gate_lines = (("f", "forget $f_t$", GATE_COLORS["f"], "-"),
                  ("i", "input $i_t$", GATE_COLORS["i"], "--"),
                  ("o", "output $o_t$", GATE_COLORS["o"], "-."))
    state_lines = (("c", "cell state $c_t$", OKABE_ITO["black"], "-"),
                   ("h", "output $h_t$", OKABE_ITO["vermillion"], "--"),  # blue is the forget gate's
                   ("g", "candidate $g_t$", GATE_COLORS["g"], ":"))
    memory = ("c", "c")

    def compute(self, forget_bias, input_bias, output_bias, cue_weight, distractors, erase):
        return lstm_cell_view(forget_bias, input_bias, output_bias, cue_weight, distractors, erase)


class GRUCellExplorer(GatedCellFigure, Explorer):
    """A one-unit GRU whose gates are set by hand (section 2.4.3): watch ``h_t`` keep a value or lose it.

    The cell computes the equations of 2.4.3, "From the LSTM to the GRU" (unnumbered in the book, like the
    LSTM's), in PyTorch's reset-after form and keep convention::

        r_t = σ(x_t W_xr + b_xr + h_{t-1} W_hr + b_hr)
        z_t = σ(x_t W_xz + b_xz + h_{t-1} W_hz + b_hz)
        n_t = tanh(x_t W_xn + b_xn + r_t ⊙ (h_{t-1} W_hn + b_hn))
        h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}

    with one unit and the weights of :func:`lessons_lib.views.gru.hand_set_gru`: ``r_t = σ(b_r)``,
    ``z_t = σ(b_z + w · (write_t + erase_t))``, ``n_t = tanh(value_t + r_t h_{t-1})``. The sliders set ``b_z``,
    ``b_r`` and ``w``; ``z_t`` near 1 keeps the state, and a cue (``w < 0``) pulls it to 0 to write.
    """

    title = "A one-unit GRU, gates set by hand"
    controls = {
        "update_bias": Slider("update-gate bias", -4.0, 6.0, 4.0, step=0.5),
        "reset_bias": Slider("reset-gate bias", -6.0, 6.0, -4.0, step=0.5),
        "cue_weight": Slider("cues' weight on the update gate", -12.0, 0.0, -8.0, step=0.5),
        "distractors": Toggle("distractors", True),
        "erase": Toggle("erase cue at step 9", False),
    }
    # The site's frames: the update bias from forgetful to keeping, the reset gate closed, half open and
    # open, without and with the erase cue (the "things to try" of 2.4.3); the cue weight stays at its
    # default there.
    site_grid = {"update_bias": KEEP_BIASES, "reset_bias": (-4.0, 0.0, 4.0), "erase": (False, True)}
    gate_lines = (("z", "update $z_t$", GATE_COLORS["z"], "-"),
                  ("r", "reset $r_t$", GATE_COLORS["r"], "--"))
    state_lines = (("h", "state $h_t$", OKABE_ITO["black"], "-"),
                   ("n", "candidate $n_t$", GATE_COLORS["g"], ":"))
    memory = ("h", "h")

    def compute(self, update_bias, reset_bias, cue_weight, distractors, erase):
        return gru_cell_view(update_bias, reset_bias, cue_weight, distractors, erase)


def _signed(value: float, digits: int = 2) -> str:
    """``value`` rounded, with a typographic minus and no "-0.00"."""
    text = f"{value:.{digits}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "\u2212")
