"""Checks of the exercises of section 2.4.2, the LSTM: the memory road's factor over 49 steps, the set-ups
of the first-value runs, and a temperature softmax that does not overflow.

The references are computed with :mod:`lessons_lib`: the gate values with
:func:`~lessons_lib.activations.sigmoid`, the measured gradient with
:func:`~lessons_lib.through_time.compare_gradient_flow`, the training set-ups from the signature of
:func:`~lessons_lib.views.lstm.train_marked_value_runs` and the probabilities with
:func:`~lessons_lib.charlm.temperature_softmax`. The helpers ``_gate_products`` and ``_measured_share``
also serve section 2.4.3's check of the GRU's update gate.
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

from ..activations import sigmoid
from ..charlm import temperature_softmax
from ..through_time import compare_gradient_flow
from ..views.lstm import MarkedValueRuns, train_marked_value_runs
from ._core import (
    InvalidAnswer,
    call_answer,
    correct,
    describe,
    exercise,
    expect_array,
    expect_instance,
    expect_number,
    fmt,
    wrong,
    wrong_parts,
)

__all__ = ["memory_road", "first_value_setups", "softmax_with_temperature"]

# Exercise 1: the forget-gate biases, the distance and the measurement of the page (seed 2_4_2, 50 steps).
EX1_BIASES = (0.0, 1.0, 3.0, 5.0)
STEPS_BACK = 49
EX1_SEED, EX1_MEASURED_BIAS = 2_4_2, 5.0
# Exercise 3: the seeds, epochs and thresholds of the marked-value runs of the page.
EX3_SEEDS, EX3_BIAS = tuple(range(10)), 2.0
# Exercise 4: logits and temperatures at which a student's softmax is compared with the library's.
EX4_LOGITS = (np.array([2.0, 1.0, 0.0]), np.array([3.5, -1.0, 0.25, 3.0, -7.0, 1.5]))
EX4_TEMPERATURES = (0.001, 0.01, 0.25, 1.0, 1.5, 1000.0)


# ---- helpers shared with section 2.4.3 ----------------------------------------------------------------------


def _gate_products(biases, steps: int = STEPS_BACK) -> np.ndarray:
    """sigma(b) ** steps for every bias: the factor of the memory road with every keep gate at sigma(b)."""
    return sigmoid(np.asarray(biases, dtype=float)) ** steps


@functools.lru_cache(maxsize=32)
def _measured_share(cell: str, bias: float | None, seed: int) -> float:
    """The share of the gradient left 49 steps back, ||dL/dh_0|| / ||dL/dh_49||, as the page measures it."""
    norms = compare_gradient_flow(seq_len=STEPS_BACK + 1, rng=seed, keep_gate_bias=bias, cells=(cell,))[cell]
    return float(norms[0] / norms[-1])


def _near(answer: float, ref: float) -> bool:
    """Right to the precision the book writes such a factor in: within 15% for numbers far below 0.01
    (2e-15 for 1.8e-15), within 6% otherwise (0.09 for 0.0946)."""
    if ref <= 0:
        return abs(answer - ref) < 1e-12
    return abs(answer - ref) <= (0.15 if ref < 0.01 else 0.06) * ref


def _products_answer(factors, biases, name: str) -> np.ndarray:
    """The student's factors as an array in the order of ``biases``; a dict keyed by the biases is fine."""
    if isinstance(factors, dict):
        keys = {float(k): v for k, v in factors.items() if isinstance(k, (int, float, np.integer, np.floating))}
        if sorted(keys) != sorted(float(b) for b in biases):
            raise InvalidAnswer(f"{name} as a dict should have the biases {', '.join(fmt(b) for b in biases)} "
                                f"as keys; got the keys {list(factors)}.")
        factors = [keys[float(b)] for b in biases]
    example = "np.array([" + ", ".join("..." for _ in biases) + "])"
    return expect_array(factors, name, shape=(len(biases),), example=f"{example}, one factor per bias")


