"""People across cohorts: what is known about a person, and merging two records of one person.

Imports create a person whenever a file names someone the cohort does not know yet, so the same
learner can end up twice ("Ana Souza" typed in by hand, "Moodle user 5104" from the log).
`merge_people` folds the second record into the first without losing anything:

- identities, activity events (as actor and as the person replied to) and memberships move to
  the kept person; an identity the kept person already has is not duplicated;
- in a cohort where both are members, the two memberships become one (`_combine`): every
  record of the merged membership (notes, motivation check-ins, access issues, stage history,
  nudges sent, dismissed suggestions: any row of any table that points at a membership) moves
  to the kept membership;
- the kept person's empty email and expertise are filled from the other; a second, different
  email is kept as an identity (source `email`) so it is never silently dropped;
- finally the merged person, who no longer owns anything, is deleted.

Rules where the two memberships disagree:

- **stage**: the higher stage wins, with the date it was reached (the equal stage reached
  earlier wins a tie): merging must not set anyone back;
- **access**: an open access issue on the combined member makes it `problem` (the issue is
  still there to be solved); otherwise `accessed` if either had got in; otherwise `problem` if
  either said so; otherwise `not_yet`;
- **role**: the kept membership's role, unless it is the default `learner` and the other one is
  not: imports only ever create learners, so a role other than learner was chosen by a person;
- **joined on**: the earlier date;
- **added by import**: the combined member counts as added by an import only if both were, so
  undoing an import never removes a member someone entered by hand.

A reply the merged person wrote to the kept person (or the other way round) becomes a reply to
oneself; its replied-to person is cleared, as importers do, since talking to oneself is no edge of
the reply network. The event itself stays, so every count of events is unchanged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Column, CursorResult, Select, Update, delete, func, select, update
from sqlalchemy.orm import Session

from cohortdesk.core.enums import AccessStatus, Role
from cohortdesk.core.errors import KnownError, NotFoundError
from cohortdesk.core.models import (
    AccessIssue,
    ActivityEvent,
    Base,
    Cohort,
    Identity,
    Membership,
    Person,
    TeamLogin,
)
from cohortdesk.core.schemas import Changed, Changes, Frozen
from cohortdesk.core.services.activity import rollups
from cohortdesk.core.text import plural

#: the identity source under which a merged person's second email address is kept
EMAIL_IDENTITY = "email"

#: every (table, column) that refers to a person, each handled by the merge in its own way.
#: A test compares this with the schema, so a new table that refers to people cannot be
#: forgotten here (its rows would be deleted with the merged person). Tables that refer to a
#: membership need nothing here: `member_record_columns` finds them all.
HANDLED_PERSON_REFERENCES = frozenset(
    {
        ("identities", "person_id"),
        ("activity_events", "person_id"),
        ("activity_events", "replied_to_id"),
        ("memberships", "person_id"),
        ("team_logins", "person_id"),
    }
)


def member_record_columns() -> list[Column[Any]]:
    """The columns that tie a row to a membership (notes, check-ins, stage history...).

    Found in the schema, so records added by later features move with a merge too.
    """
    return [
        fk.parent
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table is Membership.__table__ and table is not Membership.__table__
    ]


class PersonFacts(Frozen):
    """What the merge dialog shows about one person, so the user can pick whom to keep."""

    person_id: int
    name: str
    email: str
    expertise: str
    #: names of the cohorts the person is in, by name
    cohorts: tuple[str, ...]
    #: how other platforms know them: `moodle 5104`, `slack U024BE7LH`
    identities: tuple[str, ...]
    #: activity events across all cohorts
    events: int
    #: events in which someone replied to them
    replies_received: int
    #: notes, check-ins, access issues, stage changes... across their memberships
    records: int
    created_at: datetime


class MergeResult(Frozen):
    """What a merge moved, for the status bar and for tests."""

    kept_person_id: int
    kept_name: str
    merged_name: str
    identities_moved: int
    events_moved: int
    replies_moved: int
    memberships_moved: int
    memberships_combined: int
    records_moved: int

    def message(self) -> str:
        """`Merged Moodle user 5104 into Ana Souza: 12 events, 1 identity moved`."""
        parts = [plural(self.events_moved, "event")]
        if self.identities_moved:
            parts.append(plural(self.identities_moved, "identity", "identities"))
        if self.records_moved:
            parts.append(plural(self.records_moved, "record"))
        return f"Merged {self.merged_name} into {self.kept_name}: {', '.join(parts)} moved"


def _require_person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(f"No person with id {person_id}")
    return person


def _count(session: Session, stmt: Select[int]) -> int:
    return int(session.scalar(stmt) or 0)


def person_facts(session: Session, person_id: int) -> PersonFacts:
    """Everything the merge dialog shows about one person.

    Raises:
        NotFoundError: no such person (merged or removed meanwhile).
    """
    person = _require_person(session, person_id)
    cohort_names = session.scalars(
        select(Cohort.name)
        .join(Membership, Membership.cohort_id == Cohort.id)
        .where(Membership.person_id == person_id)
        .order_by(func.lower(Cohort.name))
    ).all()
    identities = session.execute(
        select(Identity.source, Identity.external_id)
        .where(Identity.person_id == person_id)
        .order_by(Identity.source, Identity.external_id)
    ).all()
    membership_ids = select(Membership.id).where(Membership.person_id == person_id)
    records = sum(
        _count(
            session,
            select(func.count()).select_from(column.table).where(column.in_(membership_ids)),
        )
        for column in member_record_columns()
    )
    return PersonFacts(
        person_id=person.id,
        name=person.full_name,
        email=person.email or "",
        expertise=person.expertise,
        cohorts=tuple(cohort_names),
        identities=tuple(f"{source} {external}" for source, external in identities),
        events=_count(
            session,
            select(func.count())
            .select_from(ActivityEvent)
            .where(ActivityEvent.person_id == person_id),
        ),
        replies_received=_count(
            session,
            select(func.count())
            .select_from(ActivityEvent)
            .where(ActivityEvent.replied_to_id == person_id),
        ),
        records=records,
        created_at=person.created_at,
    )


def merge_people(
    session: Session, keep_person_id: int, merge_person_id: int
) -> Changed[MergeResult]:
    """Fold `merge_person_id` into `keep_person_id`; the merged person is deleted.

    Everything recorded about the merged person moves to the kept one (see the module's
    docstring for how two memberships of one cohort combine). Runs inside the caller's
    transaction: commit it for the merge to take effect. The rosters of both people's cohorts
    change, and so does the list of cohorts (a combined membership is one member fewer).

    Raises:
        NotFoundError: either person does not exist.
        KnownError: both ids are the same person.
    """
    if keep_person_id == merge_person_id:
        raise KnownError("Choose two different people to merge")
    kept = _require_person(session, keep_person_id)
    merged = _require_person(session, merge_person_id)
    kept_name, merged_name = kept.full_name, merged.full_name

    identities_moved = _move_identities(session, kept.id, merged.id)
    # A server login of the merged person signs in as the kept one from now on.
    session.execute(
        update(TeamLogin).where(TeamLogin.person_id == merged.id).values(person_id=kept.id)
    )
    _take_details(session, kept, merged)

    # A reply between the two becomes a reply to oneself: clear it, as importers do.
    session.execute(
        update(ActivityEvent)
        .where(
            ActivityEvent.person_id.in_((kept.id, merged.id)),
            ActivityEvent.replied_to_id.in_((kept.id, merged.id)),
            ActivityEvent.person_id != ActivityEvent.replied_to_id,
        )
        .values(replied_to_id=None)
        .execution_options(synchronize_session=False)
    )
    events_moved = _update_count(
        session,
        update(ActivityEvent)
        .where(ActivityEvent.person_id == merged.id)
        .values(person_id=kept.id)
        .execution_options(synchronize_session=False),
    )
    replies_moved = _update_count(
        session,
        update(ActivityEvent)
        .where(ActivityEvent.replied_to_id == merged.id)
        .values(replied_to_id=kept.id)
        .execution_options(synchronize_session=False),
    )

    kept_memberships = {
        m.cohort_id: m
        for m in session.scalars(select(Membership).where(Membership.person_id == kept.id))
    }
    moved = combined = records_moved = 0
    cohort_ids: set[int] = set()
    for membership in session.scalars(
        select(Membership).where(Membership.person_id == merged.id).order_by(Membership.id)
    ).all():
        cohort_ids.add(membership.cohort_id)
        target = kept_memberships.get(membership.cohort_id)
        if target is None:
            membership.person_id = kept.id
            moved += 1
        else:
            records_moved += _combine(session, target, membership)
            combined += 1
    session.flush()

    session.execute(delete(Person).where(Person.id == merged.id))
    session.expire_all()
    rollups.refresh_people(session, (keep_person_id, merge_person_id))
    result = MergeResult(
        kept_person_id=keep_person_id,
        kept_name=kept_name,
        merged_name=merged_name,
        identities_moved=identities_moved,
        events_moved=events_moved,
        replies_moved=replies_moved,
        memberships_moved=moved,
        memberships_combined=combined,
        records_moved=records_moved,
    )
    rosters = frozenset(cohort_ids | set(kept_memberships))
    return Changed(value=result, changes=Changes(cohorts=True, rosters=rosters))


def _update_count(session: Session, stmt: Update) -> int:
    result = cast(CursorResult[Any], session.execute(stmt))
    return int(result.rowcount or 0)


def _move_identities(session: Session, kept_id: int, merged_id: int) -> int:
    """Give the merged person's identities to the kept one; drop exact duplicates only."""
    known = {
        (source, external_id)
        for source, external_id in session.execute(
            select(Identity.source, Identity.external_id).where(Identity.person_id == kept_id)
        )
    }
    moved = 0
    for identity in session.scalars(select(Identity).where(Identity.person_id == merged_id)):
        if (identity.source, identity.external_id) in known:
            session.delete(identity)  # the kept person is already known by exactly this
        else:
            identity.person_id = kept_id
            known.add((identity.source, identity.external_id))
            moved += 1
    session.flush()
    return moved


