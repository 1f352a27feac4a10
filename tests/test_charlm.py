import hashlib
import math
from importlib import resources

import numpy as np
import pytest

from lessons_lib import charlm
from lessons_lib.activations import softmax
from lessons_lib.sequences import one_hot

SONNETS_SHA256 = "e041e45c5e08fb2524bb46af0c23fdbe2f0d46d6caed8894e8aca0e965f38628"


# ---------------------------------------------------------------------------------------------------
# The shipped text
# ---------------------------------------------------------------------------------------------------
def test_sonnets_are_shipped_unchanged_with_their_licence_note():
    text = charlm.load_sonnets()
    raw = resources.files("lessons_lib").joinpath("data", "sonnets-1-49.txt").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SONNETS_SHA256
    assert text == raw.decode("ascii") and len(text) == 30_773 and text.count("\n") == 839
    assert text.startswith("THE SONNETS\nby William Shakespeare\n")
    assert "\n\nXLIX\n\n" in text and "\n\nL\n\n" not in text
    assert text.endswith("Since why to love I can allege no cause.\n")
    note = resources.files("lessons_lib").joinpath("data", "LICENSE-text.txt").read_text()
    assert SONNETS_SHA256 in note and "public domain" in note and "sonnets-1-49.txt" in note


# ---------------------------------------------------------------------------------------------------
# Vocabulary, windows, entropy
# ---------------------------------------------------------------------------------------------------
def test_vocabulary_round_trip_on_the_whole_text():
    text = charlm.load_sonnets()
    vocab = charlm.Vocabulary(text)
    assert vocab.size == len(vocab) == len(set(text)) == 60
    assert list(vocab.chars) == sorted(set(text))
    ids = vocab.encode(text)
    assert ids.shape == (len(text),) and ids.dtype == np.int64
    assert ids.min() == 0 and ids.max() == vocab.size - 1
    assert vocab.decode(ids) == text
    assert vocab.decode(vocab.encode("")) == ""


def test_vocabulary_codes_follow_the_sorted_characters():
    vocab = charlm.Vocabulary("banana")
    assert vocab.chars == "abn"
    assert vocab.encode("nab").tolist() == [2, 0, 1]
    assert vocab.decode([1, 0, 2, 0]) == "bana"
    assert "3 characters" in repr(vocab)


def test_vocabulary_bad_input():
    with pytest.raises(ValueError, match="text"):
        charlm.Vocabulary("")
    with pytest.raises(ValueError, match="text"):
        charlm.Vocabulary(["a", "b"])
    vocab = charlm.Vocabulary("abc")
    with pytest.raises(ValueError, match="'z'"):
        vocab.encode("abz")
    with pytest.raises(ValueError, match="text"):
        vocab.encode(b"abc")
    with pytest.raises(ValueError, match="ids"):
        vocab.decode([0, 3])
    with pytest.raises(ValueError, match="ids"):
        vocab.decode([-1])
    with pytest.raises(ValueError, match="ids"):
        vocab.decode([[0, 1]])
    with pytest.raises(ValueError, match="ids"):
        vocab.decode([0.0, 1.0])


def test_text_windows_targets_are_the_next_characters():
    ids = np.arange(20)
    X, Y = charlm.text_windows(ids, 6)
    assert X.shape == Y.shape == (3, 6) and X.dtype == np.int64
    assert X[1].tolist() == [6, 7, 8, 9, 10, 11]
    assert np.array_equal(Y, X + 1)
    X2, Y2 = charlm.text_windows(ids, 6, stride=1)
    assert X2.shape == (14, 6) and Y2[-1, -1] == 19      # every window whose target stays inside
    assert np.array_equal(Y2, X2 + 1)


def test_text_windows_bad_input():
    with pytest.raises(ValueError, match="length"):
        charlm.text_windows(np.arange(5), 5)
    with pytest.raises(ValueError, match="length"):
        charlm.text_windows(np.arange(5), 0)
    with pytest.raises(ValueError, match="stride"):
        charlm.text_windows(np.arange(10), 3, stride=0)
    with pytest.raises(ValueError, match="ids"):
        charlm.text_windows(np.linspace(0, 1, 10), 3)
    with pytest.raises(ValueError, match="ids"):
        charlm.text_windows(np.arange(-1, 9), 3)


def test_unigram_entropy_known_values():
    assert charlm.unigram_entropy(np.array([0, 1, 2, 3] * 5)) == pytest.approx(2.0)
    assert charlm.unigram_entropy(np.array([4, 4, 4])) == 0.0
    assert charlm.unigram_entropy(np.array([0, 0, 0, 1])) == pytest.approx(
        -(0.75 * math.log2(0.75) + 0.25 * math.log2(0.25)))
    with pytest.raises(ValueError, match="ids"):
        charlm.unigram_entropy(np.array([], dtype=np.int64))
    with pytest.raises(ValueError, match="vocab_size"):
        charlm.unigram_entropy(np.array([0, 5]), vocab_size=5)


