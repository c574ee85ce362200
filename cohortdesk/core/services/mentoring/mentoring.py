"""Mentoring: who mentors whom, mentoring groups, a mentor's sessions and reviews.

A mentee has one mentor in a cohort; a mentor has many mentees, some of them gathered in
groups that share a goal (group mentoring). The schema cannot say "one mentor" with a unique
constraint (merging two people moves their rows generically, see `services.people`), so this
module keeps it: assigning a mentor replaces the mentee's link, and readers take the newest
link when a merge left two.

Sessions belong to their mentor: every function that reads or changes one takes the mentor's
membership and refuses a session of another mentor as if it did not exist. Every write returns
the cohort whose mentoring changed (`Changes.mentoring`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, aliased

from cohortdesk.core.enums import Role
from cohortdesk.core.errors import ConflictError, KnownError, NotFoundError
from cohortdesk.core.models import (
    Cohort,
    Membership,
    MentoringGroup,
    MentoringSession,
    MentorLink,
    MentorReview,
    Person,
    utcnow,
)
from cohortdesk.core.name_order import by_name, name_key
from cohortdesk.core.schemas import Changed, Changes
from cohortdesk.core.schemas.mentoring import (
    AssignmentRow,
    AssignResult,
    GroupInput,
    GroupRow,
    MentorRow,
    SessionInput,
    SessionRow,
)


def new_uuid() -> str:
    """A fresh stable id for a session or group."""
    return str(uuid.uuid4())


# ---- members by email or name ----------------------------------------------------------


def find_member(session: Session, cohort_id: int, who: str) -> int:
    """The membership of the cohort's member with this email (or, failing that, exact name).

    Raises:
        NotFoundError: nobody in the cohort has that email or name.
        KnownError: several members share that name (use the email).
    """
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFoundError(f"No cohort with id {cohort_id}")
    wanted = who.strip()
    base = (
        select(Membership.id)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.cohort_id == cohort_id)
    )
    found = session.scalars(base.where(func.lower(Person.email) == wanted.lower())).all()
    if not found:
        found = session.scalars(base.where(func.lower(Person.full_name) == wanted.lower())).all()
    if len(found) == 1:
        return found[0]
    if found:
        raise KnownError(
            f"{len(found)} members of {cohort.name} are called {wanted!r}: use the email"
        )
    raise NotFoundError(f"No member of {cohort.name} has the email or name {wanted!r}")


def _membership(session: Session, membership_id: int) -> Membership:
    membership = session.get(Membership, membership_id)
    if membership is None:
        raise NotFoundError(f"No member with id {membership_id}")
    return membership


def _changed(membership: Membership) -> Changes:
    return Changes(mentoring=frozenset({membership.cohort_id}))


def _name(session: Session, membership: Membership) -> str:
    name = session.scalar(select(Person.full_name).where(Person.id == membership.person_id))
    return name or "?"


# ---- links --------------------------------------------------------------------------------


def current_links(session: Session, cohort_id: int) -> dict[int, MentorLink]:
    """Each mentee's link (the newest if a merge left two), by mentee membership id."""
    mentee = aliased(Membership)
    stmt = (
        select(MentorLink)
        .join(mentee, mentee.id == MentorLink.mentee_membership_id)
        .where(
            mentee.cohort_id == cohort_id,
            MentorLink.mentor_membership_id != MentorLink.mentee_membership_id,
        )
        .order_by(MentorLink.id)
    )
    return {link.mentee_membership_id: link for link in session.scalars(stmt)}


def mentee_ids(session: Session, mentor_membership_id: int) -> list[int]:
    """The memberships the mentor currently mentors."""
    mentor = _membership(session, mentor_membership_id)
    return sorted(
        mentee_id
        for mentee_id, link in current_links(session, mentor.cohort_id).items()
        if link.mentor_membership_id == mentor_membership_id
    )


def assign_mentor(
    session: Session,
    mentor_membership_id: int,
    mentee_membership_id: int,
    group_id: int | None = None,
) -> Changed[AssignResult]:
    """Make `mentor` the mentor of `mentee` (replacing any other), optionally in a group.

    Raises:
        NotFoundError: either member or the group does not exist.
        KnownError: they are in different cohorts, are the same person, or the group belongs
            to another mentor.
    """
    mentor = _membership(session, mentor_membership_id)
    mentee = _membership(session, mentee_membership_id)
    if mentor.cohort_id != mentee.cohort_id:
        raise KnownError("A mentor and their mentee must be in the same cohort")
    if mentor.person_id == mentee.person_id:
        raise KnownError("Nobody can be their own mentor")
    group_name = None
    if group_id is not None:
        group = _group(session, group_id)
        if group.mentor_membership_id != mentor.id:
            raise KnownError(f"The group {group.name} belongs to another mentor")
        group_name = group.name
    previous = current_links(session, mentor.cohort_id).get(mentee.id)
    previous_name = None
    if previous is not None:
        previous_name = _name(session, _membership(session, previous.mentor_membership_id))
    session.execute(delete(MentorLink).where(MentorLink.mentee_membership_id == mentee.id))
    session.add(
        MentorLink(
            mentor_membership_id=mentor.id, mentee_membership_id=mentee.id, group_id=group_id
        )
    )
    session.flush()
    result = AssignResult(
        mentee_membership_id=mentee.id,
        mentee_name=_name(session, mentee),
        mentor_name=_name(session, mentor),
        previous_mentor_name=previous_name,
        group_name=group_name,
    )
    return Changed(value=result, changes=_changed(mentee))


