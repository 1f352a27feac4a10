"""A character-level language model (syllabus 2.4.2): read text one character at a time, predict the next.

* :func:`load_sonnets` -- Shakespeare's Sonnets I-XLIX (public domain), shipped with the package
  (``data/sonnets-1-49.txt``; source and licence in ``data/LICENSE-text.txt``), so nothing is downloaded.
* :class:`Vocabulary` -- the characters of a text, each given an integer; ``encode`` and ``decode``.
* :func:`text_windows` -- training pairs: a window of characters and the same window shifted by one, so the
  target at every step is the character that follows.
* :func:`char_model` -- a :class:`~lessons_lib.seq2seq.SequenceToSequence` wiring (LSTM or GRU, a Dense
  readout at every step) whose inputs are one-hot characters and whose outputs are next-character logits;
  :func:`train_char_model` trains it with :func:`~lessons_lib.seq2seq.train_sequence_model` (softmax
  cross-entropy, Adam).
* :func:`bits_per_char` and :func:`unigram_entropy` -- the model's loss in bits per character and the
  loss of the best model that ignores context (the letter frequencies).
* :func:`temperature_softmax` and :func:`sample_text` -- generate text, one drawn character at a time, with
  the logits divided by a temperature before the softmax.
* :func:`known_word_share` -- a crude measure of generated text: the share of its words that occur in
  the training text.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import numpy as np

from ._validation import check_positive, check_positive_int, check_rng
from .activations import log_softmax, softmax
from .seq2seq import SequenceToSequence, train_sequence_model
from .sequences import one_hot

__all__ = ["load_sonnets", "Vocabulary", "text_windows", "unigram_entropy", "char_model", "train_char_model",
           "bits_per_char", "temperature_softmax", "sample_text", "words", "known_word_share"]

_SONNETS_FILE = "sonnets-1-49.txt"
_LN2 = float(np.log(2.0))


@functools.lru_cache(maxsize=1)
def load_sonnets() -> str:
    """Shakespeare's Sonnets I to XLIX with their title, 30,773 ASCII characters, lines ending in ``"\\n"``.

    The text is in the public domain; this copy comes from the Open Shakespeare package (see
    ``lessons_lib/data/LICENSE-text.txt``). It ships inside ``lessons_lib``: no download.
    """
    return resources.files("lessons_lib").joinpath("data").joinpath(_SONNETS_FILE).read_text(encoding="ascii")


class Vocabulary:
    """The distinct characters of a text, sorted, with integer codes ``0 .. size - 1``.

    Parameters
    ----------
    text : str
        Every character that :meth:`encode` will meet must occur in it.
    """

    def __init__(self, text: str):
        if not isinstance(text, str) or not text:
            raise ValueError(f"text must be a non-empty string, got {text!r:.40}")
        self.chars = "".join(sorted(set(text)))
        self._index = {ch: i for i, ch in enumerate(self.chars)}

    @property
    def size(self) -> int:
        return len(self.chars)

    def __len__(self) -> int:
        return self.size

    def __repr__(self) -> str:
        return f"Vocabulary({self.size} characters: {self.chars!r})"

    def encode(self, text: str) -> np.ndarray:
        """The codes of the characters of ``text``, an int64 array of shape ``(len(text),)``."""
        if not isinstance(text, str):
            raise ValueError(f"text must be a string, got {type(text).__name__}")
        try:
            return np.array([self._index[ch] for ch in text], dtype=np.int64)
        except KeyError as exc:
            raise ValueError(f"text contains the character {exc.args[0]!r}, which is not in the "
                             f"vocabulary") from None

    def decode(self, ids) -> str:
        """The string whose codes are ``ids`` (a 1-D sequence of integers in ``[0, size)``)."""
        ids = np.asarray(ids)
        if ids.ndim != 1 or (ids.size and ids.dtype.kind not in "iu"):
            raise ValueError(f"ids must be a 1-D sequence of integer codes, got shape {ids.shape}, "
                             f"dtype {ids.dtype}")
        if ids.size and (ids.min() < 0 or ids.max() >= self.size):
            raise ValueError(f"ids must lie in [0, {self.size}), got values from {ids.min()} to {ids.max()}")
        return "".join(self.chars[i] for i in ids.tolist())


def _check_ids(ids, name: str = "ids") -> np.ndarray:
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        raise ValueError(f"{name} must be a 1-D array of integer codes, got shape {ids.shape}, dtype {ids.dtype}")
    if ids.size and ids.min() < 0:
        raise ValueError(f"{name} must hold non-negative codes, got {ids.min()}")
    return ids.astype(np.int64, copy=False)


def text_windows(ids, length: int, stride: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Windows of ``length`` codes and, for each, the window shifted one character on.

    Window ``n`` starts at ``n * stride`` (default ``stride = length``: windows that do not overlap).
    Returns ``inputs`` and ``targets``, both int64 of shape ``(N, length)``, with
    ``targets[n, t] == ids[n * stride + t + 1]``: the character that follows ``inputs[n, t]``.
    """
    ids = _check_ids(ids)
    length = check_positive_int(length, "length")
    stride = length if stride is None else check_positive_int(stride, "stride")
    if ids.size < length + 1:
        raise ValueError(f"length must be smaller than the text ({ids.size} codes), got {length}")
    starts = np.arange(0, ids.size - length, stride)
    offsets = starts[:, None] + np.arange(length)
    return ids[offsets], ids[offsets + 1]