def _take_details(session: Session, kept: Person, merged: Person) -> None:
    """Fill the kept person's gaps from the merged one; keep a second email as an identity."""
    if merged.email:
        if not kept.email:
            kept.email = merged.email
        elif kept.email.casefold() != merged.email.casefold():
            exists = session.scalar(
                select(Identity.id).where(
                    Identity.person_id == kept.id,
                    Identity.source == EMAIL_IDENTITY,
                    Identity.external_id == merged.email,
                )
            )
            if exists is None:
                session.add(
                    Identity(person_id=kept.id, source=EMAIL_IDENTITY, external_id=merged.email)
                )
    kept.expertise = _merge_keywords(kept.expertise, merged.expertise)
    if merged.created_at < kept.created_at:
        kept.created_at = merged.created_at
    session.flush()


def _merge_keywords(first: str, second: str) -> str:
    """`"Moodle, rubrics"` + `"rubrics, coaching"` -> `"Moodle, rubrics, coaching"`."""
    if not second.strip():
        return first
    if not first.strip():
        return second
    words = [w.strip() for w in first.split(",") if w.strip()]
    seen = {w.casefold() for w in words}
    for word in (w.strip() for w in second.split(",")):
        if word and word.casefold() not in seen:
            words.append(word)
            seen.add(word.casefold())
    return ", ".join(words)


