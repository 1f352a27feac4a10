"""Interactive explorers: controls (ipywidgets) wired to a pure view function and a matplotlib figure.

In Jupyter an explorer displays live controls; on the static site (no kernel) it displays precomputed
frames behind a slider. See :class:`lessons_lib.explorers.base.Explorer` for the pattern.
"""
