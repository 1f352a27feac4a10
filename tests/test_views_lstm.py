import numpy as np
import pytest

from lessons_lib.lstm import LSTM
from lessons_lib.through_time import compare_gradient_flow
from lessons_lib.views.lstm import (
    gate_traces,
    lstm_flow_cold_and_warm,
    marked_value_task,
    memory_correlation,
    set_forget_bias,
    train_marked_value_lstm,
)


def test_marked_value_task_targets_are_the_marked_values():
    X, y, pos = marked_value_task(50, 10, rng=0)
    assert X.shape == (50, 10, 2) and y.shape == (50, 1)
    assert np.all(X[:, :, 1].sum(axis=1) == 1) and np.all(pos < 5)
    np.testing.assert_array_equal(y[:, 0], X[np.arange(50), pos, 0])
    _, _, first = marked_value_task(20, 10, rng=1, first_only=True)
    assert np.all(first == 0)
    with pytest.raises(ValueError, match="seq_len"):
        marked_value_task(5, 1, rng=0)


def test_set_forget_bias_touches_only_the_forget_block():
    lstm = LSTM(2, 3, rng=0)
    before = lstm.b_x.value.copy()
    set_forget_bias(lstm, 2.5)
    np.testing.assert_array_equal(lstm.b_x.value[3:6], 2.5)
    np.testing.assert_array_equal(lstm.b_h.value[3:6], 0.0)
    np.testing.assert_array_equal(lstm.b_x.value[:3], before[:3])
    _, cache = lstm.forward(np.zeros((1, 1, 2)))
    np.testing.assert_allclose(cache["gates"]["f"], 1 / (1 + np.exp(-2.5)))


def test_gate_traces_match_the_layer_and_lie_in_range():
    lstm = LSTM(2, 4, rng=0)
    x = np.random.default_rng(0).normal(size=(7, 2))
    tr = gate_traces(lstm, x)
    assert set(tr) == {"i", "f", "g", "o", "c", "h"}
    Y, _ = lstm.forward(x[None])
    np.testing.assert_allclose(tr["h"], Y[0])
    for k in "ifo":
        assert tr[k].shape == (7, 4) and tr[k].min() > 0 and tr[k].max() < 1
    np.testing.assert_allclose(tr["h"], tr["o"] * np.tanh(tr["c"]))
    with pytest.raises(ValueError, match="x must be"):
        gate_traces(lstm, x[None])


def test_trained_lstm_stores_the_marked_value():
    model, history, (X, y, _) = train_marked_value_lstm(rng=0, n=256, epochs=20)
    assert history.final_loss < 0.05 < history.epoch_losses[0]
    assert np.abs(memory_correlation(model.recurrent, X, y)).max() > 0.9
    with pytest.raises(ValueError, match="y must"):
        memory_correlation(model.recurrent, X, y[:3])


def test_marked_value_runs_are_the_single_runs_trained_side_by_side():
    from lessons_lib.views.lstm import train_marked_value_runs
    runs = train_marked_value_runs(seeds=(0, 3), forget_bias=2.0, n=64, epochs=2)
    assert runs.seeds == (0, 3) and runs.losses.shape == (2, 2)
    np.testing.assert_array_equal(runs.final, runs.losses[:, -1])
    for k, seed in enumerate((0, 3)):
        model, history, (X, y, positions) = train_marked_value_lstm(rng=seed, forget_bias=2.0, n=64, epochs=2)
        np.testing.assert_allclose(runs.losses[k], history.epoch_losses, rtol=1e-10)
        np.testing.assert_array_equal(runs.data[k][0], X)
        for p_run, p_alone in zip(runs.models[k].parameters(), model.parameters()):
            np.testing.assert_allclose(p_run.value, p_alone.value, rtol=1e-9, atol=1e-12)


def test_marked_value_runs_of_other_cells_and_bad_input():
    from lessons_lib.gru import GRU
    from lessons_lib.views.lstm import train_marked_value_runs
    runs = train_marked_value_runs(seeds=[1], cell="gru", n=32, epochs=1, first_only=True)
    assert isinstance(runs.models[0].recurrent, GRU)
    assert np.all(runs.data[0][2] == 0)                 # first_only: the marker is always at step 0
    with pytest.raises(ValueError, match="forget_bias"):
        train_marked_value_runs(seeds=[0], cell="rnn", forget_bias=2.0)
    with pytest.raises(ValueError, match="seeds"):
        train_marked_value_runs(seeds=[])
    with pytest.raises(ValueError, match="cell"):
        train_marked_value_runs(seeds=[0], cell="transformer")