def _combine(session: Session, kept: Membership, merged: Membership) -> int:
    """Make two memberships of one cohort one (the kept one); returns the records moved."""
    moved = 0
    for column in member_record_columns():
        moved += _update_count(
            session,
            update(column.table)
            .where(column == merged.id)
            .values({column.name: kept.id})
            .execution_options(synchronize_session=False),
        )
    if (merged.stage, _earlier_first(merged.stage_since)) > (
        kept.stage,
        _earlier_first(kept.stage_since),
    ):
        kept.stage, kept.stage_since = merged.stage, merged.stage_since
    kept.access = _combined_access(session, kept, merged)
    if kept.role is Role.LEARNER and merged.role is not Role.LEARNER:
        kept.role = merged.role
    kept.joined_on = min(kept.joined_on, merged.joined_on)
    if merged.import_batch_id is None:
        kept.import_batch_id = None
    session.delete(merged)
    session.flush()
    return moved


def _earlier_first(moment: datetime) -> float:
    """Sorts an earlier time after a later one, so the stage reached first wins a tie."""
    return -moment.timestamp()


def _combined_access(session: Session, kept: Membership, merged: Membership) -> AccessStatus:
    open_issue = session.scalar(
        select(AccessIssue.id).where(
            AccessIssue.membership_id == kept.id, AccessIssue.resolved_at.is_(None)
        )
    )
    statuses = {kept.access, merged.access}
    if open_issue is not None:
        return AccessStatus.PROBLEM
    if AccessStatus.ACCESSED in statuses:
        return AccessStatus.ACCESSED
    if AccessStatus.PROBLEM in statuses:
        return AccessStatus.PROBLEM
    return AccessStatus.NOT_YET
