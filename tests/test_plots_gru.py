import matplotlib.pyplot as plt

from lessons_lib.plots.gru import draw_gru_cell


def test_cell_diagram_names_its_state_and_gates():
    fig = draw_gru_cell()
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert {r"$h_{t-1}$", r"$h_t$", r"$z_t$", r"$r_t$", r"$n_t$", "1−"} <= texts
    plt.close(fig)