# ---------------------------------------------------------------------------------------------------
# The model and its loss
# ---------------------------------------------------------------------------------------------------
def test_char_model_shapes_and_forget_bias():
    model = charlm.char_model(7, 5, rng=0, forget_bias=1.5)
    logits, _ = model.forward(one_hot(np.zeros((2, 4), dtype=np.int64), 7))
    assert logits.shape == (2, 4, 7)
    lstm = model.recurrent
    assert np.all(lstm.b_x.value[5:10] == 1.5) and np.all(lstm.b_h.value[5:10] == 0.0)
    default = charlm.char_model(7, 5, rng=0)
    assert np.array_equal(default.recurrent.W_x.value, lstm.W_x.value)   # same draws, only the bias set
    assert not np.any(default.recurrent.b_x.value[5:10] == 1.5)
    gru = charlm.char_model(7, 5, rng=0, cell="gru")
    assert gru.forward(one_hot(np.zeros((1, 3), dtype=np.int64), 7))[0].shape == (1, 3, 7)
    with pytest.raises(ValueError, match="forget_bias"):
        charlm.char_model(7, 5, rng=0, cell="gru", forget_bias=1.0)
    with pytest.raises(ValueError, match="forget_bias"):
        charlm.char_model(7, 5, rng=0, forget_bias=float("nan"))
    with pytest.raises(ValueError, match="vocab_size"):
        charlm.char_model(1, 5, rng=0)
    with pytest.raises(ValueError, match="hidden_size"):
        charlm.char_model(7, 0, rng=0)


def test_bits_per_char_of_a_uniform_model_is_log2_of_the_vocabulary():
    model = charlm.char_model(8, 4, rng=1)
    model.readout.W.value[:] = 0.0
    model.readout.b.value[:] = 0.0
    X, Y = charlm.text_windows(np.arange(40) % 8, 5)
    assert charlm.bits_per_char(model, X, Y) == pytest.approx(3.0)
    with pytest.raises(ValueError, match="targets"):
        charlm.bits_per_char(model, X, Y[:, :-1])
    with pytest.raises(ValueError, match="targets"):
        charlm.bits_per_char(model, X, Y + 8)


def test_training_learns_a_repeating_text():
    vocab = charlm.Vocabulary("abcd")
    ids = vocab.encode("abcd" * 60)
    X, Y = charlm.text_windows(ids, 8)
    model = charlm.char_model(vocab.size, 8, rng=0, forget_bias=1.0)
    before = charlm.bits_per_char(model, X, Y)
    history = charlm.train_char_model(model, X, Y, rng=0, epochs=40, batch_size=10, lr=0.05)
    after = charlm.bits_per_char(model, X, Y)
    assert before > 1.5 and after < 0.3 < before
    assert len(history.losses) == 40 * 3 and not history.diverged
    # the first character of a window has no context; every later one is determined by its predecessor
    assert charlm.sample_text(model, vocab, "ab", 10, 0.1, rng=0) == "cdabcdabcd"
    with pytest.raises(ValueError, match="inputs and targets"):
        charlm.train_char_model(model, X, Y[:, 1:], rng=0)


# ---------------------------------------------------------------------------------------------------
# Temperature and sampling
# ---------------------------------------------------------------------------------------------------
def test_temperature_softmax_limits():
    z = np.array([2.0, 1.0, -0.5, 1.9])
    assert np.allclose(charlm.temperature_softmax(z, 1.0), softmax(z))
    cold = charlm.temperature_softmax(z, 1e-3)
    assert np.allclose(cold, np.eye(4)[np.argmax(z)])           # towards the argmax
    hot = charlm.temperature_softmax(z, 1e4)
    assert np.allclose(hot, 0.25, atol=1e-4)                     # towards uniform
    temps = [0.1, 0.3, 1.0, 3.0, 10.0]
    entropy = [-np.sum(p * np.log(p)) for p in (charlm.temperature_softmax(z, t) for t in temps)]
    top = [charlm.temperature_softmax(z, t)[0] for t in temps]
    assert np.all(np.diff(entropy) > 0) and np.all(np.diff(top) < 0)
    batch = charlm.temperature_softmax(np.stack([z, -z]), 0.5)
    assert batch.shape == (2, 4) and np.allclose(batch.sum(axis=1), 1.0)
    # the order of the probabilities never changes, only how sharp they are
    assert np.array_equal(np.argsort(charlm.temperature_softmax(z, 5.0)), np.argsort(z))


