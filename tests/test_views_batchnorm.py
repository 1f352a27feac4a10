"""The batched runs of section 2.3.6 agree with separate train_classifier runs, with and without batch norm."""

import numpy as np
import pytest

from lessons_lib.training import History
from lessons_lib.views.batchnorm import train_runs
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
