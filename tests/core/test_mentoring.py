"""Mentoring: one mentor per mentee, groups, private sessions, reviews and the mentor view."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from cohortdesk.core.enums import EventKind, HighlightKind
from cohortdesk.core.errors import ConflictError, KnownError, NotFoundError
from cohortdesk.core.models import AccessIssue
from cohortdesk.core.schemas import ReasonCode
from cohortdesk.core.schemas.mentoring import GroupInput, HighlightInput, SessionInput
from cohortdesk.core.services.dashboards import highlights
from cohortdesk.core.services.mentoring import mentor_overview, mentoring
from cohortdesk.core.services.people import people, tracking
from cohortdesk.core.storage.db import Database
from tests.core.builders import MONDAY, add, event, person_of
from tests.core.mentoring_builders import OSKAR_SESSION, MentoringStory

AS_OF = date(2025, 3, 5)


@pytest.fixture
def story(db: Database) -> MentoringStory:
    with db.write() as s:
        return MentoringStory(s)


def test_a_mentee_has_one_mentor(db: Database, story: MentoringStory) -> None:
    with db.write() as s:
        result = mentoring.assign_mentor(s, story.oskar, story.ana).value
        assert result.message() == "Ana Souza is now mentored by Oskar Lindqvist (was Mei Tanaka)"
        assert mentoring.mentee_ids(s, story.mei) == [story.tomas]
        assert mentoring.mentee_ids(s, story.oskar) == sorted([story.ana, story.priya])
        rows = {r.name: r for r in mentoring.assignments(s, story.cohort)}
    assert rows["Ana Souza"].mentor_name == "Oskar Lindqvist"
    assert rows["Ana Souza"].group_name is None  # Mei's group is Mei's
    assert rows["Ben Carter"].mentor_name is None


def test_assignment_rules(db: Database, story: MentoringStory) -> None:
    with db.write() as s:
        with pytest.raises(KnownError, match="own mentor"):
            mentoring.assign_mentor(s, story.ana, story.ana)
        with pytest.raises(KnownError, match="same cohort"):
            mentoring.assign_mentor(s, story.mei, story.walter)
        with pytest.raises(KnownError, match="another mentor"):
            mentoring.assign_mentor(s, story.oskar, story.ben, story.group)
        with pytest.raises(NotFoundError):
            mentoring.assign_mentor(s, story.mei, 9999)


def test_a_mentee_can_be_unassigned(db: Database, story: MentoringStory) -> None:
    with db.write() as s:
        assert mentoring.unassign_mentor(s, story.tomas).value == "Mei Tanaka"
        assert mentoring.unassign_mentor(s, story.tomas).value is None
        assert mentoring.mentee_ids(s, story.mei) == [story.ana]


def test_members_are_found_by_email_or_name(db: Database, story: MentoringStory) -> None:
    with db.read() as s:
        assert mentoring.find_member(s, story.cohort, "MEI.TANAKA@example.org") == story.mei
        assert mentoring.find_member(s, story.cohort, "tomás reyes") == story.tomas
        with pytest.raises(NotFoundError, match="No member of Spring"):
            mentoring.find_member(s, story.cohort, "walter.hargreaves@example.org")


def test_mentors_are_listed_with_their_mentees(db: Database, story: MentoringStory) -> None:
    with db.write() as s:
        mentoring.assign_mentor(s, story.zoe, story.ben)  # a learner mentoring a peer
        rows = {r.name: r for r in mentoring.list_mentors(s, story.cohort)}
    assert {name: r.mentees for name, r in rows.items()} == {
        "Mei Tanaka": 2,
        "Oskar Lindqvist": 1,
        "Zoë Adebayo": 1,
    }
    assert rows["Mei Tanaka"].groups == 1


def test_groups(db: Database, story: MentoringStory) -> None:
    with db.write() as s:
        with pytest.raises(ConflictError):
            mentoring.create_group(s, story.mei, GroupInput(name="leaders"))
        group = mentoring.create_group(
            s, story.mei, GroupInput(name="Newcomers", goal="Post")
        ).value
        mentoring.set_mentee_group(s, story.tomas, group.id)
        groups = {g.name: g for g in mentoring.list_groups(s, story.mei)}
        assert groups["Newcomers"].mentees == ("Tomás Reyes",)
        assert groups["Leaders"].mentees == ("Ana Souza",)
        renamed = mentoring.update_group(s, group.id, GroupInput(name="Starters", goal="x")).value
        assert renamed.name == "Starters" and renamed.uuid == group.uuid
        mentoring.delete_group(s, group.id)
        assert mentoring.mentee_ids(s, story.mei) == sorted([story.ana, story.tomas])
        with pytest.raises(KnownError, match="no mentor"):
            mentoring.set_mentee_group(s, story.ben, story.group)


def test_a_group_with_session_notes_is_kept(db: Database, story: MentoringStory) -> None:
    with db.write() as s:
        mentoring.add_session(
            s, story.mei, SessionInput(held_on=AS_OF, group_id=story.group, notes="Kick-off")
        )
        with pytest.raises(ConflictError, match="session notes"):
            mentoring.delete_group(s, story.group)


def test_sessions_are_private_to_their_mentor(db: Database, story: MentoringStory) -> None:
    with db.write() as s:
        assert [x.notes for x in mentoring.list_sessions(s, story.oskar)] == [OSKAR_SESSION]
        mine = mentoring.list_sessions(s, story.mei)
        assert [x.with_whom for x in mine] == ["Ana Souza"]
        oskars = mentoring.list_sessions(s, story.oskar)[0]
        data = SessionInput(held_on=AS_OF, mentee_membership_id=story.ana, notes="x")
        with pytest.raises(NotFoundError):
            mentoring.update_session(s, story.mei, oskars.id, data)
        with pytest.raises(NotFoundError):
            mentoring.delete_session(s, story.mei, oskars.id)
        with pytest.raises(KnownError, match="another mentor"):
            mentoring.add_session(
                s, story.oskar, SessionInput(held_on=AS_OF, group_id=story.group, notes="x")
            )


def test_a_session_keeps_its_uuid_when_edited(db: Database, story: MentoringStory) -> None:
    with db.write() as s:
        before = story.mei_session
        after = mentoring.update_session(
            s,
            story.mei,
            before.id,
            SessionInput(held_on=AS_OF, mentee_membership_id=story.ana, goals="New goal"),
            now=MONDAY + timedelta(days=1),
        ).value
    assert after.uuid == before.uuid
    assert after.updated_at > before.updated_at and after.created_at == before.created_at


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"notes": "x"}, "mentee or the group"),
        ({"mentee_membership_id": 1}, "notes, goals or next steps"),
    ],
)
def test_a_session_needs_someone_and_something(values: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SessionInput.model_validate({"held_on": AS_OF, **values})


def test_the_mentor_view_shows_only_their_mentees(db: Database, story: MentoringStory) -> None:
    with db.read() as s:
        view = mentor_overview.mentor_overview(s, story.mei, AS_OF)
    assert [m.name for m in view.mentees] == ["Ana Souza", "Tomás Reyes"]
    ana, tomas = view.mentees
    assert (ana.stage, ana.motivation, ana.group_name) == (3, 2, "Leaders")
    assert ana.peer_replies == 3 and ana.recent_posts == 5
    assert ReasonCode.LOW_MOTIVATION in {r.code for r in ana.reasons}
    assert ReasonCode.ACCESS_PROBLEM in {r.code for r in tomas.reasons}
    assert [x.notes for x in ana.sessions] == ["Ana wants to start a thread of her own"]
    assert ana.goals == "Start a thread by Friday" and ana.next_steps == "Share the rubric draft"
    assert tomas.sessions == ()
    assert view.since is None and ana.changes == ()
    assert [g.name for g in view.groups] == ["Leaders"]


def test_group_sessions_show_under_each_member(db: Database, story: MentoringStory) -> None:
    with db.write() as s:
        mentoring.set_mentee_group(s, story.tomas, story.group)
        mentoring.add_session(
            s, story.mei, SessionInput(held_on=AS_OF, group_id=story.group, notes="Kick-off")
        )
        view = mentor_overview.mentor_overview(s, story.mei, AS_OF)
    assert [x.notes for x in view.group_sessions] == ["Kick-off"]
    for mentee in view.mentees:
        assert "Kick-off" in [x.notes for x in mentee.sessions]


def test_what_changed_since_the_last_review(db: Database, story: MentoringStory) -> None:
    # "Changed" means recorded after the review: events carry the real time they were stored.
    reviewed = datetime.now(UTC)
    later = reviewed + timedelta(minutes=1)
    with db.write() as s:
        assert mentoring.last_reviewed(s, story.mei) is None
        mentoring.mark_reviewed(s, story.mei, now=reviewed)
        tracking.change_stage(s, story.tomas, 2, "First post", now=later)
        event(s, story.tomas, EventKind.POST, later)
        tracking.add_motivation(s, story.tomas, 4, "Feeling good", checked_on=AS_OF, now=later)
        issue = s.scalars(select(AccessIssue.id)).one()
        tracking.resolve_access_issue(s, issue, "Password reset", now=later)
        highlights.add_highlight(
            s,
            HighlightInput(
                membership_id=story.tomas,
                kind=HighlightKind.QUOTE,
                happened_on=AS_OF,
                text="I finally get it",
            ),
            now=later,
        )
        event(s, story.ben, EventKind.POST, later)  # not a mentee: not shown
        view = mentor_overview.mentor_overview(s, story.mei, AS_OF)
    assert view.since == reviewed
    ana, tomas = view.mentees
    assert ana.changes == ()
    # oldest first; the check-in counts from the day it was about
    assert [c.kind for c in tomas.changes] == [
        "motivation",
        "stage",
        "activity",
        "access",
        "highlight",
    ]
    texts = " | ".join(c.text for c in tomas.changes)
    assert "Stage 1 → 2" in texts and "1 new event: 1 thread started, 0 replies" in texts
    assert "Motivation check-in: 4 of 5" in texts and "Access problem solved" in texts
    assert "I finally get it" in texts


def test_a_merge_keeps_mentoring_records(db: Database, story: MentoringStory) -> None:
    """Two records of Ana merged: her mentor, group, sessions and highlights stay hers."""
    with db.write() as s:
        duplicate = add(s, story.cohort, "Ana S.", email="ana.s@uni.example")
        mentoring.assign_mentor(s, story.oskar, duplicate)
        highlights.add_highlight(
            s, HighlightInput(membership_id=duplicate, happened_on=AS_OF, text="Great summary")
        )
        people.merge_people(s, person_of(s, story.ana), person_of(s, duplicate))
        view = mentor_overview.mentor_overview(s, story.mei, AS_OF)
        oskar = mentoring.mentee_ids(s, story.oskar)
        found = highlights.list_highlights(s, story.cohort, membership_id=story.ana)
    # the duplicate's link moved to Ana: the newest link wins, so Oskar now mentors her
    assert story.ana in oskar
    assert [m.name for m in view.mentees] == ["Tomás Reyes"]
    assert [h.text for h in found] == ["Great summary"]
    with db.read() as s:
        assert len(mentoring.list_sessions(s, story.mei)) == 1
