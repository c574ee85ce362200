"""What the chart tests share: the hand-made dashboard, and helpers to show a chart card, hover
over and click its data points (the tooltip catcher is in conftest.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cohortdesk.core.enums import Role
from cohortdesk.ui.charts.base import ChartCard, Selection
from tests.ui import dashboard_data as data

BOARD = data.make_dashboard()
ROWS = data.member_rows()
LEARNERS = [r for r in ROWS if r.role is Role.LEARNER]


def show(qtbot: QtBot, card: ChartCard, width: int = 640) -> ChartCard:
    qtbot.addWidget(card)
    card.resize(width, card.sizeHint().height())
    card.show()
    qtbot.waitExposed(card)
    QApplication.processEvents()
    return card


def hover(qtbot: QtBot, card: ChartCard, plot: Any, x: float, y: float) -> str:
    """Move the mouse over a data point; what the tooltip says."""
    qtbot.mouseMove(card.view.viewport(), card.widget_position(plot, x, y))
    QApplication.processEvents()
    return card.last_tooltip


def click(qtbot: QtBot, card: ChartCard, plot: Any, x: float, y: float) -> list[Selection]:
    """Click a data point; the selections the card announced."""
    picked: list[Selection] = []
    card.members_selected.connect(picked.append)
    qtbot.mouseClick(
        card.view.viewport(), Qt.MouseButton.LeftButton, pos=card.widget_position(plot, x, y)
    )
    return picked


def by_stage() -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for row in LEARNERS:
        groups.setdefault(row.stage, []).append(row.membership_id)
    return groups
