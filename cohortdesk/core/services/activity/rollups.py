"""Daily rollups: the counts dashboards read instead of the events, kept exact on every change.

Three tables, all derived from `activity_events` and always equal to a fresh GROUP BY over it:

- `daily_activity`: per member and local day, events in all and of each kind, and words;
- `daily_totals`: the same per cohort and local day (the sums of `daily_activity`);
- `daily_replies`: replies from one member to another per local day (the reply network; a
  reply to oneself or to nobody named is no edge).

A *day* is the calendar day in the cohort's time zone. SQL has no portable time zones, so the
day is computed from the stored UTC time with one fixed offset per stretch between two
daylight-saving changes (`local_day`): a CASE over a handful of UTC instants, exact to the
second, found only around the days that hold the events concerned (`utc_days`), so the cost
follows the events, not the calendar span between them. Whether a reply is a peer reply or
one to staff is decided when it is read, from the members' roles then, so a role changed later
needs no rebuild; nor does a new start date, since weeks are counted from it when read. A new
time zone moves events across midnight: `rebuild` the cohort
(`services.people.cohorts.update_cohort` does).

How each change keeps them exact:

- an import adds its batch's events with one INSERT ... SELECT ... GROUP BY merged into the
  rows already there (`add_batch`); an event typed in is added the same way (`add_event`);
- undoing an import recomputes the (member, day) pairs its events touched, without them
  (`forget_batch`, before the events go); deleting one event recomputes its member's day
  (`forget_event`);
- removing a member or merging two people recomputes those people's rows, replies to them
  included (`refresh_people`);
- `rebuild` recomputes a whole cohort from its events.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    Table,
    and_,
    case,
    delete,
    func,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.orm import Session

from cohortdesk.core.enums import EventKind
from cohortdesk.core.models import (
    DAILY_KIND_COLUMNS,
    ActivityEvent,
    Cohort,
    ImportBatch,
    LocalDay,
    Membership,
)
from cohortdesk.core.models.rollups import DAILY, REPLIES, TOTALS
from cohortdesk.core.storage.db import Database, insert_adding_on_conflict, local_day_number

_DAILY_KEYS = ("cohort_id", "person_id", "day")
#: the counts of a `daily_activity` row, in the order `_daily_rows` selects them
_DAILY_COUNTS = ("events", *DAILY_KIND_COLUMNS.values(), "words")
_REPLY_KEYS = ("cohort_id", "from_person_id", "to_person_id", "day")
_TOTAL_KEYS = ("cohort_id", "day")
#: a condition on a day column: which days' totals to recompute (None for all)
DaysFilter = Callable[[ColumnElement[date]], ColumnElement[bool]] | None
_DAY = 86_400
#: events scanned around one day, so that any offset from UTC is covered
_MARGIN = timedelta(days=2)


# ---- local days in SQL ---------------------------------------------------------------------


def _offset(zone: ZoneInfo, seconds: int) -> int:
    shift = datetime.fromtimestamp(seconds, zone).utcoffset()
    assert shift is not None  # a ZoneInfo always has an offset for an aware time
    return int(shift.total_seconds())


def zone_stretches(zone: ZoneInfo, days: Iterable[int]) -> list[tuple[datetime, int]]:
    """The stretches of constant UTC offset that hold the events of these UTC days.

    Args:
        zone: the cohort's time zone.
        days: UTC day numbers (days since 1970-01-01) on which the events to place lie.

    Returns:
        (start, offset in seconds) per stretch, oldest first. Each start after the first is
        the exact second the clocks change within or between the days; a change between two
        days whose offsets agree holds no event and is left out. The cost follows the days
        and the changes among them, never the calendar span: one event in 2024 and one in
        2200 make two days, not 64,000.
    """
    points = sorted({edge for day in days for edge in (day * _DAY, (day + 1) * _DAY)})
    if not points:
        points = [0]
    found = [(points[0], _offset(zone, points[0]))]
    for low_end, high_end in itertools.pairwise(points):
        target = _offset(zone, high_end)
        while target != found[-1][1]:
            # the offset changes somewhere in (low, high]: find the exact second
            low, high = max(low_end, found[-1][0]), high_end
            while high - low > 1:
                middle = (low + high) // 2
                if _offset(zone, middle) == found[-1][1]:
                    low = middle
                else:
                    high = middle
            found.append((high, _offset(zone, high)))
    return [(datetime.fromtimestamp(second, UTC), offset) for second, offset in found]


def local_day(
    moment: SQLColumnExpression[datetime], zone: ZoneInfo, days: Iterable[int]
) -> ColumnElement[int]:
    """SQL for the calendar day, in `zone`, of a UTC time column whose values lie on the UTC
    `days` (`utc_days`), as `models.LocalDay` stores it (whole days since 1970-01-01)."""
    stretches = zone_stretches(zone, days)
    if len(stretches) == 1:
        return local_day_number(moment, stretches[0][1])
    whens = [
        (moment < next_start, local_day_number(moment, offset))
        for (_, offset), (next_start, _) in itertools.pairwise(stretches)
    ]
    return case(*whens, else_=local_day_number(moment, stretches[-1][1]))


def utc_days(session: Session, where: ColumnElement[bool], margin: int = 0) -> list[int]:
    """The UTC days (days since 1970-01-01) of the events `where` selects, each widened by
    `margin` days on both sides: what `local_day` must place exactly."""
    utc_day = local_day_number(ActivityEvent.occurred_at, 0)
    found = session.scalars(select(utc_day).where(where).distinct())
    return sorted({d + shift for d in found for shift in range(-margin, margin + 1)})


# ---- reading the events --------------------------------------------------------------------


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _zone(session: Session, cohort_id: int) -> ZoneInfo:
    cohort = session.get(Cohort, cohort_id)
    return ZoneInfo(cohort.timezone if cohort is not None else "UTC")


def _daily_rows(day: ColumnElement[int], *where: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    event = ActivityEvent
    return (
        select(
            event.cohort_id,
            event.person_id,
            day,
            func.count(),
            *(func.sum(case((event.kind == kind, 1), else_=0)) for kind in DAILY_KIND_COLUMNS),
            func.coalesce(func.sum(event.word_count), 0),
        )
        .where(*where)
        .group_by(event.cohort_id, event.person_id, day)
    )


def _reply_rows(day: ColumnElement[int], *where: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    event = ActivityEvent
    return (
        select(event.cohort_id, event.person_id, event.replied_to_id, day, func.count())
        .where(
            event.kind == EventKind.REPLY,
            event.replied_to_id.is_not(None),
            event.replied_to_id != event.person_id,
            *where,
        )
        .group_by(event.cohort_id, event.person_id, event.replied_to_id, day)
    )


def _insert(
    session: Session,
    table: Table,
    keys: Sequence[str],
    added: Sequence[str],
    rows: Select[*tuple[Any, ...]],
) -> None:
    columns = [table.c[name] for name in (*keys, *added)]
    session.execute(table.insert().from_select(columns, rows))


def _retotal(session: Session, cohort_id: int, days: DaysFilter) -> None:
    """Recompute the cohort's daily totals of `days` from its `daily_activity` rows."""
    session.execute(
        delete(TOTALS).where(TOTALS.c.cohort_id == cohort_id, *_days(days, TOTALS.c.day))
    )
    sums = (func.sum(DAILY.c[name]) for name in _DAILY_COUNTS)
    rows = (
        select(DAILY.c.cohort_id, DAILY.c.day, *sums)
        .where(DAILY.c.cohort_id == cohort_id, *_days(days, DAILY.c.day))
        .group_by(DAILY.c.cohort_id, DAILY.c.day)
    )
    _insert(session, TOTALS, _TOTAL_KEYS, _DAILY_COUNTS, rows)


