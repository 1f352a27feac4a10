"""Sections 2.2 and 2.2.1 — a threshold logic unit set by hand, and Rosenblatt's rule replayed update by update."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap, to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ..plots.style import OKABE_ITO
from ..views.perceptron import DATASETS, TRAINING_EPOCHS, explorer_data, firing_grid, tlu_region, tlu_view, update_view
from .base import Choice, Explorer, Preset, Slider

_CLASS = {0: dict(marker="o", color=OKABE_ITO["blue"]), 1: dict(marker="^", color=OKABE_ITO["orange"])}
_FIRING = OKABE_ITO["orange"]
_NORMAL = OKABE_ITO["green"]
_PREVIOUS = "#888888"
_WRONG = OKABE_ITO["vermillion"]
# The firing half-plane: transparent where the unit is silent, a light orange where it fires.
_SHADE = ListedColormap([(1, 1, 1, 0), to_rgba(_FIRING, 0.22)])
_NAMES = dict(DATASETS)


def _num(v: float) -> str:
    """A number as the titles print it: 3 significant digits, a true minus sign, no "-0"."""
    return f"{float(v) + 0.0:.3g}".replace("-", "−")


def _vec(v) -> str:
    return "(" + ", ".join(_num(c) for c in v) + ")"


def _arrow(start, end, head: float) -> tuple[np.ndarray, np.ndarray]:
    """An arrow as one polyline: the shaft, then an open head of two strokes (NaN-separated); empty when it
    has no length."""
    start, end = np.asarray(start, float), np.asarray(end, float)
    length = float(np.linalg.norm(end - start))
    if length < 1e-12:
        return np.array([]), np.array([])
    u = (end - start) / length
    head = min(head, 0.5 * length)
    points = [start, end, [np.nan, np.nan]]
    for a in (np.deg2rad(25), -np.deg2rad(25)):
        back = -np.array([np.cos(a) * u[0] - np.sin(a) * u[1], np.sin(a) * u[0] + np.cos(a) * u[1]])
        points += [end + head * back, end, [np.nan, np.nan]]
    points = np.array(points[:-1])
    return points[:, 0], points[:, 1]


def _points(ax, size: float = 8.0):
    """A line of markers for each class (targets 0 and 1), as in the book's perceptron figures."""
    return {label: ax.plot([], [], ls="none", markersize=size, markeredgecolor="black", markeredgewidth=0.6,
                           zorder=3, **style)[0] for label, style in _CLASS.items()}


def _ring(ax, size: float, **kwargs):
    return ax.plot([], [], ls="none", marker="o", markersize=size, markerfacecolor="none", zorder=4,
                   **kwargs)[0]


def _set_points(lines, X, y) -> None:
    for label, line in lines.items():
        line.set_data(X[y == label, 0], X[y == label, 1])


def _panel(fig, left: float, bottom: float, width: float, height: float):
    """An axes at a fixed place of the figure, given in inches from its bottom left corner."""
    w, h = fig.get_size_inches()
    return fig.add_axes((left / w, bottom / h, width / w, height / h))


def _few_ticks(ax) -> None:
    """At most five ticks on each axis: fewer labels to draw, none crowded."""
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(MaxNLocator(4, steps=(1, 2, 2.5, 5, 10)))


def _nice(value: float, steps=(1, 1.5, 2, 3, 5, 7.5, 10, 15, 20, 30, 50)) -> float:
    """The smallest of ``steps`` at least ``value``: axis limits that stay put while values move a little."""
    return next((s for s in steps if s >= value), float(steps[-1]))


