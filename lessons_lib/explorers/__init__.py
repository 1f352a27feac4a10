"""Interactive explorers: controls wired to a pure view function and a matplotlib figure.

In Jupyter an explorer displays live controls (:mod:`.live`); on the static site (no kernel) it displays
precomputed frames over a grid of its controls behind HTML sliders (:mod:`.static`). The pattern is
:class:`lessons_lib.explorers.core.Explorer`; :mod:`.base` gathers what an explorer module imports.
"""

from __future__ import annotations

import importlib

#: Every explorer of the book, as "module:Class" of this package (imported on demand). The robustness and
#: site-grid tests and benchmarks/explorer_latency.py take their list from here: a new explorer adds a line.
EXPLORERS = (
    "activations:ActivationExplorer",
    "gradients:GradientExplorer",
    "learning_rate:LearningRateExplorer",
    "gated_cells:LSTMCellExplorer",
    "gated_cells:GRUCellExplorer",
    "recurrent_neuron:RecurrentNeuronExplorer",
    "through_time:GradientsThroughTimeExplorer",
    "kmeans:KMeansExplorer",
    "bandit:BanditExplorer",
    "drift:DriftExplorer",
    "xor:XORExplorer",
    "architecture:ArchitectureExplorer",
    "dropout:DropoutExplorer",
    "mcculloch_pitts:MPNetworkExplorer",
    "perceptron:TLUExplorer",
    "perceptron:PerceptronTrainingExplorer",
    "backprop:BackpropExplorer",
    "batchnorm:BatchNormExplorer",
)


def all_explorers() -> list[type]:
    """The explorer classes of :data:`EXPLORERS`, in order."""
    classes = []
    for entry in EXPLORERS:
        module, name = entry.split(":")
        classes.append(getattr(importlib.import_module(f"{__name__}.{module}"), name))
    return classes