def unassign_mentor(session: Session, mentee_membership_id: int) -> Changed[str | None]:
    """Leave the mentee without a mentor; returns the former mentor's name, if any."""
    mentee = _membership(session, mentee_membership_id)
    link = current_links(session, mentee.cohort_id).get(mentee.id)
    session.execute(delete(MentorLink).where(MentorLink.mentee_membership_id == mentee.id))
    session.flush()
    former = None
    if link is not None:
        former = _name(session, _membership(session, link.mentor_membership_id))
    return Changed(value=former, changes=_changed(mentee))


def set_mentee_group(session: Session, mentee_membership_id: int, group_id: int | None) -> Changes:
    """Put a mentee in one of their mentor's groups (or in none).

    Raises:
        KnownError: the mentee has no mentor, or the group is another mentor's.
    """
    mentee = _membership(session, mentee_membership_id)
    link = current_links(session, mentee.cohort_id).get(mentee.id)
    if link is None:
        raise KnownError(f"{_name(session, mentee)} has no mentor yet")
    if group_id is not None and _group(session, group_id).mentor_membership_id != (
        link.mentor_membership_id
    ):
        raise KnownError("That group belongs to another mentor")
    link.group_id = group_id
    session.flush()
    return _changed(mentee)


def assignments(session: Session, cohort_id: int) -> list[AssignmentRow]:
    """Every member of the cohort with their mentor and group, by name."""
    links = current_links(session, cohort_id)
    people = dict(
        session.execute(
            select(Membership.id, Person.full_name)
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.cohort_id == cohort_id)
        ).all()
    )
    groups = dict(
        session.execute(
            select(MentoringGroup.id, MentoringGroup.name).where(
                MentoringGroup.mentor_membership_id.in_(list(people))
            )
        ).all()
    )
    stmt = (
        select(Membership, Person)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.cohort_id == cohort_id)
    )
    rows = []
    for membership, person in by_name(session.execute(stmt).all()):
        link = links.get(membership.id)
        mentor_id = link.mentor_membership_id if link else None
        group_id = link.group_id if link else None
        rows.append(
            AssignmentRow(
                membership_id=membership.id,
                name=person.full_name,
                email=person.email or "",
                role=membership.role,
                stage=membership.stage,
                mentor_membership_id=mentor_id,
                mentor_name=people.get(mentor_id) if mentor_id else None,
                group_id=group_id,
                group_name=groups.get(group_id) if group_id else None,
            )
        )
    return rows


def list_mentors(session: Session, cohort_id: int) -> list[MentorRow]:
    """The cohort's mentors (role mentor, or anyone with mentees), by name."""
    if session.get(Cohort, cohort_id) is None:
        raise NotFoundError(f"No cohort with id {cohort_id}")
    counts: dict[int, int] = {}
    for link in current_links(session, cohort_id).values():
        counts[link.mentor_membership_id] = counts.get(link.mentor_membership_id, 0) + 1
    stmt = (
        select(Membership, Person)
        .join(Person, Person.id == Membership.person_id)
        .where(
            Membership.cohort_id == cohort_id,
            (Membership.role == Role.MENTOR) | Membership.id.in_(list(counts)),
        )
    )
    rows = []
    for membership, person in by_name(session.execute(stmt).all()):
        groups = session.scalar(
            select(func.count())
            .select_from(MentoringGroup)
            .where(MentoringGroup.mentor_membership_id == membership.id)
        )
        rows.append(
            MentorRow(
                membership_id=membership.id,
                person_id=person.id,
                name=person.full_name,
                email=person.email or "",
                role=membership.role,
                mentees=counts.get(membership.id, 0),
                groups=groups or 0,
                last_reviewed_at=last_reviewed(session, membership.id),
            )
        )
    return rows


