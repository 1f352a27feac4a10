"""The machinery shared by every section's checks: blanks, verdicts, printing, and careful reading of answers.

A check is a function of the student's answer(s) that returns a :class:`Result`, decorated with
:func:`exercise`::

    @exercise(1)
    def nor_neuron(neuron):
        '''Exercise 1 of 2.1: a single McCulloch-Pitts neuron that computes NOR.'''
        unit = expect_instance(neuron, mp.McCullochPittsNeuron, "neuron", "mp.McCullochPittsNeuron(...)")
        ...
        return correct("...") if ... else wrong("...")

The decorator turns it into a :class:`Check`. Calling the check, ``check.nor_neuron(nor)`` in a notebook,
prints one verdict and returns nothing; ``check.nor_neuron.evaluate(nor)`` returns the :class:`Result`
(for tests and for the hidden cell that runs a notebook's solutions through their checks). The decorator
also handles what every check needs, so that the check itself only judges a real answer:

* a blank, Python's ``...`` (Ellipsis), given for every answer gives the kind ``"unanswered"`` and the line
  "Exercise 1 is not answered yet: ..."; a ``...`` left in some answers (or inside a list or tuple) says
  which ones are still blank. Never an error: an unanswered starter cell runs under nbval and in the site
  build;
* answers that cannot be read (wrong type, shape, NaN, a missing argument) give the kind ``"invalid"`` with
  a message that names what was expected. A check raises :class:`InvalidAnswer` for them, usually through
  the ``expect_*`` helpers below; a ``ValueError`` or ``TypeError`` that escapes from the library while the
  check works on the answer is turned into the same kind, so a student never sees a traceback from inside
  ``lessons_lib``.

Messages start with the verdict ("Correct: ...", "Not yet: ...") and say, for a wrong answer, what is wrong
and where to look, without giving the solution away.
"""

from __future__ import annotations

import functools
import inspect
import textwrap
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

KINDS = ("correct", "wrong", "unanswered", "invalid")
# Printed verdicts are wrapped to the width of the book's code column.
WIDTH = 88


@dataclass(frozen=True)
class Result:
    """What a check concluded about an answer.

    Attributes
    ----------
    passed : bool
        True only for a correct answer.
    message : str
        The verdict as the student reads it, starting with "Correct:", "Not yet:" or "Exercise N is not ...".
    kind : {"correct", "wrong", "unanswered", "invalid"}
        ``"wrong"`` is a readable answer that is not right; ``"invalid"`` one that cannot be checked at all.
    """

    passed: bool
    message: str
    kind: str

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}; got {self.kind!r}")
        if self.passed != (self.kind == "correct"):
            raise ValueError("passed must be True exactly when kind is 'correct'")

    def __str__(self) -> str:
        return self.message


def correct(message: str) -> Result:
    """The verdict for a right answer: "Correct: " followed by ``message`` (say what the answer shows)."""
    return Result(True, f"Correct: {message}", "correct")


def wrong(message: str) -> Result:
    """The verdict for a wrong answer: "Not yet: " followed by what is wrong and a hint toward the idea."""
    return Result(False, f"Not yet: {message}", "wrong")


def wrong_parts(problems: list[str], total: int) -> Result:
    """The verdict for an answer in several parts: one line per part that is wrong ("- slope: ...")."""
    if not problems:
        raise ValueError("problems must list at least one wrong part")
    count = f"all {total}" if len(problems) == total else f"{len(problems)} of the {total}"
    verb = "needs" if len(problems) == 1 else "need"
    return wrong(f"{count} answers {verb} another look.\n- " + "\n- ".join(problems))


class InvalidAnswer(Exception):
    """Raised inside a check for an answer that cannot be checked; the message names what was expected."""


def invalid(message: str) -> Result:
    """The verdict for an answer that cannot be checked (what :class:`InvalidAnswer` becomes)."""
    return Result(False, f"Not yet: {message}", "invalid")


# ---- blanks ------------------------------------------------------------------------------------------------


