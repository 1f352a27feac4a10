"""Checks of the exercises of section 2.3.5, learning rate and optimizer: the ravine's learning rates,
Adam's first step, and weight decay with Adam and AdamW.

The references are computed with :mod:`lessons_lib`: the curvatures of the ravine from the gradient of its
surface in :mod:`lessons_lib.views.learning_rate`, Adam's first step and the weight-decay runs with the
optimizers of :mod:`lessons_lib.optimizers`.
"""

from __future__ import annotations

import numpy as np

from ..optimizers import Adam, AdamW
from ..parameter import Parameter
from ..views.learning_rate import SURFACES
from ._core import InvalidAnswer, call_answer, correct, describe, exercise, expect_number, fmt, wrong, wrong_parts

__all__ = ["ravine_rates", "adam_first_step", "weight_decay_runs"]

# Exercise 1: plain gradient descent on the ravine J = (θ1² + 20 θ2²) / 2 of the optimizer race.
_RAVINE = SURFACES["ravine"]
# The rate at which momentum SGD (mu = 0.9) stops converging across the ravine, quoted in the text.
_MOMENTUM = 0.9
# Exercise 2: the gradients, learning rates and epsilons at which a student's first step is compared with
# Adam's: from gradients far below eps to large ones, and an eps large enough to show where it goes.
_GRADIENTS = np.array([250.0, 10.0, -3.0, 0.5, -1e-3, 1e-6, -3e-8, 1e-8, 1e-9, 0.0])
_SETTINGS = ((0.1, 1e-8), (0.01, 1e-8), (0.1, 1e-3))
# Exercise 3: 100 steps on a parameter whose loss gradient is 0, starting at 1, with lr = 0.01.
_STEPS, _LR, _START = 100, 0.01, 1.0
_BIG, _SMALL = 0.1, 0.001
# Answers with three significant digits (0.224, 0.905, 0.999) pass; 1.0 for 0.999 does not.
_ATOL = 6e-4


def _curvatures() -> np.ndarray:
    """The curvature of the ravine along each coordinate: the gradient is (a1 θ1, a2 θ2)."""
    return np.array([_RAVINE.gradient(1.0, 0.0)[0], _RAVINE.gradient(0.0, 1.0)[1]])