def unigram_entropy(ids, vocab_size: int | None = None) -> float:
    """Entropy of the character frequencies of ``ids``, in bits per character.

    It is the cross-entropy, on the same text, of the best model that ignores context and always predicts
    the text's own letter frequencies. ``vocab_size`` only checks that every code is below it.
    """
    ids = _check_ids(ids)
    if ids.size == 0:
        raise ValueError("ids must not be empty")
    if vocab_size is not None and ids.max() >= check_positive_int(vocab_size, "vocab_size"):
        raise ValueError(f"ids must lie in [0, vocab_size={vocab_size}), got the code {ids.max()}")
    p = np.bincount(ids) / ids.size
    p = p[p > 0]
    return float(-np.sum(p * np.log2(p)))


def char_model(vocab_size: int, hidden_size: int, rng, cell: str = "lstm",
               forget_bias: float | None = None) -> SequenceToSequence:
    """A recurrent layer (``"lstm"`` or ``"gru"``) and a Dense readout: one-hot characters in, logits out.

    ``forget_bias`` (LSTM only) starts the forget gate near ``sigmoid(forget_bias)`` instead of PyTorch's
    default initialisation (``None``).
    """
    vocab_size = check_positive_int(vocab_size, "vocab_size", minimum=2)
    hidden_size = check_positive_int(hidden_size, "hidden_size")
    model = SequenceToSequence(vocab_size, hidden_size, vocab_size, check_rng(rng), cell=cell)
    if forget_bias is not None:
        if cell.lower() != "lstm":
            raise ValueError(f"forget_bias is for the LSTM's forget gate; cell={cell!r} has none (use None)")
        value = float(forget_bias)
        if not np.isfinite(value):
            raise ValueError(f"forget_bias must be a finite number or None, got {forget_bias!r}")
        H = hidden_size
        model.recurrent.b_x.value[H:2 * H] = value
        model.recurrent.b_h.value[H:2 * H] = 0.0
    return model


def _vocab_size(model: SequenceToSequence) -> int:
    return model.readout.out_features


def train_char_model(model: SequenceToSequence, inputs, targets, *, rng, epochs: int = 10,
                     batch_size: int = 32, lr: float = 0.02, clip: float | None = None):
    """Train ``model`` to predict ``targets`` (next characters) from ``inputs`` (codes, ``(N, T)``).

    The inputs are one-hot encoded and passed to :func:`~lessons_lib.seq2seq.train_sequence_model` with the
    softmax cross-entropy over every (window, step). Returns its
    :class:`~lessons_lib.seq2seq.History`; its losses are in nats (divide by ``ln 2`` for bits).
    """
    V = _vocab_size(model)
    inputs, targets = np.asarray(inputs), np.asarray(targets)
    if inputs.ndim != 2 or inputs.shape != targets.shape:
        raise ValueError(f"inputs and targets must be code arrays of the same shape (N, T), got {inputs.shape} "
                         f"and {targets.shape}")
    return train_sequence_model(model, one_hot(inputs, V), targets, "cross_entropy", rng=rng, epochs=epochs,
                                batch_size=batch_size, lr=lr, clip=clip)


