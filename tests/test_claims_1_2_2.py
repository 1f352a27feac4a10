"""Claims of section 1.2.2 (online learning on a drifting stream): over other streams, and the solutions."""

import numpy as np

from lessons_lib.claims import claim
from lessons_lib.online import compare_on_stream, drifting_stream, least_squares
from lessons_lib.views.chapter1_learning import online_weight_path, phase_means

KW = dict(train_size=200, batch_size=10)


def _arrival(stream, lr, fraction=0.1):
    """Position where the weight w2 first comes within ``fraction`` of the gap of its value after the drift."""
    d = stream.drift_at
    before = least_squares(stream.X[:d], stream.y[:d])[0][1]
    after = least_squares(stream.X[d:], stream.y[d:])[0][1]
    path = online_weight_path(stream, **KW, lr=lr)[0][:, 1]
    positions = KW["train_size"] + KW["batch_size"] * np.arange(len(path))
    close = (positions >= d) & (np.abs(path - after) < fraction * abs(after - before))
    return positions[close][0]


def test_the_learning_rate_lessons_hold_on_other_streams():
    for seed in range(10):
        stream = drifting_stream(3000, rng=seed, noise=0.3)
        d = stream.drift_at
        runs = {lr: compare_on_stream(stream, **KW, lr=lr) for lr in (0.01, 0.05, 0.3)}
        phases = {lr: phase_means(r.batch_starts, r.online_model, d, settle=300) for lr, r in runs.items()}
        evidence = f"stream {seed}: {phases}"
        claim(phases[0.01][1] > phases[0.05][1] > phases[0.3][1],
              "A large learning rate adapts fast", "1.2.2, 'The learning rate'", evidence=evidence)
        claim(1.05 < phases[0.3][0] / phases[0.01][0] < 1.25 and abs(phases[0.05][0] - phases[0.01][0]) < 0.005,
              "A large learning rate is noisy [...] Its error before the drift is 15 to 20 % above the noise "
              "floor", "1.2.2, 'The learning rate'", evidence=evidence)
        claim(_arrival(stream, 0.01) - d > 1000 and _arrival(stream, 0.3) - d <= 80,
              "with η = 0.3 the weight jumps to its new value within a few mini-batches. With η = 0.01 it takes "
              "more than a thousand examples", "1.2.2, 'The learning rate'", evidence=evidence)


def test_solutions_on_the_books_stream():
    stream = drifting_stream(3000, rng=1, noise=0.3)
    d = stream.drift_at
    arrival = _arrival(stream, 0.05)
    claim(1650 <= arrival <= 1750, "the orange dashed curve for η = 0.05 has closed 90 % of the gap to the new value "
          "of w2 by about example 1,700", "1.2.2, solution of exercise 1", evidence=str(arrival))
    r08 = compare_on_stream(stream, **KW, lr=0.8)
    before08 = phase_means(r08.batch_starts, r08.online_model, d, settle=300)[0]
    claim(before08 > 5 * 0.09 and np.all(np.isfinite(r08.online_model)) and r08.online_model.max() < 1e3,
          "With η = 0.8 [...] the model still follows the drift [...] the error is many times the noise floor even "
          "before the drift", "1.2.2, solution of exercise 2", evidence=f"{before08:.3f}")
    with np.errstate(over="ignore", invalid="ignore"):
        r12 = compare_on_stream(stream, **KW, lr=1.2)
        before12 = phase_means(r12.batch_starts, r12.online_model, d, settle=300)[0]
    claim(1e38 < before12 < 1e43, "the error grows without bound (to about 10^40 before the drift in our run)",
          "1.2.2, solution of exercise 2", evidence=f"{before12:.2g}")
