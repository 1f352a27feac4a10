"""Claims of section 2.4.1's exercise solutions, which the notebook does not run."""

import numpy as np

from lessons_lib import seq2seq
from lessons_lib.claims import claim
from lessons_lib.losses import MSELoss
from lessons_lib.optimizers import SGD
from lessons_lib.sequences import next_step_windows, standardize, synthetic_series
from lessons_lib.through_time import compare_gradient_flow

SEED = 2_4_1


def test_rnn_weight_scale_solution():
    where = "2.4.1, solution of exercise 2"
    back = {}
    for s in (1.5, 2, 3, 4):
        rnn = compare_gradient_flow(rng=SEED, rnn_weight_scale=s)["RNN"]
        back[s] = rnn[0] / rnn[-1]
    per_step = {s: v ** (1 / 49) for s, v in back.items()}
    claim(2e-5 < back[1.5] < 5e-5 and 0.3 < back[2] < 0.5 and 1.5e2 < back[3] < 3e2 and 2e3 < back[4] < 4e3,
          "about 3e-5 for s = 1.5, 0.4 for 2, 2e2 for 3 and 3e3 for 4", where, str(back))
    claim(all(abs(per_step[s] - v) < 0.006 for s, v in {1.5: 0.81, 2: 0.98, 3: 1.12, 4: 1.18}.items()),
          "(per step 0.81, 0.98, 1.12 and 1.18)", where, str(per_step))


def _clipping_run(clip, optimizer):
    series, _, _ = standardize(synthetic_series(300, rng=SEED))
    X, Y = next_step_windows(series, 40)
    model = seq2seq.SequenceToSequence(1, 16, 1, rng=SEED, cell="rnn", nonlinearity="relu")
    model.recurrent.W_h.value[...] = np.eye(16)
    kw = {"optimizer": SGD(model.parameters(), lr=0.05)} if optimizer == "sgd" else {"lr": optimizer}
    return seq2seq.train_sequence_model(model, X, Y, MSELoss(), rng=SEED, epochs=10, clip=clip, **kw)


def test_clipping_solution():
    where = "2.4.1, solution of exercise 3"
    runs = {c: _clipping_run(c, "sgd") for c in (0.1, 10.0, 100.0)}
    final = {c: h.final_loss for c, h in runs.items()}
    claim(not any(h.diverged for h in runs.values()), "All four clipped runs survive", where, str(final))
    claim(0.5 < final[0.1] < 0.6 and 0.035 < final[10.0] < 0.045 and 0.06 < final[100.0] < 0.075,
          "With c = 0.1 [...] the MSE is still about 0.56; [...] c = 10 about 0.04 [...] the run ends at "
          "about 0.07", where, str(final))
    claim(3e25 < max(runs[100.0].grad_norms) < 2e26,
          "With c = 100 one step is still large enough to make a later gradient enormous (nearly 1e26)", where,
          f"{max(runs[100.0].grad_norms):.3g}")
    adam = _clipping_run(None, 0.05)
    claim(adam.diverged_at == 1 and 1e6 < adam.grad_norms[-1] < 1e7,
          "Adam without clipping stops at its second step (gradient norm about 3e6)", where,
          f"stopped at {adam.diverged_at}, norms {adam.grad_norms}")
    slow = _clipping_run(None, 0.01)
    clipped = _clipping_run(1.0, "sgd")
    claim(not slow.diverged and slow.final_loss > 3 * clipped.final_loss,
          "With lr=0.01 Adam survives, but learns far less than clipped gradient descent", where,
          f"Adam {slow.final_loss:.3f}, clipped gradient descent {clipped.final_loss:.3f}")
