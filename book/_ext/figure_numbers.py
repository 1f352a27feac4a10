"""Figure numbers that follow the syllabus: its figures keep their own numbers, the book's others never collide.

The lecture notes number eight figures, 2.1 to 2.8. A student holding the notes must find "Figure 2.5" under
that number here, so ``SYLLABUS_FIGURES`` below maps those figures' names (the ``name`` of the figure in the
notebook cell's ``mystnb`` metadata) to their numbers.
Every other figure is numbered after the section that shows it, with a letter in page order: the second
figure of section 2.3.7 is "Figure 2.3.7b". Syllabus numbers have two parts and no letter, so the two
schemes cannot collide. Sphinx's own count (one running number through the book) is replaced after Sphinx
assigns it, so ``{numref}`` links and captions both show the numbers above.
"""

from __future__ import annotations

import re
import string

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

SYLLABUS_FIGURES = {
    "fig-mp-networks": (2, 1),        # 2.1: networks of McCulloch-Pitts neurons computing logic
    "fig-tlu-perceptron": (2, 2),     # 2.2: the threshold logic unit and a perceptron layer
    "fig-mlp-architecture": (2, 3),   # 2.3: a multilayer perceptron
    "fig-activations-three": (2, 4),  # 2.3.3: ReLU, sigmoid and tanh with their derivatives
    "fig-dropout-thinned": (2, 5),    # 2.3.7: dropout
    "fig-rnn-unrolled": (2, 6),       # 2.4: a recurrent neuron unrolled through time
    "fig-lstm-cell": (2, 7),          # 2.4.2: the LSTM cell
    "fig-gru-cell": (2, 8),           # 2.4.3: the GRU cell
}
SECTION = re.compile(r"(?:^|/)(\d+(?:_\d+)*)_[^/]*$")


def section_number(docname: str) -> str | None:
    """``notebooks/2_3_7_dropout`` -> ``"2.3.7"``; pages not named after a section give None."""
    match = SECTION.search(docname)
    return match.group(1).replace("_", ".") if match else None


def renumber(app: Sphinx, env: BuildEnvironment) -> list[str]:
    syllabus = SYLLABUS_FIGURES
    seen = set()
    changed = []
    for docname, figtypes in env.toc_fignumbers.items():
        figures = figtypes.get("figure")
        if not figures:
            continue
        section = section_number(docname)
        letters = iter(string.ascii_lowercase)
        # Sphinx's numbers follow the page order; keep that order for the letters.
        for figure_id, _ in sorted(figures.items(), key=lambda item: item[1]):
            if figure_id in syllabus:
                figures[figure_id] = syllabus[figure_id]
                seen.add(figure_id)
            elif section is None:
                raise ValueError(f"{docname}: figure {figure_id!r} is on a page not named after a section; "
                                 "name the page like notebooks/2_3_7_dropout or list the figure in "
                                 "SYLLABUS_FIGURES")
            else:
                figures[figure_id] = (f"{section}{next(letters)}",)
        changed.append(docname)
    missing = sorted(set(syllabus) - seen)
    if missing and env.toc_fignumbers:
        from sphinx.util import logging

        logging.getLogger(__name__).warning("SYLLABUS_FIGURES names figures that no page has: %s",
                                            ", ".join(missing))
    return changed


def setup(app: Sphinx) -> dict:
    # After Sphinx's TocTreeCollector (priority 500) has assigned its running numbers.
    app.connect("env-get-updated", renumber, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
