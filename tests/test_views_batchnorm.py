"""The batched runs of section 2.3.6 agree with separate train_classifier runs, with and without batch norm."""

import copy

import numpy as np
import pytest

from lessons_lib.batchnorm import BatchNorm1d
from lessons_lib.training import History, predict
from lessons_lib.views.batchnorm import (
    AFTER_BINS,
    EXPLORER_BATCH_SIZES,
    batchnorm_run,
    batchnorm_view,
    train_runs,
)
from lessons_lib.views.hidden_layers import digits_split, train_classifier

TRAIN, VAL = digits_split(n_train=200, seed=0)


@pytest.mark.parametrize("kwargs", [
    dict(hidden=(16, 16, 16), activation="sigmoid", optimizer="adam", lr=1e-3, batch_norm=True),
    dict(hidden=(16, 16), activation="sigmoid", optimizer="sgd", lr=0.1),
    dict(hidden=(16,), activation="relu", optimizer="sgd", lr=0.1, input_batch_norm=True),
    dict(hidden=(8, 8), activation="tanh", optimizer="rmsprop", lr=1e-3, batch_norm=True, input_batch_norm=True),
])
def test_runs_agree_with_separate_runs(kwargs):
    kwargs = dict(kwargs)
    hidden = kwargs.pop("hidden")
    runs = train_runs(hidden, TRAIN, VAL, [3, 7], epochs=3, **kwargs)
    assert runs.seeds == (3, 7) and runs.train_loss.shape == runs.val_accuracy.shape == (2, 3)
    for k, seed in enumerate((3, 7)):
        alone = train_classifier(hidden, TRAIN, VAL, seed=seed, epochs=3, **kwargs)
        np.testing.assert_allclose(runs.train_loss[k], alone.history.train_loss, rtol=1e-9)
        np.testing.assert_allclose(runs.val_loss[k], alone.history.val_loss, rtol=1e-9)
        np.testing.assert_array_equal(runs.val_accuracy[k], alone.history.val_accuracy)
        assert runs.train_accuracy[k] == alone.train_accuracy
        if kwargs.get("input_batch_norm"):
            np.testing.assert_allclose(runs.input_running_var[k], alone.model[0].running_var, rtol=1e-9)
    if not kwargs.get("input_batch_norm"):
        assert runs.input_running_var is None


def test_one_data_set_per_run_and_history():
    (X, y), (X_val, y_val) = TRAIN, VAL
    scales = np.array([1.0, 2.0])[:, None, None]
    runs = train_runs((8,), (X * scales, y), (X_val * scales, y_val), [0, 0], epochs=2, optimizer="sgd", lr=0.1)
    doubled = train_classifier((8,), (2 * X, y), (2 * X_val, y_val), seed=0, epochs=2, optimizer="sgd", lr=0.1)
    np.testing.assert_allclose(runs.val_loss[1], doubled.history.val_loss, rtol=1e-9)
    assert not np.allclose(runs.val_loss[0], runs.val_loss[1])
    h = runs.history(1)
    assert isinstance(h, History) and h.val_loss == runs.val_loss[1].tolist() and len(h.train_loss) == 2


def test_bad_input():
    with pytest.raises(ValueError, match="seeds"):
        train_runs((8,), TRAIN, VAL, [])
    with pytest.raises(ValueError, match="train"):
        train_runs((8,), (np.zeros((3, 5, 64)), TRAIN[1]), VAL, [0, 1])
    with pytest.raises(ValueError, match="hidden"):
        train_runs((0,), TRAIN, VAL, [0])
    with pytest.raises(ValueError, match="lr"):
        train_runs((8,), TRAIN, VAL, [0], lr=0.0)
    with pytest.raises(ValueError, match="batch_size"):
        train_runs((8,), TRAIN, VAL, [0], batch_size=199, batch_norm=True)  # leaves a batch of one
    with pytest.raises(ValueError, match="k"):
        train_runs((8,), TRAIN, VAL, [0], epochs=1).history(1)


# ---- the explorer of section 2.3.6 ----------------------------------------------------------------------------

