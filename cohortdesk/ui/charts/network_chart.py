"""The reply network (who answers whom), with the patterns SNAPP and Threadz flag, in words.

Nodes are sized by activity and coloured by stage; the facilitator is a star and mentors are
diamonds, both ringed in the text colour; isolated learners get a red ring and sit on the
outer circle. Edges get thicker with the number of replies. Everything is a handful of
pyqtgraph items (a scatter per look, three line batches), so 5,000 members still pan and zoom.
"""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from cohortdesk.core.models import Role
from cohortdesk.core.network_layout import Positions, network_layout
from cohortdesk.core.schemas.dashboard import NetworkNode, ReplyNetwork
from cohortdesk.core.services.dashboards.story import sentence
from cohortdesk.ui import format as fmt
from cohortdesk.ui.charts.base import ChartCard, Selection, percent, tooltip_table
from cohortdesk.ui.charts.network_picture import NetworkPicture, network_picture
from cohortdesk.ui.charts.theme import ALERT_COLOUR

LABEL_ALL_UP_TO = 60
"""Up to this many members every node is named; above it, staff and the busiest few."""
BUSIEST_LABELLED = 10
LABEL_EM = 40.0
"""About how wide a short name's label is, in pixels (to move it clear of its node)."""
STAFF_LOOKS = {role.value for role in Role if role is not Role.LEARNER}
SYMBOLS = {Role.FACILITATOR: "star", Role.MENTOR: "d", Role.MANAGER: "s", Role.LEARNER: "o"}


def metrics_line(network: ReplyNetwork) -> str:
    """`24 members · 31 reply links · 2 isolated`."""
    isolated = sum(1 for n in network.nodes if n.isolated)
    return (
        f"{fmt.plural(len(network.nodes), 'member')} · "
        f"{fmt.plural(len(network.edges), 'reply link')} · "
        f"{isolated:,} isolated · reciprocity {percent(network.reciprocity)}"
    )


def is_worrying(finding: str) -> bool:
    """Findings a facilitator should act on: isolation, a staff hub, a dominant voice."""
    return any(word in finding for word in ("isolated", "Facilitator-centred", " dominates"))


