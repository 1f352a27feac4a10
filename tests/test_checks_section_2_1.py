"""The checks of the exercises of 2.1: right answers pass in every form, typical mistakes get their own hint."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib import mcculloch_pitts as mp
from lessons_lib.checks import section_2_1 as check

N = mp.McCullochPittsNeuron


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


# ---- exercise 1: NOR --------------------------------------------------------------------------------------


@pytest.mark.parametrize("neuron", [
    N((0, 0), 0, (True, True)),            # the solution
    N((1, 2), 0, (True, True)),            # excitation changes nothing when both inputs inhibit
    mp.as_network(N((0, 0), 0, (True, True))),
])
def test_nor_accepts_every_single_neuron_with_the_nor_table(neuron):
    result = check.nor_neuron.evaluate(neuron)
    _kind_and_message(result, "correct", "Correct: your neuron fires only when A and B are both silent")


@pytest.mark.parametrize("neuron, fragments", [
    # built from excitatory connections: silent on (0, 0); the threshold is the problem
    (N((1, 1), 2), ["silent when A and B are both silent (0, 0)", "your threshold is 2",
                    "fire on a count of 0"]),
    # threshold off by one with the right inhibition
    (N((0, 0), 1, (True, True)), ["your threshold is 1"]),
    (N((2, 2), 2), ["computes OR, the opposite of NOR"]),
    # threshold 0 without inhibition: fires everywhere
    (N((0, 0), 0), ["also fires for (0, 1), (1, 0), (1, 1)", "what can stop a neuron"]),
    # only one input can silence it
    (N((0, 0), 0, (True, False)), ["fires for (0, 1)", "Only A can silence it"]),
    (N((0,), 0, (True,)), ["has 1 input."]),
    (mp.McCullochPittsNetwork(((N((0, 0), 0, (True, True)), N((0, 0), 0, (True, True))),
                               (N((1, 1), 2),)), ("A", "B"), (("D", "E"), ("C",))),
     ["computes NOR, but with 3 neurons"]),
])
def test_nor_names_the_typical_mistakes(neuron, fragments):
    _kind_and_message(check.nor_neuron.evaluate(neuron), "wrong", "Not yet: ", *fragments)


def test_nor_unanswered_and_invalid():
    _kind_and_message(check.nor_neuron.evaluate(...), "unanswered", "Exercise 1 is not answered yet")
    _kind_and_message(check.nor_neuron.evaluate((0, 0)), "invalid", "neuron should be a McCullochPittsNeuron",
                      "got a tuple of 2 items")
    _kind_and_message(check.nor_neuron.evaluate(mp.xor_network().layers[0]), "invalid", "McCullochPittsNeuron")


# ---- exercise 2: majority ---------------------------------------------------------------------------------


@pytest.mark.parametrize("neuron", [N((1, 1, 1), 2), N((2, 2, 2), 3), N((2, 2, 2), 4), N((3, 3, 3), 6)])
def test_majority_accepts_every_neuron_with_the_majority_table(neuron):
    _kind_and_message(check.majority_neuron.evaluate(neuron), "correct", "at least two of A, B and C")


@pytest.mark.parametrize("neuron, fragments", [
    (N((1, 1, 1), 3), ["when A and B fire together, your neuron stays silent", "2 active connections",
                       "threshold of 3", "Two votes must be enough"]),
    (N((1, 1, 1), 1), ["A alone makes your neuron fire", "1 connection already reach the threshold 1"]),
    (N((2, 2, 2), 2), ["A alone makes your neuron fire", "2 connections"]),
    (N((1, 1, 0), 2), ["A and C fire together"]),
    (N((1, 1, 1), 2, (False, True, False)), ["B is inhibitory", "never veto"]),
    (N((1, 1), 2), ["needs three inputs", "has 2"]),
])
def test_majority_names_the_typical_mistakes(neuron, fragments):
    _kind_and_message(check.majority_neuron.evaluate(neuron), "wrong", "Not yet: ", *fragments)


def test_majority_unanswered_and_invalid():
    _kind_and_message(check.majority_neuron.evaluate(...), "unanswered", "Exercise 2 is not answered yet")
    _kind_and_message(check.majority_neuron.evaluate(np.array([1, 1, 1])), "invalid",
                      "should be a McCullochPittsNeuron", "an array of shape (3,)")


# ---- the book's solutions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name, code", [
    ("nor_neuron", "mp.McCullochPittsNeuron((0, 0), 0, (True, True))"),
    ("majority_neuron", "mp.McCullochPittsNeuron((1, 1, 1), 2)"),
])
def test_the_solution_in_the_notebook_passes_its_check(name, code):
    assert code in exercise_text(notebook_for("section_2_1")), f"the solution no longer writes {code}"
    answer = eval(code, {"mp": mp})
    assert getattr(check, name).evaluate(answer).passed
