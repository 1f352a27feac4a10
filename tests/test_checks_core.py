"""The machinery of the exercise checks (lessons_lib.checks._core), and the promises every section keeps:
each check is tested, called from a starter cell of its notebook (whose stored output is the "not answered"
line), and run on the notebook's solution in a hidden cell.

The helpers at the top (``notebook_for``, ``exercise_text``) are used by the tests of each section,
tests/test_checks_section_*.py.
"""

from __future__ import annotations

import importlib
import pathlib
import re
import subprocess
import sys

import nbformat
import numpy as np
import pytest

from lessons_lib.checks import _core
from lessons_lib.checks._core import (
    Check,
    InvalidAnswer,
    Result,
    call_answer,
    checks_in,
    close,
    correct,
    describe,
    exercise,
    expect_array,
    expect_number,
    expect_shape,
    fmt,
    format_message,
    is_blank,
    wrong,
    wrong_parts,
)

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SECTION_MODULES = sorted(p.stem for p in (ROOT / "lessons_lib" / "checks").glob("section_*.py"))


def notebook_for(module_name: str) -> pathlib.Path:
    """The notebook of a check module: ``section_2_2`` -> notebooks/2_2_the_perceptron.ipynb."""
    prefix = module_name.removeprefix("section_")
    found = [p for p in NOTEBOOKS if re.fullmatch(rf"{prefix}_[a-z][a-z0-9_]*", p.stem)]
    assert len(found) == 1, f"expected one notebook for {module_name}, found {[p.name for p in found]}"
    return found[0]


def exercise_text(notebook: pathlib.Path) -> str:
    """The markdown of a notebook from its "## Exercises" heading on: the exercises and their solutions."""
    cells = nbformat.read(notebook, as_version=4).cells
    start = next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## Exercises"))
    return "\n".join(c.source for c in cells[start:] if c.cell_type == "markdown")


# ---- Result and verdicts --------------------------------------------------------------------------------


def test_verdicts_start_with_their_word():
    assert correct("fine").message == "Correct: fine" and correct("x").passed
    assert wrong("no").message == "Not yet: no" and wrong("no").kind == "wrong"
    assert str(wrong("no")) == "Not yet: no"


def test_result_refuses_inconsistent_fields():
    with pytest.raises(ValueError, match="kind"):
        Result(False, "x", "maybe")
    with pytest.raises(ValueError, match="passed"):
        Result(True, "x", "wrong")


def test_wrong_parts_lists_each_part_on_its_own_line():
    one = wrong_parts(["slope: check its sign."], 4)
    assert one.message == "Not yet: 1 of the 4 answers needs another look.\n- slope: check its sign."
    both = wrong_parts(["a: x.", "b: y."], 2)
    assert both.message.startswith("Not yet: all 2 answers need another look.\n- a: x.\n- b: y.")
    with pytest.raises(ValueError, match="problems"):
        wrong_parts([], 3)


# ---- the decorator: blanks, bad input, printing -----------------------------------------------------------


@exercise(7)
def _pair(first, second):
    """A toy check: right when first + second == 3; raises inside for a negative first answer."""
    if first < 0:
        np.log(np.array([-1.0]))  # a warning here must not reach the student
        raise InvalidAnswer("first should be at least 0.")
    if first == 99:
        np.zeros(3).reshape(2, 2)  # numpy's ValueError while working on the answer
    return correct("3.") if first + second == 3 else wrong("the sum should be 3.")


@exercise("2b")
def _returns_nothing(answer):
    return None


def test_a_check_keeps_its_name_signature_and_docstring():
    assert isinstance(_pair, Check) and _pair.exercise == 7
    assert _pair.__name__ == "_pair" and "toy check" in _pair.__doc__
    assert repr(_pair) == "<check of exercise 7: _pair(first, second)>"


