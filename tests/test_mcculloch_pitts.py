import itertools

import pytest

from lessons_lib import mcculloch_pitts as mp

BOTH = list(itertools.product((0, 1), repeat=2))


@pytest.mark.parametrize("build, expected", [
    (mp.and_network, {(0, 0): 0, (0, 1): 0, (1, 0): 0, (1, 1): 1}),
    (mp.or_network, {(0, 0): 0, (0, 1): 1, (1, 0): 1, (1, 1): 1}),
    (mp.a_and_not_b_network, {(0, 0): 0, (0, 1): 0, (1, 0): 1, (1, 1): 0}),
    (mp.xor_network, {(0, 0): 0, (0, 1): 1, (1, 0): 1, (1, 1): 0}),
])
def test_two_input_truth_tables(build, expected):
    table = mp.truth_table(build())
    assert [x for x, _ in table] == BOTH
    assert {x: y[0] for x, y in table} == expected


def test_identity_truth_table():
    assert mp.truth_table(mp.identity_network()) == [((0,), (0,)), ((1,), (1,))]


def test_threshold_is_inclusive():
    # Two active connections and threshold 2 fire: "at least", not "more than".
    assert mp.McCullochPittsNeuron((2,), 2).fire([1]) == 1
    assert mp.McCullochPittsNeuron((1,), 2).fire([1]) == 0


def test_inhibition_is_absolute():
    neuron = mp.McCullochPittsNeuron((3, 3), 1, (False, True))
    assert neuron.fire([1, 0]) == 1
    assert neuron.fire([1, 1]) == 0


def test_zero_threshold_fires_without_input():
    assert mp.McCullochPittsNeuron((1, 1), 0)(0, 0) == 1


def test_no_single_neuron_computes_xor_but_and_is_found():
    assert mp.single_neurons_computing(lambda a, b: a ^ b) == []
    found = mp.single_neurons_computing(lambda a, b: a & b)
    assert mp.McCullochPittsNeuron((1, 1), 2) in found


def test_call_and_booleans():
    assert mp.and_network()(True, True) == 1
    assert mp.xor_network().fire([1, 0]) == (1,)


def test_format_truth_table():
    text = mp.format_truth_table(mp.and_network())
    assert text.splitlines()[0] == "A B | C"
    assert text.splitlines()[-1] == "1 1 | 1"


def test_diagram_positions_and_edges():
    d = mp.diagram(mp.xor_network())
    assert d.nodes["A"][0] == 0 and d.nodes["D"][0] == 1 and d.nodes["C"] == (2.0, 0.0)
    assert ("B", "D", 0, True) in d.edges and ("A", "D", 2, False) in d.edges
    assert d.thresholds == {"D": 2, "E": 2, "C": 2}


@pytest.mark.parametrize("inputs", [[0, 2], [0.5, 1], ["a", 1], [-1, 0]])
def test_non_binary_input_is_rejected(inputs):
    with pytest.raises(ValueError, match="inputs must contain only binary values 0 or 1"):
        mp.and_network().fire(inputs)


@pytest.mark.parametrize("threshold", [-1, 1.5, "2", True])
def test_bad_threshold_is_rejected(threshold):
    with pytest.raises(ValueError, match="threshold must be a non-negative integer"):
        mp.McCullochPittsNeuron((1, 1), threshold)


@pytest.mark.parametrize("excitatory", [(1, -1), (1.0, 1), (True, 1)])
def test_bad_excitatory_counts_are_rejected(excitatory):
    with pytest.raises(ValueError, match="excitatory must be non-negative integer"):
        mp.McCullochPittsNeuron(excitatory, 1)


def test_mismatched_input_count_is_rejected():
    with pytest.raises(ValueError, match="inputs must hold 2 binary values"):
        mp.McCullochPittsNeuron((1, 1), 2).fire([1, 1, 1])
    with pytest.raises(ValueError, match="inputs must hold 2 binary values"):
        mp.and_network().fire([1])


def test_mismatched_inhibitory_flags_are_rejected():
    with pytest.raises(ValueError, match="inhibitory must have one flag per input"):
        mp.McCullochPittsNeuron((1, 1), 2, (True,))
    with pytest.raises(ValueError, match="inhibitory must contain booleans"):
        mp.McCullochPittsNeuron((1, 1), 2, (1, 0))


def test_network_layer_widths_must_match():
    n3 = mp.McCullochPittsNeuron((1, 1, 1), 2)
    with pytest.raises(ValueError, match=r"layers\[0\] has a neuron with 3 inputs"):
        mp.McCullochPittsNetwork(((n3,),), ("A", "B"), (("C",),))


def test_a_lone_neuron_has_a_truth_table_too():
    majority = mp.McCullochPittsNeuron((1, 1, 1), 2)
    text = mp.format_truth_table(majority)
    assert text.splitlines()[0] == "A B C | out"
    assert [y for _, y in mp.truth_table(majority)] == [(0,), (0,), (0,), (1,), (0,), (1,), (1,), (1,)]
    with pytest.raises(ValueError, match="unit must be"):
        mp.truth_table("AND")
