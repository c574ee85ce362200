"""The vocabulary of figures: the SQL and the Python definitions agree, and "as of" holds.

Property tests over generated cohorts: any mix of members, roles, kinds of activity, word
counts, replies (to peers, staff, oneself, nobody) and days, counted by the rollups through
`metrics.counts`, equals the same events judged one by one with `metrics.terms`; and whatever
day a cohort is judged as of, nothing said about it can outlast the cohort itself.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, literal, select

from cohortdesk.core.enums import EventKind, Role
from cohortdesk.core.metrics.counts import (
    member_counts,
    member_counts_of_numbers,
    member_numbers_query,
    reply_arrays,
    reply_rows_query,
    reply_split_query,
)
from cohortdesk.core.metrics.period import (
    Period,
    cohort_period,
    default_as_of,
    is_silent,
    period_for,
    week_days_in,
)
from cohortdesk.core.metrics.terms import (
    carries_content,
    has_access_evidence,
    is_contribution,
    is_peer_reply,
    is_reply,
    is_reply_to_staff,
    is_thread,
)
from cohortdesk.core.models.rollups import DAILY, REPLIES
from cohortdesk.core.services.attention.attention import attention
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.columns import int_columns
from cohortdesk.core.storage.db import Database
from tests.core.builders import add, event, make_cohort, person_of

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@given(start=st.none() | DAYS, end=st.none() | DAYS, today=DAYS)
def test_the_default_as_of_day(start: date | None, end: date | None, today: date) -> None:
    day = default_as_of(start, end, today)
    if end is not None and end < today:
        assert day == end, "a finished cohort is judged as it ended"
    elif start is not None and start > today:
        assert day == start, "one yet to begin, as it starts"
    else:
        assert day == today


@given(
    start=st.none() | DAYS,
    end=st.none() | DAYS,
    today=DAYS,
    as_of=st.none() | DAYS,
    first=st.none() | DAYS,
    last=st.none() | DAYS,
)
def test_a_period_never_reaches_past_the_cohort_or_its_as_of_day(
    start: date | None,
    end: date | None,
    today: date,
    as_of: date | None,
    first: date | None,
    last: date | None,
) -> None:
    assume(start is None or end is None or start <= end)  # as every stored cohort is
    try:
        period = period_for(start, end, today, as_of=as_of, first=first, last=last)
    except Exception as exc:  # only the plain refusals of a period out of order
        assert type(exc).__name__ == "KnownError"
        assert "after" in str(exc)
        return
    assert period.last <= period.as_of
    if end is not None:
        assert period.as_of <= end
    if period.first is not None:
        assert period.first <= period.last
    if as_of is None and last is None:
        assert period.as_of == default_as_of(start, end, today)


# ---- the SQL and the Python definitions agree ------------------------------------------------

START = date(2025, 3, 3)
ROLES = st.sampled_from([Role.LEARNER, Role.LEARNER, Role.LEARNER, Role.FACILITATOR, Role.MENTOR])
KINDS = st.sampled_from([*EventKind, EventKind.REPLY, EventKind.REPLY, EventKind.REPLY])
ACTIVITY = st.lists(
    st.tuples(
        st.integers(0, 5),  # who
        KINDS,
        st.integers(0, 40),  # day of the cohort
        st.integers(0, 23),  # hour
        st.none() | st.integers(0, 5),  # replied to (for replies)
        st.none() | st.integers(0, 120),  # words
    ),
    min_size=1,
    max_size=40,
)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    folder: Path = tmp_path_factory.mktemp("metrics")
    db = Database(f"sqlite:///{folder / 'metrics.sqlite'}")
    migrate.upgrade(db)
    yield db
    db.dispose()


_made = Counter[str]()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    roles=st.lists(ROLES, max_size=4).map(lambda more: [Role.LEARNER, Role.FACILITATOR, *more]),
    activity=ACTIVITY,
    zone=st.sampled_from(["UTC", "Europe/London", "Pacific/Auckland", "America/Denver"]),
    window=st.tuples(st.integers(0, 15), st.integers(0, 40)),
    content_words=st.integers(0, 100),
)
def test_counts_from_the_rollups_equal_the_events_judged_one_by_one(
    database: Database,
    roles: list[Role],
    activity: list[tuple[int, EventKind, int, int, int | None, int | None]],
    zone: str,
    window: tuple[int, int],
    content_words: int,
) -> None:
    from zoneinfo import ZoneInfo

    _made["cohort"] += 1
    with database.write() as s:
        cohort = make_cohort(s, f"Cohort {_made['cohort']}", start_date=START, timezone=zone)
        members = [add(s, cohort.id, f"Member {n}", role) for n, role in enumerate(roles)]
        people = [person_of(s, m) for m in members]
        role_of = dict(zip(people, roles, strict=True))
        local = ZoneInfo(zone)
        happened = []
        for who, kind, day, hour, to, words in activity:
            sender = members[who % len(members)]
            target = (
                members[to % len(members)] if to is not None and kind is EventKind.REPLY else None
            )
            moment = datetime.combine(START + timedelta(days=day), time(hour), local)
            event(s, sender, kind, moment.astimezone(UTC), to=target, words=words)
            happened.append(
                (
                    person_of(s, sender),
                    kind,
                    moment.date(),
                    person_of(s, target) if target is not None else None,
                    words,
                )
            )
    low, high = sorted(window)
    period = Period(
        as_of=START + timedelta(days=high),
        last=START + timedelta(days=high),
        first=START + timedelta(days=low),
        zone=ZoneInfo(zone),
    )
    assert period.first is not None
    with database.read() as s:
        counted = member_counts(s, cohort.id, period)
        # the dashboard's way: the period's reply rows and member numbers as arrays, counted
        # with numpy
        in_period = [
            REPLIES.c.cohort_id == cohort.id,
            REPLIES.c.day.between(period.first, period.last),
        ]
        rows = int_columns(s.connection(), reply_rows_query(literal(0), in_period))
        replies = reply_arrays(rows, 1, role_of)
        assert member_counts(s, cohort.id, period, replies=replies.totals) == counted
        days = [DAILY.c.cohort_id == cohort.id, DAILY.c.day.between(period.first, period.last)]
        numbers = int_columns(s.connection(), member_numbers_query(days))
        assert member_counts_of_numbers(numbers, replies.totals) == counted
        split = s.execute(reply_split_query(REPLIES.c.cohort_id, in_period)).all()
        assert [(replies.peer[0], replies.to_staff[0])] == [
            (int(p), int(t)) for _, p, t in split
        ] or (not split and replies.peer == replies.to_staff == [0])
        pairs = s.execute(
            select(REPLIES.c.from_person_id, REPLIES.c.to_person_id, func.sum(REPLIES.c.count))
            .where(*in_period, REPLIES.c.from_person_id.in_(role_of))
            .where(REPLIES.c.to_person_id.in_(role_of))
            .group_by(REPLIES.c.from_person_id, REPLIES.c.to_person_id)
            .order_by(REPLIES.c.from_person_id, REPLIES.c.to_person_id)
        ).all()
        got = (replies.sources.tolist(), replies.targets.tolist(), replies.counts.tolist())
        assert list(zip(*got, strict=True)) == [(a, b, int(n)) for a, b, n in pairs]
    for person in people:
        mine = [h for h in happened if h[0] == person and period.first <= h[2] <= period.last]
        got = counted.get(person)
        expected_events = len(mine)
        received = sum(
            1
            for sender, kind, day, target, _w in happened
            if target == person
            and is_reply(kind)
            and sender != person
            and period.first <= day <= period.last
        )
        if got is None:
            assert expected_events == 0 and received == 0
            continue
        assert got.events == expected_events
        assert got.threads == sum(is_thread(k) for _p, k, _d, _t, _w in mine)
        assert got.replies == sum(is_reply(k) for _p, k, _d, _t, _w in mine)
        assert got.posts == sum(is_contribution(k) for _p, k, _d, _t, _w in mine)
        assert got.replies_received == received
        assert got.accessed == has_access_evidence(expected_events, received)
        assert got.peer_replies == sum(
            is_peer_reply(k, person, role_of[person], t, role_of.get(t) if t else None)
            for _p, k, _d, t, _w in mine
        )
        assert got.replies_to_staff == sum(
            is_reply_to_staff(k, person, role_of[person], t, role_of.get(t) if t else None)
            for _p, k, _d, t, _w in mine
        )
        days = [d for _p, _k, d, _t, _w in mine]
        assert got.first_active == (min(days) if days else None)
        assert got.last_active == (max(days) if days else None)
    # content: a length unknown is never content, nor ever counted as some number of words
    for _p, kind, _d, _t, words in happened:
        judged = carries_content(kind, words, content_words)
        if not is_contribution(kind):
            assert judged is False
        elif words is None:
            assert judged is None
        else:
            assert judged == (words >= content_words)


# ---- judged as of any day, nothing outlasts the cohort ---------------------------------------


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    length=st.integers(1, 120),
    active=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 150)), max_size=12),
    as_of=st.integers(-30, 4000),
)
def test_no_reason_outlasts_the_cohort_whatever_the_as_of_day(
    database: Database, length: int, active: list[tuple[int, int]], as_of: int
) -> None:
    _made["cohort"] += 1
    end = START + timedelta(days=length)
    with database.write() as s:
        cohort = make_cohort(s, f"Ended {_made['cohort']}", start_date=START, end_date=end)
        learners = [add(s, cohort.id, f"Learner {n}") for n in range(4)]
        for who, day in active:
            moment = datetime.combine(START + timedelta(days=day), time(12), UTC)
            event(s, learners[who], EventKind.VIEW, moment)
    day = START + timedelta(days=as_of)
    with database.read() as s:
        judged = cohort_period(s, cohort.id, as_of=day).as_of
        items = attention(s, cohort.id, day)
    assert judged == min(day, end)
    lasted = (judged - START).days
    for item in items:
        for reason in item.reasons:
            spoken = [int(n) for n in re.findall(r"(\d+) days?\b", reason.detail)]
            assert all(n <= max(lasted, 0) for n in spoken), reason.detail


def test_silent_is_active_before_and_quiet_for_the_cohorts_days() -> None:
    today = date(2025, 5, 1)
    assert not is_silent(None, today, 7), "never active is not silent: not in yet"
    assert not is_silent(today - timedelta(days=6), today, 7)
    assert is_silent(today - timedelta(days=7), today, 7)
    assert is_silent(today - timedelta(days=13), today, 14) is False


def test_reply_arrays_count_what_the_sql_counts_for_people_no_longer_members() -> None:
    """Replies to or from someone not a member now (9) are no peer or staff replies (SQL joins
    the members), but still count as replies received (SQL counts every row)."""
    roles = {1: Role.LEARNER, 2: Role.LEARNER, 3: Role.FACILITATOR}
    pairs = {(1, 2): 3, (1, 3): 2, (2, 1): 1, (9, 1): 4, (1, 9): 5, (3, 1): 7}
    rows = np.array([(0, a, b, n) for (a, b), n in pairs.items()], dtype=np.int64)
    replies = reply_arrays(rows, 1, roles)
    totals = replies.totals
    assert (replies.peer, replies.to_staff) == ([4], [2])
    assert list(zip(replies.sources.tolist(), replies.targets.tolist(), strict=True)) == [
        (1, 2),
        (1, 3),
        (2, 1),
        (3, 1),
    ]
    assert totals.replies_by == {1: (3, 2), 2: (1, 0)}
    assert totals.received == {2: 3, 3: 2, 1: 12, 9: 5}


@given(
    st.dates(date(2024, 1, 1), date(2026, 12, 31)),
    st.none() | st.dates(date(2024, 1, 1), date(2026, 12, 31)),
    st.none() | st.dates(date(2024, 1, 1), date(2026, 12, 31)),
)
def test_a_week_s_days_in_a_range_are_counted_one_by_one(
    starts: date, first: date | None, last: date | None
) -> None:
    week = [starts + timedelta(days=n) for n in range(7)]
    inside = [d for d in week if (first is None or d >= first) and (last is None or d <= last)]
    assert week_days_in(starts, first, last) == len(inside)