def test_lstm_flow_cold_is_the_curve_of_compare_gradient_flow():
    flow = lstm_flow_cold_and_warm(rng=3, seq_len=12, hidden_size=6, batch=4)
    lstm = compare_gradient_flow(seq_len=12, hidden_size=6, batch=4, rng=3, keep_gate_bias=3.0)["LSTM"]
    np.testing.assert_allclose(flow.cold, lstm[::-1] / lstm[-1], rtol=1e-12)
    assert flow.cold[0] == flow.warm[0] == 1.0
    assert flow.cell_size.shape == (12,) and np.all(flow.cell_size > 0)
    assert not np.allclose(flow.cold, flow.warm)


def test_lstm_flow_warm_start_removes_the_rise_towards_the_start():
    flow = lstm_flow_cold_and_warm(rng=2_4_2)
    assert flow.cold[49] > 2 * flow.cold[20]      # cold: the curve rises again near step 0
    assert flow.warm[49] < 1.5 * flow.warm[20]    # warm: it stays about level
    assert flow.cell_size[-1] > 5 * flow.cell_size[0]


def test_lstm_flow_checks_its_arguments():
    with pytest.raises(ValueError, match="seq_len"):
        lstm_flow_cold_and_warm(seq_len=0)


# ---------------------------------------------------------------------------------------------------------
# The hand-set one-unit LSTM of the explorer (lstm_cell_view, LSTMCellExplorer)
# ---------------------------------------------------------------------------------------------------------
def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


def test_cue_sequence_holds_the_value_the_cues_and_the_distractors():
    from lessons_lib.views.lstm import (
        CELL_STEPS,
        DISTRACTORS,
        ERASE_STEP,
        MARKED_VALUE,
        WRITE_STEP,
        cue_sequence,
    )
    x = cue_sequence()
    assert x.shape == (CELL_STEPS, 3)
    assert x[WRITE_STEP, 0] == MARKED_VALUE and x[:, 1].sum() == 1 and x[WRITE_STEP, 1] == 1
    assert not x[:, 2].any()
    others = np.delete(np.arange(CELL_STEPS), WRITE_STEP)
    np.testing.assert_array_equal(x[others, 0], np.array(DISTRACTORS)[others])
    quiet = cue_sequence(distractors=False, erase=True)
    assert np.count_nonzero(quiet[:, 0]) == 1 and quiet[ERASE_STEP, 2] == 1 and quiet[:, 2].sum() == 1
    assert cue_sequence(erase=True)[ERASE_STEP, 0] == 0.0      # an erase cue brings nothing to store
    with pytest.raises(ValueError, match="distractors"):
        cue_sequence(distractors=1)


def test_hand_set_lstm_writes_the_numbers_into_pytorch_s_layout():
    from lessons_lib.views.lstm import LSTM_ERASE_WEIGHT, hand_set_lstm
    lstm = hand_set_lstm(forget_bias=3.0, input_bias=-2.0, output_bias=1.0, cue_weight=7.0)
    # columns i, f, g, o; rows value, write cue, erase cue
    expected = np.array([[0.0, 0.0, 1.0, 0.0], [7.0, 0.0, 0.0, 0.0], [0.0, LSTM_ERASE_WEIGHT, 0.0, 0.0]])
    np.testing.assert_array_equal(lstm.W_x.value, expected)
    np.testing.assert_array_equal(lstm.b_x.value, [-2.0, 3.0, 0.0, 1.0])
    assert not lstm.W_h.value.any() and not lstm.b_h.value.any()
    with pytest.raises(ValueError, match="cue_weight"):
        hand_set_lstm(0.0, 0.0, 0.0, float("nan"))


