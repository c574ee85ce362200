"""Vertical axes carry their numbers at any size: the labels are drawn on the first paint."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cohortdesk.ui.charts.base import ChartCard, integer_ticks
from tests.ui.charts_support import show


def drawn_labels(axis: object) -> list[str]:
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _axis, _ticks, texts = axis.generateDrawSpecs(painter)  # type: ignore[attr-defined]
    finally:
        painter.end()
    return [text for _rect, _flags, text in texts]


@pytest.mark.parametrize("top", [1, 7, 150, 445, 4_321, 98_765])
def test_every_tick_of_a_count_axis_is_labelled(qtbot: QtBot, top: int) -> None:
    card = ChartCard("Counts")
    plot = card.add_plot()
    show(qtbot, card)
    axis = plot.getAxis("left")
    # drawn first with a one-digit count (no data yet, or a small cohort), as the dashboard does
    integer_ticks(plot, 1)
    drawn_labels(axis)
    QApplication.processEvents()
    plot.plot([0, 1, 2], [0, top / 2, top])
    plot.setYRange(0, top * 1.1, padding=0)
    integer_ticks(plot, top)
    QApplication.processEvents()
    wanted = [text for _value, text in axis._tickLevels[0]]
    assert len(wanted) >= 2
    assert drawn_labels(axis) == wanted
