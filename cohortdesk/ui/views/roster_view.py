"""The centre of the window: the shown cohort's heading, stage summary, filters and roster."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cohortdesk.core.enums import Role
from cohortdesk.core.errors import NotFoundError
from cohortdesk.core.schemas import AttentionSettings, CohortRow, MemberRow
from cohortdesk.core.stages import all_stages
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.roster_filter import RosterFilter
from cohortdesk.ui.models.roster_model import (
    COL_ACTIVITY,
    COL_NAME,
    MEMBERSHIP_ID_ROLE,
    QUIET_ROLE,
    ROW_ROLE,
    SPARK_WEEKS,
    SPARKLINE_ROLE,
    RosterModel,
)
from cohortdesk.ui.views.roster_columns import RosterColumns
from cohortdesk.ui.widgets.cohort_summary import CohortSummary
from cohortdesk.ui.widgets.empty_table import EmptyStateTable

NO_MEMBERS_TEXT = (
    "No members yet. Import your platform's export with File ▸ Import… (Ctrl+I) or by "
    "dropping the file on this window, or add people with Cohort ▸ Add member… "
    "(Ctrl+Shift+A)."
)
NO_MATCH_TEXT = "Nobody matches these filters."
SPARKLINE_WIDTH = 72


def cohort_meta(row: CohortRow) -> str:
    """`1 Sep – 27 Oct 2026 · Europe/London · 24 members`."""
    parts = []
    if row.start_date and row.end_date:
        parts.append(f"{fmt.short_date(row.start_date)} – {fmt.short_date(row.end_date)}")
    elif row.start_date:
        parts.append(f"from {fmt.short_date(row.start_date)}")
    parts.append(row.timezone)
    parts.append(fmt.plural(row.members, "member"))
    if row.archived:
        parts.append("archived")
    return " · ".join(parts)


def _row_or_none(session: Session, membership_id: int, as_of: date) -> MemberRow | None:
    from cohortdesk.core.services.activity import participation

    try:
        return participation.roster_row(session, membership_id, as_of=as_of)
    except NotFoundError:
        return None


def load_roster(
    session: Session, cohort_id: int, as_of: date
) -> tuple[list[MemberRow], AttentionSettings]:
    """The roster as of `as_of`, and the cohort's thresholds (who went quiet, low motivation)."""
    from cohortdesk.core.services.activity import participation
    from cohortdesk.core.services.attention.rules import get_rules

    rows = participation.roster(session, cohort_id, as_of=as_of)
    return rows, get_rules(session, cohort_id).attention