class TLUExplorer(Explorer):
    """A TLU with weights and a bias set by hand over a labelled data set: boundary, weight vector, mistakes."""

    title = "A threshold logic unit"
    controls = {
        "data": Choice("data", tuple(DATASETS), "and", _NAMES),
        "w1": Slider("weight w₁", -3.0, 3.0, 1.0, step=0.1),
        "w2": Slider("weight w₂", -3.0, 3.0, 1.0, step=0.1),
        "b": Slider("bias b", -3.0, 3.0, -0.5, step=0.1),
    }
    # The site's frames: AND, OR and XOR; the weight vector of AND and OR and its opposite (NAND's); the
    # biases of AND (−1.5), OR (−0.5) and NAND (1.5), and 0.5. The clouds and other weights: Jupyter only.
    site_grid = {"data": ("and", "or", "xor"),
                 "weights": Preset("weights (w₁, w₂)", (("(1, 1)", {"w1": 1.0, "w2": 1.0}),
                                                        ("(−1, −1)", {"w1": -1.0, "w2": -1.0}))),
                 "b": (-1.5, -0.5, 0.5, 1.5)}
    figsize = (6.72, 4.1)

    def compute(self, data, w1, w2, b):
        return tlu_view(data, w1, w2, b)

    def build(self, fig):
        # Fixed panels (inches from the bottom left), no layout engine: cheaper to draw, and the layout is
        # the same for every frame. The key has a panel of its own, which no other panel's redraw touches.
        fig.set_layout_engine(None)
        self.ax = _panel(fig, 0.72, 0.55, 3.0, 3.0)
        self.ax_z = _panel(fig, 4.55, 2.05, 2.05, 1.45)
        ax_key = _panel(fig, 3.9, 0.0, 2.8, 1.55)
        ax_key.axis("off")
        ax = self.ax
        self.shade = ax.imshow(np.zeros((2, 2)), extent=(-0.5, 1.5, -0.5, 1.5), origin="lower", cmap=_SHADE,
                               vmin=0, vmax=1, interpolation="nearest", zorder=0)
        (self.boundary,) = ax.plot([], [], color="black", lw=2.0, zorder=2)
        (self.arrow,) = ax.plot([], [], color=_NORMAL, lw=2.2, zorder=2, solid_capstyle="round")
        self.points = _points(ax)
        self.wrong = _ring(ax, 17, markeredgecolor=_WRONG, markeredgewidth=2.0)
        ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
        _few_ticks(ax)
        # the net input of every instance, against its target: right of 0 the unit fires
        az = self.ax_z
        az.axvspan(0, 1e3, color=_FIRING, alpha=0.22, lw=0)
        az.axvline(0, color="black", lw=1.5)
        self.z_points = _points(az)
        self.z_wrong = _ring(az, 17, markeredgecolor=_WRONG, markeredgewidth=2.0)
        az.set(ylim=(-0.6, 1.6), yticks=(0, 1), yticklabels=("target 0", "target 1"),
               xlabel="net input z = w·x + b")
        key = [Patch(facecolor=_FIRING, alpha=0.35, label="unit fires (z ≥ 0)"),
               Line2D([], [], color="black", lw=2, label="boundary z = 0"),
               Line2D([], [], color=_NORMAL, lw=2.2, marker=">", label="weight vector w"),
               *(Line2D([], [], ls="none", markersize=8, markeredgecolor="black", label=f"target {k}", **s)
                 for k, s in _CLASS.items()),
               Line2D([], [], ls="none", marker="o", markersize=12, markerfacecolor="none", markeredgecolor=_WRONG,
                      markeredgewidth=2, label="misclassified")]
        fig.legend(handles=key, loc="center", frameon=False, bbox_to_anchor=(0.5, 0.5),
                   bbox_transform=ax_key.transAxes)

    def draw(self, view):
        ax, (x0, x1), (y0, y1) = self.ax, view.xlim, view.ylim
        self.shade.set_data(view.firing)
        self.shade.set_extent((x0, x1, y0, y1))
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        boundary = view.region.boundary
        self.boundary.set_data(*(boundary.T if boundary is not None else ([], [])))
        head = 0.05 * (x1 - x0)
        self.arrow.set_data(*(_arrow(*view.arrow, head) if view.arrow is not None else ([], [])))
        _set_points(self.points, view.X, view.y)
        self.wrong.set_data(view.X[view.wrong, 0], view.X[view.wrong, 1])
        ring = 17 if len(view.y) <= 8 else 11              # smaller rings among many points
        self.wrong.set_markersize(ring)
        self.z_wrong.set_markersize(ring)
        # targets on two rows, spread a little so that equal net inputs stay visible
        n = len(view.y)
        rows = view.y + (np.linspace(-0.25, 0.25, n) if n > 8 else np.array([-0.15, -0.05, 0.05, 0.15])[:n])
        zs = np.column_stack([view.z, rows])
        _set_points(self.z_points, zs, view.y)
        self.z_wrong.set_data(zs[view.wrong, 0], zs[view.wrong, 1])
        limit = _nice(1.1 * float(np.max(np.abs(view.z))), (2, 5, 10, 20))   # few steps: few redraws
        self.ax_z.set_xlim(-limit, limit)
        where = ("no boundary: w = 0,\nthe unit ignores x" if view.distance is None
                 else f"boundary at {_num(view.distance)}\nfrom the origin (|b| / ‖w‖)")
        self.ax_z.title.set_text(where)
        name = _NAMES[view.data]
        ax.title.set_text(f"{name}: {view.errors} error{'' if view.errors == 1 else 's'} of {n}\n"
                          f"w = {_vec(view.w)}, b = {_num(view.b)}")


