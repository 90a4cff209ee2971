"""plot_history draws the champion in service after each batch: a promoted candidate's accuracy from its batch on."""

import math

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

from proyecto3.tracking import plot_history  # noqa: E402

NAN = math.nan


def test_the_champion_line_follows_promotions_and_ignores_rejections():
    table = pd.DataFrame({
        "span": [1, 2, 3, 4],
        "accuracy candidato": [0.90, NAN, 0.93, 0.85],
        "accuracy campeón": [NAN, 0.90, 0.90, 0.93],
        "decisión": ["promovido", "omitido", "promovido", "rechazado"],
    })
    figure = plot_history(table)
    champion = figure.axes[0].lines[0]
    assert list(champion.get_ydata()) == [0.90, 0.90, 0.93, 0.93], champion.get_ydata()
    assert len(figure.axes[0].collections) == 3, "one scatter per outcome"
