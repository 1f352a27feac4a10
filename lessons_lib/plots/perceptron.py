"""Drawings of threshold logic units and of perceptron training (sections 2.2, 2.2.1).

The diagram of a TLU beside a perceptron layer (Figure 2.2) is :func:`draw_tlu_and_perceptron`. What the
other figures show comes from :mod:`lessons_lib.views.perceptron`: the firing half-plane and decision
boundary of a 2-D TLU, and the moments of a training run worth showing.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Patch, Polygon

from ..views.perceptron import snapshot_steps, tlu_region
from .style import COLUMN_INCHES, OKABE_ITO, legible, min_fontsize, wrap_to_width

_CLASS_STYLE = {0: dict(marker="o", color=OKABE_ITO["blue"], label="target 0"),
                1: dict(marker="^", color=OKABE_ITO["orange"], label="target 1")}
_FIRING = OKABE_ITO["orange"]
_NORMAL = OKABE_ITO["green"]
_PREVIOUS = "#888888"
_PRESENTED = OKABE_ITO["vermillion"]


def _limits(X, xlim, ylim):
    if xlim is not None and ylim is not None:
        return tuple(xlim), tuple(ylim)
    if X is None:
        return tuple(xlim or (-1.0, 1.0)), tuple(ylim or (-1.0, 1.0))
    X = np.asarray(X, float)
    lo, hi = X.min(axis=0), X.max(axis=0)
    half = 0.75 * max(float(np.max(hi - lo)), 1e-9)   # a square box: equal aspect without empty bands
    centre = (lo + hi) / 2
    auto = [(float(centre[d] - half), float(centre[d] + half)) for d in range(2)]
    return tuple(xlim or auto[0]), tuple(ylim or auto[1])


def draw_tlu(ax, w, b, X=None, y=None, xlim=None, ylim=None, title: str = "", show_normal: bool = True,
             previous=None, presented: int | None = None) -> None:
    """Draw a TLU with two inputs on ``ax``: the region where it fires (shaded), its decision boundary
    ``w . x + b = 0`` (solid line), the weight vector ``w`` as an arrow normal to the boundary, and the
    points ``X`` marked by their 0/1 targets ``y``.

    ``previous=(w, b)`` adds an earlier boundary as a dashed grey line; ``presented`` rings the point
    ``X[presented]`` (the instance that was just shown to the learning rule).
    """
    w = np.asarray(w, float).ravel()
    b = float(np.asarray(b, float).ravel()[0]) if np.ndim(b) else float(b)
    xlim, ylim = _limits(X, xlim, ylim)
    region = tlu_region(w, b, xlim, ylim)
    if len(region.firing) >= 3:
        ax.add_patch(Polygon(region.firing, closed=True, facecolor=_FIRING, alpha=0.18, edgecolor="none",
                             zorder=0))
    if previous is not None:
        prev = tlu_region(np.asarray(previous[0], float).ravel(), float(np.ravel(previous[1])[0]), xlim, ylim)
        if prev.boundary is not None:
            ax.plot(*prev.boundary.T, color=_PREVIOUS, linestyle="--", linewidth=1.4, zorder=1)
    if region.boundary is not None:
        ax.plot(*region.boundary.T, color="black", linewidth=2.0, zorder=2)
        if show_normal and np.any(w != 0):
            start = region.boundary.mean(axis=0)
            u = w / np.linalg.norm(w)
            size = 0.22 * min(xlim[1] - xlim[0], ylim[1] - ylim[0])
            # shorten the arrow if it would leave the box (matplotlib drops annotations that end outside)
            for d, (lo, hi) in enumerate((xlim, ylim)):
                if u[d] > 0:
                    size = min(size, 0.95 * (hi - start[d]) / u[d])
                elif u[d] < 0:
                    size = min(size, 0.95 * (lo - start[d]) / u[d])
            ax.annotate("", xy=start + size * u, xytext=start,
                        arrowprops=dict(arrowstyle="-|>", color=_NORMAL, linewidth=2.0, mutation_scale=14),
                        zorder=4)
    if X is not None and y is not None:
        X, y = np.asarray(X, float), np.asarray(y).ravel()
        for label, style in _CLASS_STYLE.items():
            pts = X[y == label]
            ax.scatter(pts[:, 0], pts[:, 1], s=46, marker=style["marker"], color=style["color"],
                       edgecolor="black", linewidth=0.6, zorder=3)
        if presented is not None:
            ax.scatter(*X[presented], s=260, facecolor="none", edgecolor=_PRESENTED, linewidth=2.0, zorder=5)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title, fontsize=10)


def _legend(fig, extra: tuple[str, ...] = (), with_points: bool = True) -> None:
    handles = [Patch(facecolor=_FIRING, alpha=0.3, label="unit fires ($z \\geq 0$)"),
               Line2D([], [], color="black", linewidth=2.0, label="decision boundary $z = 0$"),
               Line2D([], [], color=_NORMAL, linewidth=2.0, marker=">", label="weight vector $\\mathbf{w}$")]
    if with_points:
        handles += [Line2D([], [], linestyle="none", marker=s["marker"], color=s["color"], markeredgecolor="black",
                           markersize=7, label=s["label"]) for s in _CLASS_STYLE.values()]
    if "previous" in extra:
        handles.append(Line2D([], [], color=_PREVIOUS, linestyle="--", linewidth=1.4,
                              label="boundary before the update"))
    if "presented" in extra:
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=11, markerfacecolor="none",
                              markeredgecolor=_PRESENTED, markeredgewidth=2.0,
                              label="instance that triggered the update"))
    # as many columns as fit the figure's width, at a size that reads on the page
    fontsize = max(10.0, min_fontsize(fig.get_figwidth()))
    renderer = fig.canvas.get_renderer()
    for ncol in range(4 if len(handles) > 5 else len(handles), 0, -1):
        legend = fig.legend(handles=handles, loc="outside lower center", ncol=ncol, frameon=False, fontsize=fontsize)
        if ncol == 1 or legend.get_window_extent(renderer).width <= 0.97 * fig.bbox.width:
            break
        legend.remove()


def _legend_under_axes(fig, pad: float = 0.01) -> None:
    """Move the figure legend up to just below the lowest x-axis labels.

    Equal-aspect panels leave spare height that tight_layout spreads around them; without this the legend
    sits at the bottom edge, below a band of empty space (the notebooks crop the space left under it).
    """
    renderer = fig.canvas.get_renderer()
    bottom = min(ax.get_tightbbox(renderer).y0 for ax in fig.axes if ax.axison) / fig.bbox.height
    fig.legends[0].set_loc("upper center")
    fig.legends[0].set_bbox_to_anchor((0.5, bottom - pad), transform=fig.transFigure)


def _grid(n: int, ncols: int | None, panel: float = 3.0):
    """``n`` panels sharing their axes, in rows of ``ncols``, each at most ``panel`` inches: narrower when
    that many would be wider than the page's column."""
    ncols = min(ncols or n, n)
    nrows = -(-n // ncols)
    panel = min(panel, (COLUMN_INCHES - 0.5) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel * ncols + 0.5, (panel + 0.55) * nrows + 1.2),
                             squeeze=False, sharex=True, sharey=True, layout="constrained")
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    return fig, list(axes.flat)[:n]