def _days(days: DaysFilter, column: ColumnElement[date]) -> list[ColumnElement[bool]]:
    return [] if days is None else [days(column)]


def _replace(
    session: Session,
    cohort_id: int,
    day: ColumnElement[int],
    *,
    rows: ColumnElement[bool],
    replies: ColumnElement[bool],
    events: ColumnElement[bool],
    reply_events: ColumnElement[bool],
    days: DaysFilter,
) -> None:
    """Delete the rows `rows`/`replies` select, then insert them again from `events`; then
    recompute the totals of `days`.

    The conditions must describe the same rows: every event that counts in a deleted row, and
    no other, is selected again, and `days` holds every day of a deleted row.
    """
    session.execute(delete(DAILY).where(DAILY.c.cohort_id == cohort_id, rows))
    session.execute(delete(REPLIES).where(REPLIES.c.cohort_id == cohort_id, replies))
    in_cohort = ActivityEvent.cohort_id == cohort_id
    _insert(session, DAILY, _DAILY_KEYS, _DAILY_COUNTS, _daily_rows(day, in_cohort, events))
    _insert(session, REPLIES, _REPLY_KEYS, ("count",), _reply_rows(day, in_cohort, reply_events))
    _retotal(session, cohort_id, days)


# ---- keeping them exact --------------------------------------------------------------------


def rebuild(session: Session, cohort_id: int) -> None:
    """Recompute a cohort's rollups from its events (after a time zone change, say)."""
    session.flush()
    for table in (DAILY, REPLIES, TOTALS):
        session.execute(delete(table).where(table.c.cohort_id == cohort_id))
    days = utc_days(session, ActivityEvent.cohort_id == cohort_id)
    if not days:
        return
    day = local_day(ActivityEvent.occurred_at, _zone(session, cohort_id), days)
    everything = true()
    _replace(
        session,
        cohort_id,
        day,
        rows=everything,
        replies=everything,
        events=everything,
        reply_events=everything,
        days=None,
    )


