"""Small helpers that set up cohorts, members and events through the real services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from cohortdesk.core.enums import EventKind, Role
from cohortdesk.core.models import Membership
from cohortdesk.core.schemas import CohortInput, CohortRow, EventInput, EventRow, MemberInput
from cohortdesk.core.services.people import cohorts, members, tracking

MONDAY = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)


def make_cohort(session: Session, name: str = "Spring cohort", **fields: object) -> CohortRow:
    """A cohort called `name` (UTC unless `timezone=` says otherwise)."""
    return cohorts.create_cohort(
        session, CohortInput.model_validate({"name": name, **fields})
    ).value


def add(
    session: Session,
    cohort_id: int,
    name: str,
    role: Role = Role.LEARNER,
    *,
    email: str | None = None,
    expertise: str = "",
) -> int:
    """Add a member; the email defaults to `first.last@example.org`. Returns the membership id."""
    address = email if email is not None else f"{name.lower().replace(' ', '.')}@example.org"
    data = MemberInput(full_name=name, email=address, role=role, expertise=expertise)
    return members.add_member(session, cohort_id, data, now=MONDAY - timedelta(days=7)).value


def person_of(session: Session, membership_id: int) -> int:
    """The person id behind a membership."""
    membership = session.get(Membership, membership_id)
    assert membership is not None
    return membership.person_id


def event(
    session: Session,
    membership_id: int,
    kind: EventKind,
    at: datetime = MONDAY,
    *,
    to: int | None = None,
    thread: str | None = None,
    words: int | None = None,
) -> EventRow:
    """Record an event; `to` is the membership id of the member replied to."""
    target = person_of(session, to) if to is not None else None
    data = EventInput(
        kind=kind,
        occurred_at=at,
        thread=thread,
        replied_to_person_id=target,
        word_count=words,
    )
    return tracking.add_event(session, membership_id, data).value