def test_every_answer_blank_is_unanswered_with_the_fixed_line():
    result = _pair.evaluate(..., ...)
    assert result.kind == "unanswered" and not result.passed
    assert result.message == ("Exercise 7 is not answered yet: replace the ... above with your answer and run "
                              "the cell again.")


@pytest.mark.parametrize("answers, where", [((1, ...), "second"), (([1, ...], 2), "first"),
                                            ((np.array([1, ...], dtype=object), 2), "first")])
def test_a_blank_left_somewhere_is_named(answers, where):
    result = _pair.evaluate(*answers)
    assert result.kind == "unanswered"
    assert result.message.startswith("Exercise 7 is not finished yet") and f"(in {where})" in result.message


def test_is_blank_looks_inside_containers():
    assert is_blank(...) and is_blank((1, [2, ...])) and is_blank({"a": ...})
    assert not is_blank((1, 2)) and not is_blank(np.array([1.0, 2.0])) and not is_blank("...")


def test_right_and_wrong_answers():
    assert _pair.evaluate(1, 2).kind == "correct"
    assert _pair.evaluate(first=2, second=2).message == "Not yet: the sum should be 3."


def test_invalid_answer_and_library_errors_become_the_invalid_kind():
    assert _pair.evaluate(-1, 0) == Result(False, "Not yet: first should be at least 0.", "invalid")
    result = _pair.evaluate(99, 0)
    assert result.kind == "invalid" and result.message.startswith("Not yet: this answer cannot be checked:")


def test_a_wrong_call_is_invalid_and_names_the_arguments():
    result = _pair.evaluate(1)
    assert result.kind == "invalid" and "check._pair takes (first, second)" in result.message
    assert "second" in result.message


def test_a_check_must_return_a_result():
    with pytest.raises(TypeError, match="_returns_nothing returned NoneType"):
        _returns_nothing.evaluate(1)


def test_calling_a_check_prints_the_verdict_and_returns_nothing(capsys):
    assert _pair(1, 2) is None
    assert capsys.readouterr().out == "Correct: 3.\n"
    _pair(..., ...)
    assert capsys.readouterr().out.startswith("Exercise 7 is not answered yet")


def test_format_message_wraps_to_the_column_and_indents_list_items():
    text = "Not yet: " + "word " * 30 + "\n- part: " + "more " * 30
    lines = format_message(text).split("\n")
    assert all(len(line) <= _core.WIDTH for line in lines)
    second_item_line = [i for i, line in enumerate(lines) if line.startswith("- part")][0] + 1
    assert lines[second_item_line].startswith("  more")


def test_exercise_refuses_a_missing_number():
    with pytest.raises(ValueError, match="number"):
        exercise(True)


def test_checks_in_lists_the_public_checks_of_a_module():
    module = importlib.import_module("lessons_lib.checks.section_2_1")
    assert set(checks_in(module)) == {"nor_neuron", "majority_neuron"}


# ---- reading answers --------------------------------------------------------------------------------------


def test_expect_number():
    assert expect_number(np.array([2.5]), "x") == 2.5
    assert expect_number(3.0, "n", integer=True) == 3
    for bad, fragment in [(True, "should be a number"), ("2", "the string '2'"), (np.nan, "finite"),
                          ([1, 2], "a list of 2 items")]:
        with pytest.raises(InvalidAnswer, match=re.escape(fragment)):
            expect_number(bad, "x")
    with pytest.raises(InvalidAnswer, match="whole number"):
        expect_number(2.5, "n", integer=True)


def test_expect_array():
    assert expect_array([[1, 2]], "w", shape=(2,)).shape == (2,)  # a row of the right length is accepted
    expected = "w should have shape (2,), like np.array([1.0, 1.0]); got shape (3,)"
    with pytest.raises(InvalidAnswer, match=re.escape(expected)):
        expect_array([1, 2, 3], "w", shape=(2,), example="np.array([1.0, 1.0])")
    with pytest.raises(InvalidAnswer, match="NaN or inf"):
        expect_array([1, np.nan], "w")
    with pytest.raises(InvalidAnswer, match="cannot read as numbers"):
        expect_array([[1, 2], [3]], "w")
    with pytest.raises(InvalidAnswer, match="the string"):
        expect_array("1 2", "w")


