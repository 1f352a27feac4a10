"""Claims of section 2.4.2, 'Reading and writing text', that rest on more training runs than the notebook
can afford: eight character-level LSTMs trained exactly as in the notebook (seeds 0-7), four samples of 300
characters at each temperature from each."""

from collections import Counter

import numpy as np
import pytest

from lessons_lib import charlm
from lessons_lib.claims import claim, spread
from lessons_lib.sequences import one_hot

WHERE = "2.4.2, 'Writing, and the temperature'"
TEMPERATURES = (0.25, 1.0, 1.5)
PUNCTUATION = ",.:;!?"


def _train(seed, perturb=0.0):
    text = charlm.load_sonnets()
    vocab = charlm.Vocabulary(text)
    ids = vocab.encode(text)
    cut = text.index("XLV\n")
    X_train, Y_train = charlm.text_windows(ids[:cut], 32)
    X_test, Y_test = charlm.text_windows(ids[cut:], 32)
    rng = np.random.default_rng(seed)
    model = charlm.char_model(vocab.size, 64, rng, forget_bias=1.0)
    if perturb:
        noise = np.random.default_rng(1_000 + seed)
        for p in model.parameters():
            p.value *= 1 + perturb * noise.standard_normal(p.value.shape)
    charlm.train_char_model(model, X_train, Y_train, rng=rng, epochs=10, batch_size=32, lr=0.02)
    samples = {T: [charlm.sample_text(model, vocab, "Shall I ", 300, T, np.random.default_rng(100 + k))
                   for k in range(4)] for T in TEMPERATURES}
    # where the text has a punctuation mark next, what does the model find likeliest?
    logits, _ = model.forward(one_hot(X_test, vocab.size))
    best = np.argmax(logits, axis=-1)
    punct = np.isin(Y_test, vocab.encode(PUNCTUATION))
    argmax = {"punct_anywhere": float(np.mean(np.isin(best, vocab.encode(PUNCTUATION)))),
              "space_before_punct": float(np.mean(best[punct] == vocab.encode(" ")[0]))}
    return text, charlm.bits_per_char(model, X_test, Y_test), samples, argmax


def _stats(text, sample):
    words = charlm.words(sample)
    top, n = Counter(words).most_common(1)[0]
    starts = [line.lstrip()[:1] for line in sample.split("\n")[1:] if line.strip()]
    return {"real": charlm.known_word_share(sample, text), "top": top, "top_share": n / len(words),
            "breaks": sample.count("\n"), "punct": sum(ch in PUNCTUATION for ch in sample),
            "capitals": np.mean([c.isupper() for c in starts]) if starts else 0.0,
            "lines": [len(line) for line in sample.split("\n")[1:-1] if line.strip()]}


@pytest.fixture(scope="module")
def runs():
    out = []
    for seed in range(8):
        text, bits, samples, argmax = _train(seed)
        out.append((bits, {T: [_stats(text, s) for s in samples[T]] for T in TEMPERATURES}, samples, argmax))
    return out


def _all(runs, T, key):
    return np.array([s[key] for _, stats, *_ in runs for s in stats[T]])


def test_test_loss_after_training(runs):
    bits = np.array([run[0] for run in runs])
    claim(np.all((bits > 2.65) & (bits < 2.75)),
          "The test loss after training lay between 2.65 and 2.75 bits per character",
          WHERE, evidence=spread(bits, digits=3))


def test_cold_samples(runs):
    real, top_share = _all(runs, 0.25, "real"), _all(runs, 0.25, "top_share")
    tops, breaks, punct = _all(runs, 0.25, "top"), _all(runs, 0.25, "breaks"), _all(runs, 0.25, "punct")
    claim(real.min() >= 0.7 and top_share.min() >= 0.15 and np.all(tops == "the") and breaks.max() <= 3
          and punct.max() <= 4 and np.median(punct) <= 1,
          "every cold sample had 70% or more real words, its commonest word, 'the' in every one, made up "
          "at least 15% of them, and it held at most three line breaks and four punctuation marks (most "
          "held none)",
          WHERE, evidence=f"real {spread(real)}, commonest {spread(top_share)} ({set(tops)}), "
                          f"breaks {spread(breaks)}, punctuation {spread(punct)}")


def test_why_cold_samples_have_few_line_breaks(runs):
    text = charlm.load_sonnets()
    verse = [line.rstrip() for line in text.split("\n") if len(line.strip()) > 6]
    ends = np.mean([line[-1] in PUNCTUATION for line in verse])
    anywhere = np.array([run[3]["punct_anywhere"] for run in runs])
    space = np.array([run[3]["space_before_punct"] for run in runs])
    claim(0.8 < ends < 0.87 and anywhere.max() < 0.01 and space.min() > 0.6,
          "Five lines in six of the sonnets end with a punctuation mark, but a punctuation mark is hardly "
          "ever the single likeliest next character (after a word, a space usually is)",
          WHERE, evidence=f"lines ending in punctuation {ends:.3f}; punctuation as the argmax "
                          f"{spread(anywhere, digits=3)}; space as the argmax where punctuation follows "
                          f"{spread(space)}")


def test_samples_at_temperature_one(runs):
    real, breaks, caps = _all(runs, 1.0, "real"), _all(runs, 1.0, "breaks"), _all(runs, 1.0, "capitals")
    claim(real.min() >= 0.25 and real.max() <= 2 / 3 and 6 <= np.median(breaks) <= 10
          and np.median(caps) >= 0.8 and np.median(_all(runs, 1.0, "punct")) >= 5,
          "at T = 1 between a quarter and two thirds of the words were real, the typical sample had "
          "about eight line breaks, as the sonnets would, [...] usually with a capital at the start of a line",
          WHERE, evidence=f"real {spread(real)}, breaks {spread(breaks)}, capitals {spread(caps)}")
    text = charlm.load_sonnets()
    verse = [len(line) for line in text.split("\n") if len(line.strip()) > 6]
    lines = np.concatenate([s["lines"] for _, stats, *_ in runs for s in stats[1.0]])
    claim(36 <= np.percentile(verse, 10) and np.percentile(verse, 90) <= 50
          and np.percentile(lines, 10) < 10 and np.percentile(lines, 90) > 70,
          "The lines themselves are of very uneven length, from a few characters to a hundred, where most "
          "of Shakespeare's hold 38 to 49 characters", WHERE,
          evidence=f"sonnets: 10th-90th percentile {np.percentile(verse, [10, 90])}; samples: "
                   f"{np.percentile(lines, [10, 90])} ({lines.size} lines)")


def test_hot_samples_and_the_order_of_temperatures(runs):
    hot = _all(runs, 1.5, "real")
    claim(hot.max() < 0.5 and 0.2 <= np.median(hot) <= 0.35,
          "the hot samples had fewer than half real words, a quarter to a third in a typical sample",
          WHERE, evidence=spread(hot))
    medians = np.array([[np.median([s["real"] for s in stats[T]]) for T in TEMPERATURES] for _, stats, *_ in runs])
    claim(np.all(np.diff(medians, axis=1) < 0),
          "in every run, the higher the temperature, the fewer real words", WHERE,
          evidence=str(np.round(medians, 2)))


def test_training_is_not_chaotic(runs):
    bits, _, samples, _ = runs[0]
    _, bits_perturbed, samples_perturbed, _ = _train(0, perturb=1e-9)
    claim(samples == samples_perturbed and abs(bits - bits_perturbed) < 1e-6,
          "starting from weights changed by one part in a billion gives, after training, the same printed "
          "losses and the very same samples", WHERE, evidence=f"{bits} vs {bits_perturbed}")
