import numpy as np
import pytest

from lessons_lib.claims import ClaimError, claim, count, spread


def test_claim_that_holds_is_silent():
    claim(np.bool_(True), "all runs converge", "2.4.2, 'Gates'")


def test_claim_that_fails_quotes_text_place_and_evidence(monkeypatch):
    monkeypatch.setenv("LESSONS_LIB_STRICT_CLAIMS", "1")
    with pytest.raises(ClaimError) as info:
        claim(False, "all ten runs reach MSE < 0.01", "2.4.2, 'Watching the gates'", evidence="8 of 10")
    message = str(info.value)
    assert "all ten runs reach MSE < 0.01" in message
    assert "2.4.2, 'Watching the gates'" in message
    assert "8 of 10" in message


@pytest.mark.parametrize("text, where", [("", "2.1"), ("x", "")])
def test_claim_needs_text_and_place(text, where):
    with pytest.raises(ValueError, match="text|where"):
        claim(True, text, where)


def test_claim_rejects_an_array_as_truth_value():
    with pytest.raises(ValueError, match="holds"):
        claim(np.array([True, False]), "x", "2.1")


def test_spread_median_and_range():
    assert spread([0.3, 0.1, 0.2]) == "median 0.2 (range 0.1-0.3, 3 runs)"
    assert spread([0.967, 0.955, 0.98], digits=3, percent=True) == "median 96.7 % (range 95.5 %-98.0 %, 3 runs)"


def test_spread_rejects_nan_and_empty():
    with pytest.raises(ValueError, match="diverged"):
        spread([0.1, np.nan])
    with pytest.raises(ValueError, match="at least one"):
        spread([])
    with pytest.raises(ValueError, match="digits"):
        spread([1.0], digits=0)


def test_count_below_and_above():
    assert count([0.001, 0.02, 0.3], 0.01) == 1
    assert count([0.001, 0.02, 0.3], 0.01, below=False) == 2


def test_a_students_kernel_gets_a_note_instead_of_an_error(monkeypatch, capsys):
    monkeypatch.delenv("LESSONS_LIB_STRICT_CLAIMS", raising=False)
    claim(False, "27 times as many labels", "1.1.3, 'Propagating labels'", evidence="12 times")
    out = capsys.readouterr().out
    assert "does not hold" in out and "27 times as many labels" in out and "12 times" in out
    claim(True, "27 times as many labels", "1.1.3")
    assert capsys.readouterr().out == ""


def test_the_unit_tests_run_strict():
    # tests/conftest.py sets the variable, so the tests/test_claims_*.py checks raise.
    with pytest.raises(ClaimError):
        claim(False, "x", "2.1")