@exercise(1)
def ravine_rates(max_lr, best_lr):
    """Exercise 1 of 2.3.5: for plain gradient descent on the ravine J = (θ1² + 20 θ2²) / 2, the largest
    learning rate ``max_lr`` for which both coordinates converge, and the rate ``best_lr`` that the rule
    "half the maximum" recommends."""
    max_lr = expect_number(max_lr, "max_lr")
    best_lr = expect_number(best_lr, "best_lr")
    flat, steep = sorted(_curvatures())
    ref_max = 2 / steep
    ref_best = ref_max / 2

    problems = []
    if ref_max < max_lr <= 1.01 * ref_max:
        problems.append("max_lr: just above the limit: at that rate the factor 1 − α·a of the steep direction "
                        "is below −1, and θ₂ grows at every step.")
    elif not 0.99 * ref_max <= max_lr <= ref_max:
        hints = [
            (2 / flat, "max_lr: that is the limit of the flat direction θ₁. Both coordinates must converge, "
                       "and the steep one gives up first."),
            (1 / steep, "max_lr: at that rate θ₂ lands on its minimum in one step; the rate can grow further "
                        "before the factor 1 − α·a leaves the interval (−1, 1)."),
            (2 / (steep / 2), "max_lr: along θ₂ the gradient of ½·20·θ₂² is 20·θ₂, so the curvature is 20, "
                              "not 10 (the ½ cancels against the square's 2)."),
            (1 / flat, "max_lr: that rate is tuned to the flat direction θ₁; what does the factor "
                       "1 − α·a become for the steep one?"),
            (2 / (flat + steep), "max_lr: the coordinates do not share a step factor; each is its own "
                                 "parabola, with factor 1 − α·a for its own curvature a."),
            (2 * (1 + _MOMENTUM) / steep, "max_lr: that is the limit of momentum SGD; plain gradient "
                                          "descent has a smaller one."),
            (2 * steep, "max_lr: the rate divides the curvature, it does not multiply it: the factor is "
                        "1 − α·a, and it must stay between −1 and 1."),
            (steep / 2, "max_lr: the rate divides the curvature, it does not multiply it: the factor is "
                        "1 − α·a, and it must stay between −1 and 1."),
        ]
        problems.append(next((h for value, h in hints if np.isclose(max_lr, value, rtol=1e-3)),
                             "max_lr: each coordinate is its own parabola, with the step factor 1 − α·a. For "
                             "which rates does |1 − α·a| stay below 1 for both curvatures?"))
    if not abs(best_lr - ref_best) <= 0.01 * ref_best:
        if np.isclose(best_lr, max_lr, rtol=1e-3):
            problems.append("best_lr: you gave the maximum itself; the rule recommends half of it.")
        elif np.isclose(best_lr, max_lr / 2, rtol=1e-3):
            problems.append("best_lr: half of your max_lr, so the rule is right; fix max_lr first.")
        elif np.isclose(best_lr, 1 / flat, rtol=1e-3):
            problems.append("best_lr: that rate would be ideal for the flat direction alone, but it makes "
                            "the steep one diverge.")
        else:
            problems.append("best_lr: the rule takes half of the largest rate that converges.")
    if problems:
        return wrong_parts(problems, 2)
    return correct(f"the steep direction (curvature {fmt(steep)}) sets the limit 2/{fmt(steep)} = "
                   f"{fmt(ref_max)} (at exactly that rate θ₂ bounces forever; every smaller rate converges), "
                   f"and at {fmt(ref_best)} its factor 1 − α·{fmt(steep)} is 0. The flat "
                   f"direction then shrinks only by {fmt(1 - ref_best * flat)} per step: check it with "
                   "race_view, as the exercise suggests.")


def _adam_first_steps(lr: float, eps: float) -> np.ndarray:
    """The change of θ in the first step of lessons_lib's Adam, for each gradient of ``_GRADIENTS``."""
    theta = Parameter(np.zeros_like(_GRADIENTS))
    adam = Adam([theta], lr=lr, eps=eps)
    theta.grad[...] = _GRADIENTS
    adam.step()
    return theta.value.copy()


def _student_steps(first_step, lr: float, eps: float) -> np.ndarray:
    """The student's function on every gradient: on the whole array, or one gradient at a time."""
    try:
        got = np.asarray(first_step(_GRADIENTS.copy(), lr, eps), dtype=float)
        if got.shape == _GRADIENTS.shape:
            return got
    except Exception:  # noqa: BLE001 - a function written for single numbers; try those below
        pass
    values = []
    for g in _GRADIENTS:
        value = call_answer(first_step, float(g), lr, eps, name="first_step")
        if isinstance(value, np.ndarray) and value.size == 1:
            value = value.reshape(()).item()
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise InvalidAnswer(f"first_step(g, lr, eps) should return a number (or an array like g); "
                                f"for g = {fmt(g)} it returned {describe(value)}.")
        values.append(float(value))
    return np.array(values)


