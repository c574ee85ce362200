"""Merging two records of one person: everything moves, nothing is lost."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import UniqueConstraint, func, select
from sqlalchemy.orm import Session

from cohortdesk.core.enums import AccessStatus, EventKind, Role
from cohortdesk.core.errors import KnownError, NotFoundError
from cohortdesk.core.models import (
    AccessIssue,
    ActivityEvent,
    Base,
    Identity,
    ImportBatch,
    MemberNote,
    Membership,
    MotivationCheck,
    Person,
    StageChange,
)
from cohortdesk.core.schemas import Changes
from cohortdesk.core.services.activity import imports, participation
from cohortdesk.core.services.people import members, people, tracking
from cohortdesk.core.storage.db import Database
from tests.core.builders import MONDAY, add, event, make_cohort, person_of

COUNTED = (ActivityEvent, MemberNote, MotivationCheck, AccessIssue, StageChange)


def counts(session: Session) -> dict[str, int]:
    return {
        table.__tablename__: session.scalar(select(func.count()).select_from(table)) or 0
        for table in (*COUNTED, Identity, Membership, Person)
    }


def identity(session: Session, membership_id: int, source: str, external_id: str) -> None:
    session.add(
        Identity(
            person_id=person_of(session, membership_id), source=source, external_id=external_id
        )
    )
    session.flush()


class Story:
    """Ana typed in by hand; the Moodle log brought her in again as "Moodle user 5104"."""

    def __init__(self, session: Session) -> None:
        self.cohort = make_cohort(session, "Spring").id
        self.other_cohort = make_cohort(session, "Autumn").id
        self.ana = add(session, self.cohort, "Ana Souza", email="ana@example.org")
        # add_member finds a person again by email only: use one, then forget it
        moodle_email = "user5104@moodle.invalid"
        self.moodle = add(session, self.cohort, "Moodle user 5104", email=moodle_email)
        self.moodle_autumn = add(session, self.other_cohort, "Moodle user", email=moodle_email)
        moodle = session.get(Person, person_of(session, self.moodle))
        assert moodle is not None
        moodle.email, moodle.expertise = None, "rubrics"
        self.ben = add(session, self.cohort, "Ben Carter")

        identity(session, self.moodle, "moodle", "5104")
        identity(session, self.ana, "slack", "U1")
        tracking.add_note(session, self.ana, "Prefers email", now=MONDAY)
        tracking.add_note(session, self.moodle, "Asked about week 2", now=MONDAY)
        tracking.add_motivation(session, self.moodle, 4, checked_on=date(2025, 3, 4), now=MONDAY)
        tracking.change_stage(session, self.moodle, 3, "Shares sources", now=MONDAY)
        event(session, self.moodle, EventKind.LOGIN)
        event(session, self.moodle, EventKind.POST, thread="w1")
        event(session, self.ben, EventKind.REPLY, to=self.moodle, thread="w1")
        event(session, self.ana, EventKind.REPLY, to=self.moodle, thread="w1")
        event(session, self.moodle_autumn, EventKind.POST)
        self.ana_person = person_of(session, self.ana)
        self.moodle_person = person_of(session, self.moodle)


@pytest.fixture
def story(db: Database) -> Story:
    with db.write() as s:
        return Story(s)


def test_merge_moves_everything_and_loses_nothing(db: Database, story: Story) -> None:
    with db.read() as s:
        before = counts(s)
    with db.write() as s:
        merged = people.merge_people(s, story.ana_person, story.moodle_person)
    result = merged.value
    with db.read() as s:
        after = counts(s)
        assert s.get(Person, story.moodle_person) is None
        owners = set(s.scalars(select(ActivityEvent.person_id)))
        kept_memberships = s.scalars(
            select(Membership.cohort_id).where(Membership.person_id == story.ana_person)
        ).all()
    for table in COUNTED:
        assert after[table.__tablename__] == before[table.__tablename__], table
    assert after["identities"] == before["identities"]
    assert after["people"] == before["people"] - 1
    assert after["memberships"] == before["memberships"] - 1  # the two in Spring became one
    assert story.moodle_person not in owners
    assert sorted(kept_memberships) == sorted([story.cohort, story.other_cohort])
    assert result.kept_name == "Ana Souza" and result.merged_name == "Moodle user 5104"
    assert (result.events_moved, result.identities_moved) == (3, 1)
    assert (result.memberships_moved, result.memberships_combined) == (1, 1)
    # a note, a check-in, a stage change to 3 and the joined entry
    assert result.records_moved == 4
    # Both rosters changed, and the list of cohorts (Spring has one member fewer).
    assert merged.changes == Changes(cohorts=True, rosters={story.cohort, story.other_cohort})
    assert result.message() == (
        "Merged Moodle user 5104 into Ana Souza: 3 events, 1 identity, 4 records moved"
    )


def test_the_kept_member_has_both_histories(db: Database, story: Story) -> None:
    with db.write() as s:
        people.merge_people(s, story.ana_person, story.moodle_person)
    with db.read() as s:
        detail = members.member_detail(s, story.ana)
        autumn = members.member_detail(s, story.moodle_autumn)
        ids = set(
            s.execute(
                select(Identity.source, Identity.external_id).where(
                    Identity.person_id == story.ana_person
                )
            ).all()
        )
    assert {n.body for n in detail.notes} == {"Prefers email", "Asked about week 2"}
    assert [m.rating for m in detail.motivation] == [4]
    assert detail.row.stage == 3  # the higher stage wins
    assert detail.stage_since == MONDAY
    assert detail.row.access is AccessStatus.ACCESSED
    assert detail.row.logins == 1 and detail.row.threads == 1
    assert detail.expertise == "rubrics"
    assert ids == {("moodle", "5104"), ("slack", "U1")}
    assert autumn.row.name == "Ana Souza" and autumn.row.threads == 1


def test_replies_follow_the_person_and_self_replies_are_cleared(db: Database, story: Story) -> None:
    with db.write() as s:
        result = people.merge_people(s, story.ana_person, story.moodle_person).value
    assert result.replies_moved == 1  # Ben's; Ana's own reply to herself is no longer one
    with db.read() as s:
        ben_reply = s.scalars(
            select(ActivityEvent.replied_to_id).where(
                ActivityEvent.person_id == person_of(s, story.ben)
            )
        ).one()
        ana_reply = s.scalars(
            select(ActivityEvent.replied_to_id).where(
                ActivityEvent.person_id == story.ana_person, ActivityEvent.kind == EventKind.REPLY
            )
        ).one()
        ben_row = participation.roster_row(s, story.ben)
    assert ben_reply == story.ana_person
    assert ana_reply is None
    assert ben_row.peer_replies == 1


def test_merge_the_other_way_keeps_the_imported_record(db: Database, story: Story) -> None:
    with db.write() as s:
        people.merge_people(s, story.moodle_person, story.ana_person)
    with db.read() as s:
        kept = s.get(Person, story.moodle_person)
        assert kept is not None
        assert (kept.full_name, kept.email) == ("Moodle user 5104", "ana@example.org")
        detail = members.member_detail(s, story.moodle)
    assert {n.body for n in detail.notes} == {"Prefers email", "Asked about week 2"}
    assert detail.row.stage == 3


def test_a_second_email_is_kept_as_an_identity(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s).id
        one = person_of(s, add(s, cohort, "Ana Souza", email="ana@example.org"))
        two = person_of(s, add(s, cohort, "Ana S.", email="ana.souza@uni.example"))
        people.merge_people(s, one, two)
        kept = s.get(Person, one)
        assert kept is not None and kept.email == "ana@example.org"
        assert s.scalars(select(Identity.external_id).where(Identity.person_id == one)).all() == [
            "ana.souza@uni.example"
        ]


def test_the_same_email_in_another_case_is_not_an_extra_identity(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s).id
        other = make_cohort(s, "Other").id
        one = person_of(s, add(s, cohort, "Ana Souza", email="ana@example.org"))
        two = person_of(s, add(s, other, "Ana", email=""))
        s.get(Person, two).email = "ANA@example.org"  # type: ignore[union-attr]
        people.merge_people(s, one, two)
        assert s.scalar(select(func.count()).select_from(Identity)) == 0


def test_expertise_keywords_are_combined(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s).id
        one = person_of(s, add(s, cohort, "Ana", email="", expertise="Moodle, rubrics"))
        two = person_of(s, add(s, cohort, "Ana S", email="", expertise="Rubrics, coaching"))
        people.merge_people(s, one, two)
        kept = s.get(Person, one)
        assert kept is not None and kept.expertise == "Moodle, rubrics, coaching"


def test_an_identity_both_have_is_not_duplicated(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s).id
        a = add(s, cohort, "Ana", email="")
        b = add(s, cohort, "Ana S", email="")
        for mid in (a, b):
            identity(s, mid, "moodle", "5104")
        identity(s, b, "xapi", "mailto:ana@example.org")
        result = people.merge_people(s, person_of(s, a), person_of(s, b)).value
        assert result.identities_moved == 1
        assert sorted(s.scalars(select(Identity.source))) == ["moodle", "xapi"]


def test_an_open_access_issue_makes_the_combined_member_a_problem(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s).id
        a = add(s, cohort, "Ana", email="")
        b = add(s, cohort, "Ana S", email="")
        event(s, a, EventKind.LOGIN)
        tracking.open_access_issue(s, b, "Cannot open the forum", now=MONDAY)
        people.merge_people(s, person_of(s, a), person_of(s, b))
        row = participation.roster_row(s, a)
    assert (row.access, row.open_access_issues) == (AccessStatus.PROBLEM, 1)


def test_a_resolved_issue_and_activity_mean_accessed(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s).id
        a = add(s, cohort, "Ana", email="")
        b = add(s, cohort, "Ana S", email="")
        issue = tracking.open_access_issue(s, a, "Locked out", now=MONDAY).value
        tracking.resolve_access_issue(s, issue.id, "Reset", now=MONDAY + timedelta(hours=1))
        people.merge_people(s, person_of(s, b), person_of(s, a))
        row = participation.roster_row(s, b)
        detail = members.member_detail(s, b)
    assert row.access is AccessStatus.ACCESSED
    assert [i.resolution for i in detail.access_issues] == ["Reset"]


@pytest.mark.parametrize(
    ("kept_access", "merged_access", "expected"),
    [
        (AccessStatus.NOT_YET, AccessStatus.NOT_YET, AccessStatus.NOT_YET),
        (AccessStatus.NOT_YET, AccessStatus.ACCESSED, AccessStatus.ACCESSED),
        (AccessStatus.PROBLEM, AccessStatus.NOT_YET, AccessStatus.PROBLEM),
        (AccessStatus.PROBLEM, AccessStatus.ACCESSED, AccessStatus.ACCESSED),
    ],
)
def test_access_without_open_issues(
    db: Database,
    kept_access: AccessStatus,
    merged_access: AccessStatus,
    expected: AccessStatus,
) -> None:
    with db.write() as s:
        cohort = make_cohort(s).id
        a = add(s, cohort, "Ana", email="")
        b = add(s, cohort, "Ana S", email="")
        for mid, access in ((a, kept_access), (b, merged_access)):
            s.get(Membership, mid).access = access  # type: ignore[union-attr]
        people.merge_people(s, person_of(s, a), person_of(s, b))
        assert s.get(Membership, a).access is expected  # type: ignore[union-attr]


def test_stage_role_and_join_date(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s).id
        a = add(s, cohort, "Ana", email="")
        b = add(s, cohort, "Ana S", email="", role=Role.MENTOR)
        tracking.change_stage(s, a, 4, "Weaving", now=MONDAY)
        tracking.change_stage(s, b, 2, "Socialising", now=MONDAY - timedelta(days=3))
        s.get(Membership, b).joined_on = date(2025, 1, 6)  # type: ignore[union-attr]
        people.merge_people(s, person_of(s, a), person_of(s, b))
        kept = s.get(Membership, a)
        assert kept is not None
        assert (kept.stage, kept.stage_since, kept.role) == (4, MONDAY, Role.MENTOR)
        assert kept.joined_on == date(2025, 1, 6)
        history = members.member_detail(s, a).stage_history
        assert sorted((h.from_stage or 0, h.to_stage) for h in history) == [
            (0, 1),
            (0, 1),
            (1, 2),
            (1, 4),
        ]


def test_an_equal_stage_keeps_the_earlier_date(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s).id
        a = add(s, cohort, "Ana", email="")
        b = add(s, cohort, "Ana S", email="")
        tracking.change_stage(s, a, 3, "x", now=MONDAY)
        tracking.change_stage(s, b, 3, "y", now=MONDAY - timedelta(days=5))
        people.merge_people(s, person_of(s, a), person_of(s, b))
        assert s.get(Membership, a).stage_since == MONDAY - timedelta(days=5)  # type: ignore[union-attr]


def test_undoing_the_import_keeps_a_member_entered_by_hand(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s).id
        batch = ImportBatch(
            cohort_id=cohort, format="activity-csv", file_name="a.csv", sha256="0", timezone="UTC"
        )
        s.add(batch)
        s.flush()
        typed = add(s, cohort, "Ana", email="ana@example.org")
        imported = add(s, cohort, "ana", email="")
        s.get(Membership, imported).import_batch_id = batch.id  # type: ignore[union-attr]
        people.merge_people(s, person_of(s, imported), person_of(s, typed))
        imports.undo_batch(s, batch.id)
        assert participation.roster_row(s, imported).name == "ana"


def test_person_facts(db: Database, story: Story) -> None:
    with db.read() as s:
        facts = people.person_facts(s, story.moodle_person)
    assert facts.name == "Moodle user 5104" and facts.email == ""
    assert facts.cohorts == ("Autumn", "Spring")
    assert facts.identities == ("moodle 5104",)
    assert (facts.events, facts.replies_received) == (3, 2)
    # in Spring: a note, a check-in, two stage entries; in Autumn: one stage entry
    assert facts.records == 5
    assert facts.created_at <= datetime.now(UTC)


def test_merging_someone_with_themselves_is_refused(db: Database, story: Story) -> None:
    with pytest.raises(KnownError, match="two different people"), db.write() as s:
        people.merge_people(s, story.ana_person, story.ana_person)


def test_merging_a_missing_person_is_not_found(db: Database, story: Story) -> None:
    with pytest.raises(NotFoundError), db.write() as s:
        people.merge_people(s, story.ana_person, 404)
    with pytest.raises(NotFoundError), db.read() as s:
        people.person_facts(s, 404)


def test_every_reference_to_a_person_is_handled_by_the_merge() -> None:
    """A new table pointing at people must be taught to the merge."""
    found = {
        (table.name, fk.parent.name)
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "people"
    }
    assert found == people.HANDLED_PERSON_REFERENCES


def test_member_records_can_all_move_to_another_membership() -> None:
    """Records are moved generically: none may be unique per membership (they would clash)."""
    columns = people.member_record_columns()
    names = {(column.table.name, column.name) for column in columns}
    assert {
        ("member_notes", "membership_id"),
        ("motivation_checks", "membership_id"),
        ("access_issues", "membership_id"),
        ("stage_changes", "membership_id"),
    } <= names
    for column in columns:
        table = column.table
        unique_sets = [
            {c.name for c in constraint.columns}
            for constraint in table.constraints
            if isinstance(constraint, UniqueConstraint)
        ] + [{c.name for c in index.columns} for index in table.indexes if index.unique]
        assert not any(column.name in unique for unique in unique_sets), table.name
