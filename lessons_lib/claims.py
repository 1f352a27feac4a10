"""Claims the text makes from experiments, stated as checks, and summaries of runs over several seeds.

A sentence such as "with the forget bias, all ten runs reach MSE < 0.01" is a claim about an experiment. The
notebook that makes it runs the experiment over the seeds the sentence rests on and calls :func:`claim` in
a cell tagged ``remove-cell`` (hidden on the site, run by nbval and by every site build). When the code
changes and the sentence stops being true, the notebook fails with a message that quotes the sentence and
says where it stands, instead of the book silently printing one thing and saying another.

Results of training runs are reported as statistics over seeds (:func:`spread`, :func:`count`) rather than
one run's exact loss: the last bits of a matrix product depend on the CPU's BLAS kernel, and a training run
can turn them into visibly different numbers. A median and a range over several seeds, printed with a few
significant digits, or a count of runs past a threshold, does not move with them.
"""

from __future__ import annotations

import numpy as np


class ClaimError(AssertionError):
    """A sentence of the book no longer agrees with what the code computes."""


def claim(holds, text: str, where: str, evidence: str = "") -> None:
    """Raise :class:`ClaimError` quoting ``text`` and ``where`` unless ``holds`` is true.

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
    if not ok:
        message = f"The book's claim no longer holds.\n  where: {where}\n  claim: {text}"
        if evidence:
            message += f"\n  the runs gave: {evidence}"
        raise ClaimError(message)


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
