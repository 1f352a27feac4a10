"""lessons_lib.plots.style: the text-size rule of the site, legible(), grid shapes and title wrapping."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.textpath import TextPath  # noqa: E402

from lessons_lib.plots.style import (  # noqa: E402
    COLUMN_INCHES,
    grid_shape,
    legible,
    min_fontsize,
    shown_px_per_inch,
    wrap_to_width,
)


def test_a_figure_is_shown_at_100_px_per_inch_up_to_the_column_then_shrunk():
    assert COLUMN_INCHES == pytest.approx(6.52)
    assert shown_px_per_inch(4.0) == shown_px_per_inch(COLUMN_INCHES) == pytest.approx(100.0)
    assert shown_px_per_inch(10.0) == pytest.approx(672 / 10.2)        # 0.1 in of padding on each side
    with pytest.raises(ValueError, match="width_inches"):
        shown_px_per_inch(0.0)


def test_min_fontsize_is_13_5_px_on_the_page_rounded_up():
    assert min_fontsize(6.0) == pytest.approx(9.8)                      # 13.5 px at 100 px per inch: 9.72 pt
    assert min_fontsize(10.0) == pytest.approx(14.8)                    # shown at 65.9 px per inch: 14.75 pt
    assert min_fontsize(px_per_inch=100) == pytest.approx(9.8)
    assert min_fontsize(px_per_inch=200, min_px=27) == pytest.approx(9.8)
    for width in (8.0, 12.0):                                           # just enough, to 0.1 pt
        px = min_fontsize(width) / 72 * shown_px_per_inch(width)
        assert 13.5 <= px < 13.5 + 0.1 / 72 * shown_px_per_inch(width)
    with pytest.raises(ValueError, match="exactly one"):
        min_fontsize()
    with pytest.raises(ValueError, match="exactly one"):
        min_fontsize(6.0, px_per_inch=100)
    with pytest.raises(ValueError, match="px_per_inch"):
        min_fontsize(px_per_inch=0)
    with pytest.raises(ValueError, match="min_px"):
        min_fontsize(6.0, min_px=-1)


def test_legible_raises_small_text_only_and_reaches_ticks_made_later():
    fig, ax = plt.subplots(figsize=(10, 3))
    ax.plot([0, 1], [0, 1], label="a line")
    ax.set_title("a title", fontsize=20)
    ax.set_xlabel("x", fontsize=6)
    ax.legend(fontsize=7)
    ax.annotate("a note", (0.5, 0.5), fontsize=5)
    fig.text(0.01, 0.01, "a figure text", fontsize=8)
    assert legible(fig) is fig
    floor = min_fontsize(10.0)
    assert ax.title.get_fontsize() == 20                                 # larger text keeps its size
    assert ax.xaxis.label.get_fontsize() == ax.texts[0].get_fontsize() == floor
    assert fig.texts[0].get_fontsize() == ax.get_legend().get_texts()[0].get_fontsize() == floor
    ax.set_xlim(0, 1000)                                                 # new ticks, new tick labels
    fig.canvas.draw()
    sizes = {t.get_fontsize() for t in ax.get_xticklabels() + ax.get_yticklabels()}
    assert sizes == {floor}
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.set_title("small figure")
    legible(fig, px_per_inch=50)                                         # shown at half its 1x size
    assert ax.title.get_fontsize() == pytest.approx(19.5)
    plt.close(fig)
    with pytest.raises(ValueError, match="fig"):
        legible("not a figure")


@pytest.mark.parametrize("n, shape", [(1, (1, 1)), (2, (1, 2)), (3, (1, 3)), (4, (2, 2)), (5, (2, 3)), (6, (2, 3)),
                                      (7, (3, 3)), (9, (3, 3))])
def test_grid_shape_rows_of_at_most_three_as_even_as_possible(n, shape):
    assert grid_shape(n) == shape
    rows, cols = shape
    assert (rows - 1) * cols < n <= rows * cols


def test_grid_shape_rejects_nonsense():
    with pytest.raises(ValueError, match="n and max_cols"):
        grid_shape(0)
    with pytest.raises(ValueError, match="n and max_cols"):
        grid_shape(3, max_cols=0)


def _width(text, size=10.0):
    return TextPath((0, 0), text, size=size).get_extents().width / 72


def test_wrap_to_width_fits_and_breaks_where_a_phrase_ends():
    assert wrap_to_width("AND: w = (1, 1), b = −1.5", 1.6) == "AND: w = (1, 1),\nb = −1.5"
    assert wrap_to_width("NAND: w = (−1, −1), b = 1.5", 1.6) == "NAND: w = (−1, −1),\nb = 1.5"
    assert wrap_to_width("2 x 128 (17283 parameters)", 1.7, 12) == "2 x 128\n(17283 parameters)"
    assert wrap_to_width("short", 0.1) == "short"                          # one word: as it is
    assert wrap_to_width("two\nlines", 5) == "two\nlines"                  # given breaks stay
    text = "Generating sine waves from (amplitude, frequency): 24 units, 3 seeds, $x_1$ and $\\hat{y}$ values"
    for width in (1.5, 2.5, 4.0):
        lines = wrap_to_width(text, width).split("\n")
        assert " ".join(lines) == text
        assert all(_width(line) <= width + 0.02 for line in lines)
    with pytest.raises(ValueError, match="width_inches"):
        wrap_to_width("a b", 0)