def _finish(fig, axes, ncols: int | None) -> None:
    """Label only the outer panels (the axes are shared), make the text legible, lay the panels out above
    the legend and move the legend up to just under them."""
    ncols = min(ncols or len(axes), len(axes))
    for k, ax in enumerate(axes):
        if k + ncols < len(axes):                # a panel below shows the x axis
            ax.set_xlabel("")
            ax.xaxis.set_tick_params(labelbottom=False)
        if k % ncols:                            # the first panel of the row shows the y axis
            ax.set_ylabel("")
            ax.yaxis.set_tick_params(labelleft=False)
    legible(fig)
    for _ in range(2):         # constrained layout; the second pass sees the ticks that the aspect settled
        fig.canvas.draw()
    fig.set_layout_engine("none")                # then the positions stay
    _legend_under_axes(fig)


def draw_tlus(units: dict, X=None, Y=None, xlim=None, ylim=None, ncols: int | None = None, title: str = ""):
    """One panel per TLU; returns the figure.

    ``units`` maps a panel title to ``(w, b)``. ``Y`` gives the targets: one label per point shared by all
    panels (shape (N,)), or one column per unit (shape (N, n_units)), or ``None`` to draw ``X`` unlabelled
    (no points are drawn without labels).
    """
    if not units:
        raise ValueError("units must name at least one TLU")
    fig, axes = _grid(len(units), ncols)
    Y = None if Y is None else np.asarray(Y)
    for j, (ax, (name, (w, b))) in enumerate(zip(axes, units.items())):
        y = None if Y is None else (Y if Y.ndim == 1 else Y[:, j])
        width = 0.75 * (fig.get_figwidth() - 0.5) / min(ncols or len(axes), len(axes))
        draw_tlu(ax, w, b, X, y, xlim, ylim, title=wrap_to_width(name, width))
    _legend(fig, with_points=Y is not None)
    if title:
        fig.suptitle(title, fontsize=12)
    _finish(fig, axes, ncols)
    return fig


