"""Members: adding (and reusing people by email), editing, removing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cohortdesk.core.db import Database
from cohortdesk.core.errors import ConflictError, NotFoundError
from cohortdesk.core.models import ActivityEvent, EventKind, Person, Role
from cohortdesk.core.schemas import MemberInput
from cohortdesk.core.services import members, participation
from tests.core.builders import MONDAY, add, event, make_cohort, person_of


def test_add_starts_at_stage_one_with_a_joined_entry(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s)
        mid = add(s, cohort.id, "Amina Okafor", expertise="assessment, rubrics")
        detail = members.member_detail(s, mid)
    assert (detail.row.stage, detail.row.access, detail.row.role) == (1, "not_yet", Role.LEARNER)
    assert detail.expertise == "assessment, rubrics"
    assert [(h.from_stage, h.to_stage, h.source) for h in detail.stage_history] == [
        (None, 1, "joined")
    ]
    assert detail.joined_on == (MONDAY - timedelta(days=7)).date()
    assert detail.stage_since == MONDAY - timedelta(days=7)


def test_add_reuses_a_person_by_email_ignoring_case(db: Database) -> None:
    with db.write() as s:
        spring = make_cohort(s, "Spring")
        autumn = make_cohort(s, "Autumn")
        first = add(s, spring.id, "Amina Okafor", email="Amina.Okafor@Example.org")
        again = add(s, autumn.id, "Amina O.", email="amina.okafor@example.org")
        assert person_of(s, first) == person_of(s, again)
        assert s.scalar(select(func.count()).select_from(Person)) == 1


def test_same_person_twice_in_a_cohort_is_a_conflict(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s)
        add(s, cohort.id, "Amina Okafor", email="amina@example.org")
    with pytest.raises(ConflictError, match="already in this cohort"), db.write() as s:
        add(s, cohort.id, "Amina", email="AMINA@example.org")


def test_people_without_email_are_never_merged(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s)
        one = add(s, cohort.id, "Sam Lee", email="")
        two = add(s, cohort.id, "Sam Lee", email="")
        assert person_of(s, one) != person_of(s, two)


def test_add_to_a_missing_cohort_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError), db.write() as s:
        add(s, 404, "Amina Okafor")


def test_update_changes_person_and_role(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s)
        mid = add(s, cohort.id, "Amina Okafor")
        members.update_member(
            s,
            mid,
            MemberInput(
                full_name="Amina Okafor-Eze",
                email="amina.eze@example.org",
                role=Role.MENTOR,
                expertise="coaching",
            ),
        )
        detail = members.member_detail(s, mid)
    assert (detail.row.name, detail.row.email, detail.row.role) == (
        "Amina Okafor-Eze",
        "amina.eze@example.org",
        Role.MENTOR,
    )
    assert detail.expertise == "coaching"


def test_update_to_someone_elses_email_is_a_conflict(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s)
        mid = add(s, cohort.id, "Amina Okafor")
        add(s, cohort.id, "Lars Berg", email="lars@example.org")
    with pytest.raises(ConflictError, match="Lars Berg"), db.write() as s:
        members.update_member(s, mid, MemberInput(full_name="Amina", email="LARS@example.org"))


def test_update_keeping_own_email_in_another_case_is_fine(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s)
        mid = add(s, cohort.id, "Amina Okafor", email="amina@example.org")
        members.update_member(s, mid, MemberInput(full_name="Amina", email="Amina@example.org"))
        assert members.member_detail(s, mid).row.email == "Amina@example.org"


def test_remove_takes_events_and_keeps_the_person_elsewhere(db: Database) -> None:
    with db.write() as s:
        spring = make_cohort(s, "Spring")
        autumn = make_cohort(s, "Autumn")
        mid = add(s, spring.id, "Lars Berg")
        add(s, autumn.id, "Lars Berg")
        other = add(s, spring.id, "Amina Okafor")
        event(s, mid, EventKind.POST, thread="Week 1")
        event(s, other, EventKind.POST, thread="Week 1")
        person = person_of(s, mid)
        members.remove_member(s, mid)
    with db.read() as s:
        assert [r.name for r in participation.roster(s, spring.id)] == ["Amina Okafor"]
        assert s.get(Person, person) is not None
        mine = select(func.count()).where(ActivityEvent.person_id == person)
        assert s.scalar(mine) == 0
        with pytest.raises(NotFoundError):
            members.member_detail(s, mid)


def test_removing_someones_only_membership_deletes_the_person(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s)
        mid = add(s, cohort.id, "Lars Berg")
        person = person_of(s, mid)
        members.remove_member(s, mid)
    with db.read() as s:
        assert s.get(Person, person) is None


def test_member_choices_by_name(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s)
        add(s, cohort.id, "zoe Walsh")
        add(s, cohort.id, "Amina Okafor", Role.FACILITATOR)
        choices = members.member_choices(s, cohort.id)
    assert [(c.name, c.role) for c in choices] == [
        ("Amina Okafor", Role.FACILITATOR),
        ("zoe Walsh", Role.LEARNER),
    ]