class PerceptronTrainingExplorer(Explorer):
    """Rosenblatt's rule, one update at a time: the instance, the change of the weights, the errors left."""

    title = "Training a perceptron, update by update"
    controls = {
        "data": Choice("data", ("and", "or", "blobs", "xor"), "and", _NAMES),
        # A new rate retrains (a few milliseconds, cached), so the slider updates when released.
        "eta": Slider("learning rate η", 0.1, 2.0, 1.0, step=0.1, continuous=False),
        "update": Slider("update", 0, 40, 2, integer=True),
    }
    # The site's frames: each data set at the start, after its first updates and later on (AND's run ends at
    # update 11, OR's at 5, the clouds' at 12; XOR never ends). The rate stays at 1 there (Jupyter only).
    site_grid = {"data": ("and", "or", "blobs", "xor"), "update": (0, 1, 2, 4, 7, 12)}
    figsize = (6.72, 5.6)

    def compute(self, data, eta, update):
        return update_view(data, eta, update)

    def build(self, fig):
        fig.set_layout_engine(None)             # fixed panels, as in TLUExplorer
        self.ax = _panel(fig, 0.68, 2.92, 2.2, 2.2)
        self.ax_w = _panel(fig, 4.12, 2.92, 2.2, 2.2)
        self.ax_e = _panel(fig, 0.68, 1.3, 5.9, 0.78)
        ax_key = _panel(fig, 0.0, 0.0, 6.72, 0.72)
        ax_key.axis("off")
        ax = self.ax
        self.shade = ax.imshow(np.zeros((2, 2)), extent=(-0.5, 1.5, -0.5, 1.5), origin="lower", cmap=_SHADE,
                               vmin=0, vmax=1, interpolation="nearest", zorder=0)
        (self.before,) = ax.plot([], [], color=_PREVIOUS, ls="--", lw=1.5, zorder=1)
        (self.boundary,) = ax.plot([], [], color="black", lw=2.0, zorder=2)
        self.points = _points(ax, 7)
        self.presented = _ring(ax, 17, markeredgecolor=_WRONG, markeredgewidth=2.2)
        ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
        _few_ticks(ax)
        # weight space: the weight vector before and after the update, and the change between them
        aw = self.ax_w
        aw.axhline(0, color="0.85", lw=0.8, zorder=0)
        aw.axvline(0, color="0.85", lw=0.8, zorder=0)
        (self.path,) = aw.plot([], [], color="0.6", lw=1, ls=":", marker=".", ms=4, zorder=1)
        (self.w_before,) = aw.plot([], [], color=_PREVIOUS, lw=2.0, zorder=2)
        (self.w_after,) = aw.plot([], [], color=_NORMAL, lw=2.4, zorder=3)
        # the change, under the new weight vector (from zero weights they coincide)
        (self.w_delta,) = aw.plot([], [], color=_WRONG, lw=4.5, alpha=0.55, zorder=2.5, solid_capstyle="round")
        aw.set(xlabel="$w_1$", ylabel="$w_2$", aspect="equal")
        _few_ticks(aw)
        # the errors of the unit on the training set after each update: the whole run, and the part so far
        ae = self.ax_e
        (self.e_all,) = ae.plot([], [], color=OKABE_ITO["blue"], lw=1.0, alpha=0.3, marker=".", ms=4)
        (self.e_done,) = ae.plot([], [], color=OKABE_ITO["blue"], lw=1.8, marker=".", ms=6)
        (self.e_now,) = ae.plot([], [], ls="none", marker="o", ms=9, markerfacecolor="none",
                                markeredgecolor=_WRONG, markeredgewidth=2, clip_on=False)  # whole at 0 errors
        ae.set(xlabel="update", ylabel="errors")
        ae.yaxis.set_major_locator(MaxNLocator(3, integer=True))
        ae.xaxis.set_major_locator(MaxNLocator(8, integer=True))
        key = [Patch(facecolor=_FIRING, alpha=0.35, label="unit fires"),
               Line2D([], [], color="black", lw=2, label="boundary now"),
               Line2D([], [], color=_PREVIOUS, lw=1.5, ls="--", label="boundary before"),
               Line2D([], [], ls="none", marker="o", markersize=12, markerfacecolor="none", markeredgecolor=_WRONG,
                      markeredgewidth=2, label="instance used"),
               *(Line2D([], [], ls="none", markersize=7, markeredgecolor="black", label=f"target {k}", **s)
                 for k, s in _CLASS.items()),
               Line2D([], [], color=_PREVIOUS, lw=2, label="w before"),
               Line2D([], [], color=_NORMAL, lw=2.4, label="w after"),
               Line2D([], [], color=_WRONG, lw=5, alpha=0.55, label="Δw = η(y − ŷ)x")]
        fig.legend(handles=key, loc="center", ncol=4, frameon=False, handlelength=1.5, columnspacing=1.0,
                   borderaxespad=0.0, bbox_to_anchor=(0.5, 0.5), bbox_transform=ax_key.transAxes)

    def draw(self, view):
        run, u = view.run, view.update
        (x0, x1), (y0, y1) = explorer_data(run.data)[2:]
        ax = self.ax
        self.shade.set_data(firing_grid(view.w_after, view.b_after, (x0, x1), (y0, y1)))
        self.shade.set_extent((x0, x1, y0, y1))
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        now = tlu_region(view.w_after, view.b_after, (x0, x1), (y0, y1)).boundary
        self.boundary.set_data(*(now.T if now is not None else ([], [])))
        old = tlu_region(view.w_before, view.b_before, (x0, x1), (y0, y1)).boundary if u else None
        self.before.set_data(*(old.T if old is not None else ([], [])))
        _set_points(self.points, run.X, run.y)
        self.presented.set_data(*(([view.x[0]], [view.x[1]]) if u else ([], [])))
        n, errors = len(run.y), int(run.errors[u])
        if u:
            ax.title.set_text(f"Update {u} of {run.n_updates} (epoch {view.epoch + 1}):\n"
                              f"x = {_vec(view.x)}, y = {view.target:.0f}, ŷ = {view.prediction:.0f}")
        else:
            ax.title.set_text("The start: w = 0, b = 0,\nso z = 0 and the unit fires everywhere")

        # weight space, at limits that hold the whole run
        limit = _nice(1.15 * float(np.max(np.abs(run.weights))), (0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 15, 20))
        self.ax_w.set_xlim(-limit, limit)
        self.ax_w.set_ylim(-limit, limit)
        head = 0.07 * limit
        self.path.set_data(run.weights[: u + 1, 0], run.weights[: u + 1, 1])
        self.w_after.set_data(*_arrow((0, 0), view.w_after, head))
        self.w_before.set_data(*(_arrow((0, 0), view.w_before, head) if u else ([], [])))
        self.w_delta.set_data(*(_arrow(view.w_before, view.w_after, head) if u else ([], [])))
        if u:
            error = "+1" if view.target > view.prediction else "−1"
            self.ax_w.title.set_text(f"Δw = η(y − ŷ)x = {_num(run.eta)}·({error})·x\n"
                                     f"b: {_num(view.b_before)} → {_num(view.b_after)}")
        else:
            self.ax_w.title.set_text(f"w = {_vec(view.w_after)}, b = {_num(view.b_after)}\n(no update yet)")

        steps = np.arange(run.n_updates + 1)
        self.e_all.set_data(steps, run.errors)
        self.e_done.set_data(steps[: u + 1], run.errors[: u + 1])
        self.e_now.set_data([u], [errors])
        self.ax_e.set_xlim(-0.5, run.n_updates + 0.5)
        self.ax_e.set_ylim(-0.3, _nice(1.15 * max(float(run.errors.max()), 1.0), (2, 3, 4, 5, 10, 15, 20, 25, 30, 40)))
        end = (f"the run converges at update {run.n_updates}" if run.model.converged
               else f"no convergence in {TRAINING_EPOCHS} epochs")
        self.ax_e.title.set_text(f"Errors on the training set: {errors} of {n} now; {end}")
