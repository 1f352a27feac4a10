"""lessons_lib — the numpy code behind the textbook "From Neurons to LSTMs".

One module per idea, named after it; the book section that teaches each one is given beside it.

=====================  =========================================================================
Section                Modules
=====================  =========================================================================
1.1.1                  ``online.least_squares``; ``views.chapter1_supervision`` (a car-price table)
1.1.2, 1.1.3           ``clustering`` (k-means, labelling clusters from a few labels)
1.1.4                  ``views.chapter1_learning`` (masking images: labels from the data itself)
1.1.5                  ``bandit`` (an epsilon-greedy agent)
1.2.1, 1.2.2           ``online`` (batch vs online learning on a drifting stream)
2.1                    ``mcculloch_pitts`` (drawings: ``plots.mcculloch_pitts``)
2.2, 2.2.1             ``perceptron``
2.3                    ``autodiff`` (scalar reverse-mode engine), ``layers``, ``network``, ``losses``,
                       ``training``
2.3.1                  ``gradcheck`` (finite-difference checks of every backward pass)
2.3.2                  ``initializers``, ``diagnostics``; explorer ``explorers.gradients``
2.3.3                  ``activations``; explorer ``explorers.activations``
2.3.5                  ``optimizers``, ``lr_finder``; explorer ``explorers.learning_rate``
2.3.6                  ``batchnorm``
2.3.7                  ``dropout``
2.4, 2.4.1             ``rnn`` (recurrent layer, BPTT), ``seq2seq`` (the four wirings),
                       ``through_time`` (gradients through time)
2.4.2                  ``lstm``
2.4.3                  ``gru``
data                   ``datasets`` (generated tasks, handwritten digits), ``sequences`` (series)
=====================  =========================================================================

Shared pieces: ``parameter`` (a value and its gradient), ``module`` (the forward/backward contract),
``views`` (what figures and explorers show, as pure numpy functions, one module per section's topic),
``plots`` (the figures, same names), ``explorers`` (widgets).
Model modules import numpy only; ``plots`` and ``explorers`` add matplotlib and ipywidgets.
"""

__version__ = "0.1.0"
