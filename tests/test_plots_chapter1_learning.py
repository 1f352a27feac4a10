import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from lessons_lib.online import compare_on_stream, drifting_stream  # noqa: E402
from lessons_lib.plots.chapter1_learning import (  # noqa: E402
    plot_bandit_curves,
    plot_online_rates,
    plot_restorations,
    plot_stream_errors,
)
from lessons_lib.views.chapter1_learning import bandit_curves, block_mask, online_weight_path  # noqa: E402


def test_plot_restorations_one_row_per_entry():
    rng = np.random.default_rng(0)
    mask = block_mask(2, 2, 4, 4)
    rows = {"original": rng.random((3, 64)), "input": rng.random((3, 64)), "restored": rng.random((3, 64))}
    fig = plot_restorations(rows, mask, hide_masked="input")
    assert len(fig.axes) == 9
    assert [fig.axes[i].get_ylabel() for i in (0, 3, 6)] == ["original", "input", "restored"]
    assert all(len(ax.patches) == 1 for ax in fig.axes)        # the block is outlined everywhere
    plt.close(fig)


def test_plot_bandit_curves_labels_every_epsilon():
    c = bandit_curves([0.3, 0.6], [0.0, 0.1], steps=50, runs=2, rng=0)
    fig = plot_bandit_curves(c)
    ax = fig.axes[0]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["ε = 0", "ε = 0.1", "always the best arm"]
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    plt.close(fig)


def test_stream_figures():
    s = drifting_stream(400, rng=0)
    e = compare_on_stream(s, train_size=100, batch_size=20)
    fig = plot_stream_errors(e.batch_starts, {"frozen": e.batch_model, "online": e.online_model}, s.drift_at,
                             smooth=3, title="t")
    ax = fig.axes[0]
    assert len(ax.lines) == 3 and ax.get_yscale() == "log"
    # the trailing average of a constant is that constant
    np.testing.assert_allclose(ax.lines[0].get_ydata()[:1], e.batch_model[:1])
    plt.close(fig)
    paths = {"slow": online_weight_path(s, 100, 20, 0.01)[0], "fast": online_weight_path(s, 100, 20, 0.2)[0]}
    errs = {"slow": e.online_model, "fast": e.online_model}
    fig = plot_online_rates(e.batch_starts, errs, paths, s.drift_at, 0.5, -0.5, smooth=2)
    assert len(fig.axes) == 2
    right = fig.axes[1]
    assert len(right.lines[0].get_xdata()) == len(e.batch_starts) + 1
    plt.close(fig)
