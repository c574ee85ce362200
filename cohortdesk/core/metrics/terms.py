"""What each kind of activity counts as: posts, threads, replies, peer replies, content, access.

The definitions, each once, in Python (for one event or one member's counts) and in SQL (for a
grouped query over events or the daily rollups). Every count that cohortdesk shows is built
from these; `docs/metrics.md` lists the terms with where each is defined.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, Table, and_, literal, select, union

from cohortdesk.core.enums import EventKind, NudgeStatus, Role
from cohortdesk.core.models import DAILY_KIND_COLUMNS, ActivityEvent

THREAD_KINDS: frozenset[EventKind] = frozenset({EventKind.POST, EventKind.SHARE})
"""A **thread started**: a message of one's own that opens a thread (a post). A message that
shares a file or a link opens a thread too, so it counts as a post."""

REPLY_KINDS: frozenset[EventKind] = frozenset({EventKind.REPLY})
"""A **reply**: a message answering someone in their thread."""

CONTRIBUTION_KINDS: frozenset[EventKind] = THREAD_KINDS | REPLY_KINDS
"""A **contribution**, or **post** in the plural sense ("posts"): a thread started or a reply,
so *posts = threads + replies*. Reactions, logins, views, attendance and submissions are
activity, not contributions."""

READING_KINDS: frozenset[EventKind] = frozenset({EventKind.LOGIN, EventKind.VIEW})
"""Logging in and viewing: being there without writing."""

STAFF_ROLES: frozenset[Role] = frozenset({Role.FACILITATOR, Role.MENTOR, Role.MANAGER})
"""Facilitators, mentors and managers: a reply to one of them is a **reply to staff**."""


def is_thread(kind: EventKind) -> bool:
    """Whether an event of `kind` starts a thread (see `THREAD_KINDS`)."""
    return kind in THREAD_KINDS


def is_reply(kind: EventKind) -> bool:
    """Whether an event of `kind` is a reply (see `REPLY_KINDS`)."""
    return kind in REPLY_KINDS


def is_contribution(kind: EventKind) -> bool:
    """Whether an event of `kind` is a contribution (see `CONTRIBUTION_KINDS`)."""
    return kind in CONTRIBUTION_KINDS


def _learner_reply_to(
    kind: EventKind,
    sender: int,
    sender_role: Role | None,
    target: int | None,
    target_role: Role | None,
    roles: Collection[Role],
) -> bool:
    """A reply by a learner to someone else whose role is one of `roles`."""
    return (
        is_reply(kind)
        and target is not None
        and target != sender
        and sender_role is Role.LEARNER
        and target_role in roles
    )


def is_peer_reply(
    kind: EventKind,
    sender: int,
    sender_role: Role | None,
    target: int | None,
    target_role: Role | None,
) -> bool:
    """A **peer reply**: a reply by a learner to another learner of the same cohort.

    Not to a facilitator, mentor or manager, not to oneself, and not to someone who is not a
    member. Roles are the members' roles now: a role changed later re-colours the past.
    """
    return _learner_reply_to(kind, sender, sender_role, target, target_role, (Role.LEARNER,))


def is_reply_to_staff(
    kind: EventKind,
    sender: int,
    sender_role: Role | None,
    target: int | None,
    target_role: Role | None,
) -> bool:
    """A **reply to staff**: a reply by a learner to a facilitator, mentor or manager."""
    return _learner_reply_to(kind, sender, sender_role, target, target_role, STAFF_ROLES)


def carries_content(kind: EventKind, word_count: int | None, content_words: int) -> bool | None:
    """A **content post**: a contribution of at least `content_words` words.

    Only when its text is known: a contribution whose length the export did not say is
    *length unknown* (None here), never counted as content, nor as short.
    """
    if not is_contribution(kind):
        return False
    if word_count is None:
        return None
    return word_count >= content_words


def has_access_evidence(events: int, replies_received: int) -> bool:
    """**Access**: any activity of one's own, or being replied to by someone, shows that a
    member got into the cohort's space (one cannot be answered without having posted)."""
    return events > 0 or replies_received > 0