def _products_problem(answer: np.ndarray, biases, name: str) -> str | None:
    """What is wrong with a student's sigma(b)**49 (None if it is right), with a hint for each usual slip."""
    biases = np.asarray(biases, dtype=float)
    ref = _gate_products(biases)
    if all(_near(a, r) for a, r in zip(answer, ref)):
        return None
    s = sigmoid(biases)
    both = lambda values: all(_near(a, r) for a, r in zip(answer, values))  # noqa: E731
    label = ", ".join(f"b = {fmt(b)}" for b in biases)
    if both(ref[::-1]):
        return f"{name}: your numbers are in reverse order; give them for {label}, in that order."
    if both(s ** (STEPS_BACK + 1)) or both(s ** (STEPS_BACK - 1)):
        return (f"{name}: count the factors again. From the last step back to the first the gradient crosses "
                f"{STEPS_BACK} steps, so {STEPS_BACK} gates (look at b = 0, where one factor more or less "
                "halves or doubles the result).")
    if both((1 - s) ** STEPS_BACK):
        return (f"{name}: you used 1 − σ(b), the share a gate lets go. The gate that keeps the old state is "
                "σ(b) itself: a large positive bias keeps almost everything.")
    if both(s):
        return f"{name}: that is the factor of a single step; over {STEPS_BACK} steps the factors multiply."
    if both(s * STEPS_BACK):
        return (f"{name}: the {STEPS_BACK} factors multiply each other, so the result is a power of σ(b), not "
                f"σ(b) times {STEPS_BACK}.")
    if np.any(answer > 1):
        return (f"{name}: a factor above 1 would make the gradient grow; every gate value σ(b) lies between 0 "
                "and 1, and so does any product of them.")
    return (f"{name}: with every gate at σ(b) = 1 / (1 + e^(−b)), the gradient is multiplied by σ(b) at each "
            f"of the {STEPS_BACK} steps.")


def _measured_problem(answer: float, ref: float, cell: str, bias: float, seed: int, products: dict,
                      name: str) -> str | None:
    """What is wrong with a measured share of the gradient 49 steps back (None if it is right)."""
    if abs(answer - ref) <= 0.12 * ref:
        return None
    call = (f"compare_gradient_flow(seq_len=50, rng={'_'.join(str(seed))}, keep_gate_bias={float(bias)!r}, "
            f'cells=("{cell}",))')
    if ref > 0 and abs(answer * ref - 1) <= 0.12:
        return (f"{name}: that is the ratio upside down, the last step divided by the first. The share left "
                "49 steps back is norms[0] / norms[-1], the first step over the last.")
    if abs(answer - 1) < 1e-9:
        return (f"{name}: 1 is the share at the loss's own step; 49 steps back from it is step 0, the first "
                "entry of the curve.")
    if abs(answer - products[bias]) <= 0.02 * products[bias] and abs(products[bias] - ref) > 0.12 * ref:
        return f"{name}: that is σ({fmt(bias)})^49, the product of the gates; run {call} to measure it."
    for other, value in products.get("measured", {}).items():
        if abs(answer - value) <= 0.02 * value:
            return f"{name}: that is the measurement for keep_gate_bias={fmt(other)}; this part asks for {fmt(bias)}."
    return (f"{name}: run {call}, and divide the first entry of its curve (step 0) by the last (the step of "
            "the loss).")


# ---- exercise 1 ---------------------------------------------------------------------------------------------


@exercise(1)
def memory_road(factors, measured_b5):
    """Exercise 1 of 2.4.2: ``factors``, the factor sigma(b)**49 by which the memory road scales the gradient
    over 49 steps for the forget-gate biases b = 0, 1, 3 and 5 (four numbers, in that order), and
    ``measured_b5``, the share of the LSTM's gradient left 49 steps back with ``keep_gate_bias=5.0``,
    measured with ``compare_gradient_flow(seq_len=50, rng=2_4_2, keep_gate_bias=5.0, cells=("LSTM",))``."""
    answer = _products_answer(factors, EX1_BIASES, "factors")
    measured = expect_number(measured_b5, "measured_b5")
    if measured < 0:
        raise InvalidAnswer(f"measured_b5 should be a share of a gradient's size, at least 0; got {fmt(measured)}.")
    ref_products = _gate_products(EX1_BIASES)
    ref_measured = _measured_share("LSTM", EX1_MEASURED_BIAS, EX1_SEED)
    known = {EX1_MEASURED_BIAS: float(_gate_products([EX1_MEASURED_BIAS])[0]),
             "measured": {3.0: _measured_share("LSTM", 3.0, EX1_SEED)}}
    problems = [p for p in (
        _products_problem(answer, EX1_BIASES, "factors"),
        _measured_problem(measured, ref_measured, "LSTM", EX1_MEASURED_BIAS, EX1_SEED, known, "measured_b5"),
    ) if p]
    if problems:
        return wrong_parts(problems, 2)
    return correct(f"σ(b)^49 is {', '.join(fmt(v, 2) for v in ref_products)} for b = 0, 1, 3, 5, and the "
                   f"LSTM with b = 5 keeps {fmt(ref_measured, 2)} of its gradient 49 steps back, far less than "
                   f"the {fmt(ref_products[-1], 2)} of the gates alone. Where does the rest go? Look at the "
                   "first drop of the curves in the figure.")


