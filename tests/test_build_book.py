"""scripts/build_book.py: which cells are explorers, and which stored outputs must not reach the site."""

import importlib.util
import pathlib

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("build_book", ROOT / "scripts" / "build_book.py")
build_book = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_book)


def _notebook(tmp_path, *cells) -> pathlib.Path:
    nb = nbformat.v4.new_notebook()
    for source, outputs in cells:
        cell = nbformat.v4.new_code_cell(source)
        cell.outputs = [nbformat.from_dict(o) for o in outputs]
        nb.cells.append(cell)
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return path


def _result(text):
    return {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/plain": text}}


def test_explorer_cells_are_single_calls_with_literal_arguments(tmp_path):
    path = _notebook(
        tmp_path,
        ("import numpy as np", []),
        ("ActivationExplorer()", [_result("a")]),
        ("x = 1\nx", [_result("1")]),
        ("GradientExplorer(depth=20, activation='relu')", [_result("b")]),
        ("# a blank to fill in\nanswer = ...\ncheck.exercise_1(answer", []),  # not Python yet
    )
    cells = build_book.explorer_cells(path)
    assert cells == [(1, "ActivationExplorer", {}, "a"),
                     (3, "GradientExplorer", {"depth": 20, "activation": "relu"}, "b")]


@pytest.mark.parametrize("source, message", [
    ("depth = 5\nGradientExplorer(depth=depth)", "holds only the explorer's call"),
    ("GradientExplorer(5)", "keyword arguments"),
    ("GradientExplorer(depth=DEPTH)", "must be literals"),
])
def test_other_explorer_cells_are_refused_naming_the_cell(tmp_path, source, message):
    path = _notebook(tmp_path, ("import numpy", []), (source, [_result("x")]))
    with pytest.raises(SystemExit, match=rf"nb.ipynb, cell 1: .*{message}"):
        build_book.explorer_cells(path)


def test_an_explorer_cell_without_stored_output_is_refused(tmp_path):
    path = _notebook(tmp_path, ("ActivationExplorer()", []))
    with pytest.raises(SystemExit, match="no stored output; run scripts/execute_notebooks.py"):
        build_book.explorer_cells(path)


def test_errors_warnings_and_1x_figures_stop_the_build(tmp_path):
    png = {"output_type": "display_data", "data": {"image/png": "iVBOR", "text/plain": "<Figure>"}}
    retina = dict(png, metadata={"image/png": {"width": 640, "height": 480}})
    path = _notebook(
        tmp_path,
        ("plot()", [dict(png, metadata={})]),
        ("plot()", [retina]),
        ("warn()", [{"output_type": "stream", "name": "stderr", "text": "RuntimeWarning: overflow"}]),
        ("fail()", [{"output_type": "error", "ename": "ValueError", "evalue": "bad", "traceback": []}]),
        ("print(1)", [{"output_type": "stream", "name": "stdout", "text": "1"}]),
    )
    problems = build_book.output_problems(path)
    assert len(problems) == 3
    assert "cell 0: a figure stored without its 1x size" in problems[0]
    assert "cell 2 wrote to stderr: RuntimeWarning" in problems[1]
    assert "cell 3 stored an error: ValueError: bad" in problems[2]


def test_every_stored_notebook_is_fit_for_the_site():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    problems = [p for path in notebooks for p in build_book.output_problems(path)]
    assert not problems, "\n".join(problems)
    assert sum(len(build_book.explorer_cells(path)) for path in notebooks) >= 3
