"""Claims of section 2.3.6 that need more training runs than the notebook can afford."""

import numpy as np

from lessons_lib.claims import claim
from lessons_lib.views.batchnorm import train_runs
from lessons_lib.views.hidden_layers import digits_split


def test_exercise_3_relu_with_he_initialisation_needs_no_batch_norm():
    train, val = digits_split(n_train=1000, seed=0)
    where = "2.3.6, solution of exercise 3"
    runs = {init: train_runs((32,) * 6, train, val, range(5), activation="relu", optimizer="sgd", lr=0.1,
                             epochs=30, init=init)
            for init in ("pytorch_default", "he_normal")}
    default, he = runs["pytorch_default"], runs["he_normal"]
    stuck = np.sum(default.train_loss > 2.2, axis=1)        # epochs at the loss of guessing, ln 10 = 2.30
    claim(np.all(stuck >= 10) and np.any(stuck == 30) and np.median(stuck) >= 20,
          "with the default initialisation the network is stuck near chance level for most of the 30 epochs, "
          "in some runs for all of them", where, f"epochs stuck per run: {stuck.tolist()}")
    claim(np.all(he.train_accuracy >= 0.99), "with He initialisation it trains to a training accuracy near 100%",
          where, str(he.train_accuracy.round(3).tolist()))
    claim(np.all(np.abs(he.val_accuracy[:, -1] - 0.965) < 0.015), "and about 96% validation accuracy", where,
          str(he.val_accuracy[:, -1].round(3).tolist()))
