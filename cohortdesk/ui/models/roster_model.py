"""The roster table: one row per member of the shown cohort, over immutable `MemberRow`s."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from cohortdesk.core.enums import Role
from cohortdesk.core.name_order import name_key
from cohortdesk.core.schemas import AttentionSettings, MemberRow
from cohortdesk.core.stages import stage
from cohortdesk.ui import format as fmt
from cohortdesk.ui.icons import dot_icon, square_icon

COL_NAME = 0
COL_ROLE = 1
COL_STAGE = 2
COL_ACCESS = 3
COL_MOTIVATION = 4
COL_POSTS = 5
COL_REPLIES = 6
COL_PEER_REPLIES = 7
COL_LAST_ACTIVE = 8
COL_ACTIVITY = 9
SPARK_WEEKS = 8

HEADERS = {
    COL_NAME: "Name",
    COL_ROLE: "Role",
    COL_STAGE: "Stage",
    COL_ACCESS: "Access",
    COL_MOTIVATION: "Motivation",
    COL_POSTS: "Posts",
    COL_REPLIES: "Replies",
    COL_PEER_REPLIES: "Peer replies",
    COL_LAST_ACTIVE: "Last active",
    COL_ACTIVITY: "Activity",
}

HEADER_TIPS = {
    COL_STAGE: "Where the member is on Salmon's five-stage staircase",
    COL_ACCESS: "Whether they have got into the cohort's space",
    COL_MOTIVATION: "Latest motivation check-in (1 to 5) and its change since the one before",
    COL_POSTS: "Threads started plus replies written",
    COL_REPLIES: "Replies to anyone",
    COL_PEER_REPLIES: "A learner's replies to other learners (not to a facilitator)",
    COL_LAST_ACTIVE: "Date of their latest activity, in the cohort's time zone",
    COL_ACTIVITY: f"Activity in each of the last {SPARK_WEEKS} weeks, this week on the right",
}

NUMERIC_COLUMNS = {COL_MOTIVATION, COL_POSTS, COL_REPLIES, COL_PEER_REPLIES}

MEMBERSHIP_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
ROW_ROLE = Qt.ItemDataRole.UserRole + 3
SPARKLINE_ROLE = Qt.ItemDataRole.UserRole + 4
"""A member's weekly activity counts, oldest first (painted by `SparklineDelegate`)."""
QUIET_ROLE = Qt.ItemDataRole.UserRole + 5
"""How many of the sparkline's latest weeks a learner who went quiet has been silent for
(0 for everyone else): `core/metrics/period.py: is_silent`, with the cohort's silent days."""

_ROLE_ORDER = {Role.LEARNER: 0, Role.MENTOR: 1, Role.FACILITATOR: 2, Role.MANAGER: 3}
_ACCESS_ORDER = {"not_yet": 0, "problem": 1, "accessed": 2}

_DISPLAY: dict[int, Callable[[MemberRow], str]] = {
    COL_NAME: lambda r: r.name,
    COL_ROLE: lambda r: fmt.ROLE_LABELS[r.role],
    COL_STAGE: lambda r: f"{r.stage} · {stage(r.stage).short}",
    COL_ACCESS: lambda r: fmt.ACCESS_LABELS[r.access],
    COL_MOTIVATION: lambda r: fmt.motivation_text(r.motivation, r.motivation_change),
    COL_POSTS: lambda r: str(r.posts),
    COL_REPLIES: lambda r: str(r.replies),
    # Only learners reply to peers: for staff the count would be a meaningless 0.
    COL_PEER_REPLIES: lambda r: str(r.peer_replies) if r.role is Role.LEARNER else "—",
}

_SORT_KEYS: dict[int, Callable[[MemberRow], Any]] = {
    COL_NAME: lambda r: name_key(r.name),
    COL_ROLE: lambda r: _ROLE_ORDER[r.role],
    COL_STAGE: lambda r: r.stage,
    COL_ACCESS: lambda r: _ACCESS_ORDER[r.access.value],
    COL_MOTIVATION: lambda r: -1 if r.motivation is None else r.motivation,
    COL_POSTS: lambda r: r.posts,
    COL_REPLIES: lambda r: r.replies,
    COL_PEER_REPLIES: lambda r: r.peer_replies,
    COL_LAST_ACTIVE: lambda r: r.last_active.toordinal() if r.last_active else 0,
}


