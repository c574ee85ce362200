"""Cohorts: create, rename, archive, delete, and the validation of what is typed in."""

from __future__ import annotations

from datetime import date

import pytest

from cohortdesk.core.enums import EventKind, Role
from cohortdesk.core.errors import ConflictError, KnownError, NotFoundError
from cohortdesk.core.models import ActivityEvent, Membership, Person
from cohortdesk.core.schemas import CohortInput, validated
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.storage.db import Database
from tests.core.builders import add, event, make_cohort, person_of


def test_create_and_read_back(db: Database) -> None:
    with db.write() as s:
        data = validated(
            CohortInput,
            name="  Spring cohort ",
            description="Leadership programme",
            start_date=date(2025, 3, 3),
            end_date=date(2025, 4, 28),
            timezone="Europe/London",
        )
        created = cohorts.create_cohort(s, data).value
    with db.read() as s:
        row = cohorts.get_cohort(s, created.id)
    assert row.name == "Spring cohort"
    assert (row.start_date, row.end_date) == (date(2025, 3, 3), date(2025, 4, 28))
    assert row.timezone == "Europe/London"
    assert (row.members, row.learners, row.archived) == (0, 0, False)


def test_counts_members_and_learners(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s)
        add(s, cohort.id, "Amina Okafor")
        add(s, cohort.id, "Lars Berg")
        add(s, cohort.id, "Priya Nair", Role.FACILITATOR)
        row = cohorts.get_cohort(s, cohort.id)
    assert (row.members, row.learners) == (3, 2)


def test_duplicate_name_ignoring_case_is_a_conflict(db: Database) -> None:
    with db.write() as s:
        make_cohort(s, "Spring cohort")
    with pytest.raises(ConflictError), db.write() as s:
        make_cohort(s, "SPRING COHORT")


def test_find_by_name_exact_then_ignoring_case(db: Database) -> None:
    with db.write() as s:
        made = make_cohort(s, "Spring cohort")
    with db.read() as s:
        assert cohorts.find_cohort(s, "spring cohort").id == made.id
        with pytest.raises(NotFoundError, match="Spring cohort"):
            cohorts.find_cohort(s, "Autumn")


def test_rename(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s, "Spring", timezone="Europe/Paris", start_date=date(2025, 3, 3))
        renamed = cohorts.rename_cohort(s, cohort.id, "Spring 2025").value
    assert renamed.name == "Spring 2025"
    assert renamed.timezone == "Europe/Paris" and renamed.start_date == date(2025, 3, 3)


def test_rename_to_another_cohorts_name_is_a_conflict(db: Database) -> None:
    with db.write() as s:
        make_cohort(s, "Spring")
        autumn = make_cohort(s, "Autumn")
    with pytest.raises(ConflictError), db.write() as s:
        cohorts.rename_cohort(s, autumn.id, "spring")


def test_rename_changing_only_the_case_is_allowed(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s, "spring")
        assert cohorts.rename_cohort(s, cohort.id, "Spring").value.name == "Spring"


def test_rename_to_a_blank_name_is_a_known_error(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s, "Spring")
    with pytest.raises(KnownError, match=r"^Name: cannot be empty$"), db.write() as s:
        cohorts.rename_cohort(s, cohort.id, "   ")
    with db.read() as s:
        assert cohorts.get_cohort(s, cohort.id).name == "Spring"


def test_archive_hides_from_the_active_list(db: Database) -> None:
    with db.write() as s:
        spring = make_cohort(s, "Spring")
        make_cohort(s, "Autumn")
        assert cohorts.set_archived(s, spring.id, True).value.archived
    with db.read() as s:
        assert [c.name for c in cohorts.list_cohorts(s, include_archived=False)] == ["Autumn"]
        everything = cohorts.list_cohorts(s)
    assert [c.name for c in everything] == ["Autumn", "Spring"]  # archived ones last
    with db.write() as s:
        cohorts.set_archived(s, spring.id, False)
        assert len(cohorts.list_cohorts(s, include_archived=False)) == 2


def test_delete_removes_everything_but_people_in_other_cohorts(db: Database) -> None:
    with db.write() as s:
        spring = make_cohort(s, "Spring")
        autumn = make_cohort(s, "Autumn")
        only_spring = add(s, spring.id, "Amina Okafor")
        both = add(s, spring.id, "Lars Berg")
        add(s, autumn.id, "Lars Berg")
        event(s, only_spring, EventKind.POST, thread="Week 1")
        event(s, both, EventKind.REPLY, to=only_spring, thread="Week 1")
        shared_person = person_of(s, both)
        gone_person = person_of(s, only_spring)
        assert cohorts.cohort_size(s, spring.id).model_dump() == {"members": 2, "events": 2}
    with db.write() as s:
        cohorts.delete_cohort(s, spring.id)
    with db.read() as s:
        assert [c.name for c in cohorts.list_cohorts(s)] == ["Autumn"]
        assert s.query(Membership).filter_by(cohort_id=spring.id).count() == 0
        assert s.query(ActivityEvent).filter_by(cohort_id=spring.id).count() == 0
        assert s.get(Person, gone_person) is None
        assert s.get(Person, shared_person) is not None
        assert cohorts.get_cohort(s, autumn.id).members == 1


def test_unknown_cohort_is_not_found(db: Database) -> None:
    with db.read() as s:
        with pytest.raises(NotFoundError):
            cohorts.get_cohort(s, 404)
        with pytest.raises(NotFoundError):
            cohorts.delete_cohort(s, 404)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"name": "X", "timezone": "Europe/Lodnon"},
            "^Time zone: unknown time zone 'Europe/Lodnon'",
        ),
        ({"name": "X", "timezone": "UTC+1"}, "^Time zone: unknown time zone"),
        (
            {"name": "X", "start_date": date(2025, 3, 3), "end_date": date(2025, 3, 2)},
            "^The end date is before the start date$",
        ),
        ({"name": "   "}, "^Name: cannot be empty$"),
        ({}, "^Name: required$"),
        ({"name": "X" * 201}, r"^Name: too long \(at most 200 characters\)$"),
        (
            {"name": "X", "start_date": "2025-13-01"},
            r"^Start date: not a valid YYYY-MM-DD date \(2025-13-01\)$",
        ),
    ],
)
def test_bad_input_is_a_one_line_known_error(values: dict[str, object], message: str) -> None:
    with pytest.raises(KnownError, match=message) as caught:
        validated(CohortInput, **values)
    assert "\n" not in str(caught.value)
