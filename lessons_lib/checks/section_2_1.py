"""Checks of the exercises of section 2.1, logical computations with McCulloch-Pitts neurons.

Both exercises ask for a single neuron with a given truth table. Any neuron with that truth table passes
(different connection counts and thresholds can compute the same function); a wrong one is told which
inputs it gets wrong and why, in terms of its connections and threshold.
"""

from __future__ import annotations

import itertools

from .. import mcculloch_pitts as mp
from ._core import InvalidAnswer, correct, describe, exercise, wrong

__all__ = ["nor_neuron", "majority_neuron"]

_EXAMPLE = "a McCullochPittsNeuron, e.g. mp.McCullochPittsNeuron(excitatory=(1, 1), threshold=2)"


def _unit(answer, name: str) -> mp.McCullochPittsNeuron | mp.McCullochPittsNetwork:
    if isinstance(answer, mp.McCullochPittsNeuron):
        return answer
    if isinstance(answer, mp.McCullochPittsNetwork):
        if len(answer.layers[-1]) != 1:
            raise InvalidAnswer(f"{name} should have one output; your network has {len(answer.layers[-1])}.")
        return answer
    raise InvalidAnswer(f"{name} should be {_EXAMPLE}; got {describe(answer)}.")


def _single_neuron(unit) -> mp.McCullochPittsNeuron | None:
    """The neuron itself, for a neuron or a one-neuron network; None for a larger network."""
    if isinstance(unit, mp.McCullochPittsNeuron):
        return unit
    if len(unit.layers) == 1 and len(unit.layers[0]) == 1:
        return unit.layers[0][0]
    return None


def _outputs(unit) -> list[int]:
    return [out[0] for _, out in mp.truth_table(unit)]


def _names(n: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(n)]


def _pattern(x) -> str:
    return "(" + ", ".join(str(v) for v in x) + ")"


def _neuron_count(unit) -> int:
    return 1 if isinstance(unit, mp.McCullochPittsNeuron) else sum(len(layer) for layer in unit.layers)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _nor(a: int, b: int) -> int:
    return int(not (a or b))


def _majority(a: int, b: int, c: int) -> int:
    return int(a + b + c >= 2)


@exercise(1)
def nor_neuron(neuron):
    """Exercise 1 of 2.1: a single McCulloch-Pitts neuron with inputs A and B that computes NOR.

    Parameters
    ----------
    neuron : McCullochPittsNeuron
        (A one-neuron ``McCullochPittsNetwork`` is accepted too.)
    """
    unit = _unit(neuron, "neuron")
    if unit.n_inputs != 2:
        return wrong(f"NOR combines two inputs, A and B, but your neuron has {_count(unit.n_inputs, 'input')}. "
                     "Give it one entry per input in excitatory (and in inhibitory).")
    inputs = list(itertools.product((0, 1), repeat=2))
    target = [_nor(*x) for x in inputs]
    got = _outputs(unit)
    single = _single_neuron(unit)
    if got == target:
        if single is None:
            return wrong(f"your network computes NOR, but with {_neuron_count(unit)} neurons; the exercise asks "
                         "for a single one. Which neuron fires when nothing excites it?")
        return correct("your neuron fires only when A and B are both silent. It has to fire with no "
                       "excitation at all, and each input alone has to be able to silence it.")
    if single is None:
        bad = [_pattern(x) for x, g, t in zip(inputs, got, target) if g != t]
        return wrong(f"your network gets the inputs {', '.join(bad)} wrong. One neuron is enough here.")
    if got == [0, 1, 1, 1]:
        return wrong("your neuron computes OR, the opposite of NOR: it must fire exactly where OR does not.")
    if got[0] == 0:
        return wrong(f"your neuron is silent when A and B are both silent (0, 0), where NOR fires. With "
                     f"both inputs silent no excitatory connection is active, so the count is 0, and your "
                     f"threshold is {single.threshold}. Which threshold lets a neuron fire on a count of 0?")
    firing = [x for x, g, t in zip(inputs, got, target) if g == 1 and t == 0]
    if not any(single.inhibitory):
        return wrong(f"your neuron also fires for {', '.join(map(_pattern, firing))}, where NOR must be "
                     "silent. With threshold 0 it fires whatever the excitation; what can stop a neuron "
                     "from firing, whatever else it receives?")
    silencers = [n for n, f in zip(_names(2), single.inhibitory) if f]
    return wrong(f"your neuron fires for {', '.join(map(_pattern, firing))}, where NOR must be silent. "
                 f"Only {' and '.join(silencers)} can silence it, but NOR is 0 as soon as either input fires.")


@exercise(2)
def majority_neuron(neuron):
    """Exercise 2 of 2.1: a single neuron with inputs A, B, C that fires when at least two of them fire.

    Parameters
    ----------
    neuron : McCullochPittsNeuron
        (A one-neuron ``McCullochPittsNetwork`` is accepted too.)
    """
    unit = _unit(neuron, "neuron")
    if unit.n_inputs != 3:
        return wrong(f"a majority of three needs three inputs, A, B and C, but your neuron has "
                     f"{unit.n_inputs}. Give it one entry per input in excitatory.")
    inputs = list(itertools.product((0, 1), repeat=3))
    target = [_majority(*x) for x in inputs]
    got = _outputs(unit)
    single = _single_neuron(unit)
    if got == target:
        if single is None:
            return wrong(f"your network computes the majority, but with {_neuron_count(unit)} neurons; the "
                         "exercise asks for a single one.")
        return correct("your neuron fires exactly when at least two of A, B and C fire. Every input has "
                       "the same say, and the threshold sits between one input's excitation and two inputs'.")
    if single is None:
        bad = [_pattern(x) for x, g, t in zip(inputs, got, target) if g != t]
        return wrong(f"your network gets the inputs {', '.join(bad)} wrong. One neuron is enough here.")
    names = _names(3)
    inhibiting = [n for n, f in zip(names, single.inhibitory) if f]
    if inhibiting:
        return wrong(f"{' and '.join(inhibiting)} {'is' if len(inhibiting) == 1 else 'are'} inhibitory, so "
                     f"it silences the neuron even when two other inputs vote yes. In a majority vote an "
                     f"input can only add its vote, never veto.")
    exc, theta = single.excitatory, single.threshold
    alone = [n for n, e in zip(names, exc) if e >= theta]
    if alone:
        return wrong(f"{alone[0]} alone makes your neuron fire: its {_count(exc[names.index(alone[0])], 'connection')} "
                     f"already reach the threshold {theta}. One vote must not be enough.")
    pairs = [names[i] + " and " + names[j] for i, j in itertools.combinations(range(3), 2)
             if exc[i] + exc[j] < theta]
    return wrong(f"when {pairs[0]} fire together, your neuron stays silent: "
                 f"{_count(exc[names.index(pairs[0][0])] + exc[names.index(pairs[0][-1])], 'active connection')} "
                 f"against a threshold of {theta}. Two votes must be enough.")