def draw_training(history, X, y, n_panels: int = 6, ncols: int = 3, xlim=None, ylim=None, title: str = "",
                  unit: int = 0):
    """A small multiple of a perceptron training run (output ``unit``), one panel per chosen moment.

    The moments come from :func:`lessons_lib.views.perceptron.snapshot_steps`: the start, the weight
    updates (each panel shows the boundary before the update dashed and rings the instance that caused it),
    and the end of the run. Returns the figure.
    """
    steps = snapshot_steps(history, n_panels)
    fig, axes = _grid(len(steps), ncols)
    epochs = len(history.errors_per_epoch)
    n_updates = np.cumsum([0, *history.mistake])
    for ax, k in zip(axes, steps):
        w, b = history.weights[k][:, unit], history.biases[k][unit]
        previous = presented = None
        if k == 0:
            label = "start"
        elif k == history.n_steps:
            label = f"end: {epochs} epoch{'s' if epochs > 1 else ''}"
        else:
            label = f"update {n_updates[k]}, epoch {history.epoch[k - 1] + 1}"
        if k > 0 and history.mistake[k - 1]:
            previous = (history.weights[k - 1][:, unit], history.biases[k - 1][unit])
            presented = history.sample[k - 1]
        title_k = f"{label}\nafter {k} instance{'' if k == 1 else 's'}"
        draw_tlu(ax, w, b, X, y, xlim, ylim, title=title_k, previous=previous, presented=presented)
    _legend(fig, extra=("previous", "presented"))
    if title:
        fig.suptitle(title, fontsize=12)
    _finish(fig, axes, ncols)
    return fig


# ---------------------------------------------------------------------------------------------------
# Figure 2.2: a threshold logic unit, and a perceptron layer built from such units
# ---------------------------------------------------------------------------------------------------
_INPUT = OKABE_ITO["sky"]       # the same layer colours as draw_mlp in plots.backprop
_UNIT = OKABE_ITO["orange"]
_BIAS = OKABE_ITO["purple"]
_WIRE = "#555555"


def _connect(ax, a, b, color=_WIRE, lw=1.4, linestyle="-", zorder=2):
    """An arrow from patch ``a`` to patch ``b``, clipped at their edges."""
    ax.add_patch(FancyArrowPatch(a.center if isinstance(a, Circle) else _box_centre(a),
                                 b.center if isinstance(b, Circle) else _box_centre(b),
                                 arrowstyle="-|>", mutation_scale=12, color=color, lw=lw, linestyle=linestyle,
                                 patchA=a, patchB=b, shrinkA=1, shrinkB=1, zorder=zorder))


def _box_centre(patch):
    return patch.get_x() + patch.get_width() / 2, patch.get_y() + patch.get_height() / 2


