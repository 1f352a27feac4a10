"""Every figure's text reads on the site at least as large as the page's code text (issue 11).

The site shows a notebook figure at 100 px per inch (its 1x size, as Jupyter does) and shrinks it to the
text column (672 CSS px at 1280 px) when it is wider; Jupyter saves a figure cropped to what it draws plus
0.1 in on each side. So text of ``s`` points appears ``s / 72 * 100 * min(1, 6.72 / W)`` px tall, ``W`` the
saved width in inches. Every plotting function of ``lessons_lib.plots`` is drawn here from small inputs
shaped like the notebooks' (the same labels and titles, where their length matters), and every text it
draws -- tick labels, axis labels, legends, titles, annotations -- must be at least 13.5 px on the page, lie
inside the figure and overlap no other text. tests/test_explorers_static.py applies the same checks to
frames of every explorer (``problems`` below), at the size the site shows them. The renderer itself
reports what is drawn, so hidden or empty texts do not count.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lessons_lib import mcculloch_pitts as mp  # noqa: E402
from lessons_lib import perceptron  # noqa: E402
from lessons_lib.autodiff import Value  # noqa: E402
from lessons_lib.clustering import kmeans  # noqa: E402
from lessons_lib.datasets import load_digits, make_blobs, make_xor  # noqa: E402
from lessons_lib.lstm import LSTM  # noqa: E402
from lessons_lib.network import mlp  # noqa: E402
from lessons_lib.online import compare_on_stream, drifting_stream  # noqa: E402
from lessons_lib.plots import activations as act_plots  # noqa: E402
from lessons_lib.plots import (  # noqa: E402  # noqa: E402
    backprop,
    bptt,
    chapter1_learning,
    chapter1_supervision,
    dropout,
    gru,
    hidden_layers,
    layer_learning,
    lstm,
    mcculloch_pitts,
    rnn,
)
from lessons_lib.plots import perceptron as perceptron_plots  # noqa: E402
from lessons_lib.seq2seq import History as SeqHistory  # noqa: E402
from lessons_lib.sequences import load_series  # noqa: E402
from lessons_lib.training import History  # noqa: E402
from lessons_lib.views.backprop import decision_grid, symmetry_run  # noqa: E402
from lessons_lib.views.bptt import SunspotForecast  # noqa: E402
from lessons_lib.views.chapter1_learning import bandit_curves, block_mask, online_weight_path  # noqa: E402
from lessons_lib.views.dropout import decision_grid as dropout_grid  # noqa: E402
from lessons_lib.views.dropout import thinned_networks  # noqa: E402
from lessons_lib.views.layer_learning import train_layers  # noqa: E402
from lessons_lib.views.lstm import gate_traces  # noqa: E402

COLUMN_PX = 672.0   # the site's text column at 1280 px, CSS px
FIGURE_DPI = 100.0  # a notebook figure's 1x size
PAD_INCHES = 0.1    # Jupyter's savefig padding around the cropped figure
MIN_PX = 13.5       # the page's code text is 14 px
SLACK_PX = 1.0      # a text may touch the figure's edge or its neighbour by this much


# ---------------------------------------------------------------------------------------------------------
# Measuring what the renderer draws
# ---------------------------------------------------------------------------------------------------------
def drawn_texts(fig):
    """Draw ``fig`` and return ``[(string, size in points, window extent)]`` for every text drawn."""
    renderer = fig.canvas.get_renderer()
    seen = {}
    draw_text = renderer.draw_text

    def spy(gc, x, y, s, prop, angle, ismath=False, mtext=None):
        entry = seen.setdefault(id(mtext) if mtext is not None else (x, y, s), [mtext, [], 0.0])
        entry[1].append(s)
        entry[2] = prop.get_size_in_points()
        return draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    renderer.draw_text = spy
    try:
        fig.canvas.draw()
    finally:
        del renderer.draw_text
    return [(" / ".join(lines), size, None if mtext is None else mtext.get_window_extent(renderer))
            for mtext, lines, size in seen.values()]


def shown_px_per_inch(fig) -> float:
    """CSS px per inch of ``fig`` on the site: its cropped width at 100 dpi, shrunk to the column."""
    fig.canvas.draw()
    width = fig.get_tightbbox(fig.canvas.get_renderer()).width + 2 * PAD_INCHES
    return FIGURE_DPI * min(1.0, COLUMN_PX / (FIGURE_DPI * width))


def problems(fig, px_per_inch: float) -> list[str]:
    """What is wrong with the text of ``fig`` shown at ``px_per_inch`` CSS px per inch (empty: nothing)."""
    texts = drawn_texts(fig)
    assert texts, "the figure draws no text"
    found = []
    for s, size, _ in texts:
        px = size / 72 * px_per_inch
        if px < MIN_PX:
            found.append(f"{s!r}: {size:.1f} pt is {px:.1f} px on the page")
    width, height = fig.bbox.width, fig.bbox.height
    boxes = [(s, box) for s, _, box in texts if box is not None and box.width > 0 and box.height > 0]
    for s, box in boxes:
        if box.x0 < -SLACK_PX or box.y0 < -SLACK_PX or box.x1 > width + SLACK_PX or box.y1 > height + SLACK_PX:
            found.append(f"{s!r} leaves the figure")
    for i, (s, a) in enumerate(boxes):
        for t, b in boxes[i + 1:]:
            if min(a.x1, b.x1) - max(a.x0, b.x0) > SLACK_PX and min(a.y1, b.y1) - max(a.y0, b.y0) > SLACK_PX:
                found.append(f"{s!r} overlaps {t!r}")
    return found


def smallest_px(fig, px_per_inch: float) -> float:
    return min(size for _, size, _ in drawn_texts(fig)) / 72 * px_per_inch


# ---------------------------------------------------------------------------------------------------------
# Every plotting function, from inputs shaped like the notebooks'
# ---------------------------------------------------------------------------------------------------------
def _history(n=30, rng=0):
    r = np.random.default_rng(rng)
    loss = np.geomspace(2.0, 0.05, n) * r.uniform(0.9, 1.1, n)
    return History(train_loss=list(loss), val_loss=list(loss * 1.4), train_accuracy=list(1 - loss / 2.2),
                   val_accuracy=list(1 - loss / 2))


def _value_graph():
    x1, x2 = Value(1.0, label="x1"), Value(-2.0, label="x2")
    w1, w2, b, t = Value(0.5, label="w1"), Value(0.25, label="w2"), Value(0.1, label="b"), Value(1.0, label="t")
    z = x1 * w1 + x2 * w2 + b
    z.label = "z"
    y = z.tanh()
    y.label = "y"
    loss = (y - t) ** 2
    loss.label = "L"
    loss.backward()
    return loss


def _xor():
    return np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def _flows(rng=0):
    r = np.random.default_rng(rng)
    return {"RNN": np.geomspace(1e-9, 1, 40) * r.uniform(0.5, 1.5, 40), "LSTM": np.geomspace(1e-2, 1, 40),
            "GRU": np.geomspace(1e-3, 1, 40)}


def _sunspots():
    years = np.arange(1900.0, 2020.0)
    values = 80 + 70 * np.sin(2 * np.pi * years / 11)
    split = 1950.0
    test = years >= split
    return SunspotForecast(years, values, split, values[test] * 0.9, values[test][:40] * 0.7, {}, SeqHistory())


def _figures():
    """(name, thunk) for every figure a plotting function draws."""
    X4 = _xor()
    y_and, y_xor = np.array([0, 0, 0, 1]), np.array([0, 1, 1, 0])
    digits_X, digits_y = load_digits()
    rng = np.random.default_rng(0)
    blobs_X, _ = make_blobs(200, rng=0)
    moons_X, moons_y = make_xor(60, rng=0)
    stream = drifting_stream(1200, rng=1, noise=0.3)
    run = compare_on_stream(stream, train_size=200, batch_size=10)
    paths = {f"η = {lr}": online_weight_path(stream, 200, 10, lr)[0] for lr in (0.01, 0.05, 0.3)}
    layer_runs = {name: train_layers(rng.standard_normal((40, 4)), rng.integers(0, 3, 40),
                                     rng.standard_normal((20, 4)), rng.integers(0, 3, 20), seeds=[0, 1, 2],
                                     hidden_layers=4, width=6, activation=act, epochs=3, batch_size=10)
                  for name, act in (("sigmoid, standard init", "sigmoid"), ("tanh, Glorot init", "tanh"))}
    xor_model = mlp([2, 4, 1], activation="tanh", rng=0)
    spiral_classes = (np.add.outer(np.arange(30), np.arange(30)) // 12) % 3
    spiral_grid = (np.linspace(-1, 1, 30), np.linspace(-1, 1, 30), spiral_classes)
    spiral_X, spiral_y = rng.uniform(-1, 1, (90, 2)), np.arange(90) % 3
    dropout_model = mlp([2, 8, 2], rng=0)
    training_runs = {
        "AND": (perceptron.Perceptron(2, rng=0).fit(X4, y_and, max_epochs=10), X4, y_and),
        "XOR": (perceptron.Perceptron(2, rng=0).fit(X4, y_xor, max_epochs=10), X4, y_xor),
    }
    labels = ["no hidden layer", "1 x 16", "1 x 128", "2 x 128", "3 x 64"]
    yield from [
        ("activations.draw_three_activations", lambda: act_plots.draw_three_activations()),
        ("backprop.draw_mlp", lambda: backprop.draw_mlp([3, 5, 5, 2], title="A multilayer perceptron with two "
                                                                              "hidden layers")),
        ("backprop.draw_value_graph", lambda: backprop.draw_value_graph(
            _value_graph(), title="The neuron's computational graph after L.backward()")),
        ("backprop.plot_decision_regions", lambda: backprop.plot_decision_regions(
            decision_grid(xor_model, (-1.8, 2.8), (-1.3, 1.8), n=40), moons_X, moons_y,
            title="Two moons: decision regions (validation points)")),
        ("backprop.plot_symmetry", lambda: backprop.plot_symmetry(
            {"zero init": symmetry_run("zeros", moons_X, moons_y, epochs=5),
             "random init": symmetry_run("glorot_uniform", moons_X, moons_y, epochs=5)})),
        ("backprop.plot_training_curves", lambda: backprop.plot_training_curves(_history(), title="Two moons")),
        ("bptt.draw_wirings", lambda: bptt.draw_wirings()),
        ("bptt.draw_unrolled_bptt", lambda: bptt.draw_unrolled_bptt([0.0, 0.0, 0.031, 0.44, 1.2], loss_steps=[3, 4])),
        ("bptt.plot_gradient_flow", lambda: bptt.plot_gradient_flow(
            {"default initialisation": _flows(0), "forget-gate bias 1": _flows(1)})),
        ("bptt.plot_gradient_flow (one panel)", lambda: bptt.plot_gradient_flow(
            {"simple RNN, 32 neurons, 50 steps": {f"s = {s:g}": _flows(0)["RNN"] ** s for s in (1, 0.75, 0.5)}})),
        ("bptt.plot_clipping", lambda: bptt.plot_clipping(
            {"no clipping": SeqHistory(losses=[2.0, 40.0, 1e60], grad_norms=[400.0, 1e5, 1e61], diverged_at=2,
                                       reason="overflow"),
             "clip the norm at 1": SeqHistory(losses=list(np.geomspace(2, 0.05, 60)),
                                              grad_norms=list(np.geomspace(400, 0.5, 60)))})),
        ("bptt.plot_sunspot_forecast", lambda: bptt.plot_sunspot_forecast(_sunspots())),
        ("chapter1_learning.plot_restorations", lambda: chapter1_learning.plot_restorations(
            {"original": digits_X[:8] / 16, "input": digits_X[:8] / 16, "mean image": digits_X[8:16] / 16,
             "network": digits_X[16:24] / 16}, block_mask(2, 2, 4, 4), hide_masked="input")),
        ("chapter1_learning.plot_bandit_curves", lambda: chapter1_learning.plot_bandit_curves(
            bandit_curves([0.2, 0.5, 0.8, 0.4, 0.3], [0.0, 0.01, 0.1, 0.3], steps=300, runs=20, rng=0))),
        ("chapter1_learning.plot_stream_errors", lambda: chapter1_learning.plot_stream_errors(
            run.batch_starts, {"frozen": run.batch_model, "retrained on all data": run.online_model,
                               "retrained on the last 300": run.online_model}, stream.drift_at, smooth=5,
            title="Batch models on a drifting stream")),
        ("chapter1_learning.plot_online_rates", lambda: chapter1_learning.plot_online_rates(
            run.batch_starts, {k: run.online_model for k in paths}, paths, stream.drift_at, 0.5, -0.5, smooth=5,
            weight_index=1)),
        ("chapter1_supervision.draw_predicted_vs_true", lambda: chapter1_supervision.draw_predicted_vs_true(
            rng.uniform(5, 60, 40), rng.uniform(5, 60, 40), title="Car prices on the test set", unit="1000 EUR")),
        ("chapter1_supervision.draw_clustering", lambda: chapter1_supervision.draw_clustering(
            blobs_X, kmeans(blobs_X, 2, rng=0))),
        ("chapter1_supervision.draw_elbow", lambda: chapter1_supervision.draw_elbow(
            np.arange(1, 13), {"two blobs": np.geomspace(100, 5, 12), "digits": np.geomspace(100, 40, 12)},
            mark={"two blobs": 2})),
        ("chapter1_supervision.draw_digits", lambda: chapter1_supervision.draw_digits(
            digits_X[:30], [f"{v}" if v % 7 else f"{v} (is {(v + 1) % 10})" for v in digits_y[:30]], ncols=10,
            title="Predicted digit for 30 test images", highlight=digits_y[:30] % 7 == 0)),
        ("chapter1_supervision.draw_digits (clusters)", lambda: chapter1_supervision.draw_digits(
            digits_X[:10], [f"cluster {j}" for j in range(10)], ncols=10, title="The ten centres found by k-means")),
        ("dropout.draw_thinned_networks", lambda: dropout.draw_thinned_networks(
            thinned_networks([4, 6, 6, 2], p=0.5, n_networks=3, rng=0, p_input=0.2))),
        ("dropout.plot_learning_curves", lambda: dropout.plot_learning_curves(
            {"no dropout": _history(30, 0), "dropout 0.5": _history(30, 1)})),
        ("dropout.plot_decision_boundaries", lambda: dropout.plot_decision_boundaries(
            {f"{name}: training accuracy 0.97": dropout_grid(dropout_model, moons_X, n=30)
             for name in ("no dropout", "dropout 0.5")}, moons_X, moons_y)),
        ("gru.draw_gru_cell", lambda: gru.draw_gru_cell()),
        ("gru.draw_gru_cell (reset before)", lambda: gru.draw_gru_cell("reset_before")),
        ("hidden_layers.draw_digits", lambda: hidden_layers.draw_digits(digits_X[:200], digits_y[:200])),
        ("hidden_layers.draw_learning_curves", lambda: hidden_layers.draw_learning_curves(
            {label: _history(30, k) for k, label in enumerate(labels)},
            title="Digits: five architectures (first run of each)", accuracy_ylim=(0.7, 1.0))),
        ("hidden_layers.draw_train_vs_val", lambda: hidden_layers.draw_train_vs_val(
            _history(), title="2 x 128 hidden units trained on 200 digits (first run)")),
        ("hidden_layers.draw_decision_regions", lambda: hidden_layers.draw_decision_regions(
            {f"{label} ({n} parameters)": spiral_grid for label, n in (("1 x 16", 99), ("2 x 128", 17_283),
                                                                      ("3 x 64", 8_771))},
            spiral_X, spiral_y, title="Spirals: decision regions of the median runs, validation points")),
        ("hidden_layers.draw_sawtooth", lambda: hidden_layers.draw_sawtooth(
            {f"{k} hidden layer{'s' if k > 1 else ''}": (np.linspace(0, 1, 200),
                                                         np.abs(np.sin(np.pi * 2 ** (k - 1) * np.linspace(0, 1, 200))))
             for k in (1, 2, 3, 4)}, title="ReLU networks with 2 units per hidden layer")),
        ("layer_learning.plot_layer_training", lambda: layer_learning.plot_layer_training(layer_runs)),
        ("lstm.draw_lstm_cell", lambda: lstm.draw_lstm_cell()),
        ("lstm.plot_gradient_flow", lambda: lstm.plot_gradient_flow(
            {"cold start": _flows(0), "warm start (forget bias 1)": _flows(1)})),
        ("lstm.plot_gradient_flow (one panel)", lambda: lstm.plot_gradient_flow(
            {"GRU, LSTM and RNN at PyTorch's default initialisation": _flows(2)})),
        ("lstm.plot_gate_heatmaps", lambda: lstm.plot_gate_heatmaps(
            gate_traces(LSTM(2, 8, rng=0), np.random.default_rng(1).normal(size=(20, 2))), marker=6,
            title="One sequence: marker at step 6 (dashed), value +0.42")),
        ("lstm.plot_loss_curves", lambda: lstm.plot_loss_curves(
            {"simple RNN": np.geomspace([1, 1.1], [0.3, 0.4], 40).T,
             "LSTM": np.geomspace([1, 1.1], [1e-3, 1e-2], 40).T},
            title="Marked-value task: 8 units, ten seeds per network", baseline=1 / 3,
            baseline_label="no memory (predict 0)")),
        ("lstm.plot_loss_curves (GRU race)", lambda: lstm.plot_loss_curves(
            {name: np.geomspace([1, 1.1, 0.9], [1e-3, 1e-2, 3e-3], 60).T for name in ("simple RNN", "LSTM", "GRU")},
            title="Generating sine waves from (amplitude, frequency): 24 units, 3 seeds")),
        ("mcculloch_pitts.draw_networks", lambda: mcculloch_pitts.draw_networks(
            {name: build() for name, build in mp.FIGURE_2_1.items()})),
        ("mcculloch_pitts.draw_networks (XOR)", lambda: mcculloch_pitts.draw_networks(
            {"C = A XOR B": mp.xor_network()}, notes={"D": "A AND NOT B", "E": "B AND NOT A", "C": "D OR E"})),
        ("perceptron.draw_tlu_and_perceptron", lambda: perceptron_plots.draw_tlu_and_perceptron()),
        ("perceptron.draw_tlus", lambda: perceptron_plots.draw_tlus(
            {"AND: w = (1, 1), b = −1.5": ([1, 1], -1.5), "OR: w = (1, 1), b = −0.5": ([1, 1], -0.5),
             "NAND: w = (−1, −1), b = 1.5": ([-1, -1], 1.5)},
            X=X4, Y=np.array([[0, 0, 1], [0, 1, 1], [0, 1, 1], [1, 1, 0]]))),
        *[(f"perceptron.draw_training ({name})",
           lambda h=h, X=X, y=y: perceptron_plots.draw_training(h.history, X, y, n_panels=8, ncols=4))
          for name, (h, X, y) in training_runs.items()],
        ("rnn.draw_unrolled", lambda: rnn.draw_unrolled(n_steps=4)),
        ("rnn.plot_states", lambda: rnn.plot_states(np.sin(np.arange(120) / 3), np.tanh(rng.normal(size=(120, 4))))),
        ("rnn.plot_series", lambda: rnn.plot_series(load_series("sunspots"))),
        ("rnn.plot_influence", lambda: rnn.plot_influence(np.geomspace(1, 1e-6, 30) * (np.arange(30) >= 5), step=5)),
    ]


FIGURES = dict(_figures())


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("name", list(FIGURES))
def test_figure_text_is_large_enough_on_the_page_inside_the_figure_and_apart(name):
    fig = FIGURES[name]()
    found = problems(fig, shown_px_per_inch(fig))
    assert not found, f"{name} ({fig.get_figwidth():.2f} in wide):\n  " + "\n  ".join(found)


def test_the_measure_sees_small_text():
    """The check itself: 10 pt text in a 10 in figure is shown at 9.2 px; in a 6 in figure at 13.9 px."""
    for width, expected in ((10.0, 10 / 72 * 100 * 6.72 / 10.2), (6.0, 10 / 72 * 100)):
        fig = plt.figure(figsize=(width, 2))
        fig.text(0, 0.5, "left edge", ha="left")
        fig.text(1, 0.5, "right edge", ha="right")
        assert shown_px_per_inch(fig) == pytest.approx(min(100, 672 / (width + 0.2)), rel=0.001)
        assert smallest_px(fig, shown_px_per_inch(fig)) == pytest.approx(expected, rel=0.001)
        assert bool(problems(fig, shown_px_per_inch(fig))) == (width == 10.0)
        plt.close(fig)
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.text(0.98, 0.5, "runs off the edge", transform=fig.transFigure)
    ax.text(0.1, 0.5, "one", transform=ax.transAxes)
    ax.text(0.12, 0.5, "two", transform=ax.transAxes)
    found = problems(fig, shown_px_per_inch(fig))
    assert any("leaves the figure" in f for f in found) and any("overlaps" in f for f in found)
