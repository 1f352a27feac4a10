import matplotlib.pyplot as plt

from lessons_lib import mcculloch_pitts as mp
from lessons_lib.plots.mcculloch_pitts import draw_networks


def test_figure_has_one_panel_per_network_and_a_legend():
    fig = draw_networks({k: f() for k, f in mp.FIGURE_2_1.items()})
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == list(mp.FIGURE_2_1)
    assert fig.legends and [t.get_text() for t in fig.legends[0].get_texts()] == [
        "excitatory connection", "inhibitory connection (ends in a bar)"]
    # The OR network draws two arrows from each input: four excitatory patches in all.
    or_ax = fig.axes[2]
    assert sum(1 for p in or_ax.patches if type(p).__name__ == "FancyArrowPatch") == 4
    plt.close(fig)
