"""The network's drawing arrays, built without Qt (in the dashboard's worker thread)."""

from __future__ import annotations

import numpy as np

from cohortdesk.core.enums import Role
from cohortdesk.core.network_layout import network_layout
from cohortdesk.ui.charts.network_picture import (
    SMOOTH_EDGES_UP_TO,
    network_picture,
)
from tests.ui.dashboard_data import big_network, make_dashboard


def test_every_reply_link_is_one_segment_in_the_batch_of_its_weight() -> None:
    network = make_dashboard().network
    where = network_layout(network)
    picture = network_picture(network, where)
    assert sum(len(batch.xs) for batch in picture.edges) == 2 * len(network.edges)
    widths = [batch.width for batch in picture.edges]
    assert widths == sorted(widths)  # thin (one reply) to thick (four or more)
    heaviest = max(network.edges, key=lambda e: e.count)
    thickest = picture.edges[-1]
    ends = set(zip(thickest.xs.tolist(), thickest.ys.tolist(), strict=True))
    assert where[heaviest.source] in ends and where[heaviest.target] in ends
    assert picture.smooth


def test_each_member_has_a_place_a_size_and_a_look() -> None:
    network = make_dashboard().network
    picture = network_picture(network, network_layout(network))
    assert len(picture.placed) == len(network.nodes) == len(picture.xy) == len(picture.styles)
    for node, style, size, drawn in zip(
        picture.placed, picture.styles, picture.sizes, picture.diameters, strict=True
    ):
        if node.role is Role.LEARNER:
            assert style == f"{'isolated' if node.isolated else 'stage'}-{node.stage}"
        else:
            assert style == node.role.value
        assert drawn >= round(size * 2) / 2 - 0.5  # the facilitator's star is drawn bigger
    assert any(s.startswith("isolated-") for s in picture.styles)


def test_a_crowd_of_links_is_drawn_without_smoothing() -> None:
    network = big_network(5000)
    picture = network_picture(network, network_layout(network))
    assert len(network.edges) > SMOOTH_EDGES_UP_TO
    assert not picture.smooth
    assert np.isfinite(picture.xy).all() and len(picture.xy) == 5000


def test_each_batch_s_path_is_the_one_pyqtgraph_would_draw_its_segments_with() -> None:
    import pyqtgraph as pg

    network = big_network(300)
    picture = network_picture(network, network_layout(network))
    assert picture.edges
    for batch in picture.edges:
        drawn = pg.PlotCurveItem(batch.xs, batch.ys, connect="pairs").getPath()
        assert batch.path == drawn
        assert batch.path.elementCount() == len(batch.xs)
