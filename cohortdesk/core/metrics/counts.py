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
from typing import TYPE_CHECKING, Any, NamedTuple

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

if TYPE_CHECKING:  # numpy loads with the dashboard, not with Today
    import numpy as np
    from numpy.typing import NDArray


class MemberCounts(NamedTuple):
    """What one member did in a period (see `terms` for each word).

    A named tuple: a dashboard makes one per member, thousands at a time, and a tuple is
    built in a tenth of a frozen dataclass's time.

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
    reply totals of the same period (`reply_arrays`), saves reading them again.
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
    where = [DAILY.c.cohort_id == cohort_id, *_days(period, DAILY.c.day)]
    if person_ids is not None:
        where.append(DAILY.c.person_id.in_(person_ids))
    return (
        select(DAILY.c.person_id, *_member_sums(DAILY.c.day))
        .where(*where)
        .group_by(DAILY.c.person_id)
    )


def _member_sums(day: ColumnElement[Any]) -> list[ColumnElement[Any]]:
    """One member's counts over their `daily_activity` rows, in `MemberCounts`' order: events,
    logins, views, threads, replies, words, first and last day, first contribution's day."""
    threads = rollup_count(DAILY, THREAD_KINDS)
    contributions = rollup_count(DAILY, CONTRIBUTION_KINDS)
    return [
        func.sum(DAILY.c.events),
        func.sum(DAILY.c.logins),
        func.sum(DAILY.c.views),
        func.sum(threads),
        func.sum(DAILY.c.replies),
        func.sum(DAILY.c.words),
        func.min(day),
        func.max(day),
        func.min(case((contributions > 0, day))),
    ]


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
"""The day number `member_numbers_query` gives for "no such day" (no contribution yet)."""


MEMBER_NUMBERS = 10
"""The columns of `member_numbers_query` that `member_counts_of_numbers` reads (the first)."""


def member_numbers_query(
    where: Sequence[ColumnElement[bool]], *more: ColumnElement[int]
) -> Select[*tuple[Any, ...]]:
    """`member_counts_query` over the `daily_activity` rows `where` picks, all in whole
    numbers for `storage.columns` (days as day numbers, `NO_DAY` for no contribution), for
    `member_counts_of_numbers`; then `more`, a caller's own whole-number aggregates over the
    same rows of each person (never NULL), read in the same pass."""
    *sums, first_contribution = _member_sums(type_coerce(DAILY.c.day, Integer()))
    return (
        select(DAILY.c.person_id, *sums, func.coalesce(first_contribution, NO_DAY), *more)
        .where(*where)
        .group_by(DAILY.c.person_id)
    )


def member_counts_of_numbers(
    rows: NDArray[np.int64], totals: ReplyTotals
) -> dict[int, MemberCounts]:
    """`member_counts_of` from the rows of `member_numbers_query` (an array, as
    `storage.columns` reads it; its first `MEMBER_NUMBERS` columns) and the reply totals of
    the same period."""
    import numpy as np

    rows = rows[:, :MEMBER_NUMBERS]
    days: dict[int, date | None] = {NO_DAY: None}
    for number in np.unique(rows[:, 7:10]).tolist():
        if number != NO_DAY:
            days[number] = date.fromordinal(number + LocalDay.EPOCH)
    replies_by, received = totals.replies_by, totals.received
    found: dict[int, MemberCounts] = {}
    no_replies = (0, 0)
    for (
        person,
        events,
        logins,
        views,
        started,
        replied,
        words,
        first,
        last,
        posted,
    ) in rows.tolist():
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
            days[first],
            days[last],
            days[posted],
        )
    for person, count in received.items():
        if person not in found:  # answered, but nothing of their own in the period
            found[person] = MemberCounts(replies_received=count)
    return found


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
    same words as `reply_split_query` (by `terms`, once per pair of roles): roles now,
    members only for a peer or staff reply, never oneself; a reply from or to someone no
    longer a member still counts as one received.

    Args:
        rows: the rows of `reply_rows_query` (week, from, to, replies).
        weeks: how many weeks the week positions run over.
        roles: person -> role now, for the cohort's members.
    """
    import numpy as np

    week, source, target, count = rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3]
    span = max(int(source.max(initial=0)), int(target.max(initial=0)), max(roles, default=0)) + 1
    # person id -> role code (the position in _ROLES_OR_NONE; None's for anyone else)
    outside = len(_ROLES_OR_NONE) - 1
    role_of = np.full(span, outside, dtype=np.int8)
    code = {role: n for n, role in enumerate(_ROLES_OR_NONE)}
    role_of[np.fromiter(roles, dtype=np.int64, count=len(roles))] = np.fromiter(
        (code[role] for role in roles.values()), dtype=np.int8, count=len(roles)
    )
    size = len(_ROLES_OR_NONE)
    peer_table = np.zeros((size, size), dtype=bool)
    staff_table = np.zeros((size, size), dtype=bool)
    for (one, other), (is_peer, is_staff) in _role_split().items():
        peer_table[code[one], code[other]] = is_peer
        staff_table[code[one], code[other]] = is_staff
    source_role, target_role = role_of[source], role_of[target]
    different = source != target
    peer = peer_table[source_role, target_role] & different
    staff = staff_table[source_role, target_role] & different
    # per pair, in key order (from, to), of two members
    keys, pair_of = np.unique(source * span + target, return_inverse=True)
    pair_counts = np.bincount(pair_of.reshape(-1), weights=count, minlength=len(keys))
    pair_source, pair_target = keys // span, keys % span
    kept = (role_of[pair_source] != outside) & (role_of[pair_target] != outside)
    peers = _sums(source, count * peer, span)
    staffed = _sums(source, count * staff, span)
    senders = np.flatnonzero((peers > 0) | (staffed > 0))
    received = _sums(target, count, span)
    answered = np.flatnonzero(received)
    totals = ReplyTotals(
        dict(
            zip(
                senders.tolist(),
                zip(peers[senders].tolist(), staffed[senders].tolist(), strict=True),
                strict=True,
            )
        ),
        dict(zip(answered.tolist(), received[answered].tolist(), strict=True)),
    )
    return ReplyArrays(
        pair_source[kept],
        pair_target[kept],
        pair_counts[kept].astype(np.int64),
        _sums(week[peer], count[peer], weeks).tolist(),
        _sums(week[staff], count[staff], weeks).tolist(),
        totals,
    )


def _sums(at: NDArray[np.int64], counts: NDArray[np.int64], size: int) -> NDArray[np.int64]:
    """The sums of `counts` by position (`at`), for positions 0 to `size` - 1."""
    import numpy as np

    return np.bincount(at, weights=counts, minlength=size).astype(np.int64)