def bits_per_char(model: SequenceToSequence, inputs, targets) -> float:
    """Mean cross-entropy of the model's next-character predictions, in bits per character.

    Each window starts from a zero state. Guessing uniformly among ``V`` characters costs ``log2 V`` bits.
    """
    V = _vocab_size(model)
    inputs, targets = np.asarray(inputs), np.asarray(targets)
    if inputs.ndim != 2 or inputs.shape != targets.shape:
        raise ValueError(f"inputs and targets must be code arrays of the same shape (N, T), got {inputs.shape} "
                         f"and {targets.shape}")
    logits, _ = model.forward(one_hot(inputs, V))
    logp = log_softmax(logits, axis=-1)
    if targets.dtype.kind not in "iu" or targets.min() < 0 or targets.max() >= V:
        raise ValueError(f"targets must be integer codes in [0, {V}), got {targets.dtype} values")
    picked = np.take_along_axis(logp, targets[..., None], axis=-1)
    return float(-np.mean(picked) / _LN2)


def temperature_softmax(logits, temperature: float = 1.0) -> np.ndarray:
    """``softmax(logits / temperature)`` along the last axis.

    ``temperature = 1`` gives the model's own probabilities. Below 1 the differences between logits are
    magnified, so the most likely character takes more of the probability (towards the argmax as the
    temperature goes to 0); above 1 they are shrunk, so the distribution flattens (towards uniform).
    """
    temperature = check_positive(temperature, "temperature")
    z = np.asarray(logits, dtype=np.float64)
    if z.ndim == 0 or z.shape[-1] == 0 or not np.all(np.isfinite(z)):
        raise ValueError(f"logits must be a non-empty array of finite numbers, got shape {z.shape}")
    return softmax(z / temperature, axis=-1)


def sample_text(model: SequenceToSequence, vocab: Vocabulary, prompt: str, length: int, temperature: float,
                rng) -> str:
    """Generate ``length`` characters after ``prompt``, each drawn from the model's temperature softmax.

    The model reads the prompt, then draws a character from ``temperature_softmax(logits, temperature)``,
    reads that character, draws the next, and so on; the state is carried from step to step. A draw takes
    one ``rng.random()`` value ``u`` and picks the first character whose cumulative probability exceeds
    ``u``, so the same ``rng`` state gives the same text. Returns the generated characters (without the
    prompt).
    """
    if not isinstance(vocab, Vocabulary):
        raise ValueError(f"vocab must be a Vocabulary, got {type(vocab).__name__}")
    V = _vocab_size(model)
    if vocab.size != V:
        raise ValueError(f"vocab has {vocab.size} characters but the model predicts {V}")
    if not isinstance(prompt, str) or not prompt:
        raise ValueError("prompt must be a non-empty string (the model needs something to read first)")
    length = check_positive_int(length, "length")
    temperature = check_positive(temperature, "temperature")
    rng = check_rng(rng)
    codes = vocab.encode(prompt)
    logits, (rcache, _) = model.forward(one_hot(codes[None, :], V))
    state, last = rcache["final_state"], logits[0, -1]
    out = np.empty(length, dtype=np.int64)
    for t in range(length):
        cdf = np.cumsum(temperature_softmax(last, temperature))
        k = int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"))
        out[t] = k = min(k, V - 1)
        logits, (rcache, _) = model.forward(one_hot(np.array([[k]]), V), state)
        state, last = rcache["final_state"], logits[0, -1]
    return vocab.decode(out)


_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased: runs of letters, with apostrophes inside a word kept
    (``"Feed'st"`` -> ``"feed'st"``) and those at either end dropped."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    return _WORD.findall(text.lower())


def known_word_share(sample: str, text: str) -> float:
    """The share of the words of ``sample`` (with repeats) that also occur somewhere in ``text``.

    It says nothing about grammar or sense; it only tells spelled words from invented ones.
    """
    sample_words = words(sample)
    if not sample_words:
        raise ValueError("sample must contain at least one word")
    known = set(words(text))
    return sum(w in known for w in sample_words) / len(sample_words)