@exercise(2)
def adam_first_step(first_step):
    """Exercise 2 of 2.3.5: a function ``first_step(g, lr, eps)`` that returns the change of θ in Adam's
    first step, from m0 = v0 = 0 with the default betas, following (2.2)-(2.6)."""
    if not callable(first_step):
        raise InvalidAnswer(f"first_step should be a function of (g, lr, eps), like lambda g, lr, eps: ...; "
                            f"got {describe(first_step)}.")
    b1, b2 = Adam([Parameter(np.zeros(1))]).betas
    g = _GRADIENTS
    for lr, eps in _SETTINGS:
        ref = _adam_first_steps(lr, eps)
        got = _student_steps(first_step, lr, eps)
        if not np.all(np.isfinite(got)):
            k = int(np.flatnonzero(~np.isfinite(got))[0])
            why = ("(2.6) adds ε to √v̂ exactly so that the division is safe when a gradient is 0." if g[k] == 0
                   else "Look for a division by something that can be 0.")
            return wrong(f"for g = {fmt(g[k])} your step is {got[k]}, not a number. {why}")
        if np.allclose(got, ref, rtol=1e-6, atol=1e-15):
            continue
        a, where = np.abs(g), f"(with lr = {fmt(lr)}, eps = {fmt(eps)})"
        mistakes = [
            (-ref, "your step has the wrong sign: like gradient descent, Adam moves against the gradient, "
                   "θ ← θ − α·m̂/(√v̂ + ε)."),
            (-lr * g, "that is plain gradient descent, −α·g. Adam divides the averaged gradient m̂ by √v̂ + ε."),
            (-lr * (1 - b1) * g / (np.sqrt(1 - b2) * a + eps),
             "you used m₁ and v₁ without the bias corrections (2.4) and (2.5). Both averages start at 0, so "
             "after one step they are far too small, and by different factors."),
            (-lr * g / (np.sqrt(1 - b2) * a + eps),
             "you corrected m₁ with (2.4) but not v₁ with (2.5): √v₁ is √(1 − β₂) times too small, and the "
             "step about 30 times too large."),
            (-lr * (1 - b1) * g / (a + eps),
             "you corrected v₁ with (2.5) but not m₁ with (2.4): m₁ = (1 − β₁)·g is ten times too small."),
            (-lr * g / (g * g + eps), "(2.6) divides by the square root of v̂, not by v̂ itself."),
            (-lr * g / np.sqrt(g * g + eps),
             "ε goes outside the square root in (2.6): √v̂ + ε. Inside, it acts like √ε, which is far larger "
             "than ε, so your step is too small wherever |g| is not much larger than √ε."),
            (-lr * g / (a + eps / np.sqrt(1 - b2)),
             "that is the rearranged form of the Adam paper (and TensorFlow), which adds ε to √v₁ before "
             "the bias correction. This book, like PyTorch, adds ε to √v̂ in (2.6); the two differ only for "
             "gradients comparable to ε."),
            (_adam_first_steps(_SETTINGS[0][0], eps),
             f"your function ignores its argument lr {where}: the step is proportional to the learning rate."),
            (_adam_first_steps(lr, _SETTINGS[0][1]),
             f"your function ignores its argument eps {where}: it matters for gradients comparable to ε."),
            (-lr * np.sign(g), "away from zero your step is right, but for gradients as small as ε it is not: "
                               "(2.6) keeps ε in the denominator. Try g = ε."),
        ]
        for candidate, hint in mistakes:
            if np.allclose(got, candidate, rtol=1e-6, atol=1e-15):
                return wrong(hint)
        k = int(np.flatnonzero(~np.isclose(got, ref, rtol=1e-6, atol=1e-15))[0])
        return wrong(f"for g = {fmt(g[k])} {where} your first step is {fmt(got[k], 6)}, which is not what "
                     "Adam does. Start from m₀ = v₀ = 0 and apply (2.2)-(2.6) once with t = 1, one equation "
                     "at a time.")
    return correct("your function agrees with lessons_lib's Adam for gradients from 0 to 250 and three "
                   "settings of lr and eps: about −α·sign(g) whatever the size of g, and smaller only where "
                   "|g| is comparable to ε.")


def _decay_run(cls, lam: float) -> float:
    theta = Parameter(np.array([_START]))
    optimizer = cls([theta], lr=_LR, weight_decay=lam)
    for _ in range(_STEPS):
        theta.grad[...] = 0.0
        optimizer.step()
    return float(theta.value[0])