def reads_without_posting(events: int, contributions: int) -> bool:
    """**Reads without posting**: active (logs in, views, reacts...) but no contribution yet.

    Reading first is legitimate for a while (Salmon's stage 2); the attention list waits for
    the cohort's reading period before it says so.
    """
    return events > 0 and contributions == 0


def nudge_counts(status: NudgeStatus) -> bool:
    """**A nudge counts once it is sent**: a message copied, opened in the mail client or saved
    as an `.eml` file is a draft until the facilitator confirms it went out. Only a sent nudge
    has an outcome (responded, no response), makes someone "nudged recently" or adds "no
    response" to their reasons; a draft or a message marked not sent changes nothing."""
    return status is NudgeStatus.SENT


def needs_facilitator(priority: int) -> bool:
    """**Needs you**: a learner on the attention list whose priority is above zero. Someone
    nudged recently with nothing new since (priority below zero) stays on the list, last,
    waiting for their response, but is not counted among those who need the facilitator."""
    return priority > 0


# ---- the same in SQL ----------------------------------------------------------------------


def kind_in(kind: Any, kinds: Collection[EventKind]) -> ColumnElement[bool]:
    """SQL: the event kind column `kind` is one of `kinds`."""
    return kind.in_(sorted(kinds))  # type: ignore[no-any-return]


def _learner_reply_to_sql(
    sender: Any, sender_role: Any, target: Any, target_role: Any, kind: Any, roles: Collection[Role]
) -> ColumnElement[bool]:
    return and_(
        *([] if kind is None else [kind_in(kind, REPLY_KINDS)]),
        target.is_not(None),
        target != sender,
        sender_role == Role.LEARNER,
        target_role.in_(sorted(roles)),
    )


def peer_reply_sql(
    sender: Any, sender_role: Any, target: Any, target_role: Any, kind: Any = None
) -> ColumnElement[bool]:
    """SQL for `is_peer_reply`: the sender, the replied-to person and their roles now, and
    the event kind column (None for rows that are all replies, like `daily_replies`)."""
    return _learner_reply_to_sql(sender, sender_role, target, target_role, kind, (Role.LEARNER,))


def staff_reply_sql(
    sender: Any, sender_role: Any, target: Any, target_role: Any, kind: Any = None
) -> ColumnElement[bool]:
    """SQL for `is_reply_to_staff` (arguments as `peer_reply_sql`)."""
    return _learner_reply_to_sql(sender, sender_role, target, target_role, kind, STAFF_ROLES)


def content_sql(kind: Any, word_count: Any, content_words: int) -> ColumnElement[bool]:
    """SQL for a content post (`carries_content` is True): known length, long enough."""
    return and_(
        kind_in(kind, CONTRIBUTION_KINDS),
        word_count.is_not(None),
        word_count >= content_words,
    )


def unknown_length_sql(kind: Any, word_count: Any) -> ColumnElement[bool]:
    """SQL for a contribution of unknown length (`carries_content` is None)."""
    return and_(kind_in(kind, CONTRIBUTION_KINDS), word_count.is_(None))


def access_evidence_sql(*where: ColumnElement[bool]) -> CompoundSelect[tuple[int]]:
    """SQL: the people whose events among those `where` picks show they got in (`access`):
    the authors of any of them, and the people any reply among them answers."""
    event = ActivityEvent
    answered = select(event.replied_to_id).where(
        *where,
        kind_in(event.kind, REPLY_KINDS),
        event.replied_to_id.is_not(None),
        event.replied_to_id != event.person_id,
    )
    return union(select(event.person_id).where(*where), answered)


def rollup_count(table: Table, kinds: Collection[EventKind]) -> ColumnElement[int]:
    """SQL: the events of `kinds` on one row of a daily rollup (`daily_activity` or
    `daily_totals`, one column per kind), e.g. `rollup_count(DAILY, THREAD_KINDS)`."""
    columns = [table.c[DAILY_KIND_COLUMNS[kind]] for kind in sorted(kinds)]
    if not columns:
        return literal(0)
    total: ColumnElement[int] = columns[0]
    for column in columns[1:]:
        total = total + column
    return total


def nudge_counts_sql(status: Any) -> ColumnElement[bool]:
    """SQL: the nudge status column `status` says the nudge counts (see `nudge_counts`)."""
    return status == NudgeStatus.SENT  # type: ignore[no-any-return]
