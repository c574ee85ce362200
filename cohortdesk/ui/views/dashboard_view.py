"""The cohort dashboard: key numbers and the story on top, then the charts in a scrolling grid.

Everything is read in one background task (the dashboard, the roster rows that make bars
clickable, the reply network's layout and its drawing arrays), so neither the queries nor
the layout of a 5,000-member network ever run on the GUI thread; the charts are then drawn
one per turn of the event loop, so the window keeps answering while they appear. The
dashboard reloads itself when the cohort's members change, but only while it is on screen;
otherwise it remembers that it is out of date and reloads when it is shown again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QDate, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cohortdesk.core.collector import collect_young, collector_paused
from cohortdesk.core.enums import Role
from cohortdesk.core.schemas import CohortRow, MemberRow
from cohortdesk.core.schemas.dashboard import CohortDashboard, ReplyNetwork
from cohortdesk.core.schemas.report import Finding, FindingKind
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.widgets.edit_form import day_edit
from cohortdesk.ui.widgets.flow_layout import FlowLayout
from cohortdesk.ui.widgets.labels import heading_label, muted_label
from cohortdesk.ui.widgets.vertical_scroll import VerticalScrollArea

if TYPE_CHECKING:
    from cohortdesk.core.network_layout import Positions
    from cohortdesk.ui.charts.base import ChartCard
    from cohortdesk.ui.charts.network_picture import NetworkPicture
    from cohortdesk.ui.charts.story import StoryLine

RANGE_WHOLE, RANGE_4_WEEKS, RANGE_2_WEEKS, RANGE_CUSTOM = range(4)
RANGE_LABELS = ("Whole cohort", "Last 4 weeks", "Last 2 weeks", "Custom range")
TWO_COLUMNS_FROM = 900
"""Below this width the charts stack in one column."""
K = TypeVar("K")
REFRESH_DELAY_MS = 400
"""Changes come in bursts (an import, a merge): wait for the burst to end, then reload once."""
STEP_GAP_MS = 5
"""Between drawing two charts: time for the event loop to take input and paint (a zero
timer would run the next chart in the same pass)."""


@dataclass(frozen=True)
class DashboardData:
    """What one load brings back to the GUI thread."""

    dashboard: CohortDashboard
    members: list[MemberRow]
    positions: Positions
    picture: NetworkPicture
    focus_choices: list[tuple[str, int]]
    layout_key: tuple[object, ...]


def _finding(board: CohortDashboard, kind: FindingKind) -> Finding | None:
    return next((f for f in board.findings if f.kind is kind), None)


def layout_key(network: ReplyNetwork) -> tuple[object, ...]:
    """The network's shape: an unchanged shape keeps the layout it had (no reshuffling)."""
    return (
        tuple(n.person_id for n in network.nodes),
        network.edges.key(),
    )


def load_dashboard(
    session: Session,
    cohort_id: int,
    start: date | None,
    end: date | None,
    as_of: date,
    previous: tuple[tuple[object, ...], Positions] | None = None,
) -> DashboardData:
    """Read the dashboard and the roster, and lay out the network (in a worker thread).

    `previous` is the last layout with its network's shape: kept when the shape is the same.
    """
    from cohortdesk.core.network_layout import network_layout
    from cohortdesk.core.services.activity import participation
    from cohortdesk.core.services.dashboards import dashboard as dashboard_service
    from cohortdesk.core.services.dashboards.network_view import focus_choices
    from cohortdesk.ui.charts.network_picture import network_picture

    with collector_paused():
        board = dashboard_service.cohort_dashboard(session, cohort_id, start, end, as_of=as_of)
        members = participation.roster(session, cohort_id, as_of=as_of)
        key = layout_key(board.network)
        if previous is not None and previous[0] == key:
            positions = previous[1]
        else:
            positions = network_layout(board.network)
        picture = network_picture(board.network, positions)
        choices = focus_choices(board.network)
        # Walk what the load built while the collector slept, here in the worker: left
        # alone, it is walked by the GUI thread's next collection, in the middle of drawing
        # a chart. Before the collector wakes: waking first, its own young collection would
        # walk it all once more at the next allocation.
        collect_young()
    return DashboardData(board, members, positions, picture, choices, key)