@exercise(3)
def weight_decay_runs(adam_big, adam_small, adamw_big, adamw_small):
    """Exercise 3 of 2.3.5: θ after 100 steps from θ = 1 with zero loss gradient and lr = 0.01, for Adam
    (``adam_big``: weight_decay 0.1, ``adam_small``: 0.001) and AdamW (``adamw_big``, ``adamw_small``)."""
    answers = {"adam_big": adam_big, "adam_small": adam_small, "adamw_big": adamw_big, "adamw_small": adamw_small}
    got = {name: expect_number(value, name) for name, value in answers.items()}
    ref = {"adam_big": _decay_run(Adam, _BIG), "adam_small": _decay_run(Adam, _SMALL),
           "adamw_big": _decay_run(AdamW, _BIG), "adamw_small": _decay_run(AdamW, _SMALL)}

    def right(name):
        return abs(got[name] - ref[name]) <= _ATOL

    def near(value, target):
        return abs(value - target) <= _ATOL

    swapped = [near(got["adam_big"], ref["adamw_big"]), near(got["adam_small"], ref["adamw_small"]),
               near(got["adamw_big"], ref["adam_big"]), near(got["adamw_small"], ref["adam_small"])]
    if all(swapped):
        return wrong("your values for Adam are AdamW's and the other way round: which of the two adds λθ to the "
                     "gradient, and which shrinks θ directly?")
    problems = []
    for name in ("adam_big", "adam_small"):
        if right(name):
            continue
        lam = _BIG if name == "adam_big" else _SMALL
        value = got[name]
        if near(value, ref["adamw_big" if lam == _BIG else "adamw_small"]):
            problems.append(f"{name}: that is what AdamW gives. Adam adds λθ to the gradient, and then "
                            "normalises the whole gradient: its step is about α whatever the size of λθ.")
        elif near(value, _START):
            problems.append(f"{name}: the loss gradient is 0, but Adam's weight_decay adds λθ to it, so the "
                            "optimizer sees a non-zero gradient and moves θ.")
        elif near(value, _START - _STEPS * _LR) or value < 0:
            problems.append(f"{name}: each step is at most about α, but not exactly α: v̂ remembers the larger "
                            "gradients λθ of the early steps (β₂ = 0.999), so the steps shrink as θ does.")
        elif abs(value - ref[name]) < 0.01:
            problems.append(f"{name}: close; give three significant digits.")
        else:
            problems.append(f"{name}: with Adam, λθ is the only gradient. What does Adam's normalisation "
                            "m̂/√v̂ make of a gradient of any size, and does λ survive it?")
    for name in ("adamw_big", "adamw_small"):
        if right(name):
            continue
        lam = _BIG if name == "adamw_big" else _SMALL
        value = got[name]
        if near(value, ref["adam_big"]) or near(value, ref["adam_small"]):
            problems.append(f"{name}: that is what Adam gives; did you swap Adam and AdamW?")
        elif near(value, (1 - lam) ** _STEPS) and not near((1 - lam) ** _STEPS, ref[name]):
            problems.append(f"{name}: AdamW multiplies θ by 1 − α·λ at every step, the learning rate times λ, "
                            "not by 1 − λ.")
        elif near(value, 1 - _STEPS * _LR * lam):
            problems.append(f"{name}: the shrinking compounds: each step multiplies θ by the same factor, so "
                            "100 steps multiply it by that factor to the power 100.")
        elif near(value, _START):
            problems.append(f"{name}: the loss gradient is 0 and the Adam part of AdamW does nothing, but the "
                            "decoupled decay still shrinks θ at every step.")
        elif abs(value - ref[name]) < 0.01:
            problems.append(f"{name}: close; give three significant digits.")
        else:
            problems.append(f"{name}: AdamW shrinks θ directly, θ ← (1 − α·λ)·θ, before an Adam step that is "
                            "0 here.")
    if problems:
        return wrong_parts(problems, 4)
    return correct(f"with Adam both rates of decay end at θ ≈ {ref['adam_big']:.3f}: the normalisation erases λ. "
                   f"With AdamW θ = (1 − α·λ)^100, {ref['adamw_big']:.3f} and {ref['adamw_small']:.3f}, as λ "
                   "prescribes.")
