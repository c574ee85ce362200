"""Each member's counts over a period, read from the daily rollups (two grouped queries).

The rollups (`core/models/rollups.py`) hold, per member and local day, the events of each
kind, and per pair of members and day the replies from one to the other; they always equal
the events grouped that way (`core/services/activity/rollups.py` keeps them so). Reading them
costs members x days, never the number of events. The roster, the member panel, the attention
list, the dashboard, the report, the exports, the manager summary and the mentor view all
count a member's activity here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import ColumnElement, Integer, Select, and_, case, func, select, type_coerce
from sqlalchemy.orm import Session, aliased

from cohortdesk.core.enums import EventKind, Role
from cohortdesk.core.metrics.period import Period
from cohortdesk.core.metrics.terms import (
    CONTRIBUTION_KINDS,
    THREAD_KINDS,
    has_access_evidence,
    is_peer_reply,
    is_reply_to_staff,
    peer_reply_sql,
    rollup_count,
    staff_reply_sql,
)
from cohortdesk.core.models import LocalDay, Membership
from cohortdesk.core.models.rollups import DAILY, REPLIES, TOTALS


@dataclass(frozen=True, slots=True)
class MemberCounts:
    """What one member did in a period (see `terms` for each word).

    Attributes:
        events: activity of every kind.
        logins: logins.
        views: views.
        threads: threads started (posts, and messages sharing a file or link).
        replies: replies, to anyone.
        peer_replies: replies to another learner (learners only).
        replies_to_staff: replies to a facilitator, mentor or manager (learners only).
        replies_received: replies others wrote to them.
        words: words written, where the length is known.
        first_active: the first day with any activity.
        last_active: the last day with any activity.
        first_contribution: the first day with a thread started or a reply.
    """

    events: int = 0
    logins: int = 0
    views: int = 0
    threads: int = 0
    replies: int = 0
    peer_replies: int = 0
    replies_to_staff: int = 0
    replies_received: int = 0
    words: int = 0
    first_active: date | None = None
    last_active: date | None = None
    first_contribution: date | None = None

    @property
    def posts(self) -> int:
        """Contributions: threads started plus replies."""
        return self.threads + self.replies

    @property
    def accessed(self) -> bool:
        """Whether the period shows they got in (`terms.has_access_evidence`)."""
        return has_access_evidence(self.events, self.replies_received)


NO_COUNTS = MemberCounts()
"""The counts of a member with nothing in the period."""


def _days(period: Period | None, day: Any) -> list[ColumnElement[bool]]:
    if period is None:
        return []
    where = [day <= period.last]
    if period.first is not None:
        where.append(day >= period.first)
    return where


@dataclass
class ReplyTotals:
    """Over a period: each person's replies to peers and to staff, and the replies they got.

    Attributes:
        replies_by: person -> (peer replies, replies to staff), by the members' roles now.
        received: person -> replies others wrote to them.
    """

    replies_by: dict[int, tuple[int, int]] = field(default_factory=dict)
    received: dict[int, int] = field(default_factory=dict)


#: every role, and None for someone who is not a member (now)
_ROLES_OR_NONE: tuple[Role | None, ...] = (*Role, None)


def _role_split() -> dict[tuple[Role | None, Role | None], tuple[bool, bool]]:
    """(sender's role, target's role) -> (a peer reply, a reply to staff), between two
    different people: `terms` decides once per pair of roles, not once per pair of people."""
    return {
        (sender, target): (
            is_peer_reply(EventKind.REPLY, 1, sender, 2, target),
            is_reply_to_staff(EventKind.REPLY, 1, sender, 2, target),
        )
        for sender in _ROLES_OR_NONE
        for target in _ROLES_OR_NONE
    }


def reply_totals(pairs: Mapping[tuple[int, int], int], roles: Mapping[int, Role]) -> ReplyTotals:
    """The reply totals of a period from its replies per pair, for a caller that has read the
    pairs already (the dashboard reads them for its network): the same numbers as
    `member_counts` counts in SQL.

    Args:
        pairs: (from person, to person) -> replies in the period, for every pair of the
            cohort's `daily_replies` rows, members or not (never to oneself: no such rows).
        roles: person -> role now, for the cohort's members; anyone else is no peer or staff.
    """
    split = _role_split()
    peers: dict[int, int] = {}
    staffed: dict[int, int] = {}
    received: dict[int, int] = {}
    for (source, target), count in pairs.items():
        received[target] = received.get(target, 0) + count
        role = roles.get(source)
        if role is None or source == target:
            continue  # not a member now (SQL's inner join leaves them out), or no reply
        peer, staff = split[role, roles.get(target)]
        if peer:
            peers[source] = peers.get(source, 0) + count
        elif staff:
            staffed[source] = staffed.get(source, 0) + count
    senders = peers.keys() | staffed.keys()
    return ReplyTotals({p: (peers.get(p, 0), staffed.get(p, 0)) for p in senders}, received)


def member_counts(
    session: Session,
    cohort_id: int,
    period: Period | None,
    person_ids: list[int] | None = None,
    replies: ReplyTotals | None = None,
) -> dict[int, MemberCounts]:
    """Each person's counts in the cohort over `period` (None: all of it), by person id.

    People with nothing in the period are left out: use `.get(person_id, NO_COUNTS)`.
    `person_ids` limits the answer to those people (the counts are the same). `replies`, the
    `reply_totals` of the same period, saves reading them again.
    """
    stmt = member_counts_query(cohort_id, period, person_ids)
    totals = _reply_totals(session, cohort_id, period, person_ids) if replies is None else replies
    rows = session.connection().execute(stmt).all()  # plain rows: the ORM adds nothing here
    return member_counts_of(rows, totals, person_ids)


def member_counts_query(
    cohort_id: int, period: Period | None, person_ids: list[int] | None = None
) -> Select[*tuple[Any, ...]]:
    """The query `member_counts` reads each person's own activity with (one row a person),
    for a caller that runs it itself and hands the rows to `member_counts_of`."""
    threads = rollup_count(DAILY, THREAD_KINDS)
    contributions = rollup_count(DAILY, CONTRIBUTION_KINDS)
    where = [DAILY.c.cohort_id == cohort_id, *_days(period, DAILY.c.day)]
    if person_ids is not None:
        where.append(DAILY.c.person_id.in_(person_ids))
    return (
        select(
            DAILY.c.person_id,
            func.sum(DAILY.c.events),
            func.sum(DAILY.c.logins),
            func.sum(DAILY.c.views),
            func.sum(threads),
            func.sum(DAILY.c.replies),
            func.sum(DAILY.c.words),
            func.min(DAILY.c.day),
            func.max(DAILY.c.day),
            func.min(case((contributions > 0, DAILY.c.day))),
        )
        .where(*where)
        .group_by(DAILY.c.person_id)
    )


def member_counts_of(
    rows: Sequence[Any], totals: ReplyTotals, person_ids: list[int] | None = None
) -> dict[int, MemberCounts]:
    """`member_counts` from the rows of `member_counts_query` (with its column types) and the
    reply totals of the same period."""
    wanted = None if person_ids is None else set(person_ids)
    found: dict[int, MemberCounts] = {}
    replies_by, received = totals.replies_by, totals.received
    for person, events, logins, views, started, replied, words, first, last, posted in rows:
        peer, staff = replies_by.get(person, (0, 0))
        found[person] = MemberCounts(
            events=int(events),
            logins=int(logins),
            views=int(views),
            threads=int(started),
            replies=int(replied),
            peer_replies=peer,
            replies_to_staff=staff,
            replies_received=received.get(person, 0),
            words=int(words),
            first_active=first,
            last_active=last,
            first_contribution=posted,
        )
    for person, count in received.items():
        if person not in found and (wanted is None or person in wanted):
            # answered, but nothing of their own in the period
            found[person] = MemberCounts(replies_received=count)
    return found


def reply_split_query(
    by: ColumnElement[Any], where: Sequence[ColumnElement[bool]]
) -> Select[*tuple[Any, ...]]:
    """Replies to peers and to staff (by the members' roles now) in the `daily_replies` rows
    `where` picks, grouped `by` a column or expression of those rows: (by, peer, staff)."""
    sender, target = aliased(Membership), aliased(Membership)
    frm, to = REPLIES.c.from_person_id, REPLIES.c.to_person_id
    peer = peer_reply_sql(frm, sender.role, to, target.role)
    staff = staff_reply_sql(frm, sender.role, to, target.role)
    return (
        select(
            by,
            func.sum(case((peer, REPLIES.c.count), else_=0)),
            func.sum(case((staff, REPLIES.c.count), else_=0)),
        )
        .join(sender, and_(sender.cohort_id == REPLIES.c.cohort_id, sender.person_id == frm))
        .join(target, and_(target.cohort_id == REPLIES.c.cohort_id, target.person_id == to))
        .where(*where)
        .group_by(by)
    )


def _reply_totals(
    session: Session, cohort_id: int, period: Period | None, person_ids: list[int] | None
) -> ReplyTotals:
    """Replies sent to peers and to staff (by the members' roles now), and replies received."""
    frm, to = REPLIES.c.from_person_id, REPLIES.c.to_person_id
    where = [REPLIES.c.cohort_id == cohort_id, *_days(period, REPLIES.c.day)]
    sent = reply_split_query(
        frm, [*where, *([frm.in_(person_ids)] if person_ids is not None else [])]
    )
    received = (
        select(to, func.sum(REPLIES.c.count))
        .where(*where, *([to.in_(person_ids)] if person_ids is not None else []))
        .group_by(to)
    )
    connection = session.connection()
    totals = ReplyTotals()
    for person, peers, staffed in connection.execute(sent).all():
        totals.replies_by[person] = (int(peers), int(staffed))
    totals.received = {p: int(n) for p, n in connection.execute(received).all()}
    return totals


def counts_of(counts: Mapping[int, MemberCounts], person_id: int) -> MemberCounts:
    """One person's counts (`NO_COUNTS` for someone with nothing in the period)."""
    return counts.get(person_id, NO_COUNTS)


def activity_span(session: Session, cohort_id: int) -> tuple[date | None, date | None]:
    """The cohort's first and last days with any activity (None, None without any)."""
    days = select(TOTALS.c.day).where(TOTALS.c.cohort_id == cohort_id)
    first, last = session.execute(  # each through the primary key: two lookups, no scan
        select(
            days.order_by(TOTALS.c.day).limit(1).scalar_subquery(),
            days.order_by(TOTALS.c.day.desc()).limit(1).scalar_subquery(),
        )
    ).one()
    return first, last


def active_days(session: Session, cohort_id: int, person_id: int, period: Period) -> list[date]:
    """The days in `period` on which one person did anything, oldest first."""
    stmt = (
        select(DAILY.c.day)
        .where(
            DAILY.c.cohort_id == cohort_id,
            DAILY.c.person_id == person_id,
            *_days(period, DAILY.c.day),
        )
        .order_by(DAILY.c.day)
    )
    return list(session.scalars(stmt))


def people_with_activity(session: Session, cohort_id: int, person_ids: list[int]) -> set[int]:
    """Which of `person_ids` have any activity on record in the cohort, on any day."""
    stmt = (
        select(DAILY.c.person_id)
        .where(DAILY.c.cohort_id == cohort_id, DAILY.c.person_id.in_(person_ids))
        .distinct()
    )
    return set(session.scalars(stmt))


# ---- the same counts as arrays, for a whole cohort at once -----------------------------------

NO_DAY = 2**31 - 1
"""The day number `member_weeks_query` gives for "no such day" (a week without a contribution):
later than any day, so the earliest of a member's weeks is their first contribution."""


def member_weeks_query(
    week: ColumnElement[int], where: Sequence[ColumnElement[bool]]
) -> Select[*tuple[Any, ...]]:
    """The counts of `member_counts_query` per person and week (`week`, an expression of the
    `daily_activity` rows `where` picks), all whole numbers for `storage.columns`: person,
    week, events, logins, views, threads, replies, words, first day, last day, first day with
    a contribution (`NO_DAY` for none). A member's counts are the sums of their weeks', their
    days the earliest and latest (`member_counts_of_weeks`)."""
    threads = rollup_count(DAILY, THREAD_KINDS)
    contributions = rollup_count(DAILY, CONTRIBUTION_KINDS)
    day = type_coerce(DAILY.c.day, Integer())
    return (
        select(
            DAILY.c.person_id,
            week,
            func.sum(DAILY.c.events),
            func.sum(DAILY.c.logins),
            func.sum(DAILY.c.views),
            func.sum(threads),
            func.sum(DAILY.c.replies),
            func.sum(DAILY.c.words),
            func.min(day),
            func.max(day),
            func.coalesce(func.min(case((contributions > 0, day))), NO_DAY),
        )
        .where(*where)
        .group_by(DAILY.c.person_id, week)
    )


@dataclass(frozen=True)
class MemberWeeks:
    """The rows of `member_weeks_query` gathered per person.

    Attributes:
        people: the person ids, ascending.
        weekly: events per person (rows, as `people`) and week (columns).
        counts: person id -> `MemberCounts` over all the weeks.
    """

    people: NDArray[np.int64]
    weekly: NDArray[np.int64]
    counts: dict[int, MemberCounts]


def member_counts_of_weeks(rows: NDArray[np.int64], weeks: int, totals: ReplyTotals) -> MemberWeeks:
    """Each person's counts (as `member_counts_of`) and weekly events from the rows of
    `member_weeks_query` (an array, as `storage.columns` reads it) and the reply totals of
    the same days; `weeks`: how many weeks the week positions run over."""
    people, row_of = np.unique(rows[:, 0], return_inverse=True)
    row_of = row_of.reshape(-1)
    size = len(people)
    weekly = np.zeros((size, weeks), dtype=np.int64)
    weekly[row_of, rows[:, 1]] = rows[:, 2]
    sums = np.zeros((size, 6), dtype=np.int64)
    np.add.at(sums, row_of, rows[:, 2:8])
    first = np.full(size, NO_DAY, dtype=np.int64)
    np.minimum.at(first, row_of, rows[:, 8])
    last = np.full(size, -NO_DAY, dtype=np.int64)
    np.maximum.at(last, row_of, rows[:, 9])
    posted = np.full(size, NO_DAY, dtype=np.int64)
    np.minimum.at(posted, row_of, rows[:, 10])
    replies_by, received = totals.replies_by, totals.received
    found: dict[int, MemberCounts] = {}
    no_replies = (0, 0)
    for person, (events, logins, views, started, replied, words), one, other, post in zip(
        people.tolist(), sums.tolist(), first.tolist(), last.tolist(), posted.tolist(), strict=True
    ):
        peer, staff = replies_by.get(person, no_replies)
        found[person] = MemberCounts(
            events,
            logins,
            views,
            started,
            replied,
            peer,
            staff,
            received.get(person, 0),
            words,
            _day(one),
            _day(other),
            None if post == NO_DAY else _day(post),
        )
    for person, count in received.items():
        if person not in found:  # answered, but nothing of their own in the period
            found[person] = MemberCounts(replies_received=count)
    return MemberWeeks(people, weekly, found)


def _day(number: int) -> date:
    return date.fromordinal(number + LocalDay.EPOCH)


def reply_rows_query(
    week: ColumnElement[int], where: Sequence[ColumnElement[bool]]
) -> Select[*tuple[Any, ...]]:
    """The `daily_replies` rows `where` picks, as whole numbers for `storage.columns`: week
    (`week`, an expression of the row), from person, to person, replies."""
    return select(week, REPLIES.c.from_person_id, REPLIES.c.to_person_id, REPLIES.c.count).where(
        *where
    )


@dataclass(frozen=True)
class ReplyArrays:
    """Replies in a range, from the rows of `reply_rows_query`.

    Attributes:
        sources, targets, counts: replies per pair (from, to), in key order: the pairs whose
            two people are both members (now), the reply network's edges.
        peer, to_staff: learners' replies per week to other learners and to staff.
        totals: each person's `ReplyTotals` (replies from anyone received count too).
    """

    sources: NDArray[np.int64]
    targets: NDArray[np.int64]
    counts: NDArray[np.int64]
    peer: list[int]
    to_staff: list[int]
    totals: ReplyTotals


def reply_arrays(rows: NDArray[np.int64], weeks: int, roles: Mapping[int, Role]) -> ReplyArrays:
    """The replies of a range by pair, by week (peer or to staff) and by person, with the
    same words as `reply_totals` and `reply_split_query`: roles now, members only for a peer
    or staff reply, never oneself.

    Args:
        rows: the rows of `reply_rows_query` (week, from, to, replies).
        weeks: how many weeks the week positions run over.
        roles: person -> role now, for the cohort's members.
    """
    week, source, target, count = rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3]
    members = np.fromiter(roles, dtype=np.int64, count=len(roles))
    order = np.argsort(members)
    members = members[order]
    role_list = list(roles.values())
    codes = np.array([_ROLES_OR_NONE.index(role_list[i]) for i in order], dtype=np.int64)
    outside = len(_ROLES_OR_NONE) - 1  # the code of None: not a member
    source_role = _codes(source, members, codes, outside)
    target_role = _codes(target, members, codes, outside)
    split = _role_split()
    size = len(_ROLES_OR_NONE)
    peer_table = np.zeros((size, size), dtype=bool)
    staff_table = np.zeros((size, size), dtype=bool)
    for (one, other), (is_peer, is_staff) in split.items():
        peer_table[_ROLES_OR_NONE.index(one), _ROLES_OR_NONE.index(other)] = is_peer
        staff_table[_ROLES_OR_NONE.index(one), _ROLES_OR_NONE.index(other)] = is_staff
    different = source != target
    peer = peer_table[source_role, target_role] & different
    staff = staff_table[source_role, target_role] & different
    both = (source_role != outside) & (target_role != outside)
    by_week_peer = np.bincount(week[peer & both], weights=count[peer & both], minlength=weeks)
    by_week_staff = np.bincount(week[staff & both], weights=count[staff & both], minlength=weeks)
    # per pair, in key order: np.unique sorts (from, to) keys
    span = int(max(source.max(initial=0), target.max(initial=0))) + 1
    keys, pair_of = np.unique(source * span + target, return_inverse=True)
    pair_counts = np.bincount(pair_of.reshape(-1), weights=count, minlength=len(keys))
    pair_source, pair_target = keys // span, keys % span
    kept = _codes(pair_source, members, codes, outside) != outside
    kept &= _codes(pair_target, members, codes, outside) != outside
    totals = ReplyTotals(_per_person(source, count, peer, staff), _sums_by(target, count))
    return ReplyArrays(
        pair_source[kept],
        pair_target[kept],
        pair_counts[kept].astype(np.int64),
        by_week_peer.astype(np.int64).tolist(),
        by_week_staff.astype(np.int64).tolist(),
        totals,
    )


def _codes(
    people: NDArray[np.int64], members: NDArray[np.int64], codes: NDArray[np.int64], outside: int
) -> NDArray[np.int64]:
    """Each person's role code (`outside` for someone not a member)."""
    if not len(members):
        return np.full(len(people), outside, dtype=np.int64)
    at = np.minimum(np.searchsorted(members, people), len(members) - 1)
    return np.where(members[at] == people, codes[at], outside)


def _sums_by(people: NDArray[np.int64], counts: NDArray[np.int64]) -> dict[int, int]:
    """person -> the sum of their `counts`."""
    ids, index = np.unique(people, return_inverse=True)
    sums = np.bincount(index.reshape(-1), weights=counts, minlength=len(ids)).astype(np.int64)
    return dict(zip(ids.tolist(), sums.tolist(), strict=True))


def _per_person(
    senders: NDArray[np.int64],
    counts: NDArray[np.int64],
    peer: NDArray[np.bool_],
    staff: NDArray[np.bool_],
) -> dict[int, tuple[int, int]]:
    """sender -> (peer replies, replies to staff), for those who sent either."""
    either = peer | staff
    ids, index = np.unique(senders[either], return_inverse=True)
    index = index.reshape(-1)
    kept = counts[either]
    peers = np.bincount(index, weights=kept * peer[either], minlength=len(ids)).astype(np.int64)
    staffed = np.bincount(index, weights=kept * staff[either], minlength=len(ids))
    return dict(
        zip(
            ids.tolist(),
            zip(peers.tolist(), staffed.astype(np.int64).tolist(), strict=True),
            strict=True,
        )
    )
