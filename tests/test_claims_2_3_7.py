"""Claims of section 2.3.7 that need more training runs than the notebook can afford."""

import numpy as np

from lessons_lib.claims import claim
from lessons_lib.datasets import make_moons
from lessons_lib.dropout import Dropout
from lessons_lib.layers import ActivationLayer, Dense
from lessons_lib.network import Sequential, mlp
from lessons_lib.optimizers import Adam
from lessons_lib.training import evaluate, fit


def _accuracies(net, X_train, y_train, X_val, y_val, seed):
    fit(net, "cross_entropy", Adam(net.parameters(), lr=3e-3), X_train, y_train, epochs=200, batch_size=20,
        rng=seed)
    return evaluate(net, "cross_entropy", X_train, y_train)[1], evaluate(net, "cross_entropy", X_val, y_val)[1]


def test_exercise_3_input_dropout_usually_hurts():
    rows = []
    for seed in range(6):  # the data and seeds of the notebook's table
        X, y = make_moons(540, rng=seed, noise=0.4)
        data = X[:40], y[:40], X[40:], y[40:]
        init = np.random.default_rng(seed)
        with_input = Sequential(Dropout(0.2, rng=1), Dense(2, 256, init), ActivationLayer("relu"),
                                Dropout(0.5, rng=2), Dense(256, 256, init), ActivationLayer("relu"),
                                Dropout(0.5, rng=3), Dense(256, 2, init))
        hidden_only = mlp([2, 256, 256, 2], rng=seed, dropout=0.5)
        rows.append((*_accuracies(with_input, *data, seed), *_accuracies(hidden_only, *data, seed)))
    rows = np.array(rows)  # train, val with input dropout; train, val with hidden dropout only
    drop_in_val = rows[:, 3] - rows[:, 1]
    where = "2.3.7, solution of exercise 3"
    evidence = str(np.round(rows, 3).tolist())
    claim(np.sum(drop_in_val > 0) >= 5, "input dropout lowered the validation accuracy in five of the six runs",
          where, evidence)
    claim(0.04 < drop_in_val.max() < 0.08, "by up to about 6 points", where, evidence)
    claim(np.all(rows[:, 0] <= rows[:, 2]), "and never raised the training accuracy", where, evidence)
