"""What an explorer's controls are: plain descriptions, with their ranges, checks and the names of their values.

A control knows nothing of ipywidgets until :meth:`widget` is called (live, in Jupyter), and nothing of HTML:
the static site (:mod:`.static`) asks it for a few values (:meth:`sweep`) and their names (:meth:`name`),
which a screen reader announces (``aria-valuetext``: "sigmoid", not "3").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np


def format_value(value) -> str:
    """A control value as a reader sees it: ``on``/``off``, three significant digits, or the text itself."""
    if isinstance(value, (bool, np.bool_)):
        return "on" if value else "off"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.3g}"
    return str(value)


@dataclass(frozen=True)
class Slider:
    """A number between ``low`` and ``high``; ``log=True`` spaces it logarithmically (learning rates)."""

    label: str
    low: float
    high: float
    default: float
    step: float | None = None
    log: bool = False
    integer: bool = False
    #: Sweeps that train a model update when the handle is released, not on every pixel of a drag.
    continuous: bool = True

    def sweep(self, n: int) -> list:
        """``n`` values across the whole range, ends included (a row of the static site's frames)."""
        if not isinstance(n, (int, np.integer)) or n < 2:
            raise ValueError(f"n must be an integer >= 2, got {n!r}")
        values = np.geomspace(self.low, self.high, n) if self.log else np.linspace(self.low, self.high, n)
        if self.integer:
            return sorted({int(round(v)) for v in values})
        return [float(f"{v:.4g}") for v in values]

    def name(self, value) -> str:
        return format_value(value)

    def sample(self, rng: np.random.Generator):
        """A random value in range, for the robustness test; the ends come up often on purpose."""
        r = rng.random()
        if r < 0.2:
            return self.low if not self.integer else int(self.low)
        if r < 0.4:
            return self.high if not self.integer else int(self.high)
        if self.log:
            v = float(np.exp(rng.uniform(np.log(self.low), np.log(self.high))))
        else:
            v = float(rng.uniform(self.low, self.high))
        return int(round(v)) if self.integer else v

    def extremes(self) -> list:
        """Both ends of the range (the robustness test visits them)."""
        return [int(self.low), int(self.high)] if self.integer else [float(self.low), float(self.high)]

    def widget(self, value):
        import ipywidgets as w

        style = {"description_width": "initial"}
        common = dict(description=self.label, continuous_update=self.continuous, style=style)
        if self.log:
            return w.FloatLogSlider(value=value, min=math.log10(self.low), max=math.log10(self.high),
                                    step=self.step or 0.1, readout_format=".3g", **common)
        if self.integer:
            return w.IntSlider(value=value, min=int(self.low), max=int(self.high), step=int(self.step or 1),
                               **common)
        return w.FloatSlider(value=value, min=self.low, max=self.high, step=self.step or (self.high - self.low)
                             / 100, **common)

    def validate(self, name: str, value):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f"{name} must be a number in [{self.low}, {self.high}], got {value!r}")
        if not self.low <= value <= self.high:
            raise ValueError(f"{name} must be in [{self.low}, {self.high}], got {value!r}")
        return int(value) if self.integer else float(value)


@dataclass(frozen=True)
class Choice:
    """One option among several (an activation, an initializer, an optimizer)."""

    label: str
    options: tuple
    default: object
    #: Readable names for some options (value -> text shown), e.g. {"pytorch_default": "standard U(±1/√n)"}.
    names: dict = field(default_factory=dict)

    def sweep(self, n: int | None = None) -> list:
        return list(self.options)

    def name(self, value) -> str:
        return self.names.get(value, str(value))

    def sample(self, rng: np.random.Generator):
        return self.options[int(rng.integers(len(self.options)))]

    def extremes(self) -> list:
        return list(self.options)

    def widget(self, value):
        import ipywidgets as w

        return w.Dropdown(options=[(self.name(o), o) for o in self.options], value=value,
                          description=self.label, style={"description_width": "initial"})

    def validate(self, name: str, value):
        if value not in self.options:
            raise ValueError(f"{name} must be one of {', '.join(map(repr, self.options))}; got {value!r}")
        return value


@dataclass(frozen=True)
class Toggle:
    """On or off (batch normalization, say)."""

    label: str
    default: bool = False

    def sweep(self, n: int | None = None) -> list:
        return [False, True]

    def name(self, value) -> str:
        return format_value(bool(value))

    def sample(self, rng: np.random.Generator):
        return bool(rng.integers(2))

    def extremes(self) -> list:
        return [True, False]

    def widget(self, value):
        import ipywidgets as w

        return w.Checkbox(value=value, description=self.label, indent=False)

    def validate(self, name: str, value):
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{name} must be True or False, got {value!r}")
        return bool(value)


@dataclass(frozen=True)
class Preset:
    """A site-only control that sets several controls at once: named settings (a paper's scenarios, say).

    ``options`` is a tuple of ``(name, {control: value, ...})``; on the static site it is one more slider
    over these names.
    """

    label: str
    options: tuple

    def __post_init__(self):
        if not self.options or not all(isinstance(o, tuple) and len(o) == 2 and isinstance(o[1], dict)
                                       for o in self.options):
            raise ValueError(f"options must be (name, settings dict) pairs, got {self.options!r}")
