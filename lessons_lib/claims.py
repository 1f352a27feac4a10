"""Claims the text makes from experiments, stated as checks, and summaries of runs over several seeds.

A sentence such as "with the forget bias, all ten runs reach MSE < 0.01" is a claim about an experiment. The
notebook that makes it runs the experiment over the seeds the sentence rests on and calls :func:`claim` in
a cell tagged ``remove-cell`` (hidden on the site, run by nbval and by every site build). When the code
changes and the sentence stops being true, the tests fail with a message that quotes the sentence and
says where it stands, instead of the book silently printing one thing and saying another.

Two modes. The tests, the site build and ``scripts/execute_notebooks.py`` set ``LESSONS_LIB_STRICT_CLAIMS=1``
and a claim that does not hold raises :class:`ClaimError`. A student's kernel does not: there the claim
prints a short note instead, because an exercise that asks "change the budget to 20" changes the experiment
on purpose, and "Run all" should not stop at a hidden check. (Under nbval even the note fails the run: the
stored output of a check cell is empty.)

Results of training runs are reported as statistics over seeds (:func:`spread`, :func:`count`) rather than
one run's exact loss: the last bits of a matrix product depend on the CPU's BLAS kernel, and a training run
can turn them into visibly different numbers. A median and a range over several seeds, printed with a few
significant digits, or a count of runs past a threshold, does not move with them.
"""

from __future__ import annotations

import os

import numpy as np

STRICT_ENV = "LESSONS_LIB_STRICT_CLAIMS"


class ClaimError(AssertionError):
    """A sentence of the book no longer agrees with what the code computes."""


def strict() -> bool:
    """True where a claim that fails must stop the run (tests, site build, storing outputs)."""
    return os.environ.get(STRICT_ENV, "") == "1"


def claim(holds, text: str, where: str, evidence: str = "") -> None:
    """Check a claim of the text: silent if ``holds`` is true.

    Otherwise raise :class:`ClaimError` quoting ``text`` and ``where`` when :func:`strict` (tests and
    builds), or print a note saying the claim does not hold for the runs as they are now (a student's
    kernel, typically after changing the experiment for an exercise).

    Parameters
    ----------
    holds : bool
        The check, computed from the experiment's results (a numpy bool is fine).
    text : str
        The claim as the book states it, quoted in the failure message.
    where : str
        Where the claim stands, for example ``"2.4.2, 'Watching the gates at work'"``.
    evidence : str, optional
        What the runs gave, added to the failure message so the reader of the error can rewrite the text.
    """
    if not isinstance(text, str) or not text:
        raise ValueError("text must be the claim as the book states it, a non-empty string")
    if not isinstance(where, str) or not where:
        raise ValueError("where must name the section (and paragraph) that makes the claim")
    try:
        ok = bool(holds)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"holds must be a single truth value, got {type(holds).__name__}") from exc
    if ok:
        return
    details = f"\n  where: {where}\n  claim: {text}"
    if evidence:
        details += f"\n  the runs gave: {evidence}"
    if strict():
        raise ClaimError("The book's claim no longer holds." + details)
    print("Note: with the experiment as it ran here, this claim of the text does not hold." + details
          + "\n  If you changed the experiment (as an exercise asks), that is expected; if you did not,"
          " please report it.")


def _values(values, name: str = "values") -> np.ndarray:
    arr = np.asarray(values, dtype=float).ravel()
    if arr.size == 0:
        raise ValueError(f"{name} must hold at least one number, got an empty sequence")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite; a NaN or inf usually means a run diverged")
    return arr


def _fmt(x: float, digits: int, percent: bool) -> str:
    if percent:
        return f"{100 * x:.{max(digits - 2, 0)}f} %"
    return f"{x:.{digits}g}"


def spread(values, digits: int = 2, percent: bool = False) -> str:
    """``"median 0.97 (range 0.96-0.98, 10 runs)"``: the robust summary of one quantity over seeds.

    Parameters
    ----------
    values : array_like
        One number per run (per seed).
    digits : int
        Significant digits (for ``percent``: digits of the percentage, so 3 gives ``"96.7 %"``).
    percent : bool
        Print fractions as percentages.
    """
    arr = _values(values)
    if not isinstance(digits, int | np.integer) or digits < 1:
        raise ValueError(f"digits must be a positive integer, got {digits!r}")
    med, lo, hi = np.median(arr), arr.min(), arr.max()
    return (f"median {_fmt(med, digits, percent)} (range {_fmt(lo, digits, percent)}"
            f"-{_fmt(hi, digits, percent)}, {arr.size} runs)")


def count(values, threshold: float, below: bool = True) -> int:
    """How many runs end below (or, with ``below=False``, above) ``threshold``."""
    arr = _values(values)
    return int(np.sum(arr < threshold) if below else np.sum(arr > threshold))