def test_training_mode_normalises_each_unit_with_the_batch_statistics():
    for batch_size in (32, 2):
        run = batchnorm_run(batch_size, True)
        x_hat, z = run.x_hat["train"], run.pre["train"]
        assert x_hat.shape == z.shape == (batch_size, 32)
        np.testing.assert_allclose(x_hat.mean(axis=0), 0.0, atol=1e-12)
        var = z.var(axis=0)                       # biased, equation (2.8)
        np.testing.assert_allclose(x_hat.var(axis=0), var / (var + 1e-5), rtol=1e-9)
    # a batch of two: each unit's two values become -1 and +1 (up to eps), whatever they were
    run = batchnorm_run(2, True)
    half_gap = np.abs(run.pre["train"][0] - run.pre["train"][1]) / 2
    np.testing.assert_allclose(run.x_hat["train"][0], -run.x_hat["train"][1], atol=1e-12)
    np.testing.assert_allclose(np.abs(run.x_hat["train"][0]), half_gap / np.sqrt(half_gap ** 2 + 1e-5), rtol=1e-9)
    assert np.median(np.abs(run.x_hat["train"])) > 0.999


def test_evaluation_mode_uses_the_running_statistics():
    run = batchnorm_run(8, True)
    bn = [layer for layer in run.model if isinstance(layer, BatchNorm1d)][1]     # hidden layer 2
    expected = (run.pre["eval"] - bn.running_mean) / np.sqrt(bn.running_var + bn.eps)
    np.testing.assert_allclose(run.x_hat["eval"], expected, rtol=1e-12)
    assert not bn.training                        # the model is left in evaluation mode


def test_changed_predictions_equal_a_direct_count():
    run = batchnorm_run(4, True)
    (_, _), (X_val, y_val) = digits_split(n_train=1000, seed=0)
    X = X_val[run.order]
    eval_classes = predict(run.model, X).argmax(axis=1)
    net = copy.deepcopy(run.model).train()
    train_classes = np.concatenate([net(X[k:k + 4]).argmax(axis=1) for k in range(0, len(X), 4)])
    assert run.changed == np.count_nonzero(train_classes != eval_classes) / len(X)
    assert run.accuracy["eval"] == np.mean(eval_classes == y_val[run.order])
    assert len(run.order) == len(X_val) // 4 * 4 and len(set(run.order)) == len(run.order)


def test_small_batches_make_the_gap_large_and_without_bn_there_is_none():
    gap = [batchnorm_run(b, True).changed for b in EXPLORER_BATCH_SIZES]     # the notebook checks more seeds
    assert gap[0] > 0.3 and np.all(np.diff(gap) < 0) and gap[-1] < 0.05, gap
    plain = batchnorm_run(2, False)
    # the same computation in both modes, up to the last bits of a matrix product (BLAS may split it differently)
    assert plain.changed == 0.0 and plain.mean_abs_diff < 1e-12 and plain.x_hat is None
    assert plain.accuracy["train"] == plain.accuracy["eval"]
    np.testing.assert_array_equal(plain.pre["train"], plain.pre["eval"])


def test_view_histograms_and_curves():
    view = batchnorm_view(32, True, "eval")
    run = batchnorm_run(32, True)
    assert view.before.sum() == pytest.approx(1.0) and view.after.sum() == pytest.approx(1.0)
    clipped = np.clip(run.x_hat["eval"].ravel(), AFTER_BINS[0], AFTER_BINS[-1])
    np.testing.assert_array_equal(view.after * clipped.size, np.histogram(clipped, AFTER_BINS)[0])
    assert view.sizes == EXPLORER_BATCH_SIZES
    assert view.changed_with_bn[view.sizes.index(32)] == run.changed
    np.testing.assert_array_equal(view.changed_without_bn, 0.0)
    off = batchnorm_view(32, False, "train")
    assert off.after is None and off.before.sum() == pytest.approx(1.0)


def test_explorer_view_bad_input():
    with pytest.raises(ValueError, match="batch_size"):
        batchnorm_run(3, True)
    with pytest.raises(ValueError, match="batch_norm"):
        batchnorm_run(32, "yes")
    with pytest.raises(ValueError, match="seed"):
        batchnorm_run(32, True, -1)
    with pytest.raises(ValueError, match="mode"):
        batchnorm_view(32, True, "test")


def test_batchnorm_explorer_site_grid_holds_the_defaults():
    from lessons_lib.explorers import static
    from lessons_lib.explorers.batchnorm import BatchNormExplorer

    explorer = BatchNormExplorer()
    axes = static.site_axes(explorer)
    assert static.frame_count(explorer) == 20 and not static.jupyter_only(explorer)
    for axis, i in zip(axes, static.start_index(explorer, axes)):
        assert all(explorer.values[k] == v for k, v in axis.settings[i].items())