def add_batch(session: Session, batch_id: int) -> None:
    """Add an import's events (all of them new: duplicates were never inserted)."""
    session.flush()
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        return
    # The batch alone picks its events (through its index): they are all in its cohort.
    mine = ActivityEvent.import_batch_id == batch_id
    days = utc_days(session, mine)
    if not days:
        return
    day = local_day(ActivityEvent.occurred_at, _zone(session, batch.cohort_id), days)
    daily = _daily_rows(day, mine)
    replies = _reply_rows(day, mine)
    session.execute(
        insert_adding_on_conflict(_dialect(session), DAILY, _DAILY_KEYS, _DAILY_COUNTS, daily)
    )
    session.execute(
        insert_adding_on_conflict(_dialect(session), REPLIES, _REPLY_KEYS, ("count",), replies)
    )
    _retotal(session, batch.cohort_id, None)  # one row a day: cheaper than finding the days


def forget_batch(session: Session, batch_id: int) -> None:
    """Recompute, without an import's events, every (member, day) they count in.

    Call it before the events are deleted: it needs them to know which rows they touched.
    """
    session.flush()
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        return
    mine = ActivityEvent.import_batch_id == batch_id
    lo, hi = session.execute(
        select(func.min(ActivityEvent.occurred_at), func.max(ActivityEvent.occurred_at)).where(mine)
    ).one()
    if lo is None:
        return
    lo, hi = lo - _MARGIN, hi + _MARGIN
    # Other events count only on the batch's days: within two days of them, their local day
    # is exact; further away, no offset can bring them onto one of those days.
    near = utc_days(session, mine, margin=_MARGIN.days)
    day = local_day(ActivityEvent.occurred_at, _zone(session, batch.cohort_id), near)
    touched = select(ActivityEvent.person_id, day).where(mine).distinct()
    others = and_(
        ActivityEvent.occurred_at.between(lo, hi),
        ActivityEvent.import_batch_id.is_distinct_from(batch_id),
        tuple_(ActivityEvent.person_id, day).in_(touched),
    )
    _replace(
        session,
        batch.cohort_id,
        day,
        rows=tuple_(DAILY.c.person_id, DAILY.c.day).in_(touched),
        replies=tuple_(REPLIES.c.from_person_id, REPLIES.c.day).in_(touched),
        events=others,
        reply_events=others,
        days=lambda column: column.in_(select(day).where(mine)),
    )


@cache
def _adding(dialect: str, table: str) -> Any:
    """The upsert adding one event's counts to a table, built once: building it is costly."""
    keys, added = {
        "daily": (_DAILY_KEYS, _DAILY_COUNTS),
        "totals": (_TOTAL_KEYS, _DAILY_COUNTS),
        "replies": (_REPLY_KEYS, ("count",)),
    }[table]
    target = {"daily": DAILY, "totals": TOTALS, "replies": REPLIES}[table]
    return insert_adding_on_conflict(dialect, target, keys, added)


def add_event(session: Session, event: ActivityEvent) -> None:
    """Add one event just recorded (flushed, so it has its id and values)."""
    day = event.occurred_at.astimezone(_zone(session, event.cohort_id)).date()
    counts = {column: int(kind == event.kind) for kind, column in DAILY_KIND_COLUMNS.items()}
    counts |= {"events": 1, "words": event.word_count or 0}
    where = {"cohort_id": event.cohort_id, "day": day}
    dialect = _dialect(session)
    connection = session.connection()  # plain Core statements: the ORM has nothing to add
    connection.execute(_adding(dialect, "daily"), {**where, "person_id": event.person_id, **counts})
    connection.execute(_adding(dialect, "totals"), {**where, **counts})
    target = event.replied_to_id
    if event.kind == EventKind.REPLY and target is not None and target != event.person_id:
        connection.execute(
            _adding(dialect, "replies"),
            {
                "cohort_id": event.cohort_id,
                "from_person_id": event.person_id,
                "to_person_id": target,
                "day": day,
                "count": 1,
            },
        )


