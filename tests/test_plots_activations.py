"""Figure 2.4 (section 2.3.3): ReLU, sigmoid and tanh with their derivatives, drawn from the library."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from lessons_lib.activations import get_activation
from lessons_lib.plots.activations import THREE_ACTIVATIONS, draw_three_activations, split_at_jumps
from lessons_lib.plots.style import OKABE_ITO


def _finite(line):
    x, y = (np.asarray(a, float) for a in line.get_data())
    keep = np.isfinite(x)
    return x[keep], y[keep]


def test_split_at_jumps_cuts_only_the_discontinuity():
    z = np.linspace(-1, 1, 5)                       # -1, -0.5, 0, 0.5, 1
    zs, ys = split_at_jumps(z, get_activation("relu").derivative(z))
    assert np.isnan(zs).sum() == 1 and np.isnan(ys).sum() == 1
    # the gap sits between z = 0 (derivative 0, the library's convention) and z = 0.5 (derivative 1)
    cut = int(np.flatnonzero(np.isnan(zs))[0])
    assert zs[cut - 1] == 0.0 and zs[cut + 1] == 0.5
    fine = np.linspace(-3, 3, 601)                  # steps of 0.01: tanh moves by at most 0.01
    smooth = split_at_jumps(fine, get_activation("tanh")(fine))
    assert not np.isnan(smooth[0]).any() and len(smooth[0]) == 601
    with pytest.raises(ValueError, match="z and y"):
        split_at_jumps(z, z[:3])


def test_three_panels_show_the_library_functions_and_derivatives():
    fig = draw_three_activations(z_max=3.0, n_points=301)
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    assert [ax.get_title() for ax in fig.axes] == [title for _, title in THREE_ACTIVATIONS]
    for ax, (name, _) in zip(fig.axes, THREE_ACTIVATIONS):
        act = get_activation(name)
        value, slope = [line for line in ax.get_lines() if line.get_label() in ("φ(z)", "φ′(z)")]
        assert value.get_color() == OKABE_ITO["blue"] and value.get_linestyle() == "-"
        assert slope.get_color() == OKABE_ITO["vermillion"] and slope.get_linestyle() == "--"
        z, y = _finite(value)
        assert z.min() == -3.0 and z.max() == 3.0 and len(z) == 301
        np.testing.assert_array_equal(y, act(z))
        z, y = _finite(slope)
        np.testing.assert_array_equal(y, act.derivative(z))
        assert ax.get_xlabel() == "z"
    # only ReLU's derivative jumps, so only its dashed line has a gap
    gaps = [np.isnan(ax.get_lines()[3].get_xdata()).sum() for ax in fig.axes]
    assert gaps == [1, 0, 0]
    assert fig.axes[0].get_ylabel() == "φ(z) and φ′(z)"
    plt.close(fig)


def test_peaks_and_the_kink_are_marked_with_the_library_values():
    fig = draw_three_activations()
    relu_ax, sigmoid_ax, tanh_ax = fig.axes
    dots = [line for line in relu_ax.get_lines() if line.get_marker() == "o"]
    assert len(dots) == 1 and list(dots[0].get_ydata()) == [get_activation("relu").derivative(0.0)]
    assert any(t.get_text() == "peak φ′(0) = 0.25" for t in sigmoid_ax.texts)
    assert any(t.get_text() == "peak φ′(0) = 1" for t in tanh_ax.texts)
    assert any(t.get_text().startswith("dot: φ′(0) = 0,") for t in relu_ax.texts)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == ["activation φ(z)", "derivative φ′(z)"]
    plt.close(fig)


def test_text_is_legible_at_book_width_and_stays_inside_the_figure():
    fig = draw_three_activations()
    assert 8 <= fig.get_figwidth() <= 9
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    tick_labels = [t for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()
                   if t.get_text().strip()]
    words = ([ax.title for ax in fig.axes] + [ax.xaxis.label for ax in fig.axes] + [fig.axes[0].yaxis.label]
             + [t for ax in fig.axes for t in ax.texts] + list(fig.legends[0].get_texts()))
    assert min(t.get_fontsize() for t in words + tick_labels) >= 11
    for t in words:
        box = t.get_window_extent(renderer)
        assert 0 <= box.x0 and box.x1 <= fig.bbox.width and 0 <= box.y0 and box.y1 <= fig.bbox.height
    whole = fig.get_tightbbox(renderer)   # in inches
    assert whole.x0 >= 0 and whole.y0 >= 0
    assert whole.x1 <= fig.get_figwidth() and whole.y1 <= fig.get_figheight()
    # the notes inside the panels stay inside their panel
    for ax in fig.axes:
        frame = ax.get_window_extent(renderer)
        for t in ax.texts:
            box = t.get_window_extent(renderer)
            assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    plt.close(fig)


def test_bad_arguments():
    with pytest.raises(ValueError, match="z_max"):
        draw_three_activations(z_max=0)
    with pytest.raises(ValueError, match="n_points"):
        draw_three_activations(n_points=2)
