"""Nudges: the messages a facilitator sends, logged with the text as sent and their outcome.

A message copied, opened in the mail client or saved as an `.eml` file is logged as a *draft*:
cohortdesk cannot see it being sent. The facilitator confirms it (`confirm_nudges`): sent, or
not sent. Only a sent nudge counts (`metrics.terms.nudge_counts`): it alone has an outcome.

A nudge's outcome is never typed in: it follows from the member's own activity afterwards.
Any event of theirs in the cohort (a login is enough) within `response_days` of the nudge
means they *responded*; while that window is still open it is *no response yet*; once it has
closed without activity, *no response*. The window comes from the cohort's attention settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from cohortdesk.core.enums import NudgeStatus
from cohortdesk.core.errors import KnownError, NotFoundError
from cohortdesk.core.metrics.period import day_end
from cohortdesk.core.metrics.terms import nudge_counts
from cohortdesk.core.models import (
    ActivityEvent,
    Cohort,
    Intervention,
    Membership,
    Person,
    PromptTemplate,
    utcnow,
)
from cohortdesk.core.schemas import (
    Changed,
    Changes,
    DraftNudge,
    NudgeInput,
    NudgeOutcome,
    NudgeRow,
)
from cohortdesk.core.services.attention.rules import get_rules
from cohortdesk.core.services.people.members import require_membership


def outcome(
    sent_at: datetime, first_activity: datetime | None, now: datetime, response_days: int
) -> NudgeOutcome:
    """What followed a nudge, judged at `now`.

    Args:
        sent_at: when the nudge went out.
        first_activity: the member's first own activity after `sent_at` (and before `now`).
        now: the moment of judging (the end of the `as_of` day, say).
        response_days: how long a nudge waits for a response.
    """
    deadline = sent_at + timedelta(days=response_days)
    if first_activity is not None and first_activity <= deadline:
        return NudgeOutcome.RESPONDED
    return NudgeOutcome.WAITING if now < deadline else NudgeOutcome.NO_RESPONSE


def log_nudge(session: Session, membership_id: int, data: NudgeInput) -> Changed[NudgeRow]:
    """Record a nudge (by default, now): sent, or a draft waiting to be confirmed.

    Raises:
        NotFoundError: no such member, or no such template.
        KnownError: the message is empty.
    """
    membership = require_membership(session, membership_id)
    if not data.body.strip():
        raise KnownError("The message is empty: there is nothing to log")
    if data.template_id is not None and session.get(PromptTemplate, data.template_id) is None:
        raise NotFoundError(f"No template with id {data.template_id}")
    nudge = Intervention(
        membership_id=membership.id,
        template_id=data.template_id,
        subject=" ".join(data.subject.split()),
        body=data.body,
        channel=data.channel,
        sent_at=data.sent_at or utcnow(),
        status=data.status,
    )
    session.add(nudge)
    session.flush()
    row = _rows(session, membership.cohort_id, None, Intervention.id == nudge.id)[0]
    return Changed(value=row, changes=Changes(nudges=frozenset({membership.cohort_id})))


def list_nudges(
    session: Session,
    cohort_id: int,
    *,
    membership_id: int | None = None,
    as_of: date | None = None,
    now: datetime | None = None,
) -> list[NudgeRow]:
    """The cohort's nudges (or one member's), newest first, each with its outcome.

    Args:
        session: the open session.
        cohort_id: the cohort.
        membership_id: only this member's nudges.
        as_of: judge outcomes as of the end of this day (in the cohort's time zone), counting
            only nudges and activity up to then; by default, as of `now`.
        now: the current time (for tests); by default the clock.

    Raises:
        NotFoundError: the cohort does not exist.
    """
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFoundError(f"No cohort with id {cohort_id}")
    cutoff = day_end(as_of, ZoneInfo(cohort.timezone)) if as_of else (now or utcnow())
    where = [Intervention.sent_at < cutoff]
    if membership_id is not None:
        where.append(Intervention.membership_id == membership_id)
    return _rows(session, cohort_id, cutoff, *where)


def confirm_nudges(
    session: Session, nudge_ids: Sequence[int], status: NudgeStatus, *, now: datetime | None = None
) -> Changes:
    """Say whether nudges went out: sent (they count from now on) or not sent.

    Setting a nudge back to draft (to be asked again) is allowed too. The time the message
    left cohortdesk (`sent_at`) stays: it is the best known time it was sent.

    Raises:
        NotFoundError: one of the nudges does not exist (nothing is changed).
    """
    found = {
        nudge.id: nudge
        for nudge in session.scalars(select(Intervention).where(Intervention.id.in_(nudge_ids)))
    }
    missing = sorted(set(nudge_ids) - set(found))
    if missing:
        raise NotFoundError(f"No nudge with id {missing[0]}")
    stamp = now or utcnow()
    for nudge in found.values():
        nudge.status = status
        nudge.confirmed_at = None if status is NudgeStatus.DRAFT else stamp
    session.flush()
    cohorts = set(
        session.scalars(
            select(Membership.cohort_id).where(
                Membership.id.in_({n.membership_id for n in found.values()})
            )
        )
    )
    return Changes(nudges=frozenset(cohorts))


def drafts_to_confirm(session: Session, cohort_id: int | None = None) -> list[DraftNudge]:
    """Nudges still waiting for "sent" or "not sent", oldest first, in every cohort (or one)."""
    stmt = (
        select(Intervention, Cohort.id, Cohort.name, Cohort.timezone, Person.full_name)
        .join(Membership, Membership.id == Intervention.membership_id)
        .join(Cohort, Cohort.id == Membership.cohort_id)
        .join(Person, Person.id == Membership.person_id)
        .where(Intervention.status == NudgeStatus.DRAFT)
        .order_by(Intervention.sent_at, Intervention.id)
    )
    if cohort_id is not None:
        stmt = stmt.where(Cohort.id == cohort_id)
    return [
        DraftNudge(
            id=nudge.id,
            cohort_id=cid,
            cohort_name=cohort_name,
            timezone=timezone,
            name=name,
            subject=nudge.subject,
            body=nudge.body,
            channel=nudge.channel,
            sent_at=nudge.sent_at,
        )
        for nudge, cid, cohort_name, timezone, name in session.execute(stmt)
    ]


def delete_nudge(session: Session, nudge_id: int) -> Changes:
    """Remove a nudge logged by mistake.

    Raises:
        NotFoundError: there is none.
    """
    nudge = session.get(Intervention, nudge_id)
    if nudge is None:
        raise NotFoundError(f"No nudge with id {nudge_id}")
    cohort_id = require_membership(session, nudge.membership_id).cohort_id
    session.delete(nudge)
    session.flush()
    return Changes(nudges=frozenset({cohort_id}))


def first_activity_after(
    session: Session, cohort_id: int, cutoff: datetime, *where: ColumnElement[bool]
) -> dict[int, tuple[Intervention, datetime | None]]:
    """Nudges matching `where`, each with the member's first own activity after it (or None).

    Only activity before `cutoff` counts. One grouped query, whatever the number of nudges.
    """
    after = (
        (ActivityEvent.cohort_id == Membership.cohort_id)
        & (ActivityEvent.person_id == Membership.person_id)
        & (ActivityEvent.occurred_at > Intervention.sent_at)
        & (ActivityEvent.occurred_at < cutoff)
    )
    stmt = (
        select(Intervention, func.min(ActivityEvent.occurred_at))
        .join(Membership, Membership.id == Intervention.membership_id)
        .outerjoin(ActivityEvent, after)
        .where(Membership.cohort_id == cohort_id, *where)
        .group_by(Intervention.id)
    )
    return {nudge.id: (nudge, first) for nudge, first in session.execute(stmt)}


def _rows(
    session: Session, cohort_id: int, cutoff: datetime | None, *where: ColumnElement[bool]
) -> list[NudgeRow]:
    response_days = get_rules(session, cohort_id).attention.response_days
    now = cutoff or utcnow()
    found = first_activity_after(session, cohort_id, now, *where)
    if not found:
        return []
    ids = [nudge.membership_id for nudge, _ in found.values()]
    people = {
        mid: (pid, name, email)
        for mid, pid, name, email in session.execute(
            select(Membership.id, Person.id, Person.full_name, Person.email)
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.id.in_(set(ids)))
        )
    }
    template_ids = {n.template_id for n, _ in found.values() if n.template_id is not None}
    names = dict(
        session.execute(
            select(PromptTemplate.id, PromptTemplate.name).where(
                PromptTemplate.id.in_(template_ids)
            )
        ).all()
    )
    rows = []
    for nudge, first in found.values():
        pid, name, email = people[nudge.membership_id]
        counted = nudge_counts(nudge.status)
        result = outcome(nudge.sent_at, first, now, response_days) if counted else None
        rows.append(
            NudgeRow(
                id=nudge.id,
                membership_id=nudge.membership_id,
                person_id=pid,
                name=name,
                email=email or "",
                template_id=nudge.template_id,
                template_name=names.get(nudge.template_id) if nudge.template_id else None,
                subject=nudge.subject,
                body=nudge.body,
                channel=nudge.channel,
                sent_at=nudge.sent_at,
                status=nudge.status,
                confirmed_at=nudge.confirmed_at,
                outcome=result,
                active_again_at=first,
            )
        )
    rows.sort(key=lambda r: (r.sent_at, r.id), reverse=True)
    return rows


def latest_per_member(rows: Sequence[NudgeRow]) -> dict[int, NudgeRow]:
    """The newest sent nudge of each member among `rows` (as `list_nudges` returns them):
    drafts and messages not sent do not count (`metrics.terms.nudge_counts`)."""
    latest: dict[int, NudgeRow] = {}
    for row in rows:
        if not nudge_counts(row.status):
            continue
        current = latest.get(row.membership_id)
        if current is None or (row.sent_at, row.id) > (current.sent_at, current.id):
            latest[row.membership_id] = row
    return latest
