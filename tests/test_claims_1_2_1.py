"""Claims of section 1.2.1 (batch learning on a drifting stream): over other streams, and the solutions."""

from lessons_lib.claims import claim
from lessons_lib.online import compare_on_stream, drifting_stream
from lessons_lib.views.chapter1_learning import phase_means, retrained_errors

KW = dict(train_size=200, batch_size=10)


def _phases(stream, **retrain):
    starts, errors = retrained_errors(stream, **KW, **retrain)
    return starts, errors, phase_means(starts, errors, stream.drift_at, settle=300)


def test_the_lessons_hold_on_other_streams():
    for seed in range(10):
        stream = drifting_stream(3000, rng=seed, noise=0.3)
        d = stream.drift_at
        frozen = compare_on_stream(stream, **KW)
        frozen_phases = phase_means(frozen.batch_starts, frozen.batch_model, d, settle=300)
        _, _, everything = _phases(stream, retrain_every=300, window=None)
        starts, window_errors, window = _phases(stream, retrain_every=300, window=300)
        evidence = f"stream {seed}: frozen {frozen_phases}, all data {everything}, last 300 {window}"
        claim(max(abs(p[0] - 0.09) for p in (frozen_phases, everything, window)) < 0.01,
              "Before the drift all three models are equally good. Their error, about 0.09, is the noise's variance",
              "1.2.1, 'Model rot, and retraining'", evidence=evidence)
        claim(window[2] < everything[2] < frozen_phases[2],
              "Retraining on everything is a poor fix. [...] Retraining on a recent window works",
              "1.2.1, 'Model rot, and retraining'", evidence=evidence)
        claim(window_errors[starts >= 2000].mean() < 0.11,
              "From the refit at 2,000 on, which sees only the new rule, the model is as good as before the drift",
              "1.2.1, 'Model rot, and retraining'", evidence=evidence)


def test_solutions_on_the_books_stream():
    stream = drifting_stream(3000, rng=1, noise=0.3)
    _, _, every300 = _phases(stream, retrain_every=300, window=300)
    starts, errors, every100 = _phases(stream, retrain_every=100, window=300)
    claim(3.4 < every300[1] < 3.8 and 2.3 < every100[1] < 2.7 and errors[starts >= 1800].mean() < 0.1,
          "the error is back at the noise floor by example 1,800 instead of 2,000, and the mean error over the "
          "first 300 examples after the drift falls from about 3.6 to about 2.5", "1.2.1, solution of exercise 1",
          evidence=f"every 300: {every300}, every 100: {every100}")
    starts, errors, long = _phases(stream, retrain_every=300, window=1000)
    claim(errors[(starts >= 2300) & (starts < 2600)].mean() > 0.15 and errors[starts >= 2600].mean() < 0.12,
          "With `window=1000` [...] the error after the drift stays high until [...] about example 2,600",
          "1.2.1, solution of exercise 2", evidence=f"{long}")
    _, _, short = _phases(stream, retrain_every=300, window=50)
    claim(0.09 < short[0] < 0.1 and short[0] > every300[0] and short[1] < every300[1] and short[2] < every300[2],
          "With `window=50` [...] even before the drift its error is a little above the noise floor (0.09); after "
          "the drift it recovers sooner than the 300-example window", "1.2.1, solution of exercise 2",
          evidence=f"window 50: {short}, window 300: {every300}")
