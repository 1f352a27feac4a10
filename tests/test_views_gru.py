import numpy as np
import pytest

from lessons_lib.views.gru import parameter_counts, training_race, variant_outputs


def test_parameter_counts_follow_the_formula():
    D, H = 3, 5
    per_block = D * H + H * H + 2 * H
    assert parameter_counts(D, H) == {"rnn": per_block, "lstm": 4 * per_block, "gru": 3 * per_block}


def test_variants_share_weights_but_differ():
    X = np.random.default_rng(0).normal(size=(2, 6, 3))
    out = variant_outputs(X, hidden_size=4, rng=1)
    assert out["reset_after"].shape == out["reset_before"].shape == (2, 6, 4)
    # the first step starts from h0 = 0: r * (0 W + b_hn) and (r * 0) W + b_hn differ by (1 - r) b_hn
    assert np.abs(out["reset_after"] - out["reset_before"]).max() > 1e-3
    with pytest.raises(ValueError, match="X must"):
        variant_outputs(X[0])


def test_training_race_shapes_and_validation():
    race = training_race("classify", seeds=(0,), epochs=2)
    assert set(race) == {"rnn", "lstm", "gru"}
    assert all(v.shape == (1, 2) and np.all(np.isfinite(v)) for v in race.values())
    with pytest.raises(ValueError, match="task"):
        training_race("nope")
    with pytest.raises(ValueError, match="seeds"):
        training_race("classify", seeds=())


# ---------------------------------------------------------------------------------------------------------
# The hand-set one-unit GRU of the explorer (gru_cell_view, GRUCellExplorer)
# ---------------------------------------------------------------------------------------------------------
def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


def test_hand_set_gru_writes_the_numbers_into_pytorch_s_layout():
    from lessons_lib.views.gru import CANDIDATE_RECURRENT_WEIGHT, hand_set_gru
    gru = hand_set_gru(update_bias=3.0, reset_bias=-1.0, cue_weight=-6.0)
    assert gru.variant == "reset_after"
    # columns r, z, n; rows value, write cue, erase cue
    np.testing.assert_array_equal(gru.W_x.value, [[0.0, 0.0, 1.0], [0.0, -6.0, 0.0], [0.0, -6.0, 0.0]])
    np.testing.assert_array_equal(gru.W_h.value, [[0.0, 0.0, CANDIDATE_RECURRENT_WEIGHT]])
    np.testing.assert_array_equal(gru.b_x.value, [-1.0, 3.0, 0.0])
    assert not gru.b_h.value.any()
    with pytest.raises(ValueError, match="reset_bias"):
        hand_set_gru(0.0, None, 0.0)


def test_gru_cell_view_is_the_layer_and_the_equations_of_the_text():
    from lessons_lib.views.gru import gru_cell_view, gru_traces, hand_set_gru
    from lessons_lib.views.lstm import cue_sequence
    settings = dict(update_bias=2.5, reset_bias=0.5, cue_weight=-7.0)
    v = gru_cell_view(**settings, distractors=True, erase=True)
    x = cue_sequence(True, True)
    gru = hand_set_gru(**settings)
    Y, _ = gru.forward(x[None])
    np.testing.assert_array_equal(v.h, Y[0, :, 0])
    # the full equations of 2.4.3 (PyTorch's reset-after form, keep convention) with the layer's parameters
    W_x, W_h, b_x, b_h = (p.value for p in (gru.W_x, gru.W_h, gru.b_x, gru.b_h))
    h = np.zeros(1)
    for t in range(len(x)):
        ax, ah = x[t] @ W_x + b_x, h @ W_h + b_h
        r, z = _sigmoid(ax[0] + ah[0]), _sigmoid(ax[1] + ah[1])
        n = np.tanh(ax[2] + r * ah[2])
        h = (1 - z) * n + z * h
        assert v.r[t] == pytest.approx(r, rel=1e-12) and v.z[t] == pytest.approx(z, rel=1e-12)
        assert v.n[t] == pytest.approx(n, rel=1e-12, abs=1e-15)
        assert v.h[t] == pytest.approx(h[0], rel=1e-12, abs=1e-15)
    traces = gru_traces(gru, x)
    assert set(traces) == {"r", "z", "n", "h"} and traces["h"].shape == (len(x), 1)
    with pytest.raises(ValueError, match="x must be"):
        gru_traces(gru, x[None])