# ---- exercise 3 ---------------------------------------------------------------------------------------------

_PARAMETERS = inspect.signature(train_marked_value_runs).parameters
_DEFAULTS = {k: p.default for k, p in _PARAMETERS.items()}
# The three set-ups of the exercise: the page's runs (seeds 0-9, 30 epochs, ...) on the first-value task.
_SETUPS = {"first_bias": {"cell": "lstm", "forget_bias": EX3_BIAS, "first_only": True},
           "first_default": {"cell": "lstm", "forget_bias": None, "first_only": True},
           "first_rnn": {"cell": "rnn", "forget_bias": None, "first_only": True}}
_WHAT = {"first_bias": "an LSTM with forget_bias=2.0", "first_default": "an LSTM at the default initialisation",
         "first_rnn": 'a simple RNN, cell="rnn"'}


def _setup(value, name: str) -> dict:
    """The full settings of a run of train_marked_value_runs(**value): the student's keywords over the defaults."""
    if isinstance(value, MarkedValueRuns):
        raise InvalidAnswer(f"{name} should be the keyword arguments of the runs, a dict like "
                            f"dict(first_only=True, ...), not their result: the check reads the set-up, so that "
                            "it need not train.")
    expect_instance(value, dict, name, "a dict of keyword arguments of train_marked_value_runs, like "
                                       "dict(first_only=True, ...)")
    unknown = [k for k in value if k not in _PARAMETERS]
    if unknown:
        raise InvalidAnswer(f"{name}: train_marked_value_runs has no argument {', '.join(map(repr, unknown))}; "
                            f"its arguments are {', '.join(_PARAMETERS)}.")
    settings = {**_DEFAULTS, **value}
    try:
        settings["seeds"] = tuple(int(s) for s in settings["seeds"])
    except (TypeError, ValueError):
        raise InvalidAnswer(f"{name}: seeds should be whole numbers, like range(10); got "
                            f"{describe(settings['seeds'])}.") from None
    settings["cell"] = str(settings["cell"]).lower()
    return settings


def _setup_problems(settings: dict, name: str) -> list[str]:
    """The ways the set-up ``settings`` differs from the exercise's set-up ``name``, each with its hint."""
    want = {**_DEFAULTS, "seeds": EX3_SEEDS, **_SETUPS[name]}
    problems = []
    if not settings["first_only"]:
        problems.append(f"{name}: without first_only=True the markers sit anywhere in the first half, and this is "
                        "the marked-value task again.")
    if settings["cell"] != want["cell"]:
        problems.append(f"{name}: cell={settings['cell']!r}; this group is {_WHAT[name]}.")
    bias, want_bias = settings["forget_bias"], want["forget_bias"]
    if settings["cell"] == "lstm" and bias != want_bias:
        if want_bias is None and bias == 0:
            problems.append(f"{name}: forget_bias=0.0 sets the forget gate's biases to exactly 0, which is not "
                            "PyTorch's default initialisation (small random biases); leave forget_bias out.")
        elif want_bias is None:
            problems.append(f"{name}: this group runs at the default initialisation: leave forget_bias out "
                            "(None).")
        elif bias is None:
            problems.append(f"{name}: this group starts the forget gate open, with forget_bias=2.0 as on the page.")
        else:
            problems.append(f"{name}: forget_bias={bias!r}; the page's runs use 2.0, and the counts only compare "
                            "with its table if the bias is the same.")
    elif settings["cell"] != "lstm" and bias is not None:
        problems.append(f"{name}: cell={settings['cell']!r} has no forget gate, so forget_bias must stay None "
                        "(train_marked_value_runs refuses it).")
    if settings["seeds"] != want["seeds"]:
        problems.append(f"{name}: seeds {list(settings['seeds'])}; use the page's ten, range(10), so that run k of "
                        "every group learns from the same data as run k of the marked-value table.")
    others = [k for k in ("seq_len", "hidden_size", "n", "epochs", "lr") if settings[k] != want[k]]
    if others:
        page = ", ".join(f"{k}={want[k]!r}" for k in others)
        problems.append(f"{name}: keep the page's settings ({page}) so that the only change is the task.")
    return problems


