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
