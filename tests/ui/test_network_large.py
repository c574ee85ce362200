"""The reply network at hundreds of members: few names that never overlap, filters, focus."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cohortdesk.core.enums import Role
from cohortdesk.core.network_layout import network_layout
from cohortdesk.core.services.dashboards.network_view import MOST_CONNECTED, partners
from cohortdesk.ui.charts.network_chart import NetworkChart
from tests.ui import dashboard_data as data
from tests.ui.charts_support import click, show


def drawn(qtbot: QtBot, members: int, seed: int) -> NetworkChart:
    big = data.big_network(members, seed=seed)
    card = NetworkChart()
    show(qtbot, card, width=820)
    card.set_data(big, network_layout(big))
    QApplication.processEvents()
    return card


def overlapping(card: NetworkChart) -> list[tuple[str, str]]:
    boxes = [(label.textItem.toPlainText(), label.sceneBoundingRect()) for label in card.labels]
    return [
        (a, b)
        for i, (a, one) in enumerate(boxes)
        for b, other in boxes[i + 1 :]
        if one.intersects(other)
    ]


@pytest.mark.parametrize(("members", "seed"), [(150, 1), (500, 3), (500, 8)])
def test_few_names_none_overlapping(qtbot: QtBot, members: int, seed: int) -> None:
    card = drawn(qtbot, members, seed)
    assert len(card.points()) == members
    assert 1 <= len(card.labels) <= MOST_CONNECTED
    assert overlapping(card) == []


def test_filter_by_stage_and_role(qtbot: QtBot) -> None:
    card = drawn(qtbot, 500, 3)
    card.show_only("stage-2")
    shown = card.shown_nodes()
    assert shown and all(n.role is Role.LEARNER and n.stage == 2 for n in shown)
    assert (
        len(card.points())
        == len(shown)
        == sum(1 for n in card.nodes() if n.role is Role.LEARNER and n.stage == 2)
    )
    card.show_only("staff")
    assert {n.role for n in card.shown_nodes()} == {Role.FACILITATOR}
    card.show_only("all")
    assert len(card.shown_nodes()) == 500


def test_a_click_focuses_on_one_person_and_their_partners(qtbot: QtBot) -> None:
    card = drawn(qtbot, 500, 3)
    network = card._network
    assert network is not None
    person = next(
        n
        for n in card.nodes()
        if n.role is Role.LEARNER and len(partners(network, n.person_id)) >= 3
    )
    where = card.node_position(person.person_id)
    picked = click(qtbot, card, card.plot, where.x(), where.y())
    assert picked and picked[0].membership_ids[0] in {n.membership_id for n in card.nodes()}
    chosen = next(n for n in card.nodes() if n.membership_id == picked[0].membership_ids[0])
    expected = partners(network, chosen.person_id) | {chosen.person_id}
    assert {n.person_id for n in card.shown_nodes()} == expected
    assert chosen.name in card.label_texts()
    assert card.focus_choice.currentText() == chosen.name
    card.focus_on(None)
    assert len(card.shown_nodes()) == 500
