"""The heatmap and the reply network on hand-made data: what they draw, what their tooltips
say, what a click selects, and that five thousand members draw as a few items (how long they
take is measured in tests/perf/test_charts_bench.py)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from cohortdesk.core.enums import Role
from cohortdesk.core.name_order import name_key
from cohortdesk.core.network_layout import network_layout
from cohortdesk.core.schemas.dashboard import NetworkNode, ReplyNetwork
from cohortdesk.core.schemas.report import FindingKind
from cohortdesk.core.services.dashboards.network_view import partners
from cohortdesk.ui.charts.heatmap_chart import HeatmapChart, heatmap_order
from cohortdesk.ui.charts.network_chart import NO_FOCUS, NetworkChart
from cohortdesk.ui.charts.network_picture import network_picture
from tests.ui import dashboard_data as data
from tests.ui.charts_support import BOARD, click, hover, show

# ---- the heatmap ----------------------------------------------------------------------------


def test_the_heatmap_is_one_image_grouped_by_stage(qtbot: QtBot) -> None:
    card = HeatmapChart()
    card.set_data(BOARD.heatmap, BOARD.weeks)
    show(qtbot, card)
    image = card.image.image
    assert image.shape == (len(BOARD.heatmap), len(BOARD.weeks), 4)
    rows = card.rows()
    learners = [r for r in rows if r.role is Role.LEARNER]
    assert [r.stage for r in learners] == sorted(r.stage for r in learners)
    assert all(r.role is not Role.LEARNER for r in rows[len(learners) :])  # staff last
    # silent weeks share one colour; the busiest cell is the strongest
    counts = card.counts()
    silent = image[counts == 0]
    assert (silent == silent[0]).all()
    busiest = np.unravel_index(np.argmax(counts), counts.shape)
    assert tuple(image[busiest][:3]) != tuple(silent[0][:3])


def test_a_heatmap_cell_tells_its_count_and_selects_its_member(qtbot: QtBot) -> None:
    card = HeatmapChart()
    card.set_data(BOARD.heatmap, BOARD.weeks)
    show(qtbot, card)
    row = next(i for i, r in enumerate(card.rows()) if r.name == "Milo Novak")
    centre = card.cell_centre(row, 3)
    text = hover(qtbot, card, card.plot, centre.x(), centre.y())
    assert "Milo Novak" in text and "22 actions" in text and "Week 4" in text
    picked = click(qtbot, card, card.plot, centre.x(), centre.y())
    assert [p.membership_ids for p in picked] == [(card.rows()[row].membership_id,)]


def test_who_went_quiet_is_said_above_the_heatmap(qtbot: QtBot) -> None:
    quiet = next(f for f in BOARD.findings if f.kind is FindingKind.WENT_QUIET)
    assert "Elena Ruiz" in [p.name for p in quiet.people]
    card = HeatmapChart()
    card.set_data(BOARD.heatmap, BOARD.weeks, quiet=quiet)
    show(qtbot, card)
    assert "went quiet" in card.notes() and "Elena Ruiz" in card.notes()
    card.set_data(BOARD.heatmap, BOARD.weeks)
    assert "went quiet" not in card.notes()


def test_five_thousand_members_draw_as_one_image(qtbot: QtBot) -> None:
    rows = data.big_heatmap(5000, 9)
    card = HeatmapChart()
    show(qtbot, card)
    card.set_data(rows, data.weeks(9))
    QApplication.processEvents()
    assert card.image.image.shape[:2] == (5000, 9)
    images = [i for i in card.plot.items if i.__class__.__name__ == "ImageItem"]
    assert len(images) == 2  # the cells and the stage strip
    assert len(card.plot.items) < 20  # group borders, not one item per member
    assert heatmap_order(rows)[0].stage == 1


# ---- the reply network ----------------------------------------------------------------------


def network(qtbot: QtBot) -> NetworkChart:
    card = NetworkChart()
    card.set_data(BOARD.network)
    show(qtbot, card)
    return card


def test_the_network_draws_every_member_and_says_its_findings(qtbot: QtBot) -> None:
    card = network(qtbot)
    assert len(card.points()) == len(BOARD.network.nodes)
    assert 1 <= len(card.edge_items) <= 3  # replies drawn in three batches by weight
    notes = card.notes()
    assert "Ivan Petrov" in notes and "Facilitator-centred" in notes and "dominates" in notes
    assert "reply links" in notes
    sizes = {card.nodes()[s.data()].name: s.size() for s in card.points()}
    learners = [n for n in card.nodes() if n.role is Role.LEARNER]
    busiest = max(learners, key=lambda n: n.activity)
    assert sizes[busiest.name] == max(sizes[n.name] for n in learners)
    assert sizes["Fran Castillo"] > sizes["Ines Roth"]  # the facilitator's star stands out


def test_a_node_tells_its_numbers_and_selects_its_member(qtbot: QtBot) -> None:
    card = network(qtbot)
    milo = next(n for n in BOARD.network.nodes if n.name == "Milo Novak")
    where = card.node_position(milo.person_id)
    text = hover(qtbot, card, card.plot, where.x(), where.y())
    assert "Milo Novak" in text and "Replied to" in text and f"<b>{milo.activity}</b>" in text
    picked = click(qtbot, card, card.plot, where.x(), where.y())
    assert [p.membership_ids for p in picked] == [(milo.membership_id,)]
    assert click(qtbot, card, card.plot, 5.0, 5.0) == []  # empty space selects nobody


def test_five_thousand_members_draw_as_a_few_items(qtbot: QtBot) -> None:
    big = data.big_network(5000)
    positions = network_layout(big)  # the dashboard runs this in a worker thread
    card = NetworkChart()
    show(qtbot, card)
    card.set_data(big, positions)
    QApplication.processEvents()
    assert len(card.points()) == 5000
    assert len(card.plot.items) < 40  # a scatter per look, edge batches, a few names


def test_the_focus_list_names_everyone_by_name_and_keeps_the_focus_on_a_reload(
    qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    card = network(qtbot)
    combo = card.focus_choice
    listed = [(combo.itemText(row), combo.itemData(row)) for row in range(combo.count())]
    expected = sorted(
        ((n.name, n.person_id) for n in BOARD.network.nodes), key=lambda c: name_key(c[0])
    )
    assert listed == [(NO_FOCUS, None), *expected]
    qtmodeltester.check(card.focus_choices)
    milo = next(n for n in BOARD.network.nodes if n.name == "Milo Novak")
    card.focus_on(milo.person_id)
    assert combo.currentText() == "Milo Novak" and combo.currentData() == milo.person_id
    card.set_data(BOARD.network)  # the dashboard reloads: the focus stays
    assert combo.currentData() == milo.person_id
    assert {n.person_id for n in card.shown_nodes()} == partners(BOARD.network, milo.person_id) | {
        milo.person_id
    }
    card.focus_on(None)
    assert combo.currentIndex() == 0 and len(card.shown_nodes()) == len(BOARD.network.nodes)


def test_the_reply_links_are_drawn_with_the_paths_their_picture_built(qtbot: QtBot) -> None:
    big = data.big_network(400)
    picture = network_picture(big, network_layout(big))
    card = NetworkChart()
    show(qtbot, card)
    card.set_data(big, network_layout(big), picture)
    QApplication.processEvents()
    assert [item.getPath() for item in card.edge_items] == [b.path for b in picture.edges]


@pytest.mark.parametrize("width", [420, 580, 900])
def test_long_names_stay_inside_the_network(qtbot: QtBot, width: int) -> None:
    """Edify's seven isolated members: "Moodle user 5104", named beside the rightmost node,
    was cut by the card's edge."""
    nodes = [
        NetworkNode(
            person_id=n,
            membership_id=100 + n,
            name=f"Moodle user {number}",
            role=Role.LEARNER,
            stage=1,
            activity=10 + n,  # they read: Edify's log has views only
            in_degree=0,
            out_degree=0,
            isolated=True,
        )
        for n, number in enumerate((394, 1905, 2672, 2684, 3247, 5090, 5104), start=1)
    ]
    edify = ReplyNetwork(
        nodes=nodes,
        edges=[],
        reciprocity=0.0,
        staff_share=0.0,
        facilitator_centred=False,
        findings=[],
    )
    card = NetworkChart()
    show(qtbot, card, width)
    card.set_data(edify)
    QApplication.processEvents()
    assert card.labels  # a name that would overlap another is left out
    viewport = card.view.viewport().rect()
    for label in card.labels:
        drawn = card.view.mapFromScene(label.sceneBoundingRect()).boundingRect()
        assert viewport.contains(drawn), (label.textItem.toPlainText(), drawn, viewport)
