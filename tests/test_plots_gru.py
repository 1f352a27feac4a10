import matplotlib.pyplot as plt

from lessons_lib.plots.gru import draw_gru_cell


def test_cell_diagram_names_its_state_and_gates():
    fig = draw_gru_cell()
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert {r"$h_{t-1}$", r"$h_t$", r"$z_t$", r"$r_t$", r"$n_t$", "1−"} <= texts
    plt.close(fig)


def test_cell_diagram_draws_the_reset_gate_where_the_variant_puts_it():
    import pytest

    after = draw_gru_cell()
    texts = {t.get_text() for ax in after.axes for t in ax.texts}
    assert r"$W_{hn}$" in texts and r"$h_{t-1} W_{hn} + b_{hn}$" in texts
    assert "reset after" in after.axes[0].get_title()
    before = draw_gru_cell("reset_before")
    texts = {t.get_text() for ax in before.axes for t in ax.texts}
    assert r"$r_t \odot h_{t-1}$" in texts and r"$W_{hn}$" not in texts
    assert "reset before" in before.axes[0].get_title()
    with pytest.raises(ValueError, match="variant"):
        draw_gru_cell("reset_sometimes")
    plt.close("all")