class RosterView(QWidget):
    """Who is in the cohort and how they are doing; selecting a row shows that member."""

    member_selected = Signal(object)  # membership id, or None
    roster_loaded = Signal(int)  # cohort id, after rows arrived

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        from cohortdesk.ui.charts.sparkline_delegate import SparklineDelegate

        super().__init__(parent)
        self.context = context
        self.cohort: CohortRow | None = None
        self._request = 0

        self.title = QLabel()
        self.title.setObjectName("cohortTitle")
        self.meta = QLabel()
        self.meta.setObjectName("muted")
        for label in (self.title, self.meta):
            label.setWordWrap(True)  # a long cohort name wraps instead of widening the window
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setObjectName("muted")
        self.summary = CohortSummary()
        self.summary.stage_clicked.connect(self._stage_chip_clicked)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by name or email  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Filter members")
        self.role_filter = QComboBox()
        self.role_filter.addItem("All roles", None)
        for role in Role:
            self.role_filter.addItem(fmt.ROLE_LABELS[role] + "s", role.value)
        self.stage_filter = QComboBox()
        self.stage_filter.addItem("All stages", None)
        for info in all_stages():
            self.stage_filter.addItem(info.label, info.number)
        for choice in (self.role_filter, self.stage_filter):
            # as narrow as a few letters in a narrow window (the list shows them in full)
            choice.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            choice.setMinimumContentsLength(8)
        self.shown = QLabel()
        self.shown.setObjectName("muted")

        self.model = RosterModel(self)
        self.model.today = context.current_date()  # until a cohort is shown
        self.proxy = RosterFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = EmptyStateTable(NO_MEMBERS_TEXT)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows can be selected (Ctrl/Shift+click) for "Merge people…"; the member
        # panel shows the current one.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setAccessibleName("Roster")
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.columns = RosterColumns(self.table)
        # The last weeks' activity as tiny bars: who is warming up, who went quiet.
        self.table.setItemDelegateForColumn(
            COL_ACTIVITY, SparklineDelegate(SPARKLINE_ROLE, QUIET_ROLE, self.table)
        )
        self.columns.widths[COL_ACTIVITY] = SPARKLINE_WIDTH
        self.table.setColumnWidth(COL_ACTIVITY, SPARKLINE_WIDTH)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.role_filter)
        filters.addWidget(self.stage_filter)
        filters.addWidget(self.shown)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self.description)
        layout.addWidget(self.summary)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self.search.textChanged.connect(self._filters_changed)
        self.role_filter.currentIndexChanged.connect(self._filters_changed)
        self.stage_filter.currentIndexChanged.connect(self._filters_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        context.changes.roster_changed.connect(self._roster_changed)
        context.changes.member_changed.connect(self._member_changed)
        context.as_of.changed.connect(self._roster_changed)

    # -- loading -------------------------------------------------------------------------

    def show_cohort(self, cohort: CohortRow | None) -> None:
        """Show `cohort` (or nothing) and load its roster in the background."""
        same = cohort is not None and self.cohort is not None and cohort.id == self.cohort.id
        self.cohort = cohort
        if cohort is None:
            self.model.set_rows([])
            return
        self.title.setText(cohort.name)
        self.meta.setText(cohort_meta(cohort))
        self.description.setText(cohort.description)
        self.description.setVisible(bool(cohort.description))
        if not same:
            self.model.set_rows([])
            self._update_counts()
        self.reload()

    def reload(self) -> None:
        if self.cohort is None:
            return
        self._request += 1
        request, cohort_id = self._request, self.cohort.id
        as_of = self.context.as_of_day(self.cohort)
        self.context.runner.read(
            "Loading the roster",
            lambda session: load_roster(session, cohort_id, as_of),
            lambda loaded: self._rows_arrived(request, cohort_id, as_of, *loaded),
        )
        self._load_sparklines()

    def _load_sparklines(self) -> None:
        if self.cohort is None:
            return
        cohort_id, as_of = self.cohort.id, self.context.as_of_day(self.cohort)

        def arrived(counts: dict[int, list[int]]) -> None:
            if self.cohort is not None and self.cohort.id == cohort_id:
                self.model.set_sparklines(counts)

        def query(session: Session) -> dict[int, list[int]]:
            from cohortdesk.core.services.dashboards import dashboard

            return dashboard.roster_sparklines(session, cohort_id, SPARK_WEEKS, as_of=as_of)

        self.context.runner.read("Loading activity sparklines", query, arrived)

    def _rows_arrived(
        self,
        request: int,
        cohort_id: int,
        as_of: date,
        rows: list[MemberRow],
        rules: AttentionSettings,
    ) -> None:
        if request != self._request:
            return  # a newer load is on its way
        selected = self.selected_membership_id()
        self.model.today, self.model.rules = as_of, rules
        self.model.set_rows(rows)
        self._update_counts()
        if selected is not None:
            self.select_member(selected)
        self.roster_loaded.emit(cohort_id)

    @Slot(int)
    def _roster_changed(self, cohort_id: int) -> None:
        if self.cohort is not None and cohort_id == self.cohort.id:
            self.reload()

    @Slot(int, int)
    def _member_changed(self, cohort_id: int, membership_id: int) -> None:
        if self.cohort is None or cohort_id != self.cohort.id:
            return
        self._load_sparklines()
        as_of = self.context.as_of_day(self.cohort)
        self.context.runner.read(
            "Updating the roster",
            lambda session: _row_or_none(session, membership_id, as_of),
            lambda row: self._row_arrived(cohort_id, row),
        )

    def _row_arrived(self, cohort_id: int, row: MemberRow | None) -> None:
        if self.cohort is None or self.cohort.id != cohort_id:
            return
        if row is None:
            self.reload()  # removed meanwhile
        else:
            self.model.update_row(row)
            self._update_counts()

    # -- filtering and selection ---------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    @Slot()
    def _filters_changed(self) -> None:
        role = self.role_filter.currentData()
        self.proxy.set_filters(
            self.search.text(), Role(role) if role else None, self.stage_filter.currentData()
        )
        self.summary.set_checked_stage(self.stage_filter.currentData())
        self._update_counts()

    @Slot(object)
    def _stage_chip_clicked(self, number: int | None) -> None:
        self.stage_filter.setCurrentIndex(self.stage_filter.findData(number))

    def _update_counts(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        self.table.set_empty_text(NO_MATCH_TEXT if total else NO_MEMBERS_TEXT)
        self.shown.setText(
            fmt.plural(total, "member") if shown == total else f"Showing {shown} of {total}"
        )
        self.summary.set_rows(self.model.rows())

    def selected_membership_id(self) -> int | None:
        """The member to show: the current row when it is selected, else the first selected."""
        selection = self.table.selectionModel()
        indexes = selection.selectedRows()
        if not indexes:
            return None
        current = self.table.currentIndex()
        if current.isValid() and selection.isRowSelected(current.row(), current.parent()):
            chosen = current.siblingAtColumn(0)
        else:
            chosen = indexes[0]
        value = chosen.data(MEMBERSHIP_ID_ROLE)
        return None if value is None else int(value)

    def selected_rows(self) -> list[MemberRow]:
        """The selected members, the current one first, then in the order shown."""
        selection = self.table.selectionModel()
        indexes = sorted(selection.selectedRows(), key=lambda index: index.row())
        rows: list[MemberRow] = [index.data(ROW_ROLE) for index in indexes]
        current = self.selected_membership_id()
        rows.sort(key=lambda row: row.membership_id != current)
        return rows

    def select_member(self, membership_id: int) -> bool:
        """Select and reveal a member's row; False when filtered out or absent."""
        position = self.model.row_of(membership_id)
        if position is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(position, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def select_members(self, membership_ids: Sequence[int]) -> int:
        """Select these members' rows, the first of them current and in view; filters that
        would hide any of them are cleared first. Returns how many were found."""
        where = {row.membership_id: position for position, row in enumerate(self.model.rows())}
        positions = [where[i] for i in dict.fromkeys(membership_ids) if i in where]
        if not positions:
            return 0

        def shown(position: int) -> QModelIndex:
            return self.proxy.mapFromSource(self.model.index(position, 0))

        if not all(shown(p).isValid() for p in positions):
            self.search.clear()
            self.role_filter.setCurrentIndex(0)
            self.stage_filter.setCurrentIndex(0)
        rows = sorted(shown(p).row() for p in positions)
        last = self.proxy.columnCount() - 1
        selection = QItemSelection()
        for row in rows:
            selection.select(self.proxy.index(row, 0), self.proxy.index(row, last))
        first = shown(positions[0])
        model = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        model.setCurrentIndex(first, flags.NoUpdate)
        model.select(selection, flags.ClearAndSelect | flags.Rows)
        self.table.scrollTo(first)
        return len(positions)

    @Slot(QItemSelection, QItemSelection)
    def _selection_changed(self, *_args: object) -> None:
        self.member_selected.emit(self.selected_membership_id())

    def current_index(self) -> QModelIndex:
        return self.table.currentIndex()
