"""When figures are counted: the day they are judged as of, the period, and the windows in it.

Days are calendar days in the cohort's time zone. Every figure is judged **as of** one day:
nothing recorded as happening after its end counts. By default that day is today; for a
cohort that has ended, its end date; for one that has not begun, its start date. A finished
cohort is therefore always described as it was when it ended, never as "silent for years".

The **period** is the days counted, from `first` to `last` (both included; `last` is the as-of
day unless a shorter period is asked for). Without a `first` it runs from the first activity
on record, so activity before the cohort's official start (people getting in early) is never
dropped without a word.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from cohortdesk.core.errors import KnownError, NotFoundError
from cohortdesk.core.models import Cohort

UTC_ZONE = ZoneInfo("UTC")

ACTIVE_WINDOW_DAYS = 7
"""**Active** (in a window): any activity at all in the window. "Active in the last 7 days"
is the seven days that end on the period's last day."""

RECENT_DAYS = 14
"""**Recent activity** (the mentor view): what a member did in the 14 days up to the as-of day."""


def today_in(zone: ZoneInfo, now: datetime | None = None) -> date:
    """Today (or the day of `now`) in `zone`."""
    return (now or datetime.now(UTC)).astimezone(zone).date()


def default_as_of(start: date | None, end: date | None, today: date) -> date:
    """The day a cohort is judged as of when nobody says otherwise.

    Today; the cohort's end date once it has ended; its start date while it has not begun.
    """
    if end is not None and end < today:
        return end
    if start is not None and start > today:
        return start
    return today


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The first moment of `day` in `zone`, in UTC."""
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def day_end(day: date, zone: ZoneInfo) -> datetime:
    """The first moment after `day` in `zone`, in UTC: activity before it counts as of `day`."""
    return day_start(day + timedelta(days=1), zone)


@dataclass(frozen=True)
class Period:
    """The days a figure counts, judged as of `as_of`.

    Attributes:
        as_of: the day judged as of (nothing after its end counts).
        last: the last day counted (`as_of` unless a shorter period was asked for).
        first: the first day counted; None counts from the first activity on record.
        zone: the cohort's time zone, which the days are in.
    """

    as_of: date
    last: date
    first: date | None = None
    zone: ZoneInfo = UTC_ZONE

    @cached_property  # asked once per member by the key figures
    def active_since(self) -> date:
        """The first day of the window "active in the last 7 days" (within the period)."""
        since = self.last - timedelta(days=ACTIVE_WINDOW_DAYS - 1)
        return since if self.first is None else max(since, self.first)

    def covers(self, day: date) -> bool:
        """Whether `day` is counted."""
        return day <= self.last and (self.first is None or day >= self.first)

    @property
    def cutoff(self) -> datetime:
        """The first moment after the period, in UTC: what happened before it counts."""
        return day_end(self.last, self.zone)

    def utc_bounds(self) -> tuple[datetime | None, datetime]:
        """The period as UTC instants [start, end); start None means no lower bound."""
        start = None if self.first is None else day_start(self.first, self.zone)
        return start, self.cutoff


def period_for(
    start: date | None,
    end: date | None,
    today: date,
    *,
    as_of: date | None = None,
    first: date | None = None,
    last: date | None = None,
    zone: ZoneInfo | None = None,
) -> Period:
    """The period of a cohort that runs from `start` to `end` (either may be unknown).

    A day after the cohort's end is taken as its end: a finished cohort is judged as it was
    when it ended, so no figure can speak of a silence longer than the cohort itself.

    Args:
        start: the cohort's start date.
        end: the cohort's end date.
        today: today in the cohort's time zone.
        zone: the cohort's time zone (UTC when not given).
        as_of: the day to judge as of; by default `last` when given, else `default_as_of`.
        first: the first day to count; by default from the first activity.
        last: the last day to count; by default `as_of`.

    Raises:
        KnownError: the period ends after the as-of day, or starts after it ends.
    """
    if as_of is None:
        as_of = last if last is not None else default_as_of(start, end, today)
    if end is not None:  # a cohort that has ended is judged as it was at its end
        as_of = min(as_of, end)
        last = None if last is None else min(last, end)
    if last is None:
        last = as_of
    if last > as_of:
        raise KnownError(f"The period ends on {last}, after the day it is judged as of ({as_of})")
    if first is not None and first > last:
        raise KnownError(f"The period starts on {first} after it ends on {last}")
    return Period(as_of=as_of, last=last, first=first, zone=zone or UTC_ZONE)


def cohort_period(
    session: Session,
    cohort_id: int,
    *,
    as_of: date | None = None,
    first: date | None = None,
    last: date | None = None,
    now: datetime | None = None,
) -> Period:
    """The period of a stored cohort (`period_for` with its dates and time zone).

    Args:
        session: an open session.
        cohort_id: the cohort.
        as_of: the day to judge as of (see `period_for`).
        first: the first day to count.
        last: the last day to count.
        now: the current time (tests and screenshots); by default the clock.

    Raises:
        NotFoundError: no such cohort.
        KnownError: the period is not in order (see `period_for`).
    """
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFoundError(f"No cohort with id {cohort_id}")
    zone = ZoneInfo(cohort.timezone)
    return period_for(
        cohort.start_date,
        cohort.end_date,
        today_in(zone, now),
        as_of=as_of,
        first=first,
        last=last,
        zone=zone,
    )


def week_anchor(start: date | None, first_activity: date | None) -> date | None:
    """The first day of **week 1** of a cohort: its start date, or its first day with
    activity when it has none. Weeks are weeks of the cohort, not calendar weeks."""
    return start or first_activity


def cohort_week(day: date, anchor: date) -> int:
    """The week of the cohort `day` falls in (week 1 starts on `anchor`; the days before it
    are week 0, -1...)."""
    return (day - anchor).days // 7 + 1


def week_days_in(starts: date, first: date | None = None, last: date | None = None) -> int:
    """How many of the seven days of the week starting on `starts` fall from `first` to
    `last` (either open): fewer than seven for the week a range cuts, such as the current
    week of a running cohort."""
    end = starts + timedelta(days=6)
    begin = max(starts, first) if first else starts
    end = min(end, last) if last else end
    return max(0, (end - begin).days + 1)


def days_silent(last_active: date, as_of: date) -> int:
    """Whole days from the last day with activity to the as-of day."""
    return (as_of - last_active).days


def is_silent(last_active: date | None, as_of: date, silent_days: int) -> bool:
    """**Silent**, or **went quiet**: active before, but nothing at all for `silent_days` days
    (the cohort's setting) up to the as-of day. Someone never active is not silent: they have
    not got in yet (see `terms.has_access_evidence`)."""
    return last_active is not None and days_silent(last_active, as_of) >= silent_days