def test_expect_shape():
    assert expect_shape((32, 64), "X") == (32, 64) and expect_shape(10, "b") == (10,)
    with pytest.raises(InvalidAnswer, match=r"tuple of whole numbers like \(5, 3\)"):
        expect_shape((32.0, 64), "X")


def test_call_answer_reports_the_error_of_the_students_function():
    assert call_answer(lambda x: 2 * x, 3) == 6
    with pytest.raises(InvalidAnswer, match="calling your function raised ZeroDivisionError"):
        call_answer(lambda x: 1 / x, 0)
    with pytest.raises(InvalidAnswer, match="should be a function; got the number 3"):
        call_answer(3, 1)


def test_small_helpers():
    assert describe(np.zeros((2, 3))) == "an array of shape (2, 3)" and describe(None).startswith("None")
    assert close([1.0, 2.0], [1.0, 2.0 + 1e-12]) and not close([1.0], [1.0, 1.0])
    assert fmt(-0.0) == "0" and fmt(1 / 3, 3) == "0.333" and fmt([1.0, 0.5]) == "(1, 0.5)"


# ---- every section's checks ---------------------------------------------------------------------------------


def test_the_checks_import_numpy_but_not_matplotlib():
    code = ("import sys\n" + "".join(f"import lessons_lib.checks.{m}\n" for m in SECTION_MODULES)
            + "print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


@pytest.mark.parametrize("module_name", SECTION_MODULES)
def test_every_check_is_documented_tested_and_used(module_name):
    module = importlib.import_module(f"lessons_lib.checks.{module_name}")
    checks = checks_in(module)
    assert checks, f"{module_name} defines no checks"
    assert sorted(module.__all__) == sorted(checks), f"{module_name}.__all__ should list its checks"
    tests = ROOT / "tests" / f"test_checks_{module_name}.py"
    assert tests.is_file(), f"write the tests of {module_name} in {tests.relative_to(ROOT)}"
    test_source = tests.read_text(encoding="utf-8")
    notebook = notebook_for(module_name)
    cells = nbformat.read(notebook, as_version=4).cells
    code = [c for c in cells if c.cell_type == "code"]
    assert f"from lessons_lib.checks import {module_name} as check" in code[0].source, \
        f"{notebook.name}: import the checks in the first code cell"
    for name, check in checks.items():
        assert check.__doc__ and f"Exercise {check.exercise} of" in check.__doc__, f"{name}: say which exercise"
        assert f"check.{name}" in test_source, f"{tests.name} does not test check.{name}"
        starters = [c for c in code if f"check.{name}(" in c.source]
        assert len(starters) == 1, f"{notebook.name}: one starter cell should call check.{name}(...)"
        outputs = "".join(o.get("text", "") for o in starters[0].outputs)
        assert outputs.startswith(f"Exercise {check.exercise} is not answered yet"), \
            f"{notebook.name}: the stored output of the starter of check.{name} should be the unanswered line"
        hidden = [c for c in code if "remove-cell" in c.metadata.get("tags", [])
                  and f"check.{name}.evaluate(" in c.source]
        assert hidden, f"{notebook.name}: run the solution through check.{name}.evaluate in a hidden cell"


def test_every_section_has_its_checks_module():
    """Every notebook's exercises are checked: each section has lessons_lib/checks/section_<number>.py."""
    sections = {re.match(r"(\d+(?:_\d+)*)_[a-z]", p.stem).group(1) for p in NOTEBOOKS}
    missing = sorted(s for s in sections if f"section_{s}" not in SECTION_MODULES)
    assert not missing, f"sections without checked exercises: {missing}"