def mentor_row(session: Session, mentor_membership_id: int) -> MentorRow:
    """One mentor's row (any member can be asked about; with no mentees the count is 0)."""
    mentor = _membership(session, mentor_membership_id)
    person = session.get(Person, mentor.person_id)
    assert person is not None
    groups = session.scalar(
        select(func.count())
        .select_from(MentoringGroup)
        .where(MentoringGroup.mentor_membership_id == mentor.id)
    )
    return MentorRow(
        membership_id=mentor.id,
        person_id=person.id,
        name=person.full_name,
        email=person.email or "",
        role=mentor.role,
        mentees=len(mentee_ids(session, mentor.id)),
        groups=groups or 0,
        last_reviewed_at=last_reviewed(session, mentor.id),
    )


# ---- groups -------------------------------------------------------------------------------


def _group(session: Session, group_id: int) -> MentoringGroup:
    group = session.get(MentoringGroup, group_id)
    if group is None:
        raise NotFoundError(f"No mentoring group with id {group_id}")
    return group


def _group_rows(session: Session, groups: Iterable[MentoringGroup]) -> list[GroupRow]:
    rows = []
    for group in groups:
        mentor = _membership(session, group.mentor_membership_id)
        links = current_links(session, mentor.cohort_id)
        member_ids = [m for m, link in links.items() if link.group_id == group.id]
        names = sorted(
            session.scalars(
                select(Person.full_name)
                .join(Membership, Membership.person_id == Person.id)
                .where(Membership.id.in_(member_ids))
            ).all(),
            key=name_key,
        )
        rows.append(
            GroupRow(
                id=group.id,
                uuid=group.uuid,
                mentor_membership_id=group.mentor_membership_id,
                name=group.name,
                goal=group.goal,
                mentees=tuple(names),
            )
        )
    return rows


def list_groups(session: Session, mentor_membership_id: int) -> list[GroupRow]:
    """The mentor's groups, by name."""
    groups = session.scalars(
        select(MentoringGroup)
        .where(MentoringGroup.mentor_membership_id == mentor_membership_id)
        .order_by(func.lower(MentoringGroup.name), MentoringGroup.id)
    )
    return _group_rows(session, groups)


def find_group(session: Session, mentor_membership_id: int, name: str) -> GroupRow | None:
    """The mentor's group with this name (ignoring case), or None."""
    wanted = name.strip().casefold()
    return next(
        (g for g in list_groups(session, mentor_membership_id) if g.name.casefold() == wanted),
        None,
    )


def create_group(
    session: Session, mentor_membership_id: int, data: GroupInput
) -> Changed[GroupRow]:
    """A new group of the mentor's.

    Raises:
        ConflictError: the mentor already has a group of that name.
    """
    mentor = _membership(session, mentor_membership_id)
    if find_group(session, mentor_membership_id, data.name) is not None:
        raise ConflictError(f"There is already a group called {data.name!r}")
    group = MentoringGroup(
        uuid=new_uuid(), mentor_membership_id=mentor_membership_id, name=data.name, goal=data.goal
    )
    session.add(group)
    session.flush()
    return Changed(value=_group_rows(session, [group])[0], changes=_changed(mentor))


def update_group(session: Session, group_id: int, data: GroupInput) -> Changed[GroupRow]:
    """Rename a group or change its goal."""
    group = _group(session, group_id)
    other = find_group(session, group.mentor_membership_id, data.name)
    if other is not None and other.id != group.id:
        raise ConflictError(f"There is already a group called {data.name!r}")
    group.name, group.goal = data.name, data.goal
    session.flush()
    mentor = _membership(session, group.mentor_membership_id)
    return Changed(value=_group_rows(session, [group])[0], changes=_changed(mentor))


def delete_group(session: Session, group_id: int) -> Changes:
    """Delete a group; its mentees keep their mentor.

    Raises:
        ConflictError: the mentor has written sessions with the group (they would be lost).
    """
    group = _group(session, group_id)
    sessions = session.scalar(
        select(func.count())
        .select_from(MentoringSession)
        .where(MentoringSession.group_id == group.id)
    )
    if sessions:
        raise ConflictError(
            f"The group {group.name} has {sessions} session notes of its mentor: keep it"
        )
    changes = _changed(_membership(session, group.mentor_membership_id))
    session.delete(group)
    session.flush()
    return changes


# ---- sessions -----------------------------------------------------------------------------