@exercise(3)
def first_value_setups(first_bias, first_default, first_rnn):
    """Exercise 3 of 2.4.2: the keyword arguments of train_marked_value_runs for the three groups of ten runs
    on the first-value task (seeds 0-9): ``first_bias``, an LSTM with forget bias 2; ``first_default``, an LSTM
    at the default initialisation; ``first_rnn``, a simple RNN."""
    answers = {"first_bias": first_bias, "first_default": first_default, "first_rnn": first_rnn}
    settings = {name: _setup(value, name) for name, value in answers.items()}
    lstms = settings["first_bias"]["cell"] == settings["first_default"]["cell"] == "lstm"
    if lstms and (settings["first_bias"]["forget_bias"], settings["first_default"]["forget_bias"]) == (None, EX3_BIAS):
        return wrong("first_bias and first_default are swapped: first_bias starts the forget gate open "
                     "(forget_bias=2.0), first_default leaves it at PyTorch's initialisation.")
    problems = {name: _setup_problems(s, name) for name, s in settings.items()}
    wrong_names = [name for name, lines in problems.items() if lines]
    if wrong_names:
        lines = [line for name in wrong_names for line in problems[name]]
        which = "all 3 answers need" if len(wrong_names) == 3 else (
            f"{len(wrong_names)} of the 3 answers {'needs' if len(wrong_names) == 1 else 'need'}")
        return wrong(f"{which} another look.\n- " + "\n- ".join(lines))
    return correct("three groups of the page's ten runs on the first-value task. Train each with "
                   "train_marked_value_runs(**first_bias) and so on (a few seconds per group), count the runs "
                   "below 0.01 and below 0.1 with count(runs.final, 0.01), and compare with the table above.")


# ---- exercise 4 ---------------------------------------------------------------------------------------------


@exercise(4)
def softmax_with_temperature(softmax_T):
    """Exercise 4 of 2.4.2: ``softmax_T(z, T)``, a function of a 1-D array of logits ``z`` and a temperature
    ``T > 0`` that returns the probabilities softmax(z / T), finite for T from 0.001 to 1000."""
    if not callable(softmax_T):
        raise InvalidAnswer(f"softmax_T should be a function of (z, T), like def softmax_T(z, T): ...; got "
                            f"{describe(softmax_T)}.")
    for z in EX4_LOGITS:
        for T in EX4_TEMPERATURES:
            ref = temperature_softmax(z, T)
            raw = call_answer(softmax_T, z.copy(), T, name="softmax_T")
            if raw is None or isinstance(raw, (str, bytes, dict)) or callable(raw):
                raise InvalidAnswer(f"softmax_T should return an array of probabilities; it returned "
                                    f"{describe(raw)}.")
            try:
                got = np.asarray(raw, dtype=float)
            except (TypeError, ValueError):
                raise InvalidAnswer(f"softmax_T should return an array of probabilities; it returned "
                                    f"{describe(raw)}.") from None
            if got.shape != ref.shape:
                raise InvalidAnswer(f"softmax_T(z, T) should return one probability per logit, shape "
                                    f"{ref.shape} for z of shape {z.shape}; it returned shape {got.shape}.")
            if np.allclose(got, ref, rtol=1e-6, atol=1e-12):
                continue
            where = f"for z = {fmt(z)} and T = {fmt(T)}"
            if np.allclose(np.exp(got), ref, rtol=1e-6, atol=1e-12):
                return wrong(f"{where} you return log-probabilities; the exercise asks for the probabilities "
                             "themselves.")
            if not np.all(np.isfinite(got)):
                return wrong(f"{where} your function returns {fmt(got, 3)}: e^(z/T) overflows when T is small "
                             "(e^(2/0.001) is far beyond what a float holds). Divide numerator and denominator by "
                             "e^(z_max/T), the first step of the limit in this exercise: no exponent is then "
                             "positive.")
            if np.allclose(got, temperature_softmax(z, 1 / T), rtol=1e-6, atol=1e-12):
                return wrong(f"{where} your probabilities are those of z · T. The temperature divides the "
                             "logits, so a small T stretches the gaps between them.")
            if np.allclose(got, temperature_softmax(-z, T), rtol=1e-6, atol=1e-12):
                return wrong(f"{where} your function prefers the smallest logit: check the sign in the "
                             "exponent, e^(+z/T).")
            if np.allclose(got, temperature_softmax(z, 1.0), rtol=1e-6, atol=1e-12):
                return wrong(f"{where} you get the same probabilities as at T = 1: the temperature is not "
                             "used. Divide the logits by T before the exponential.")
            total = float(np.sum(got))
            if abs(total - 1) > 1e-6:
                return wrong(f"{where} your probabilities add up to {fmt(total)}, not 1: divide each "
                             "e^(z_k/T) by the sum over all k.")
            return wrong(f"{where} you return {fmt(got, 3)}. Compute e^((z_k − z_max)/T) for every k and "
                         "divide by their sum.")
    return correct("your softmax_T matches charlm.temperature_softmax from T = 0.001 (the argmax) to T = 1000 "
                   "(an even spread). The shift by z_max is the step of the limit that makes it safe.")