class StoryBox(QFrame):
    """The cohort's story in a few lines; a click on a line selects the people it is about."""

    members_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = heading_label("At a glance", scale=1.1)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setOpenExternalLinks(False)
        self.label.linkActivated.connect(self._link)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.label)
        self._lines: list[StoryLine] = []

    def set_lines(self, lines: Sequence[StoryLine]) -> None:
        from cohortdesk.ui.charts.theme import ALERT_COLOUR

        self._lines = list(lines)
        alert = ALERT_COLOUR
        parts = []
        for position, line in enumerate(self._lines):
            mark = f"<span style='color:{alert}'>●</span>" if line.alert else "○"
            text = escape(line.text)
            if line.membership_ids:
                text += f" &nbsp;<a href='select:{position}'>select</a>"
            parts.append(f"{mark}&nbsp; {text}")
        self.label.setText("<br>".join(parts) or "Nothing to tell yet.")

    def lines(self) -> list[StoryLine]:
        return list(self._lines)

    def select_line(self, position: int) -> None:
        """What a click on a line's "select" link does."""
        from cohortdesk.ui.charts.base import Selection

        line = self._lines[position]
        if line.membership_ids:
            self.members_selected.emit(Selection(line.membership_ids, line.who))

    @Slot(str)
    def _link(self, href: str) -> None:
        if href.startswith("select:"):
            self.select_line(int(href.split(":", 1)[1]))