class RosterModel(QAbstractTableModel):
    """Adapter over a tuple of `MemberRow`; replaced whole, or one row at a time."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[MemberRow] = []
        self._sparklines: dict[int, list[int]] = {}
        self.today: date | None = None
        """The day the roster is judged as of (relative days are counted to it)."""
        self.rules = AttentionSettings()
        """The cohort's thresholds: silent days (who went quiet), low motivation."""

    # -- reading -------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or section not in HEADERS:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        if role == Qt.ItemDataRole.TextAlignmentRole and section in NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if column == COL_ACTIVITY:
            return self._activity_data(row, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == MEMBERSHIP_ID_ROLE:
            return row.membership_id
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DecorationRole:
            if column == COL_STAGE:
                return square_icon(stage(row.stage).colour)
            if column == COL_ACCESS:
                return dot_icon(fmt.ACCESS_COLOURS[row.access].name())
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL_MOTIVATION:
                return fmt.motivation_colour(row.motivation, self.rules.low_motivation)
            if column == COL_ACCESS and row.access.value == "problem":
                return fmt.ACCESS_COLOURS[row.access]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return None

    def _activity_data(self, row: MemberRow, role: int) -> Any:
        counts = self._sparklines.get(row.membership_id)
        if role == SPARKLINE_ROLE:
            return counts
        if role == QUIET_ROLE:
            return self._quiet_weeks(row)
        if role == SORT_ROLE:
            # busier lately sorts higher: this week counts most, then the one before...
            return tuple(reversed(counts)) if counts else ()
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            if counts is None:
                return None
            return f"Last {len(counts)} weeks, oldest first: {', '.join(map(str, counts))}"
        if role == MEMBERSHIP_ID_ROLE:
            return row.membership_id
        if role == ROW_ROLE:
            return row
        return None

    def _quiet_weeks(self, row: MemberRow) -> int:
        from cohortdesk.core.metrics.period import is_silent

        as_of = self.today
        if as_of is None or row.role is not Role.LEARNER:
            return 0
        days = self.rules.silent_days
        if not is_silent(row.last_active, as_of, days):
            return 0
        return max(1, days // 7)

    def set_sparklines(self, counts: dict[int, list[int]]) -> None:
        """Each member's weekly activity (membership id -> counts, oldest first)."""
        self._sparklines = dict(counts)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, COL_ACTIVITY),
                self.index(len(self._rows) - 1, COL_ACTIVITY),
                [SPARKLINE_ROLE, QUIET_ROLE, Qt.ItemDataRole.ToolTipRole, SORT_ROLE],
            )

    def _display(self, row: MemberRow, column: int) -> str:
        if column == COL_LAST_ACTIVE:
            return fmt.relative_day(row.last_active, self.today)
        return _DISPLAY[column](row)

    @staticmethod
    def _sort_key(row: MemberRow, column: int) -> Any:
        return _SORT_KEYS[column](row)

    @staticmethod
    def _tooltip(row: MemberRow, column: int) -> str | None:
        if column == COL_NAME:
            return row.email or None
        if column == COL_STAGE:
            return stage(row.stage).label
        if column == COL_ACCESS and row.open_access_issues:
            return fmt.plural(row.open_access_issues, "open access issue")
        if column == COL_POSTS:
            return f"{row.threads} threads started, {row.replies} replies"
        if column == COL_PEER_REPLIES and row.role is not Role.LEARNER:
            return "Peer replies are a learner's replies to other learners"
        if column == COL_LAST_ACTIVE and row.last_active:
            return row.last_active.isoformat()
        return None

    # -- changing ------------------------------------------------------------------------

    def rows(self) -> tuple[MemberRow, ...]:
        return tuple(self._rows)

    def set_rows(self, rows: list[MemberRow]) -> None:
        """Replace every row (another cohort, or a full reload)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def update_row(self, new: MemberRow) -> None:
        """Replace the row of the same member, or append it if new."""
        for position, old in enumerate(self._rows):
            if old.membership_id == new.membership_id:
                self._rows[position] = new
                self.dataChanged.emit(
                    self.index(position, 0), self.index(position, len(HEADERS) - 1)
                )
                return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(new)
        self.endInsertRows()

    def row_of(self, membership_id: int) -> int | None:
        """The position of a member, or None."""
        for position, row in enumerate(self._rows):
            if row.membership_id == membership_id:
                return position
        return None