def _neuron(ax, xy, label, color="white", radius=0.3, fontsize=13, linestyle="-"):
    circle = Circle(xy, radius, facecolor=color, edgecolor="black", lw=1.4, linestyle=linestyle, zorder=3)
    ax.add_patch(circle)
    if label:
        ax.text(*xy, label, ha="center", va="center", fontsize=fontsize, zorder=4)
    return circle


def _step_icon(ax, xy, half_width, half_height, lw=2.0):
    """The graph of the step function, 0 left of the origin and 1 right of it, centred on ``xy``."""
    x, y = xy
    ax.plot([x - half_width, x, x, x + half_width], [y - half_height, y - half_height, y + half_height,
                                                     y + half_height],
            color="black", lw=lw, solid_joinstyle="miter", zorder=5)


def _tlu_panel(ax, x0: float) -> None:
    """The threshold logic unit, with its left edge at ``x0``."""
    ins = {r"$x_1$": 3.0, r"$x_2$": 2.0, r"$x_n$": 0.0}
    weights = {r"$x_1$": r"$w_1$", r"$x_2$": r"$w_2$", r"$x_n$": r"$w_n$"}
    sigma_xy, step_xy = (x0 + 2.9, 1.5), (x0 + 4.5, 1.5)
    # the unit: weighted sum, then step, inside one grey outline
    ax.add_patch(FancyBboxPatch((x0 + 2.2, 0.85), 2.95, 1.3, boxstyle="round,pad=0.02,rounding_size=0.25",
                                facecolor="#f2f2f2", edgecolor="#888888", lw=1.2, zorder=0))
    sigma = _neuron(ax, sigma_xy, r"$\Sigma$", color=_UNIT, radius=0.42, fontsize=17)
    step_box = FancyBboxPatch((step_xy[0] - 0.4, step_xy[1] - 0.4), 0.8, 0.8,
                              boxstyle="round,pad=0.0,rounding_size=0.1", facecolor="white", edgecolor="black",
                              lw=1.4, zorder=3)
    ax.add_patch(step_box)
    _step_icon(ax, step_xy, 0.26, 0.2)
    _connect(ax, sigma, step_box, color="black", lw=1.8)
    ax.text((sigma_xy[0] + 0.42 + step_xy[0] - 0.4) / 2, step_xy[1] + 0.1, r"$z$", ha="center", va="bottom",
             fontsize=14)
    # inputs, each through its weighted connection
    for name, y in ins.items():
        node = _neuron(ax, (x0, y), name, color=_INPUT)
        _connect(ax, node, sigma)
        # the weight labels its connection: 40 % of the way along, just off the line on its upper side
        d = np.subtract(sigma_xy, (x0, y))
        normal = np.array([-d[1], d[0]]) / np.hypot(*d)
        if normal[1] < 0:
            normal = -normal
        wx, wy = np.array([x0, y]) + 0.4 * d + 0.28 * normal
        ax.text(wx, wy, weights[name], ha="center", va="center", fontsize=13, zorder=5)
    ax.text(x0, 1.0, r"$\vdots$", ha="center", va="center", fontsize=16)
    # the bias, added to the sum
    ax.add_patch(FancyArrowPatch((sigma_xy[0], 3.1), (sigma_xy[0], sigma_xy[1]), arrowstyle="-|>",
                                 mutation_scale=12, color=_BIAS, lw=1.8, patchB=sigma, shrinkA=0, shrinkB=1,
                                 zorder=2))
    ax.text(sigma_xy[0], 3.15, r"bias $b$", ha="center", va="bottom", fontsize=13, color="black")
    # the output
    ax.add_patch(FancyArrowPatch((step_xy[0], step_xy[1]), (x0 + 5.9, step_xy[1]), arrowstyle="-|>",
                                 mutation_scale=14, color="black", lw=1.8, patchA=step_box, shrinkA=1, shrinkB=0,
                                 zorder=2))
    ax.text(x0 + 5.95, step_xy[1], r"$\hat{y}$", ha="left", va="center", fontsize=15)
    ax.text(sigma_xy[0], 0.7, "weighted\nsum", ha="center", va="top", fontsize=11)
    ax.text(step_xy[0], 0.7, "step\nfunction", ha="center", va="top", fontsize=11)
    ax.text(x0 + 3.0, -0.45, r"$z = w_1 x_1 + \cdots + w_n x_n + b = \mathbf{w}^\top\mathbf{x} + b$",
            ha="center", va="top", fontsize=12)
    ax.text(x0 + 3.0, -1.05, r"$\hat{y} = \mathrm{step}(z)$: 1 if $z \geq 0$, else 0", ha="center", va="top",
            fontsize=12)
    ax.text(x0 + 3.0, 4.1, "A threshold logic unit (TLU)", ha="center", va="bottom", fontsize=13,
            fontweight="bold")