def test_lstm_cell_view_is_the_layer_and_the_equations_of_the_text():
    from lessons_lib.views.lstm import cue_sequence, hand_set_lstm, lstm_cell_view
    settings = dict(forget_bias=1.5, input_bias=-3.0, output_bias=0.5, cue_weight=6.0)
    v = lstm_cell_view(**settings, distractors=True, erase=True)
    x = cue_sequence(True, True)
    Y, cache = hand_set_lstm(**settings).forward(x[None])
    np.testing.assert_array_equal(v.h, Y[0, :, 0])
    np.testing.assert_array_equal(v.c, cache["cells"][0, :, 0])
    # the scalar equations of the explorer's docstring, step by step
    c = 0.0
    for t in range(len(x)):
        value, write, erase = x[t]
        i, f = _sigmoid(-3.0 + 6.0 * write), _sigmoid(1.5 - 12.0 * erase)
        g, o = np.tanh(value), _sigmoid(0.5)
        c = f * c + i * g
        assert v.i[t] == pytest.approx(i, rel=1e-12) and v.f[t] == pytest.approx(f, rel=1e-12)
        assert v.g[t] == pytest.approx(g, rel=1e-12) and v.o[t] == pytest.approx(o, rel=1e-12)
        assert v.c[t] == pytest.approx(c, rel=1e-12, abs=1e-15)
        assert v.h[t] == pytest.approx(o * np.tanh(c), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("forget_bias", [-2.0, 0.0, 4.0])
def test_without_distractors_the_cell_keeps_the_forget_gate_s_share_per_step(forget_bias):
    from lessons_lib.views.lstm import CELL_STEPS, MARKED_VALUE, WRITE_STEP, lstm_cell_view
    v = lstm_cell_view(forget_bias=forget_bias, input_bias=-4.0, cue_weight=8.0, distractors=False)
    assert v.stored == pytest.approx(_sigmoid(4.0) * np.tanh(MARKED_VALUE), rel=1e-12)
    assert v.held_step == CELL_STEPS - 1
    # nothing else is written, so each step keeps f = sigma(b_f) of the memory
    steps = v.held_step - WRITE_STEP
    assert v.held == pytest.approx(v.stored * _sigmoid(forget_bias) ** steps, rel=1e-10)
    assert v.c[:WRITE_STEP].max() == 0.0


def test_the_erase_cue_empties_the_memory_and_an_open_input_gate_lets_distractors_in():
    from lessons_lib.views.lstm import ERASE_STEP, lstm_cell_view
    kept = lstm_cell_view(erase=True)
    assert kept.held_step == ERASE_STEP - 1 and kept.held > 0.85 * kept.stored   # sigma(4)^6 = 0.90
    assert abs(kept.c[ERASE_STEP]) < 1e-3 * kept.stored
    default = lstm_cell_view()
    assert 0.8 < default.held / default.stored < 0.9       # sigma(4)^9 = 0.85, and a little leak
    leaky = lstm_cell_view(input_bias=2.0)
    assert np.abs(np.diff(leaky.c[ERASE_STEP:])).min() > 0.1   # every distractor moves the memory


def test_lstm_cell_view_is_cached_read_only_and_checks_its_arguments():
    from lessons_lib.views.lstm import lstm_cell_view
    assert lstm_cell_view() is lstm_cell_view(4, -4, 2, 8)
    with pytest.raises(ValueError):
        lstm_cell_view().c[0] = 1.0
    with pytest.raises(ValueError, match="forget_bias"):
        lstm_cell_view(forget_bias="open")
    with pytest.raises(ValueError, match="output_bias"):
        lstm_cell_view(output_bias=1e9)
    with pytest.raises(ValueError, match="erase"):
        lstm_cell_view(erase=1)


def test_lstm_explorer_site_grid_opens_on_the_defaults():
    from lessons_lib.explorers import static
    from lessons_lib.explorers.gated_cells import LSTMCellExplorer
    explorer = LSTMCellExplorer()
    axes = static.site_axes(explorer)
    assert [a.key for a in axes] == ["forget_bias", "input_bias", "erase"]
    assert static.frame_count(explorer) == 24
    for axis, i in zip(axes, static.start_index(explorer, axes)):
        assert all(explorer.values[k] == v for k, v in axis.settings[i].items())
    assert static.jupyter_only(explorer) == ["output-gate bias (2)", "write cue's weight on the input gate (8)",
                                             "distractors (on)"]
    view = explorer.compute(**explorer.values)
    assert explorer.verdict(view) == "Written at step 2: c = 0.70; at step 11: 0.59 (85%)."
    erased = explorer.compute(**{**explorer.values, "erase": True, "forget_bias": 0.0})
    assert explorer.verdict(erased).endswith("at step 8: 0.01 (1%); after the erase cue: 0.00.")
