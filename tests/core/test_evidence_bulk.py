"""Stage suggestions accepted or dismissed many at a time: all or none, each with its evidence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from cohortdesk.core.enums import EventKind, StageChangeSource
from cohortdesk.core.errors import ConflictError
from cohortdesk.core.models import StageChange
from cohortdesk.core.services.attention import evidence
from cohortdesk.core.services.people import tracking
from cohortdesk.core.storage.db import Database
from tests.core.builders import MONDAY, add, event, make_cohort


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.write() as s:
        yield s


def posters(session: Session, count: int, name: str = "Cohort") -> int:
    """A cohort of `count` learners who each posted once: each is suggested 1 → 2."""
    cohort = make_cohort(session, name, start_date=MONDAY.date() - timedelta(days=7))
    for n in range(count):
        member = add(session, cohort.id, f"Learner {n:03}")
        event(session, member, EventKind.POST, MONDAY + timedelta(minutes=n))
    return cohort.id


@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(min_value=2, max_value=12), data=st.data())
def test_accepting_many_moves_each_with_its_evidence(
    db: Database, count: int, data: st.DataObject
) -> None:
    with db.write() as session:
        cohort_id = posters(session, count, name=f"Cohort {count} {id(data)}")
        found = evidence.suggestions(session, cohort_id, MONDAY.date())
        assert len(found) == count
        chosen = data.draw(
            st.lists(st.sampled_from(found), min_size=2, unique_by=lambda s: s.membership_id)
        )
        changes = evidence.accept_suggestions(session, chosen)
        assert changes.rosters == {cohort_id}
        left = {s.membership_id for s in evidence.suggestions(session, cohort_id, MONDAY.date())}
        assert left == {s.membership_id for s in found} - {s.membership_id for s in chosen}
        for suggestion in chosen:
            change = session.scalars(
                select(StageChange).where(
                    StageChange.membership_id == suggestion.membership_id,
                    StageChange.source == StageChangeSource.SUGGESTION,
                )
            ).one()
            assert change.source is StageChangeSource.SUGGESTION and change.to_stage == 2
            assert "First own post" in (change.evidence or "")


def test_dismissing_many_hides_them_until_new_evidence(session: Session) -> None:
    cohort_id = posters(session, 5)
    found = evidence.suggestions(session, cohort_id, MONDAY.date())
    evidence.dismiss_suggestions(session, found[:3])
    left = evidence.suggestions(session, cohort_id, MONDAY.date())
    assert [s.membership_id for s in left] == [s.membership_id for s in found[3:]]


def test_one_changed_meanwhile_and_nobody_moves(db: Database) -> None:
    with db.write() as session:
        cohort_id = posters(session, 4)
        found = evidence.suggestions(session, cohort_id, MONDAY.date())
    with db.write() as session:
        tracking.change_stage(session, found[2].membership_id, 3, "by hand")
    with pytest.raises(ConflictError), db.write() as session:
        evidence.accept_suggestions(session, found)
    with db.read() as session:
        after = evidence.suggestions(session, cohort_id, MONDAY.date())
    assert {s.membership_id for s in after} == {found[i].membership_id for i in (0, 1, 3)}
