"""Figures of 2.3.4: one panel per item, labelled axes, legends."""

import matplotlib.pyplot as plt
import numpy as np

from lessons_lib.plots import hidden_layers as hl
from lessons_lib.training import History


def _history(n=5):
    h = History()
    h.train_loss = list(np.linspace(2, 0.1, n))
    h.val_loss = list(np.linspace(2, 0.3, n))
    h.train_accuracy = list(np.linspace(0.1, 1, n))
    h.val_accuracy = list(np.linspace(0.1, 0.9, n))
    return h


def test_digits_one_panel_per_label():
    X = np.arange(3 * 64, dtype=float).reshape(3, 64)
    fig = hl.draw_digits(X, np.array([2, 0, 2]))
    assert [ax.get_title() for ax in fig.axes] == ["label 0", "label 2"]
    plt.close(fig)


def test_learning_curves_and_train_vs_val_have_labelled_axes_and_legends():
    fig = hl.draw_learning_curves({"a": _history(), "b": _history()}, accuracy_ylim=(0, 1))
    loss_ax, acc_ax = fig.axes
    assert loss_ax.get_xlabel() == "epoch" and len(acc_ax.get_lines()) == 2
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["a", "b"]         # under the panels
    plt.close(fig)
    fig = hl.draw_train_vs_val(_history())
    assert all(len(ax.get_lines()) == 2 and ax.get_legend() is not None for ax in fig.axes)
    plt.close(fig)


def test_decision_regions_and_sawtooth_panels():
    xs = ys = np.linspace(0, 1, 4)
    grid = (xs, ys, np.zeros((4, 4), int))
    X, y = np.random.default_rng(0).uniform(size=(10, 2)), np.arange(10) % 2
    fig = hl.draw_decision_regions({"one": grid, "two": grid}, X, y)
    assert [ax.get_title() for ax in fig.axes] == ["one", "two"]
    assert [ax.get_ylabel() for ax in fig.axes] == ["$x_2$", ""]
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == ["predicted class 0", "predicted class 1", "point of class 0", "point of class 1"]
    plt.close(fig)
    fig = hl.draw_sawtooth({"k = 1": (xs, xs), "k = 2": (xs, 1 - xs)})
    assert len(fig.axes) == 2
    plt.close(fig)