def _perceptron_panel(ax, x0: float, n_inputs: int = 3, n_units: int = 3) -> None:
    """A perceptron layer: ``n_inputs`` input neurons and a bias neuron, fully connected to ``n_units``
    TLUs. The inputs' left edge is at ``x0``."""
    xo = x0 + 3.0
    in_y = [3.0 - k for k in range(n_inputs)]
    bias_y = in_y[-1] - 1.15
    out_y = [(in_y[0] + bias_y) / 2 + (n_units - 1) / 2 - k for k in range(n_units)]
    # a grey outline around each layer; the bias neuron is drawn apart, since it reads no feature
    for x, top, bottom in ((x0, in_y[0] + 0.45, in_y[-1] - 0.45), (xo, out_y[0] + 0.55, out_y[-1] - 0.55)):
        ax.add_patch(FancyBboxPatch((x - 0.5, bottom), 1.0, top - bottom,
                                    boxstyle="round,pad=0.02,rounding_size=0.25", facecolor="#f2f2f2",
                                    edgecolor="#888888", lw=1.2, zorder=0))
    ax.text(x0, in_y[0] + 0.55, "input layer", ha="center", va="bottom", fontsize=11)
    ax.text(xo, out_y[0] + 0.65, "output layer\n(TLUs)", ha="center", va="bottom", fontsize=11)
    inputs = [_neuron(ax, (x0, y), f"$x_{i + 1}$", color=_INPUT) for i, y in enumerate(in_y)]
    bias = _neuron(ax, (x0, bias_y), "1", color="white", linestyle="--")
    units = []
    for y in out_y:
        units.append(_neuron(ax, (xo, y), "", color=_UNIT, radius=0.36))
        _step_icon(ax, (xo, y), 0.17, 0.13, lw=1.6)
    for a in inputs:
        for u in units:
            _connect(ax, a, u, lw=1.1)
    for u in units:
        _connect(ax, bias, u, color=_BIAS, lw=1.3, linestyle="--")
    for j, (u, y) in enumerate(zip(units, out_y)):
        ax.add_patch(FancyArrowPatch(u.center, (xo + 1.0, y), arrowstyle="-|>", mutation_scale=12,
                                     color="black", lw=1.4, patchA=u, shrinkA=1, shrinkB=0, zorder=2))
        ax.text(xo + 1.05, y, rf"$\hat{{y}}_{j + 1}$", ha="left", va="center", fontsize=14)
    ax.text(x0 + 0.45, bias_y - 0.1, "bias neuron: always 1,\nits weights are the biases $b_j$",
            ha="left", va="top", fontsize=11)
    ax.text(x0 + 1.7, 4.1, "A perceptron", ha="center", va="bottom", fontsize=13, fontweight="bold")


def draw_tlu_and_perceptron():
    """Figure 2.2: a threshold logic unit (inputs, weights, weighted sum ``z``, step, output) on the left,
    and on the right a perceptron, one layer of TLUs fully connected to the input layer and to a bias
    neuron. Returns the figure."""
    fig, ax = plt.subplots(figsize=(8.8, 4.2))
    _tlu_panel(ax, 0.0)
    _perceptron_panel(ax, 7.7)
    ax.set_xlim(-0.5, 12.6)
    ax.set_ylim(-1.7, 4.6)
    ax.set_aspect("equal")
    ax.axis("off")
    legible(fig)
    fig.tight_layout(pad=0.3)
    return fig
