"""Cohorts: create, list, rename, archive, delete.

The writes return what they changed (`Changed`): the list of cohorts, and for an edit that can
move figures (dates, time zone), the cohort's roster too.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from cohortdesk.core.enums import Role
from cohortdesk.core.errors import ConflictError, NotFoundError
from cohortdesk.core.models import ActivityEvent, Cohort, Membership
from cohortdesk.core.schemas import Changed, Changes, CohortInput, CohortRow, Frozen, validated
from cohortdesk.core.services.activity import rollups
from cohortdesk.core.storage import team_session as team_storage
from cohortdesk.core.storage.server_errors import stale

#: what a change to a cohort itself announces: the list of cohorts shows it
LIST_CHANGED = Changes(cohorts=True)


class CohortSize(Frozen):
    """What deleting a cohort would remove, for the confirmation."""

    members: int
    events: int


def _rows(session: Session, *where: object) -> list[CohortRow]:
    counts = (
        select(
            Membership.cohort_id,
            func.count(Membership.id).label("members"),
            func.sum(case((Membership.role == Role.LEARNER, 1), else_=0)).label("learners"),
        )
        .group_by(Membership.cohort_id)
        .subquery()
    )
    stmt = (
        select(Cohort, counts.c.members, counts.c.learners)
        .outerjoin(counts, counts.c.cohort_id == Cohort.id)
        .where(*where)  # type: ignore[arg-type]
        .order_by(Cohort.archived, func.lower(Cohort.name))
    )
    return [
        CohortRow(
            id=c.id,
            name=c.name,
            description=c.description,
            start_date=c.start_date,
            end_date=c.end_date,
            timezone=c.timezone,
            archived=c.archived,
            members=members or 0,
            learners=learners or 0,
            version=c.version,
        )
        for c, members, learners in session.execute(stmt)
    ]


def list_cohorts(session: Session, *, include_archived: bool = True) -> list[CohortRow]:
    """Every cohort, active ones first, by name."""
    if include_archived:
        return _rows(session)
    return _rows(session, Cohort.archived.is_(False))


def get_cohort(session: Session, cohort_id: int) -> CohortRow:
    """The cohort with this id.

    Raises:
        NotFoundError: there is none (deleted meanwhile, say).
    """
    rows = _rows(session, Cohort.id == cohort_id)
    if not rows:
        raise NotFoundError(f"No cohort with id {cohort_id}")
    return rows[0]


def find_cohort(session: Session, name: str) -> CohortRow:
    """The cohort called `name` (exact, then case-insensitive).

    Raises:
        NotFoundError: no cohort has that name; the message lists the ones that exist.
    """
    wanted = unicodedata.normalize("NFC", name.strip())  # as names are stored (`schemas.Name`)
    rows = _rows(session, Cohort.name == wanted)
    if rows:
        return rows[0]
    same = _ids_named(session, wanted)
    if same:
        return _rows(session, Cohort.id == same[0])[0]
    known = [c.name for c in list_cohorts(session)]
    hint = f" Known cohorts: {', '.join(known)}" if known else " There are no cohorts yet."
    raise NotFoundError(f"No cohort named {wanted!r}.{hint}")


def _require(session: Session, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFoundError(f"No cohort with id {cohort_id}")
    return cohort


def _ids_named(session: Session, name: str) -> list[int]:
    """The cohorts called `name` in any case, in any Unicode form. Compared in Python: SQL's
    lower() knows only ASCII, so "Ångström" and "ÅNGSTRÖM" would be two names."""
    wanted = unicodedata.normalize("NFC", name).casefold()
    rows = session.execute(select(Cohort.id, Cohort.name).order_by(Cohort.id))
    return [i for i, n in rows if unicodedata.normalize("NFC", n).casefold() == wanted]


def _check_name_free(session: Session, name: str, except_id: int | None = None) -> None:
    if [i for i in _ids_named(session, name) if i != except_id]:
        raise ConflictError(f"A cohort named {name!r} already exists")


def create_cohort(session: Session, data: CohortInput) -> Changed[CohortRow]:
    """Create a cohort.

    Raises:
        ConflictError: the name is taken (names are unique, ignoring case).
    """
    _check_name_free(session, data.name)
    cohort = Cohort(**data.model_dump())
    session.add(cohort)
    session.flush()
    return Changed(value=get_cohort(session, cohort.id), changes=LIST_CHANGED)


def update_cohort(
    session: Session, cohort_id: int, data: CohortInput, seen: int | None = None
) -> Changed[CohortRow]:
    """Replace a cohort's name, description, dates and time zone.

    `seen` is `CohortRow.version` of the copy the edit was made on: when someone else saved
    the cohort since, nothing is saved (on a shared server, two facilitators editing one
    cohort never overwrite each other silently).

    Raises:
        NotFoundError: no such cohort.
        ConflictError: another cohort has that name.
        StaleEditError: someone else saved this cohort since `seen` was read.
    """
    cohort = _require(session, cohort_id)
    if seen is not None and seen != cohort.version:
        raise stale(f"The cohort {cohort.name}")
    _check_name_free(session, data.name, except_id=cohort_id)
    zone_before = cohort.timezone
    counted_before = (cohort.start_date, cohort.end_date, cohort.timezone)
    for field, value in data.model_dump().items():
        setattr(cohort, field, value)
    session.flush()
    if cohort.timezone != zone_before:  # events fall on other local days (weeks need nothing)
        rollups.rebuild(session, cohort_id)
    changes = LIST_CHANGED
    if (cohort.start_date, cohort.end_date, cohort.timezone) != counted_before:
        changes |= Changes.of_roster(cohort_id)  # the dates and zone decide what figures count
    return Changed(value=get_cohort(session, cohort_id), changes=changes)


def rename_cohort(session: Session, cohort_id: int, name: str) -> Changed[CohortRow]:
    """Give a cohort a new name.

    Raises:
        KnownError: the name is blank or too long.
        ConflictError: another cohort has that name.
    """
    return change_cohort(session, cohort_id, name=name)


def change_cohort(session: Session, cohort_id: int, **fields: object) -> Changed[CohortRow]:
    """Change some of a cohort's details (`name`, `description`, `start_date`, `end_date`,
    `timezone`), keeping the others.

    Raises:
        NotFoundError: no such cohort.
        KnownError: the details together are not valid (a blank name, the end before the
            start, an unknown zone).
        ConflictError: another cohort has that name.
    """
    current = get_cohort(session, cohort_id).model_dump(include=set(CohortInput.model_fields))
    data = validated(CohortInput, **{**current, **fields})
    return update_cohort(session, cohort_id, data)


def set_archived(session: Session, cohort_id: int, archived: bool) -> Changed[CohortRow]:
    """Archive a finished cohort (kept, but out of the way) or bring it back."""
    _require(session, cohort_id).archived = archived
    session.flush()
    return Changed(value=get_cohort(session, cohort_id), changes=LIST_CHANGED)


def cohort_size(session: Session, cohort_id: int) -> CohortSize:
    """How many memberships and events a cohort holds."""
    _require(session, cohort_id)
    members = session.scalar(
        select(func.count()).select_from(Membership).where(Membership.cohort_id == cohort_id)
    )
    events = session.scalar(
        select(func.count()).select_from(ActivityEvent).where(ActivityEvent.cohort_id == cohort_id)
    )
    return CohortSize(members=members or 0, events=events or 0)


def delete_cohort(session: Session, cohort_id: int) -> Changes:
    """Delete a cohort with everything recorded in it.

    People who belong to no other cohort are deleted too: nobody's details outlive the only
    cohort they were in.
    """
    _require(session, cohort_id)
    person_ids = select(Membership.person_id).where(Membership.cohort_id == cohort_id)
    candidates = list(session.scalars(person_ids))
    session.execute(delete(Cohort).where(Cohort.id == cohort_id))
    delete_orphans(session, candidates)
    # Only the list: a view still showing the cohort has nothing left to read again.
    return LIST_CHANGED


def delete_orphans(session: Session, person_ids: list[int]) -> None:
    """Delete those of `person_ids` who are no longer a member of any cohort (on a team's
    server, also what the login cannot see: `storage.team_session.delete_orphans`)."""
    team_storage.delete_orphans(session, person_ids)