@pytest.mark.parametrize("bad", [0, 0.0, -1.0, float("nan"), float("inf"), "1", None, True])
def test_temperature_must_be_a_positive_number(bad):
    with pytest.raises(ValueError, match="temperature"):
        charlm.temperature_softmax(np.zeros(3), bad)
    model = charlm.char_model(3, 2, rng=0)
    with pytest.raises(ValueError, match="temperature"):
        charlm.sample_text(model, charlm.Vocabulary("abc"), "a", 5, bad, rng=0)


def test_temperature_softmax_bad_logits():
    with pytest.raises(ValueError, match="logits"):
        charlm.temperature_softmax(np.array([1.0, np.nan]), 1.0)
    with pytest.raises(ValueError, match="logits"):
        charlm.temperature_softmax(np.float64(1.0), 1.0)


def _greedy(model, vocab, prompt, length):
    """Argmax decoding, written out step by step with the layer's own state."""
    V = vocab.size
    logits, (rcache, _) = model.forward(one_hot(vocab.encode(prompt)[None], V))
    state, out = rcache["final_state"], []
    for _ in range(length):
        k = int(np.argmax(logits[0, -1]))
        out.append(k)
        logits, (rcache, _) = model.forward(one_hot(np.array([[k]]), V), state)
        state = rcache["final_state"]
    return vocab.decode(out)


def test_sampling_is_reproducible_and_a_low_temperature_gives_the_argmax_text():
    vocab = charlm.Vocabulary("abcdefgh ")
    model = charlm.char_model(vocab.size, 6, rng=3)
    model.readout.W.value *= 20                                 # distinct, confident logits
    a = charlm.sample_text(model, vocab, "ab", 40, 1.0, np.random.default_rng(5))
    b = charlm.sample_text(model, vocab, "ab", 40, 1.0, np.random.default_rng(5))
    c = charlm.sample_text(model, vocab, "ab", 40, 1.0, np.random.default_rng(6))
    assert a == b and a != c and len(a) == 40 and set(a) <= set(vocab.chars)
    greedy = _greedy(model, vocab, "ab", 40)
    assert charlm.sample_text(model, vocab, "ab", 40, 1e-6, rng=7) == greedy
    assert charlm.sample_text(model, vocab, "ab", 40, 1e-6, rng=8) == greedy   # the seed no longer matters
    hot = charlm.sample_text(model, vocab, "ab", 40, 50.0, rng=7)
    assert sum(x == y for x, y in zip(hot, greedy)) < 20      # near uniform: far from the argmax text


def test_sampling_draws_from_the_softmax_at_temperature_one():
    # a model whose logits ignore the input: every draw comes from the same distribution
    vocab = charlm.Vocabulary("abc")
    model = charlm.char_model(3, 2, rng=0)
    model.readout.W.value[:] = 0.0
    model.readout.b.value[:] = [np.log(0.6), np.log(0.3), np.log(0.1)]
    text = charlm.sample_text(model, vocab, "a", 6000, 1.0, rng=11)
    freq = np.bincount(vocab.encode(text), minlength=3) / 6000
    assert np.allclose(freq, [0.6, 0.3, 0.1], atol=0.02)
    sharp = charlm.sample_text(model, vocab, "a", 6000, 0.5, rng=11)
    p = np.array([0.36, 0.09, 0.01]) / 0.46                     # (0.6, 0.3, 0.1) ** 2, normalised
    assert np.allclose(np.bincount(vocab.encode(sharp), minlength=3) / 6000, p, atol=0.02)


def test_sample_text_bad_input():
    vocab = charlm.Vocabulary("abc")
    model = charlm.char_model(3, 2, rng=0)
    with pytest.raises(ValueError, match="prompt"):
        charlm.sample_text(model, vocab, "", 5, 1.0, rng=0)
    with pytest.raises(ValueError, match="'z'"):
        charlm.sample_text(model, vocab, "az", 5, 1.0, rng=0)
    with pytest.raises(ValueError, match="length"):
        charlm.sample_text(model, vocab, "a", 0, 1.0, rng=0)
    with pytest.raises(ValueError, match="vocab"):
        charlm.sample_text(model, charlm.Vocabulary("abcd"), "a", 5, 1.0, rng=0)
    with pytest.raises(ValueError, match="vocab"):
        charlm.sample_text(model, "abc", "a", 5, 1.0, rng=0)
    with pytest.raises(ValueError, match="rng"):
        charlm.sample_text(model, vocab, "a", 5, 1.0, rng=None)


def test_words_and_known_word_share():
    assert charlm.words("Feed'st thy light's flame, 'tis") == ["feed'st", "thy", "light's", "flame", "tis"]
    text = "From fairest creatures we desire increase"
    assert charlm.known_word_share("from FAIREST crebtures", text) == pytest.approx(2 / 3)
    assert charlm.known_word_share("we we we zz", text) == pytest.approx(0.75)
    with pytest.raises(ValueError, match="sample"):
        charlm.known_word_share("  , ; 12", text)
    with pytest.raises(ValueError, match="text"):
        charlm.words(None)