def is_blank(value) -> bool:
    """Whether ``value`` is, or contains, Python's ``...`` (in a list, tuple, dict or object array)."""
    if value is Ellipsis:
        return True
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(is_blank(v) for v in value)
    if isinstance(value, dict):
        return any(is_blank(v) for v in value.values())
    if isinstance(value, np.ndarray) and value.dtype == object:
        return any(is_blank(v) for v in value.ravel())
    return False


def _blank_names(arguments: dict) -> list[str]:
    return [name for name, value in arguments.items() if is_blank(value)]


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# ---- the check object -------------------------------------------------------------------------------------


class Check:
    """A check of one exercise (made by :func:`exercise`): call it to print a verdict, or ``evaluate`` it.

    Attributes
    ----------
    exercise : int or str
        The exercise's number in its notebook, used in the "not answered yet" line.
    """

    def __init__(self, function: Callable[..., Result], exercise: int | str):
        self._function = function
        self._signature = inspect.signature(function)
        self.exercise = exercise
        functools.update_wrapper(self, function)

    def evaluate(self, *args, **kwargs) -> Result:
        """Judge the answer and return the :class:`Result` (nothing is printed)."""
        name = self._function.__name__
        try:
            bound = self._signature.bind(*args, **kwargs)
        except TypeError as error:
            params = ", ".join(self._signature.parameters)
            return invalid(f"check.{name} takes ({params}); {error}.")
        bound.apply_defaults()
        answers = bound.arguments
        required = [k for k, p in self._signature.parameters.items() if p.default is inspect.Parameter.empty]
        blanks = _blank_names(answers)
        if required and all(answers[k] is Ellipsis for k in required):
            return Result(False, f"Exercise {self.exercise} is not answered yet: replace the ... above with "
                                 "your answer and run the cell again.", "unanswered")
        if blanks:
            which = "" if len(answers) == 1 else f" (in {_join(blanks)})"
            return Result(False, f"Exercise {self.exercise} is not finished yet: there is still a ... in your "
                                 f"answer{which}. Replace it and run the cell again.", "unanswered")
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                result = self._function(*bound.args, **bound.kwargs)
        except InvalidAnswer as error:
            return invalid(str(error))
        except (ValueError, TypeError) as error:
            # Raised by lessons_lib (or numpy) while the check worked on the answer: the answer is unusable.
            return invalid(f"this answer cannot be checked: {error}")
        if not isinstance(result, Result):
            raise TypeError(f"check {name} returned {type(result).__name__}, not a Result")
        return result

    def __call__(self, *args, **kwargs) -> None:
        """Print the verdict on the answer, wrapped to the book's column; return nothing."""
        print(format_message(self.evaluate(*args, **kwargs).message))

    def __repr__(self) -> str:
        return f"<check of exercise {self.exercise}: {self._function.__name__}{self._signature}>"


def exercise(number: int | str) -> Callable[[Callable[..., Result]], Check]:
    """Decorator: make a function that judges the answer(s) of exercise ``number`` into a :class:`Check`.

    The function takes the answers as arguments (named as the starter cell names them) and returns
    :func:`correct` or :func:`wrong`, or raises :class:`InvalidAnswer`. Blanks never reach it.
    """
    if isinstance(number, bool) or not isinstance(number, (int, str)) or not str(number):
        raise ValueError(f"number must be the exercise's number (an int or a short string); got {number!r}")

    def make(function: Callable[..., Result]) -> Check:
        return Check(function, number)

    return make


def checks_in(module) -> dict[str, Check]:
    """Every :class:`Check` a section module defines, by name (for tests and the contributors' guide)."""
    return {name: value for name, value in vars(module).items()
            if isinstance(value, Check) and not name.startswith("_")}


def format_message(message: str, width: int = WIDTH) -> str:
    """Wrap a verdict to ``width`` columns, keeping its own line breaks and indenting list items ("- ...")."""
    lines = []
    for line in message.split("\n"):
        indent = "  " if line.startswith("- ") else ""
        lines.append(textwrap.fill(line, width=width, subsequent_indent=indent, break_long_words=False,
                                   break_on_hyphens=False) if line else "")
    return "\n".join(lines)


