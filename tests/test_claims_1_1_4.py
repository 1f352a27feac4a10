"""Claims of section 1.1.4 (restoring hidden pixels) checked over other seeds than the notebook's."""

import numpy as np

from lessons_lib.claims import claim, spread
from lessons_lib.datasets import load_digits
from lessons_lib.losses import MSELoss
from lessons_lib.network import mlp
from lessons_lib.optimizers import Adam
from lessons_lib.training import fit, predict
from lessons_lib.views.chapter1_learning import block_mask, split_by_mask


def _error_ratios(mask, sizes, seeds):
    X, _ = load_digits()
    X = X / 16
    visible, hidden = split_by_mask(X, mask)
    mse = MSELoss()
    ratios = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(X))
        train, test = order[:1437], order[1437:]
        baseline = mse(np.tile(hidden[train].mean(axis=0), (len(test), 1)), hidden[test])
        net = mlp(sizes, activation="relu", rng=rng)
        fit(net, mse, Adam(net.parameters(), lr=3e-3), visible[train], hidden[train],
            epochs=40, batch_size=32, rng=rng)
        ratios.append(mse(predict(net, visible[test]), hidden[test]) / baseline)
    return np.array(ratios)


def test_bottom_half_is_harder_than_the_centre():
    centre = _error_ratios(block_mask(top=2, left=2, height=4, width=4), [48, 64, 16], range(4))
    bottom = _error_ratios(block_mask(top=4, left=0, height=4, width=8), [32, 64, 32], range(4))
    evidence = f"centre {spread(centre, percent=True)}, bottom {spread(bottom, percent=True)}"
    claim(np.all((centre > 0.3) & (centre < 0.4)), "The network's error is about a third of the baseline's",
          "1.1.4, 'A hidden block of pixels'", evidence=evidence)
    claim(np.all((bottom > 0.43) & (bottom < 0.56)) and bottom.min() > centre.max(),
          "The networks reach about half of the baseline's error (between about 46 % and 52 % in our runs), "
          "against about 35 % for the central block", "1.1.4, solution of exercise 1", evidence=evidence)
