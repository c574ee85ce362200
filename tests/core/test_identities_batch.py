"""Matching people a batch at a time gives the answers of matching them one after another.

Keys are drawn from a small set of ids, names and emails so that every rule meets the others:
ids already known, emails of this cohort and of another (in other letter cases), names shared
by two members, names whose email or id says they are someone else, and keys met twice.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from cohortdesk.core.importers.base import PersonKey
from cohortdesk.core.models import Identity, Membership, Person, StageChange
from cohortdesk.core.services.people.identities import PeopleMatcher
from cohortdesk.core.storage.db import Database
from tests.core.builders import add, make_cohort, person_of

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

keys = st.builds(
    lambda **parts: PersonKey(**parts) if any(parts.values()) else None,
    source_id=st.sampled_from([None, "5104", "5105", "7000", "7001"]),
    email=st.sampled_from([None, "sam.lee@example.org", "SAM.LEE@example.org", "kai@else.org"]),
    name=st.sampled_from([None, "Sam Lee", "Ana Ruiz", "Kai Wong", "New Person"]),
).filter(lambda key: key is not None)


def _setting(session: Session) -> int:
    """A cohort with members to match (one known by a Moodle id, two sharing a name) and a
    person of another cohort whose email the keys may name; returns the cohort's id."""
    cohort = make_cohort(session, "Matched").id
    sam = person_of(session, add(session, cohort, "Sam Lee"))
    session.add(Identity(person_id=sam, source="moodle", external_id="5104"))
    add(session, cohort, "Ana Ruiz", email="ana.one@example.org")
    add(session, cohort, "Ana Ruiz", email="ana.two@example.org")
    add(session, make_cohort(session, "Elsewhere").id, "Kai Wong", email="kai@else.org")
    session.flush()
    return cohort


def _matcher(session: Session, cohort: int) -> PeopleMatcher:
    return PeopleMatcher(
        session,
        cohort,
        identity_source="moodle",
        unnamed_label="Moodle user",
        batch_id=None,
        joined_on=date(2026, 3, 2),
        now=NOW,
    )


def _outcome(db: Database, chunks: list[list[PersonKey]], one_by_one: bool) -> dict[str, Any]:
    """What matching `chunks` leaves and says, ids replaced by what they stand for."""
    with db.trial() as session:
        cohort = _setting(session)
        matcher = _matcher(session, cohort)
        found: list[int] = []
        for chunk in chunks:
            if one_by_one:
                found.extend(matcher.resolve(key) for key in chunk)
            else:
                found.extend(matcher.resolve_many(chunk))
        matcher.finish()
        session.flush()
        people = {
            person_id: (name, email)
            for person_id, name, email in session.execute(
                select(Person.id, Person.full_name, Person.email)
            )
        }
        members = sorted(
            (
                (people[p], role.value)
                for p, role in session.execute(
                    select(Membership.person_id, Membership.role).where(
                        Membership.cohort_id == cohort
                    )
                )
            ),
            key=repr,
        )
        identities = sorted(
            (
                (people[p], source, external)
                for p, source, external in session.execute(
                    select(Identity.person_id, Identity.source, Identity.external_id)
                )
            ),
            key=repr,
        )
        joined = session.scalar(select(StageChange.id).order_by(StageChange.id.desc()).limit(1))
        return {
            "found": [people[p] for p in found],
            "same_person": [found.index(p) for p in found],
            "members": members,
            "identities": identities,
            "created": (matcher.created, matcher.created_count),
            "by_name": (matcher.matched_by_name, matcher.matched_by_name_count),
            "stages": joined is not None,
        }


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chunks=st.lists(st.lists(keys, max_size=8), min_size=1, max_size=3))
def test_a_batch_matches_as_one_key_after_another(
    db: Database, chunks: list[list[PersonKey]]
) -> None:
    assert _outcome(db, chunks, one_by_one=False) == _outcome(db, chunks, one_by_one=True)


def test_people_new_to_the_cohort_are_written_with_their_memberships(db: Database) -> None:
    batch = [PersonKey(source_id=str(n), name=f"Learner {n}") for n in range(300)]
    with db.trial() as session:
        cohort = _setting(session)
        matcher = _matcher(session, cohort)
        found = matcher.resolve_many(batch)
        again = matcher.resolve_many(list(reversed(batch)))
        matcher.finish()
        assert again == list(reversed(found))
        assert len(set(found)) == 300 and matcher.created_count == 300
        stored = dict(
            session.execute(
                select(Person.id, Person.full_name)
                .join(Membership, Membership.person_id == Person.id)
                .where(Membership.cohort_id == cohort, Person.id.in_(found))
            ).all()
        )
        assert [stored[p] for p in found] == [f"Learner {n}" for n in range(300)]
