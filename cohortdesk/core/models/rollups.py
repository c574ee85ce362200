"""Daily rollups for the dashboards (issue 5): per member, per cohort and per reply pair, by
local day, and the `LocalDay` column type they are keyed by.

Derived data: `services.activity.rollups` keeps these tables equal to a GROUP BY over
`activity_events` on every change (import, undo, events typed in or deleted, member removed,
people merged, time zone changed) and can rebuild a cohort's rows from the events at any time.
Person ids carry no foreign key on purpose: these rows are never a person's record (nothing to
export, move on a merge or keep after erasing), only a cache of counts that the next refresh
rewrites.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from sqlalchemy import Dialect, ForeignKey, Integer, Table
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from cohortdesk.core.enums import EventKind
from cohortdesk.core.models.base import Base


class LocalDay(TypeDecorator[date]):
    """A calendar day (local to a cohort) stored as whole days since 1970-01-01.

    Rollups group and count by day: integers compare and subtract in plain SQL on every
    database (week of cohort = (day - first day) / 7) and cost less to read than date text.
    """

    impl = Integer
    cache_ok = True
    EPOCH = date(1970, 1, 1).toordinal()

    @classmethod
    def number(cls, day: date) -> int:
        """`day` as stored."""
        return day.toordinal() - cls.EPOCH

    def process_bind_param(self, value: date | None, dialect: Dialect) -> int | None:
        return None if value is None else self.number(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> date | None:
        return None if value is None else date.fromordinal(int(value) + self.EPOCH)


class DailyCounts:
    """A day's counts, the same for one member (`daily_activity`) and a whole cohort
    (`daily_totals`): events in all, one column per kind, and the words written."""

    events: Mapped[int] = mapped_column(Integer)
    posts: Mapped[int] = mapped_column(Integer)
    replies: Mapped[int] = mapped_column(Integer)
    logins: Mapped[int] = mapped_column(Integer)
    views: Mapped[int] = mapped_column(Integer)
    reactions: Mapped[int] = mapped_column(Integer)
    shares: Mapped[int] = mapped_column(Integer)
    attendances: Mapped[int] = mapped_column(Integer)
    submissions: Mapped[int] = mapped_column(Integer)
    words: Mapped[int] = mapped_column(Integer)


class DailyActivity(DailyCounts, Base):
    """One member's activity on one local day (in the cohort's time zone): events in all, by
    kind (one column per kind: a day is one row, so dashboards read a quarter of the rows a
    row per kind would take), and the words they wrote."""

    __tablename__ = "daily_activity"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy's own dict

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(LocalDay, primary_key=True)


#: the `daily_activity` column counting each kind of event
DAILY_KIND_COLUMNS: dict[EventKind, str] = {
    EventKind.LOGIN: "logins",
    EventKind.VIEW: "views",
    EventKind.POST: "posts",
    EventKind.REPLY: "replies",
    EventKind.REACTION: "reactions",
    EventKind.SHARE: "shares",
    EventKind.ATTEND: "attendances",
    EventKind.SUBMIT: "submissions",
}


class DailyTotals(DailyCounts, Base):
    """The whole cohort's activity on one local day: the sums of its `daily_activity` rows,
    so the weekly chart of a cohort reads one row a day whatever its size."""

    __tablename__ = "daily_totals"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy's own dict

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(LocalDay, primary_key=True)


class DailyReplies(Base):
    """Replies from one member to another per local day: the reply network over time.

    Whether a reply is a peer reply or one to staff is decided when it is read, from the two
    members' roles then: a role changed later re-colours the past without a rebuild.
    """

    __tablename__ = "daily_replies"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy's own dict

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    from_person_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    to_person_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(LocalDay, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


#: the rollup tables as Core tables, for the set-based statements that keep and read them
DAILY = cast(Table, DailyActivity.__table__)
REPLIES = cast(Table, DailyReplies.__table__)
TOTALS = cast(Table, DailyTotals.__table__)
