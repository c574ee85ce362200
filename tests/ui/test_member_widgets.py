"""The staircase and the motivation chart: painted by hand, so check geometry and painting."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from cohortdesk.core.stages import stage
from cohortdesk.ui.widgets.motivation_chart import MotivationChart
from cohortdesk.ui.widgets.staircase import StaircaseWidget, step_tooltip


def test_staircase_steps_ascend_and_name_their_stage(qtbot: QtBot) -> None:
    stairs = StaircaseWidget()
    qtbot.addWidget(stairs)
    stairs.resize(150, 64)
    heights = [stairs.step_rect(n).height() for n in range(1, 6)]
    assert heights == sorted(heights) and len(set(heights)) == 5
    assert heights[0] >= 18  # the lowest step still holds its number
    centre = stairs.step_rect(4).center().toPoint()
    assert stairs.step_at(centre) == 4
    assert stairs.step_at(QPoint(centre.x(), 0)) == 4  # the column above a step counts
    assert stairs.step_at(QPoint(500, 10)) is None
    tip = step_tooltip(4)
    assert "4 · Knowledge construction" in tip and stage(4).emoderator_role in tip


def test_staircase_lights_the_members_step(qtbot: QtBot) -> None:
    stairs = StaircaseWidget()
    qtbot.addWidget(stairs)
    stairs.resize(150, 64)
    stairs.set_stage(3)
    assert stairs.stage() == 3
    assert "3 · Information exchange" in stairs.accessibleDescription()
    image = stairs.grab().toImage()
    lit = stage(3).colour

    def colour_at(number: int) -> QColor:
        point = stairs.step_rect(number).center().toPoint()
        return image.pixelColor(point.x() * image.width() // 150, image.height() - 4)

    assert colour_at(3).name() == lit
    assert colour_at(2).name() != QColor(stage(2).colour).name()  # unlit steps are faint


def grab(chart: MotivationChart) -> QImage:
    chart.resize(360, 130)
    return chart.grab().toImage()


def test_motivation_chart_paints_points_oldest_first(qtbot: QtBot) -> None:
    chart = MotivationChart()
    qtbot.addWidget(chart)
    empty = grab(chart)
    chart.set_points([(date(2026, 10, 12), 4), (date(2026, 9, 29), 2), (date(2026, 10, 5), 3)], 2)
    assert chart.points()[0] == (date(2026, 9, 29), 2)
    assert "latest 4 on 12 Oct 2026" in chart.accessibleDescription()
    painted = grab(chart)
    assert painted != empty
    chart.set_points([(date(2026, 10, 12), 4)], 2)  # one point sits in the middle
    assert grab(chart) != painted