@pytest.mark.parametrize("update_bias", [0.0, 2.0, 6.0])
def test_with_the_reset_gate_shut_the_gru_keeps_the_update_gate_s_share_per_step(update_bias):
    from lessons_lib.views.gru import gru_cell_view
    from lessons_lib.views.lstm import CELL_STEPS, MARKED_VALUE, WRITE_STEP
    # no distractors and r = sigma(-50): the candidate is 0 after the write, so h_t = z h_{t-1}
    v = gru_cell_view(update_bias=update_bias, reset_bias=-50.0, cue_weight=-8.0, distractors=False)
    z_write = _sigmoid(update_bias - 8.0)
    assert v.stored == pytest.approx((1 - z_write) * np.tanh(MARKED_VALUE), rel=1e-12)
    assert v.held_step == CELL_STEPS - 1
    assert v.held == pytest.approx(v.stored * _sigmoid(update_bias) ** (v.held_step - WRITE_STEP), rel=1e-10)
    assert not v.h[:WRITE_STEP].any()


def test_an_erase_works_only_with_the_reset_gate_shut():
    from lessons_lib.views.gru import gru_cell_view
    from lessons_lib.views.lstm import ERASE_STEP
    shut = gru_cell_view(reset_bias=-4.0, erase=True)
    open_ = gru_cell_view(reset_bias=4.0, erase=True)
    # both write at the cue (z near 0); the candidate is tanh(0 + r h): near 0 only with r near 0
    assert shut.z[ERASE_STEP] < 0.02 and open_.z[ERASE_STEP] < 0.02
    assert abs(shut.h[ERASE_STEP]) < 0.05 * shut.held
    assert open_.h[ERASE_STEP] > 0.8 * open_.held
    keep = gru_cell_view()
    assert 0.8 < keep.held / keep.stored < 0.9     # sigma(4)^9 = 0.85, and a little leak of the distractors


def test_gru_cell_view_is_cached_read_only_and_checks_its_arguments():
    from lessons_lib.views.gru import gru_cell_view
    assert gru_cell_view() is gru_cell_view(4.0, -4.0, -8.0, True, False)
    with pytest.raises(ValueError):
        gru_cell_view().h[0] = 1.0
    with pytest.raises(ValueError, match="update_bias"):
        gru_cell_view(update_bias=float("inf"))
    with pytest.raises(ValueError, match="distractors"):
        gru_cell_view(distractors="no")


def test_gru_explorer_site_grid_opens_on_the_defaults():
    from lessons_lib.explorers import static
    from lessons_lib.explorers.gated_cells import GRUCellExplorer
    explorer = GRUCellExplorer()
    axes = static.site_axes(explorer)
    assert [a.key for a in axes] == ["update_bias", "reset_bias", "erase"]
    assert static.frame_count(explorer) == 24
    for axis, i in zip(axes, static.start_index(explorer, axes)):
        assert all(explorer.values[k] == v for k, v in axis.settings[i].items())
    assert static.jupyter_only(explorer) == ["cues' weight on the update gate (-8)", "distractors (on)"]
    failed = explorer.compute(**{**explorer.values, "erase": True, "reset_bias": 4.0})
    assert explorer.verdict(failed) == ("Written at step 2: h = 0.70; at step 8: 0.68 (97%); "
                                        "after the erase cue: 0.58.")
    bias0 = explorer.compute(**{**explorer.values, "update_bias": 0.0})
    assert "\u2212" in explorer.verdict(bias0) and "-" not in explorer.verdict(bias0)