def forget_event(session: Session, event_id: int) -> None:
    """Recompute the day of the member whose event `event_id` is about to be deleted."""
    session.flush()
    event = session.get(ActivityEvent, event_id)
    if event is None:
        return
    cohort_id, person_id, moment = event.cohort_id, event.person_id, event.occurred_at
    zone = _zone(session, cohort_id)
    today = moment.astimezone(zone).date()
    lo, hi = moment - _MARGIN, moment + _MARGIN
    utc_day = int(moment.timestamp()) // _DAY
    day = local_day(ActivityEvent.occurred_at, zone, range(utc_day - 2, utc_day + 3))
    others = and_(
        ActivityEvent.person_id == person_id,
        ActivityEvent.occurred_at.between(lo, hi),
        day == LocalDay.number(today),
        ActivityEvent.id != event_id,
    )
    _replace(
        session,
        cohort_id,
        day,
        rows=and_(DAILY.c.person_id == person_id, DAILY.c.day == today),
        replies=and_(REPLIES.c.from_person_id == person_id, REPLIES.c.day == today),
        events=others,
        reply_events=others,
        days=lambda column: column == today,
    )


def refresh_people(
    session: Session, person_ids: Iterable[int], cohort_ids: Iterable[int] | None = None
) -> None:
    """Recompute the rows of these people (as actors, and as the people replied to).

    Args:
        session: the open transaction.
        person_ids: people whose events changed hands or went (a merge, a removed member).
        cohort_ids: where; by default every cohort they are a member of now.
    """
    session.flush()
    people = sorted(set(person_ids))
    if not people:
        return
    if cohort_ids is None:
        cohort_ids = session.scalars(
            select(Membership.cohort_id).where(Membership.person_id.in_(people)).distinct()
        ).all()
    for cohort_id in sorted(set(cohort_ids)):
        theirs = or_(ActivityEvent.person_id.in_(people), ActivityEvent.replied_to_id.in_(people))
        days = utc_days(session, and_(ActivityEvent.cohort_id == cohort_id, theirs))
        day = local_day(ActivityEvent.occurred_at, _zone(session, cohort_id), days)
        _replace(
            session,
            cohort_id,
            day,
            rows=DAILY.c.person_id.in_(people),
            replies=or_(REPLIES.c.from_person_id.in_(people), REPLIES.c.to_person_id.in_(people)),
            events=ActivityEvent.person_id.in_(people),
            reply_events=or_(
                ActivityEvent.person_id.in_(people), ActivityEvent.replied_to_id.in_(people)
            ),
            days=None,
        )


# ---- checking and repairing ----------------------------------------------------------------


def _expected(session: Session, cohort_id: int) -> tuple[set[tuple[Any, ...]], ...]:
    """The three tables' rows of a cohort as a fresh count of its events would make them."""
    mine = ActivityEvent.cohort_id == cohort_id
    day = local_day(ActivityEvent.occurred_at, _zone(session, cohort_id), utc_days(session, mine))
    daily = {tuple(r) for r in session.execute(_daily_rows(day, mine))}
    replies = {tuple(r) for r in session.execute(_reply_rows(day, mine))}
    totals: dict[tuple[int, int], list[int]] = {}
    for row in daily:
        sums = totals.setdefault((row[0], row[2]), [0] * len(_DAILY_COUNTS))
        for position, value in enumerate(row[3:]):
            sums[position] += value
    return daily, replies, {(*key, *sums) for key, sums in totals.items()}


def _stored(session: Session, cohort_id: int) -> tuple[set[tuple[Any, ...]], ...]:
    """The three tables' rows of a cohort as stored, days as day numbers."""
    found = []
    for table, keys, counts in (
        (DAILY, _DAILY_KEYS, _DAILY_COUNTS),
        (REPLIES, _REPLY_KEYS, ("count",)),
        (TOTALS, _TOTAL_KEYS, _DAILY_COUNTS),
    ):
        columns = [table.c[name] for name in (*keys, *counts)]
        where = table.c.cohort_id == cohort_id
        at = keys.index("day")
        found.append(
            {
                (*r[:at], LocalDay.number(r[at]), *r[at + 1 :])
                for r in session.execute(select(*columns).where(where))
            }
        )
    return tuple(found)


def drifted_cohorts(session: Session) -> list[int]:
    """The cohorts whose daily counts differ from a fresh count of their events.

    They never should; a file salvaged from damage, a backup edited by hand or a bug can make
    them drift, and every screen that reads them would then disagree with the PDF and the
    exports, which read the events. `cohortdesk check` reports them; `rebuild_all` repairs.
    """
    return [
        cohort_id
        for cohort_id in session.scalars(select(Cohort.id).order_by(Cohort.id))
        if _expected(session, cohort_id) != _stored(session, cohort_id)
    ]


def rebuild_all(session: Session) -> int:
    """Recompute every cohort's daily counts from its events; returns how many cohorts."""
    cohort_ids = list(session.scalars(select(Cohort.id)))
    for cohort_id in cohort_ids:
        rebuild(session, cohort_id)
    return len(cohort_ids)


def recount(db: Database) -> None:
    """Recount every cohort's daily counts in one transaction: after a restore or a rescue,
    whose copied tables may not match their events."""
    with db.write() as session:
        rebuild_all(session)
