import matplotlib.pyplot as plt
import numpy as np
import pytest

from lessons_lib.plots.layer_learning import plot_layer_training
from lessons_lib.views.layer_learning import train_layers


def test_plot_layer_training_draws_medians_of_the_seeds():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((30, 4)), rng.integers(0, 3, 30)
    a = train_layers(X, y, X, y, seeds=[0, 1, 2], hidden_layers=3, width=5, epochs=2, batch_size=10)
    b = train_layers(X, y, X, y, seeds=[0, 1, 2], hidden_layers=3, width=5, activation="tanh",
                     epochs=2, batch_size=10)
    fig = plot_layer_training({"sigmoid": a, "tanh": b})
    left, right = fig.axes
    assert len(left.lines) == 3 and len(left.collections) == 3          # one median and one band per layer
    np.testing.assert_allclose(left.lines[2].get_ydata(), np.median(a.activation_mean[:, :, 2], axis=0))
    assert left.get_title() == "sigmoid: mean activation per layer"
    assert right.get_yscale() == "log"
    medians = [np.asarray(c.lines[0].get_ydata(), dtype=float) for c in right.containers]
    assert len(medians) == 2                                            # one error-bar series per run
    np.testing.assert_allclose(medians[1], np.median(b.weight_change[:, -1], axis=0))
    assert [t.get_text() for t in right.get_xticklabels()] == ["1", "2", "3", "output"]
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["sigmoid", "tanh"]
    plt.close(fig)
    fig = plot_layer_training({"sigmoid": a, "tanh": b}, activations_of="tanh")
    assert fig.axes[0].get_title() == "tanh: mean activation per layer"
    plt.close(fig)
    with pytest.raises(ValueError, match="activations_of"):
        plot_layer_training({"sigmoid": a}, activations_of="relu")
    with pytest.raises(ValueError, match="runs"):
        plot_layer_training({})