def _session_rows(session: Session, mentor_membership_id: int, *where: object) -> list[SessionRow]:
    mentee, person = aliased(Membership), aliased(Person)
    stmt = (
        select(MentoringSession, person.full_name, MentoringGroup.name)
        .outerjoin(mentee, mentee.id == MentoringSession.mentee_membership_id)
        .outerjoin(person, person.id == mentee.person_id)
        .outerjoin(MentoringGroup, MentoringGroup.id == MentoringSession.group_id)
        .where(MentoringSession.mentor_membership_id == mentor_membership_id, *where)  # type: ignore[arg-type]
        .order_by(MentoringSession.held_on.desc(), MentoringSession.id.desc())
    )
    return [
        SessionRow(
            id=s.id,
            uuid=s.uuid,
            mentor_membership_id=s.mentor_membership_id,
            mentee_membership_id=s.mentee_membership_id,
            mentee_name=mentee_name,
            group_id=s.group_id,
            group_name=group_name,
            held_on=s.held_on,
            notes=s.notes,
            goals=s.goals,
            next_steps=s.next_steps,
            created_at=s.created_at,
            updated_at=s.updated_at,
        )
        for s, mentee_name, group_name in session.execute(stmt)
    ]


def list_sessions(session: Session, mentor_membership_id: int) -> list[SessionRow]:
    """The mentor's own sessions, newest first (never another mentor's)."""
    return _session_rows(session, mentor_membership_id)


def _own_session(session: Session, mentor_membership_id: int, session_id: int) -> MentoringSession:
    record = session.get(MentoringSession, session_id)
    if record is None or record.mentor_membership_id != mentor_membership_id:
        raise NotFoundError(f"No session with id {session_id} among this mentor's sessions")
    return record


def _check_with_whom(session: Session, mentor: Membership, data: SessionInput) -> None:
    if data.mentee_membership_id is not None:
        mentee = _membership(session, data.mentee_membership_id)
        if mentee.cohort_id != mentor.cohort_id:
            raise KnownError("The mentee is in another cohort")
    if data.group_id is not None and _group(session, data.group_id).mentor_membership_id != (
        mentor.id
    ):
        raise KnownError("That group belongs to another mentor")


def add_session(
    session: Session,
    mentor_membership_id: int,
    data: SessionInput,
    *,
    now: datetime | None = None,
    session_uuid: str | None = None,
) -> Changed[SessionRow]:
    """Record a session of the mentor's, with a fresh stable id (or `session_uuid`)."""
    mentor = _membership(session, mentor_membership_id)
    _check_with_whom(session, mentor, data)
    when = now or utcnow()
    record = MentoringSession(
        uuid=session_uuid or new_uuid(),
        mentor_membership_id=mentor.id,
        mentee_membership_id=data.mentee_membership_id,
        group_id=data.group_id,
        held_on=data.held_on,
        notes=data.notes,
        goals=data.goals,
        next_steps=data.next_steps,
        created_at=when,
        updated_at=when,
    )
    session.add(record)
    session.flush()
    row = _session_rows(session, mentor.id, MentoringSession.id == record.id)[0]
    return Changed(value=row, changes=_changed(mentor))


def update_session(
    session: Session,
    mentor_membership_id: int,
    session_id: int,
    data: SessionInput,
    *,
    now: datetime | None = None,
) -> Changed[SessionRow]:
    """Change one of the mentor's sessions (its stable id stays).

    Raises:
        NotFoundError: no such session among this mentor's.
    """
    mentor = _membership(session, mentor_membership_id)
    record = _own_session(session, mentor.id, session_id)
    _check_with_whom(session, mentor, data)
    record.mentee_membership_id = data.mentee_membership_id
    record.group_id = data.group_id
    record.held_on = data.held_on
    record.notes, record.goals, record.next_steps = data.notes, data.goals, data.next_steps
    record.updated_at = now or utcnow()
    session.flush()
    row = _session_rows(session, mentor.id, MentoringSession.id == record.id)[0]
    return Changed(value=row, changes=_changed(mentor))


def delete_session(session: Session, mentor_membership_id: int, session_id: int) -> Changes:
    """Delete one of the mentor's sessions."""
    mentor = _membership(session, mentor_membership_id)
    session.delete(_own_session(session, mentor.id, session_id))
    session.flush()
    return _changed(mentor)


# ---- reviews ------------------------------------------------------------------------------


def mark_reviewed(
    session: Session, mentor_membership_id: int, *, now: datetime | None = None
) -> Changed[datetime]:
    """Record that the mentor reviewed their mentees now; returns the time recorded."""
    mentor = _membership(session, mentor_membership_id)
    when = now or utcnow()
    session.add(MentorReview(mentor_membership_id=mentor_membership_id, reviewed_at=when))
    session.flush()
    return Changed(value=when, changes=_changed(mentor))


def last_reviewed(session: Session, mentor_membership_id: int) -> datetime | None:
    """When the mentor last marked a review, or None."""
    return session.scalar(
        select(func.max(MentorReview.reviewed_at)).where(
            MentorReview.mentor_membership_id == mentor_membership_id
        )
    )
