"""Members: adding (and reusing people by email), editing, removing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from cohortdesk.core.enums import EventKind, Role
from cohortdesk.core.errors import ConflictError, KnownError, NotFoundError
from cohortdesk.core.models import ActivityEvent, Person
from cohortdesk.core.schemas import MemberInput, validated
from cohortdesk.core.services.activity import participation
from cohortdesk.core.services.people import members
from cohortdesk.core.storage.db import Database
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


def test_a_reused_person_keeps_the_name_on_record(db: Database) -> None:
    """Typing "Amina O." in Autumn must not rename Amina in Spring; blanks are filled in."""
    with db.write() as s:
        spring = make_cohort(s, "Spring")
        autumn = make_cohort(s, "Autumn")
        first = add(s, spring.id, "Amina Okafor", email="amina@example.org")
        again = add(s, autumn.id, "Amina O.", email="amina@example.org", expertise="rubrics")
        assert members.member_detail(s, again).row.name == "Amina Okafor"
        assert members.member_detail(s, first).expertise == "rubrics"  # was empty: filled in
        third = add(
            s, make_cohort(s, "Summer").id, "A. O.", email="amina@example.org", expertise="xAPI"
        )
        assert members.member_detail(s, third).expertise == "rubrics"


def test_a_reused_person_with_an_empty_name_takes_the_typed_one(db: Database) -> None:
    with db.write() as s:
        spring = make_cohort(s, "Spring")
        first = add(s, spring.id, "Placeholder", email="amina@example.org")
        person = s.get(Person, person_of(s, first))
        assert person is not None
        person.full_name = ""  # as an import that knew only the address might leave it
        again = add(s, make_cohort(s, "Autumn").id, "Amina Okafor", email="amina@example.org")
        assert members.member_detail(s, again).row.name == "Amina Okafor"


@pytest.mark.parametrize("stage", [0, 6, 7, -1])
def test_a_stage_outside_one_to_five_is_a_known_error(db: Database, stage: int) -> None:
    with db.write() as s:
        cohort = make_cohort(s)
    data = MemberInput(full_name="Amina Okafor")
    with pytest.raises(KnownError, match=f"^Stage must be 1 to 5, not {stage}$"), db.write() as s:
        members.add_member(s, cohort.id, data, stage=stage)
    with db.read() as s:
        assert participation.roster(s, cohort.id) == []


@pytest.mark.parametrize("stage", [1, 5])
def test_any_stage_from_one_to_five_can_be_the_first(db: Database, stage: int) -> None:
    with db.write() as s:
        mid = members.add_member(
            s, make_cohort(s).id, MemberInput(full_name="A"), stage=stage
        ).value
        assert members.member_detail(s, mid).row.stage == stage


def test_joined_on_defaults_to_today_in_the_cohorts_time_zone(db: Database) -> None:
    """23:30 UTC on 1 June is already 2 June in London, and still 1 June in Honolulu."""
    late = datetime(2025, 6, 1, 23, 30, tzinfo=UTC)
    data = MemberInput(full_name="Amina Okafor")
    with db.write() as s:
        london = make_cohort(s, "London", timezone="Europe/London")
        hawaii = make_cohort(s, "Hawaii", timezone="Pacific/Honolulu")
        in_london = members.add_member(s, london.id, data, now=late).value
        in_hawaii = members.add_member(s, hawaii.id, data, now=late).value
        assert members.member_detail(s, in_london).joined_on == date(2025, 6, 2)
        assert members.member_detail(s, in_hawaii).joined_on == date(2025, 6, 1)
        given = members.add_member(s, london.id, data, now=late, joined_on=date(2025, 5, 1)).value
        assert members.member_detail(s, given).joined_on == date(2025, 5, 1)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"full_name": "Ann", "email": "ann@example"},
            "Email: not a valid email address (ann@example)",
        ),
        (
            {"full_name": "Ann", "email": "ann example.org"},
            "Email: not a valid email address (ann example.org)",
        ),
        ({"full_name": "   "}, "Name: cannot be empty"),
        ({"full_name": "A" * 201}, "Name: too long (at most 200 characters)"),
        (
            {"full_name": "Ann", "role": "boss"},
            "Role: must be one of learner, mentor, facilitator or manager (boss)",
        ),
    ],
)
def test_bad_member_input_is_said_plainly(values: dict[str, object], message: str) -> None:
    with pytest.raises(KnownError) as caught:
        validated(MemberInput, **values)
    assert str(caught.value) == message


def test_member_input_is_tidied(db: Database) -> None:
    data = validated(MemberInput, full_name="  Ann Lee ", email=" Ann@Example.org ")
    assert (data.full_name, data.email) == ("Ann Lee", "Ann@Example.org")
    assert validated(MemberInput, full_name="Ann", email="  ").email == ""


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


def test_remove_forgets_whom_others_replied_to_in_that_cohort_only(db: Database) -> None:
    with db.write() as s:
        spring = make_cohort(s, "Spring")
        autumn = make_cohort(s, "Autumn")
        lars = add(s, spring.id, "Lars Berg")
        amina = add(s, spring.id, "Amina Okafor")
        lars_autumn = add(s, autumn.id, "Lars Berg")
        amina_autumn = add(s, autumn.id, "Amina Okafor")
        event(s, amina, EventKind.REPLY, to=lars, thread="Week 1")
        event(s, amina_autumn, EventKind.REPLY, to=lars_autumn, thread="Week 1")
        lars_person = person_of(s, lars)
        members.remove_member(s, lars)
    with db.read() as s:
        (spring_reply,) = members.member_detail(s, amina).events
        (autumn_reply,) = members.member_detail(s, amina_autumn).events
        row = participation.roster_row(s, amina)
        stored = s.scalars(select(ActivityEvent.replied_to_id).order_by(ActivityEvent.id)).all()
    assert spring_reply.replied_to_name is None and autumn_reply.replied_to_name == "Lars Berg"
    assert (row.replies, row.peer_replies) == (1, 0)
    assert stored == [None, lars_person]


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
