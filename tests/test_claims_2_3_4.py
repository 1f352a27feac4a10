"""Claims of section 2.3.4 that rest on more runs than the notebook can afford to train while it executes."""

import numpy as np

from lessons_lib.claims import claim, spread
from lessons_lib.datasets import make_spirals
from lessons_lib.views.hidden_layers import train_classifiers

WHERE = "2.3.4, solution of exercise 3 ('More turns')"


def test_three_turn_spirals_solution():
    X, y = make_spirals(800, rng=0, turns=3.0, noise=0.1)
    train, val = (X[:600], y[:600]), (X[600:], y[600:])
    runs = {hidden: train_classifiers(hidden, train, val, range(10), lr=0.01, epochs=100)
            for hidden in [(64,), (256,), (16, 16), (16, 16, 16)]}
    tr = {h: np.array([r.train_accuracy for r in rs]) for h, rs in runs.items()}
    va = {h: np.array([r.val_accuracy for r in rs]) for h, rs in runs.items()}
    med_tr = {h: np.median(a) for h, a in tr.items()}
    med_va = {h: np.median(a) for h, a in va.items()}
    evidence = "; ".join(f"{h}: train {spread(tr[h], 3, True)}, val {spread(va[h], 3, True)}" for h in runs)
    claim(0.6 < med_tr[(64,)] < 0.7 and all(0.7 < med_tr[h] < 0.8 for h in [(256,), (16, 16), (16, 16, 16)]),
          "the median training accuracy is about 65% for the layer of 64 units and about 75% for the other three",
          WHERE, evidence)
    claim(0.07 < med_tr[(256,)] - med_va[(256,)] < 0.13 and 0.72 < med_tr[(256,)] < 0.8
          and 0.63 < med_va[(256,)] < 0.71,
          "the 256-unit layer shows a gap of about 10 points between training (about 76%) and validation "
          "(about 67%) accuracy", WHERE, evidence)
    deep = [(16, 16), (16, 16, 16)]
    claim(all(0.67 < med_va[h] < 0.73 and med_va[h] > max(med_va[(64,)], med_va[(256,)]) for h in deep)
          and all(runs[h][0].n_params < runs[(256,)][0].n_params / 2 for h in deep),
          "the two deep networks generalise best, about 70% on validation in the median, with a quarter to a "
          "half of its parameters", WHERE, evidence)
    spreads = {h: np.ptp(a) for h, a in tr.items()}
    claim(max(spreads, key=spreads.get) == (16, 16, 16) and tr[(16, 16, 16)].max() > max(tr[h].max() for h in
          [(64,), (256,), (16, 16)]) + 0.05 and tr[(16, 16, 16)].min() < np.median([med_tr[h] for h in runs]) - 0.05,
          "the three-layer network varies most from seed to seed: its best runs fit the training set far better "
          "than any other network's, its worst ones far worse", WHERE, evidence)