class OneColumnWide(QWidget):
    """The dashboard's scrolling content: as narrow as one column of it, whichever number of
    columns it shows now (below `TWO_COLUMNS_FROM` the charts go to one column anyway)."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        layout = self.layout()
        if layout is None:
            return hint
        widest = 0
        for index in range(layout.count()):
            item = layout.itemAt(index)
            inner = item.layout() if item is not None else None
            parts = [inner.itemAt(i) for i in range(inner.count())] if inner else [item]
            for part in parts:
                widget = part.widget() if part is not None else None
                if widget is not None and not widget.isHidden():
                    widest = max(widest, widget.minimumSizeHint().width())
        margins = layout.contentsMargins()
        return QSize(widest + margins.left() + margins.right(), hint.height())


class DashboardView(QWidget):
    """The shown cohort at a glance. `members_selected` carries what a click picked."""

    members_selected = Signal(object)
    """A `Selection`: members a click on a chart or a story line picked."""
    dashboard_loaded = Signal(object)
    """The `CohortDashboard` now on screen."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        from cohortdesk.ui.charts.adopters_chart import AdoptersChart
        from cohortdesk.ui.charts.contributions_chart import ContributionsChart
        from cohortdesk.ui.charts.distribution_chart import DistributionChart
        from cohortdesk.ui.charts.heatmap_chart import HeatmapChart
        from cohortdesk.ui.charts.key_numbers import KeyNumbersBar
        from cohortdesk.ui.charts.network_chart import NetworkChart
        from cohortdesk.ui.charts.replies_chart import RepliesChart
        from cohortdesk.ui.charts.staircase_chart import StaircaseChart

        super().__init__(parent)
        self.context = context
        self.cohort: CohortRow | None = None
        self.data: DashboardData | None = None
        self._request = 0
        self._stale = True
        self._drawing = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._refresh_due)

        self.title = QLabel()
        self.title.setObjectName("cohortTitle")
        self.title.setWordWrap(True)
        self.range_label = muted_label(wrap=False)
        self.range_choice = QComboBox()
        self.range_choice.addItems(RANGE_LABELS)
        self.range_choice.setAccessibleName("Date range")
        self.start_edit = self._date_edit("From")
        self.end_edit = self._date_edit("To")
        self.status = muted_label(wrap=False)

        self.key_numbers = KeyNumbersBar()
        self.story = StoryBox()
        self.staircase = StaircaseChart()
        self.distribution = DistributionChart()
        self.network = NetworkChart()
        self.heatmap = HeatmapChart()
        self.contributions = ContributionsChart()
        self.replies = RepliesChart()
        self.adopters = AdoptersChart()
        self.cards: list[ChartCard] = [
            self.staircase,
            self.distribution,
            self.network,
            self.heatmap,
            self.contributions,
            self.replies,
            self.adopters,
        ]
        for card in self.cards:
            card.members_selected.connect(self.members_selected)
        self.story.members_selected.connect(self.members_selected)

        # The range and its choices on one line when there is room, wrapping as whole pieces
        # (never in the middle of the dates) when the dashboard is narrow.
        controls = FlowLayout(spacing=6)
        controls.setSpacing(12)
        controls.addWidget(self.range_label)
        controls.addWidget(self.status)
        controls.addWidget(self.range_choice)
        controls.addWidget(_labelled("From", self.start_edit))
        controls.addWidget(_labelled("to", self.end_edit))

        content = OneColumnWide()
        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        self._columns = 0
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 4, 12)
        inner.setSpacing(12)
        inner.addWidget(self.key_numbers)
        inner.addWidget(self.story)
        inner.addLayout(self.grid)
        inner.addStretch(1)
        self.scroll_area = VerticalScrollArea(content)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 0)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addLayout(controls)
        layout.addWidget(self.scroll_area, 1)
        self._arrange(2)

        self.range_choice.currentIndexChanged.connect(self._range_chosen)
        self.start_edit.dateChanged.connect(self._dates_edited)
        self.end_edit.dateChanged.connect(self._dates_edited)
        context.changes.roster_changed.connect(self._cohort_changed)
        context.changes.member_changed.connect(
            lambda cohort_id, _member: self._cohort_changed(cohort_id)
        )
        context.as_of.changed.connect(self._as_of_changed)

    @staticmethod
    def _date_edit(name: str) -> QDateEdit:
        edit = day_edit(name=name)
        edit.setEnabled(False)
        return edit

    # -- layout --------------------------------------------------------------------------

    def _arrange(self, columns: int) -> None:
        """Put the cards in `columns` columns (two side by side, or one under another)."""
        if columns == self._columns:
            return
        self._columns = columns
        for card in self.cards:
            self.grid.removeWidget(card)
        if columns == 2:
            places = [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1), (3, 0)]
            for card, (row, column) in zip(self.cards, places, strict=True):
                span = 2 if card is self.adopters else 1
                self.grid.addWidget(card, row, column, 1, span)
            self.grid.setColumnStretch(0, 1)
            self.grid.setColumnStretch(1, 1)
        else:
            for row, card in enumerate(self.cards):
                self.grid.addWidget(card, row, 0)
            self.grid.setColumnStretch(1, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(2 if self.width() >= TWO_COLUMNS_FROM else 1)

    # -- loading -------------------------------------------------------------------------

    def show_cohort(self, cohort: CohortRow | None) -> None:
        """Show this cohort's dashboard (loaded when the view is on screen)."""
        changed = cohort is None or self.cohort is None or cohort.id != self.cohort.id
        self.cohort = cohort
        if cohort is None:
            self._request += 1
            self._drawing = False  # what was being drawn is abandoned
            self.data = None
            self.title.setText("")
            self.status.setText("")
            return
        self.title.setText(f"{cohort.name} · dashboard")
        if changed:
            self._set_range_quietly(RANGE_WHOLE, None, None)
            # another cohort's figures never stand under this one's name while it loads
            self.data = None
            self.range_label.setText("")
            self.scroll_area.hide()
        self._stale = True
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        """Read the dashboard again in the background; the newest request wins."""
        if self.cohort is None:
            return
        self._stale = False
        self._request += 1
        self._drawing = False  # what was being drawn is abandoned for this newer load
        request, cohort_id = self._request, self.cohort.id
        start, end = self._range()
        as_of = self._as_of()
        previous = (self.data.layout_key, self.data.positions) if self.data else None
        self.status.setText("Loading…")

        def query(session: Session) -> DashboardData:
            return load_dashboard(session, cohort_id, start, end, as_of, previous)

        self.context.runner.read(
            "Loading the dashboard", query, lambda data: self._arrived(request, data)
        )

    def _arrived(self, request: int, data: DashboardData) -> None:
        """Draw what a load brought, one chart per turn of the event loop: drawing them all
        at once blocks the window for a big cohort (a 5,000-member network alone takes
        tens of milliseconds), while a turn each keeps it answering between charts."""
        if request != self._request:
            return  # a newer load is on its way
        self.data = data
        self.scroll_area.show()
        self._drawing = True
        learners = [m for m in data.members if m.role is Role.LEARNER]
        board = data.dashboard
        span = (board.start, board.end)
        steps: list[Callable[[], None]] = [
            lambda: self._show_header(data),
            lambda: self.staircase.set_data(
                board.figures.stages, board.stages_by_week, _group(learners, lambda m: m.stage)
            ),
            lambda: self.distribution.set_data(
                board.access,
                board.motivation,
                board.low_motivation,
                _group(learners, lambda m: m.access),
                _group(learners, lambda m: m.motivation or 0),
            ),
            lambda: self.network.set_data(
                board.network, data.positions, data.picture, data.focus_choices
            ),
            lambda: self.heatmap.set_data(
                board.heatmap, board.weeks, *span, quiet=_finding(board, FindingKind.WENT_QUIET)
            ),
            lambda: self.contributions.set_data(
                board.contributions_by_week, board.heatmap, board.weeks, *span
            ),
            lambda: self.replies.set_data(board.replies_by_week, *span),
            lambda: self._show_adopters(board, learners),
            lambda: self._finish(board),
        ]
        self._draw_steps(request, iter(steps))

    def _draw_steps(self, request: int, steps: Iterator[Callable[[], None]]) -> None:
        if request != self._request:
            return  # a newer load replaces this one: its steps take over
        step = next(steps, None)
        if step is None:
            return
        step()
        QTimer.singleShot(STEP_GAP_MS, self, lambda: self._draw_steps(request, steps))

    def _show_header(self, data: DashboardData) -> None:
        from cohortdesk.ui.charts.story import story_lines

        board = data.dashboard
        self.range_label.setText(
            f"{fmt.short_date(board.start)} – {fmt.short_date(board.end)} · "
            f"{fmt.plural(len(board.weeks), 'week')}"
        )
        if self.range_choice.currentIndex() != RANGE_CUSTOM:
            self._set_range_quietly(self.range_choice.currentIndex(), board.start, board.end)
        self.key_numbers.set_numbers(board.figures)
        self.story.set_lines(story_lines(board.findings))

    def _show_adopters(self, board: CohortDashboard, learners: list[MemberRow]) -> None:
        on_curve = {i for group in board.adopters for i in group.membership_ids}
        self.adopters.set_data(
            board.adopters,
            board.not_yet_contributing,
            [m.membership_id for m in learners if m.membership_id not in on_curve],
        )

    def _finish(self, board: CohortDashboard) -> None:
        self._drawing = False
        # a fixed "today" (screenshots, tests) gives a fixed text, so pictures do not change
        updated = "" if self.context.today else f" · updated {datetime.now():%H:%M}"
        self.status.setText(f"As of {fmt.short_date(board.as_of)}{updated}")
        self.dashboard_loaded.emit(board)

    @Slot(int)
    def _cohort_changed(self, cohort_id: int) -> None:
        if self.cohort is not None and cohort_id == self.cohort.id:
            self._stale = True
            self._refresh_timer.start()

    @Slot(int)
    def _as_of_changed(self, cohort_id: int) -> None:
        """Another as-of day: one deliberate change, so reload at once (if on screen)."""
        if self.cohort is not None and cohort_id == self.cohort.id:
            self._stale = True
            if self.isVisible():
                self.reload()

    @Slot()
    def _refresh_due(self) -> None:
        if self._stale and self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self.cohort is not None:
            self.reload()

    def is_stale(self) -> bool:
        return self._stale

    def is_drawing(self) -> bool:
        """True while a load's charts are still being drawn, one per turn of the loop."""
        return self._drawing

    # -- the date range ------------------------------------------------------------------

    def _as_of(self) -> date:
        """The day the dashboard is judged as of (chosen above the pages)."""
        if self.cohort is None:
            return self.context.current_date()
        return self.context.as_of_day(self.cohort)

    def _range(self) -> tuple[date | None, date | None]:
        """The days asked for: None for "from the first activity" or "up to the as-of day"."""
        choice = self.range_choice.currentIndex()
        as_of = self._as_of()
        if choice == RANGE_4_WEEKS:
            return as_of - timedelta(days=27), None
        if choice == RANGE_2_WEEKS:
            return as_of - timedelta(days=13), None
        if choice == RANGE_CUSTOM:
            start = self.start_edit.date().toPython()
            end = self.end_edit.date().toPython()
            assert isinstance(start, date) and isinstance(end, date)
            start, end = min(start, end), min(max(start, end), as_of)
            return min(start, end), end
        return None, None

    def set_range(self, start: date, end: date) -> None:
        """Show a custom range (as if picked in the date fields) and reload."""
        self._set_range_quietly(RANGE_CUSTOM, start, end)
        self.reload()

    def _set_range_quietly(self, choice: int, start: date | None, end: date | None) -> None:
        for widget in (self.range_choice, self.start_edit, self.end_edit):
            widget.blockSignals(True)
        self.range_choice.setCurrentIndex(choice)
        if start is not None:
            self.start_edit.setDate(QDate(start.year, start.month, start.day))
        if end is not None:
            self.end_edit.setDate(QDate(end.year, end.month, end.day))
        custom = choice == RANGE_CUSTOM
        self.start_edit.setEnabled(custom)
        self.end_edit.setEnabled(custom)
        for widget in (self.range_choice, self.start_edit, self.end_edit):
            widget.blockSignals(False)

    @Slot(int)
    def _range_chosen(self, choice: int) -> None:
        custom = choice == RANGE_CUSTOM
        self.start_edit.setEnabled(custom)
        self.end_edit.setEnabled(custom)
        self.reload()

    @Slot()
    def _dates_edited(self) -> None:
        if self.range_choice.currentIndex() == RANGE_CUSTOM:
            self._refresh_timer.start()
            self._stale = True


def _labelled(text: str, field: QWidget) -> QWidget:
    """`text [field]` as one piece, so that a wrapping row keeps them together."""
    piece = QWidget()
    layout = QHBoxLayout(piece)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(6)
    layout.addWidget(QLabel(text))
    layout.addWidget(field)
    return piece


def _group(members: Sequence[MemberRow], key: Callable[[MemberRow], K]) -> dict[K, list[int]]:
    """Membership ids by `key` (stage, access status, rating)."""
    groups: dict[K, list[int]] = {}
    for member in members:
        groups.setdefault(key(member), []).append(member.membership_id)
    return groups
