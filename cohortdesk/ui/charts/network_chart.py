"""The reply network (who answers whom), with the patterns SNAPP and Threadz flag, in words.

Nodes are sized by activity and coloured by stage; the facilitator is a star and mentors are
diamonds, both ringed in the text colour; isolated learners get a red ring and sit on the
outer circle. Edges get thicker with the number of replies. Everything is a handful of
pyqtgraph items (a scatter per look, three line batches), so 5,000 members still pan and zoom.

Readable at hundreds of members (`core/services/dashboards/network_view.py`): "Show" keeps
the learners, the staff or one stage; "Focus" (or a click on someone) shows one person and
their direct reply partners; only the most connected and the person in focus are named.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
    Slot,
)
from PySide6.QtGui import QColor, QPainterPath
from PySide6.QtWidgets import QComboBox, QWidget

from cohortdesk.core.enums import Role
from cohortdesk.core.network_layout import Positions, network_layout
from cohortdesk.core.schemas.dashboard import NetworkNode, ReplyNetwork
from cohortdesk.core.services.dashboards.network_view import (
    NAME_ALL_UP_TO,
    NetworkFilter,
    focus_choices,
    named,
    shown_part,
)
from cohortdesk.core.services.dashboards.story import sentence
from cohortdesk.ui import format as fmt
from cohortdesk.ui.charts.base import ChartCard, Selection, percent, tooltip_table
from cohortdesk.ui.charts.network_picture import EdgeBatch, NetworkPicture, network_picture
from cohortdesk.ui.charts.theme import ALERT_COLOUR

SHOW_CHOICES = (
    ("Show everyone", "all"),
    ("Show learners", "learners"),
    ("Show staff", "staff"),
    *((f"Show stage {n}", f"stage-{n}") for n in range(1, 6)),
)
NO_FOCUS = "Focus on nobody"
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


class EdgeCurve(pg.PlotCurveItem):  # type: ignore[misc]
    """One batch of reply links, drawn with the path the picture built beforehand (in the
    dashboard's worker) instead of building it at the first paint. Its data never changes:
    another batch makes another curve."""

    def __init__(self, batch: EdgeBatch, **options: Any) -> None:
        self._built = batch.path
        super().__init__(batch.xs, batch.ys, connect="pairs", **options)

    def generatePath(self, x: Any, y: Any) -> QPainterPath:
        return self._built


class FocusChoices(QAbstractListModel):
    """The rows of the focus list: nobody, then everyone by name (the person id as its data).

    A model over the list as it comes: filling a combo box item by item takes tens of
    milliseconds for 5,000 members, all of them on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, int | None]] = [(NO_FOCUS, None)]
        self._row_of: dict[int | None, int] = {None: 0}

    def set_people(self, people: Sequence[tuple[str, int]]) -> None:
        """(name, person id) in the order listed."""
        self.beginResetModel()
        self._rows = [(NO_FOCUS, None), *people]
        self._row_of = {person: row for row, (_name, person) in enumerate(self._rows)}
        self.endResetModel()

    def row_of(self, person_id: int | None) -> int:
        """The row of `person_id`; the first ("Focus on nobody") if not listed."""
        return self._row_of.get(person_id, 0)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        name, person = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return name
        if role == Qt.ItemDataRole.UserRole:
            return person
        return None


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
        self._filter = NetworkFilter()
        self.show_choice = QComboBox()
        self.show_choice.setAccessibleName("Show in the reply network")
        self.show_choice.setToolTip("Show everyone, the learners, the staff, or one stage")
        for text, key in SHOW_CHOICES:
            self.show_choice.addItem(text, key)
        self.show_choice.currentIndexChanged.connect(self._filter_changed)
        self.focus_choice = QComboBox()
        self.focus_choice.setAccessibleName("Focus the reply network on one person")
        self.focus_choice.setToolTip(
            "One person and their direct reply partners (or click someone in the network)"
        )
        self.focus_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.focus_choice.setMinimumContentsLength(12)
        self.focus_choices = FocusChoices(self.focus_choice)
        self.focus_choice.setModel(self.focus_choices)
        self.focus_choice.currentIndexChanged.connect(self._filter_changed)
        self.add_header_widget(self.show_choice)
        self.add_header_widget(self.focus_choice)
        self.members_selected.connect(self._clicked)
        self.scatters: list[Any] = []
        self.edge_items: list[Any] = []
        self.labels: list[Any] = []
        self.refresh()

    def set_data(
        self,
        network: ReplyNetwork,
        positions: Positions | None = None,
        picture: NetworkPicture | None = None,
        choices: Sequence[tuple[str, int]] | None = None,
    ) -> None:
        """Show `network`. For big cohorts a worker computes `positions` (person id -> x, y),
        the `picture` from them and the focus list's `choices` (`focus_choices`); without,
        they are computed here."""
        self._network = network
        self._nodes = list(network.nodes)
        self._positions = dict(positions) if positions is not None else network_layout(network)
        self._picture = picture or network_picture(network, self._positions)
        self._notes = [f"• {sentence(finding)}" for finding in network.findings]
        self._fill_focus_choice(focus_choices(network) if choices is None else choices)
        self.refresh()

    def _fill_focus_choice(self, choices: Sequence[tuple[str, int]]) -> None:
        kept = self.focus_choice.currentData()
        self.focus_choice.blockSignals(True)
        self.focus_choices.set_people(choices)
        self.focus_choice.setCurrentIndex(self.focus_choices.row_of(kept))
        self.focus_choice.blockSignals(False)
        self._filter = self._chosen_filter()

    def _chosen_filter(self) -> NetworkFilter:
        return NetworkFilter(
            who=str(self.show_choice.currentData() or "all"),
            focus=self.focus_choice.currentData(),
        )

    @Slot()
    def _filter_changed(self) -> None:
        self._filter = self._chosen_filter()
        self.refresh()

    def focus_on(self, person_id: int | None) -> None:
        """Show one person and their direct reply partners (None: back to the filter)."""
        self.focus_choice.setCurrentIndex(self.focus_choices.row_of(person_id))

    def show_only(self, who: str) -> None:
        """Show `all`, `learners`, `staff` or `stage-N`."""
        self.show_choice.setCurrentIndex(max(0, self.show_choice.findData(who)))

    @Slot(object)
    def _clicked(self, selection: Selection) -> None:
        by_membership = {n.membership_id: n.person_id for n in self._nodes}
        person = by_membership.get(selection.membership_ids[0])
        if person is not None:
            self.focus_on(person)

    def shown_nodes(self) -> list[NetworkNode]:
        """The people drawn now (all of them, or the part the filter or focus keeps)."""
        return list(self._placed)

    def label_texts(self) -> list[str]:
        return [label.textItem.toPlainText() for label in self.labels]

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
        shown = network
        if network is not None and picture is not None and self._filter != NetworkFilter():
            shown = shown_part(network, self._filter)
            picture = network_picture(shown, self._positions)
        if network is None or shown is None or not self._nodes or picture is None:
            self.set_empty("No replies yet: the network appears once people answer each other")
            return
        self._placed = picture.placed
        if not picture.placed:
            self.set_empty("Nobody here: choose someone else, or show everyone")
            return
        self.set_empty(None)
        where = {n.person_id: self._positions[n.person_id] for n in picture.placed}
        self._draw_edges(picture)
        self.scatters = self._scatters(picture)
        for item in self.scatters:
            self.plot.addItem(item)
        self._placed = picture.placed
        chosen = named(shown, self._filter.focus)
        # the person in focus first: their name is always shown
        chosen.sort(key=lambda n: n.person_id != self._filter.focus)
        across = [p[0] for p in where.values()]
        down = [p[1] for p in where.values()]
        # room on the right for the names beside the nodes
        left, right = min(across) - 0.08, max(across) + (0.5 if chosen else 0.08)
        bottom, top = min(down) - 0.1, max(down) + 0.1
        tried: list[tuple[float, float]] = []  # (width shown, how far the names reach)
        for attempt in range(4):
            per_pixel = self._show_range(left, right, bottom, top)
            reach = self._label(chosen, picture, per_pixel)
            if reach <= right or attempt == 3:
                break
            # a long name ("Moodle user 5104") reaches past the room kept beside the nodes:
            # widen the view (which makes every name longer in the picture's units) and name
            # again; from two tries, the width at which the names just fit
            for label in self.labels:
                self.plot.removeItem(label)
            self.labels = []
            tried.append((right - left, reach - left))
            right = reach + 0.02
            if len(tried) >= 2:
                (w0, r0), (w1, r1) = tried[-2:]
                growth = (r1 - r0) / (w1 - w0) if w1 != w0 else 0.0
                if 0 <= growth < 1:
                    right = max(right, left + (r0 - growth * w0) / (1 - growth) + 0.02)

    def _show_range(self, left: float, right: float, bottom: float, top: float) -> float:
        """Show that much of the picture; the data units one pixel is worth."""
        # one call: with the aspect locked, the view widens whichever range is too narrow
        box = self.plot.getViewBox()
        box.setRange(xRange=(left, right), yRange=(bottom, top), padding=0)
        # data units per pixel, as the locked aspect draws it (estimated before it is shown)
        if box.width() > 1 and box.height() > 1:
            across_px, down_px = box.viewPixelSize()
            return float(max(across_px, down_px))
        return float(
            max(
                (right - left) / max(1, self.view.width() - 24),
                (top - bottom) / max(1, self.PLOT_HEIGHT - 8),
            )
        )

    def _draw_edges(self, picture: NetworkPicture) -> None:
        """The replies in batches by weight, one pyqtgraph item each."""
        colour = self.theme.translucent(self.theme.muted, 110 if self.theme.dark else 90)
        for batch in picture.edges:
            item = EdgeCurve(
                batch,
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

    def _label(self, chosen: list[NetworkNode], picture: NetworkPicture, per_pixel: float) -> float:
        """Name `chosen` beside their nodes, in order, skipping a name that would overlap one
        already placed (the first, the person in focus, is always named); where the names
        reach on the right (data units)."""
        size_of = {n.person_id: s for n, s in zip(picture.placed, picture.sizes, strict=True)}
        firsts = [n.name.split()[0] if n.name.split() else n.name for n in chosen]
        short = len(picture.placed) > 20 and len(set(firsts)) == len(firsts)
        crowd = len(picture.placed) > NAME_ALL_UP_TO
        halo = self.theme.translucent(self.theme.background, 215 if crowd else 170)
        taken: list[QRectF] = []
        for node, first_name in zip(chosen, firsts, strict=True):
            first = first_name if short else node.name
            weight = ";font-weight:600" if node.role is Role.FACILITATOR else ""
            html = f"<span style='font-size:8pt{weight}'>{escape(first)}</span>"
            label = pg.TextItem(html=html, anchor=(0.0, 0.5), fill=halo)
            # beside the node, clear of it: pxMode sizes are in pixels, so is the offset
            anchor = -size_of[node.person_id] / 2 / LABEL_EM
            size = label.textItem.boundingRect()
            x, y = self._positions[node.person_id]
            box = QRectF(
                x - anchor * size.width() * per_pixel,
                y - size.height() / 2 * per_pixel,
                size.width() * per_pixel,
                size.height() * per_pixel,
            )
            if taken and any(box.intersects(other) for other in taken):
                continue
            taken.append(box)
            label.setColor(self.theme.foreground)
            label.setPos(x, y)
            # under the members when everyone is named; over them in a crowd, or they are lost
            label.setZValue(10 if crowd else -10)
            label.setAnchor((anchor, 0.5))
            self.plot.addItem(label)
            self.labels.append(label)
        return max((box.right() for box in taken), default=-math.inf)

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
        return tooltip_table(
            node.name, rows, footer + "Click to select them and show only their reply partners"
        )

    def selection_at(self, plot: Any, point: QPointF) -> Selection | None:
        node = self.node_at(point)
        if node is None:
            return None
        return Selection((node.membership_id,), node.name)
