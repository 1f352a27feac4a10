"""The live explorer in Jupyter: one ipywidget per control above the figure, shown as an ``ipywidgets.Image``.

No pyplot, no Output widget, no matplotlib backend: the figure is a PNG that the callback replaces, so the
same code runs in JupyterLab, Notebook 7, VS Code and Colab. ipywidgets is imported only here, when an
explorer is shown live.
"""

from __future__ import annotations

import html

_BUSY_CSS = ".lessons-explorer-busy { opacity: 0.45; transition: opacity 0.15s; }"


def status_text(explorer) -> str:
    """The line under the figure: the last error, or how long the last redraw took."""
    if explorer.last_error:
        return f"<span style='color:#D55E00'>⚠ {html.escape(explorer.last_error)}</span>"
    ms = 1000 * (explorer.timing.compute_s + explorer.timing.render_s)
    return f"<small>redrawn in {ms:.0f} ms</small>"


def build_widget(explorer):
    """The explorer's controls, figure and status line as one ``ipywidgets.VBox``.

    Sets ``explorer.controls_widgets`` (control name -> widget) and ``explorer.image_widget``, which the
    robustness test and the latency benchmark drive.
    """
    import ipywidgets as w

    controls = {name: spec.widget(explorer.values[name]) for name, spec in explorer.controls.items()}
    for control in controls.values():
        control.layout.width = "auto"          # fill the grid cell: longer slider tracks
    first = explorer.render()
    width_px = explorer.figure.canvas.get_width_height()[0]
    # Shown at its own pixel width (never stretched, so never blurred), narrower on small screens.
    image = w.Image(value=first, format="png", layout=w.Layout(width=f"{width_px}px", max_width="100%"))
    image.add_class("lessons-explorer-image")
    status = w.HTML(value=status_text(explorer))

    def on_change(change, name):
        # Feedback first: the figure dims and the status says so until the new frame arrives.
        image.add_class("lessons-explorer-busy")
        status.value = "<b>updating…</b>"
        try:
            explorer.set(**{name: change["new"]})
            image.value = explorer.render()
            explorer.last_error = None
        except Exception as exc:  # shown to the student instead of vanishing into a log
            explorer.last_error = f"{type(exc).__name__}: {exc}"
        image.remove_class("lessons-explorer-busy")
        status.value = status_text(explorer)

    for name, control in controls.items():
        control.observe(lambda change, name=name: on_change(change, name), names="value")
    explorer.controls_widgets = controls
    explorer.image_widget = image
    header = w.HTML(f"<style>{_BUSY_CSS}</style><b>{html.escape(explorer.title)}</b> "
                    "<small>— drag a slider or click its number to type a value</small>")
    return w.VBox([header,
                   w.GridBox(list(controls.values()),
                             layout=w.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))",
                                             max_width=f"{width_px}px")),
                   image, status])