# ---- reading answers ----------------------------------------------------------------------------------------


def describe(value) -> str:
    """A short description of what was given, for "expected ..., got ..." messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, bool):
        return f"the boolean {value}"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if value is None:
        return "None (did a function return nothing?)"
    if callable(value) and not isinstance(value, type):
        return f"the function {getattr(value, '__name__', type(value).__name__)}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} items"
    return f"a {type(value).__name__}"


def expect_instance(value, cls, name: str, example: str):
    """``value`` if it is an instance of ``cls`` (or of one of a tuple of classes), else :class:`InvalidAnswer`."""
    if not isinstance(value, cls):
        raise InvalidAnswer(f"{name} should be {example}; got {describe(value)}.")
    return value


def expect_number(value, name: str, integer: bool = False) -> float | int:
    """A finite real number (a one-element array is fine); with ``integer``, a whole number."""
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(()).item()
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        kind = "a whole number" if integer else "a number"
        raise InvalidAnswer(f"{name} should be {kind}; got {describe(value)}.")
    number = float(value)
    if not np.isfinite(number):
        raise InvalidAnswer(f"{name} should be a finite number; got {value!r}.")
    if integer:
        if number != round(number):
            raise InvalidAnswer(f"{name} should be a whole number; got {value!r}.")
        return int(round(number))
    return number


def expect_array(value, name: str, shape: tuple[int, ...] | None = None, example: str = "") -> np.ndarray:
    """``value`` as a float array, finite, and of ``shape`` if given; else :class:`InvalidAnswer`.

    A one-dimensional ``shape`` also accepts a row or column of the same length, which is flattened.
    """
    if isinstance(value, (str, bytes, dict)) or value is None or callable(value):
        raise InvalidAnswer(f"{name} should be an array of numbers{_like(example)}; got {describe(value)}.")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidAnswer(f"{name} should be an array of numbers{_like(example)}; "
                            f"got {describe(value)} that numpy cannot read as numbers.") from None
    if shape is not None:
        if len(shape) == 1 and arr.ndim == 2 and 1 in arr.shape and arr.size == shape[0]:
            arr = arr.ravel()
        if arr.shape != tuple(shape):
            raise InvalidAnswer(f"{name} should have shape {tuple(shape)}{_like(example)}; "
                                f"got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise InvalidAnswer(f"{name} should contain only finite numbers; it contains NaN or inf.")
    return arr


def expect_shape(value, name: str) -> tuple[int, ...]:
    """A shape written as a tuple (or list) of whole numbers; a bare number ``n`` is read as ``(n,)``."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return (int(value),)
    if isinstance(value, (tuple, list)) and all(
            isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n >= 0 for n in value):
        return tuple(int(n) for n in value)
    raise InvalidAnswer(f"{name} should be a shape, a tuple of whole numbers like (5, 3); got {describe(value)}.")


def call_answer(function, *args, name: str = "your function"):
    """Call a function the student wrote; an error inside it becomes :class:`InvalidAnswer` naming it."""
    if not callable(function):
        raise InvalidAnswer(f"{name} should be a function; got {describe(function)}.")
    try:
        return function(*args)
    except Exception as error:  # noqa: BLE001 - whatever the student's code raises is reported, not re-raised
        raise InvalidAnswer(f"calling {name} raised {type(error).__name__}: {error}") from None


def close(a, b, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Whether two numbers or arrays of the same shape agree within the tolerances (as ``np.allclose``)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def fmt(x, digits: int = 4) -> str:
    """A number or array for a message: a few significant digits, ``-0`` written as ``0``."""
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0:
        v = float(arr)
        return f"{0.0 if v == 0 else v:.{digits}g}"
    return "(" + ", ".join(fmt(v, digits) for v in arr.ravel()) + ")"


def _like(example: str) -> str:
    return f", like {example}" if example else ""