class NetworkChart(ChartCard):
    """Who answers whom. Hover a member for their numbers; click to select them."""

    PLOT_HEIGHT = 420

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Reply network",
            "Who answers whom: bigger is more active; drag to move, scroll to zoom",
            parent,
        )
        self.plot = self.add_plot(pan=True)
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.setAspectLocked(True)
        self._network: ReplyNetwork | None = None
        self._positions: Positions = {}
        self._nodes: list[NetworkNode] = []
        self._placed: list[NetworkNode] = []
        self._picture: NetworkPicture | None = None
        self._notes: list[str] = []
        self.scatters: list[Any] = []
        self.edge_items: list[Any] = []
        self.labels: list[Any] = []
        self.refresh()

    def set_data(
        self,
        network: ReplyNetwork,
        positions: Positions | None = None,
        picture: NetworkPicture | None = None,
    ) -> None:
        """Show `network`. For big cohorts a worker computes `positions` (person id -> x, y)
        and the `picture` from them; without, they are computed here."""
        self._network = network
        self._nodes = list(network.nodes)
        self._positions = dict(positions) if positions is not None else network_layout(network)
        self._picture = picture or network_picture(network, self._positions)
        self._notes = [f"• {sentence(finding)}" for finding in network.findings]
        self.refresh()

    def nodes(self) -> list[NetworkNode]:
        return list(self._nodes)

    def redraw(self) -> None:
        self.plot.clear()
        self.edge_items, self.labels, self.scatters = [], [], []
        theme = self.theme
        self.set_legend(
            [
                (theme.stage(1), "Learner, coloured by stage"),
                (theme.foreground, "Facilitator ★ and mentors ◆"),
                (QColor(ALERT_COLOUR), "Isolated (red ring)"),
            ]
        )
        network = self._network
        worrying = [f for f in self._notes if is_worrying(f)]
        calm = [f for f in self._notes if not is_worrying(f)]
        metrics = [metrics_line(network)] if network is not None and self._nodes else []
        self.set_notes(worrying, alert=True, quiet=calm + metrics)
        picture = self._picture
        if network is None or not self._nodes or picture is None:
            self.set_empty("No replies yet: the network appears once people answer each other")
            return
        self.set_empty(None)
        where = self._positions
        self._draw_edges(picture)
        self.scatters = self._scatters(picture)
        for item in self.scatters:
            self.plot.addItem(item)
        self._placed = picture.placed
        self._label(picture.placed, picture.sizes)
        across = [p[0] for p in where.values()]
        down = [p[1] for p in where.values()]
        # room on the right for the names beside the nodes
        right = max(across) + (0.5 if self.labels else 0.08)
        # one call: with the aspect locked, the view widens whichever range is too narrow
        self.plot.getViewBox().setRange(
            xRange=(min(across) - 0.08, right),
            yRange=(min(down) - 0.1, max(down) + 0.1),
            padding=0,
        )

    def _draw_edges(self, picture: NetworkPicture) -> None:
        """The replies in batches by weight, one pyqtgraph item each."""
        colour = self.theme.translucent(self.theme.muted, 110 if self.theme.dark else 90)
        for batch in picture.edges:
            item = pg.PlotCurveItem(
                batch.xs,
                batch.ys,
                connect="pairs",
                pen=pg.mkPen(colour, width=batch.width),
                antialias=picture.smooth,
            )
            item.setZValue(-20)
            self.plot.addItem(item)
            self.edge_items.append(item)

    def _scatters(self, picture: NetworkPicture) -> list[Any]:
        """One scatter item per look (stage, isolated, each staff role), each set from arrays
        with one pen, brush and symbol: per-member styles cost pyqtgraph tens of
        milliseconds for thousands. Staff come last, drawn on top."""
        theme = self.theme
        staff_pen = pg.mkPen(theme.foreground, width=2)
        plain = pg.mkPen(theme.background, width=1)
        alert = pg.mkPen(ALERT_COLOUR, width=2.5)
        staff_brush = pg.mkBrush(theme.foreground)
        looks = {
            role.value: (staff_pen, staff_brush, SYMBOLS[role])
            for role in Role
            if role is not Role.LEARNER
        }
        for stage in range(1, 6):
            brush = pg.mkBrush(theme.stage(stage))
            looks[f"stage-{stage}"] = (plain, brush, SYMBOLS[Role.LEARNER])
            looks[f"isolated-{stage}"] = (alert, brush, SYMBOLS[Role.LEARNER])  # a red ring
        styles = np.array(picture.styles)
        items = []
        for style in sorted(set(picture.styles), key=lambda s: (s in STAFF_LOOKS, s)):
            chosen = np.flatnonzero(styles == style)
            pen, brush, symbol = looks[style]
            item = pg.ScatterPlotItem(
                pxMode=True, hoverable=False, pen=pen, brush=brush, symbol=symbol
            )
            item.setData(pos=picture.xy[chosen], size=picture.diameters[chosen], data=chosen)
            items.append(item)
        return items

    def points(self) -> list[Any]:
        """Every member's spot (`data()` is their position in `nodes()`)."""
        return [spot for item in self.scatters for spot in item.points()]

    def _label(self, placed: list[NetworkNode], sizes: list[float]) -> None:
        if len(placed) <= LABEL_ALL_UP_TO:
            named = placed
        else:
            busiest = sorted(
                (n for n in placed if n.role is Role.LEARNER), key=lambda n: -n.activity
            )[:BUSIEST_LABELLED]
            named = [n for n in placed if n.role is not Role.LEARNER] + busiest
        size_of = {n.person_id: s for n, s in zip(placed, sizes, strict=True)}
        halo = self.theme.translucent(self.theme.background, 170)
        for node in named:
            first = node.name.split()[0] if len(placed) > 20 else node.name
            weight = ";font-weight:600" if node.role is Role.FACILITATOR else ""
            html = f"<span style='font-size:8pt{weight}'>{escape(first)}</span>"
            label = pg.TextItem(html=html, anchor=(0.0, 0.5), fill=halo)
            label.setColor(self.theme.foreground)
            x, y = self._positions[node.person_id]
            label.setPos(x, y)
            label.setZValue(-10)  # over the replies, under the members
            # beside the node, clear of it: pxMode sizes are in pixels, so is the offset
            label.setAnchor((-size_of[node.person_id] / 2 / LABEL_EM, 0.5))
            self.plot.addItem(label)
            self.labels.append(label)

    # -- interaction ---------------------------------------------------------------------

    def node_at(self, point: QPointF) -> NetworkNode | None:
        """The member whose node is under `point` (view coordinates), topmost first."""
        for item in reversed(self.scatters):  # the one drawn last is on top
            hits = item.pointsAt(point)
            if len(hits):
                node: NetworkNode = self._placed[int(hits[-1].data())]
                return node
        return None

    def node_position(self, person_id: int) -> QPointF:
        x, y = self._positions[person_id]
        return QPointF(x, y)

    def hover_text(self, plot: Any, point: QPointF) -> str | None:
        node = self.node_at(point)
        if node is None:
            return None
        role = fmt.ROLE_LABELS[node.role]
        rows = [
            ("Role", role),
            ("Posts and replies", f"{node.activity:,}"),
            ("Replied to", fmt.plural(node.out_degree, "person", "people")),
            ("Answered by", fmt.plural(node.in_degree, "person", "people")),
        ]
        if node.role is Role.LEARNER:
            rows.insert(1, ("Stage", fmt.stage_label(node.stage)))
        footer = "Isolated: nobody has answered them and they have answered nobody\n" * (
            node.isolated and node.role is Role.LEARNER
        )
        return tooltip_table(node.name, rows, footer + "Click to select them in the roster")

    def selection_at(self, plot: Any, point: QPointF) -> Selection | None:
        node = self.node_at(point)
        if node is None:
            return None
        return Selection((node.membership_id,), node.name)
