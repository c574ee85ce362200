"""How long the dashboard's biggest charts and the reply-network layouts take.

Figures (in .bench/results.json), each the best of three runs, in milliseconds:
- `chart_heatmap_5000_draw_ms`: the heatmap takes 5,000 members over 9 weeks and paints;
- `network_layout_5000_ms`: the dashboard's reply-network layout of 5,000 members (a sparse
  network, as `tests/ui/dashboard_data.big_network` makes it), the work the dashboard does in
  the background;
- `chart_network_5000_draw_ms`: the reply-network chart takes those positions and paints;
- `pdf_network_layout_<n>_ms`: the PDF report's reply-network layout (`square_layout`) of n
  people who replied (each answering three others, 1 to 5 times), from a small cohort to
  past `NETWORKX_LIMIT`, where the dashboard's numpy layout takes over from networkx.

They used to be limits in the normal tests; here they are figures to compare between runs.
"""

from __future__ import annotations

import random
from typing import Any, TypeVar

import pytest
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from cohortdesk.core.network_layout import network_layout, square_layout
from cohortdesk.ui.charts.base import ChartCard
from cohortdesk.ui.charts.heatmap_chart import HeatmapChart
from cohortdesk.ui.charts.network_chart import NetworkChart
from tests.perf.conftest import Record, best_ms
from tests.ui import dashboard_data as data

Card = TypeVar("Card", bound=ChartCard)


@pytest.fixture(autouse=True)
def _no_tooltips(monkeypatch: pytest.MonkeyPatch) -> None:
    # the headless platform cannot raise a real tooltip without a warning
    monkeypatch.setattr(QToolTip, "showText", lambda *_args: None)


def _replies(people: int, seed: int = 1) -> dict[tuple[int, int], int]:
    rng = random.Random(seed)
    edges: dict[tuple[int, int], int] = {}
    for a in range(people):
        for _ in range(3):
            b = rng.randrange(people)
            if a != b:
                pair = (min(a, b), max(a, b))
                edges[pair] = edges.get(pair, 0) + rng.randint(1, 5)
    return edges


def _shown(qtbot: QtBot, card: Card) -> Card:
    qtbot.addWidget(card)
    card.resize(640, 480)
    card.show()
    return card


def _draw(card: Any, *data: object) -> None:
    card.set_data(*data)
    QApplication.processEvents()


def test_the_biggest_charts(qtbot: QtBot, record: Record) -> None:
    rows, weeks = data.big_heatmap(5000, 9), data.weeks(9)
    heatmap = _shown(qtbot, HeatmapChart())
    network = data.big_network(5000)
    positions = network_layout(network)
    chart = _shown(qtbot, NetworkChart())
    record(
        chart_heatmap_5000_draw_ms=best_ms(lambda: _draw(heatmap, rows, weeks)),
        network_layout_5000_ms=best_ms(lambda: network_layout(network)),
        chart_network_5000_draw_ms=best_ms(lambda: _draw(chart, network, positions)),
    )
    assert len(chart.points()) == 5000


@pytest.mark.parametrize("people", [24, 160, 499, 1000, 5000])
def test_the_pdf_network_layout(people: int, record: Record) -> None:
    edges = _replies(people)
    nodes = list(range(people))
    positions = square_layout(nodes, edges)
    record(**{f"pdf_network_layout_{people}_ms": best_ms(lambda: square_layout(nodes, edges))})
    assert len(positions) == people
