"""What the facilitator records: stages, access issues, motivation, events, notes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from cohortdesk.core.enums import AccessStatus, EventKind, StageChangeSource
from cohortdesk.core.errors import KnownError, NotFoundError
from cohortdesk.core.models import StageChange
from cohortdesk.core.schemas import EventInput, validated
from cohortdesk.core.services.activity import participation
from cohortdesk.core.services.people import members, tracking
from cohortdesk.core.storage.db import Database
from tests.core.builders import MONDAY, add, event, make_cohort


@pytest.fixture
def member(db: Database) -> int:
    with db.write() as s:
        return add(s, make_cohort(s).id, "Amina Okafor")


def _access(db: Database, mid: int) -> tuple[AccessStatus, int]:
    with db.read() as s:
        row = participation.roster_row(s, mid)
    return row.access, row.open_access_issues


# ---- stages ---------------------------------------------------------------------------------


def test_stage_change_records_from_to_when_and_why(db: Database, member: int) -> None:
    with db.write() as s:
        change = tracking.change_stage(
            s, member, 3, "  Replying to peers in Week 3  ", now=MONDAY
        ).value
    assert (change.from_stage, change.to_stage, change.reason) == (
        1,
        3,
        "Replying to peers in Week 3",
    )
    assert change.changed_at == MONDAY and change.source is StageChangeSource.MANUAL
    with db.read() as s:
        detail = members.member_detail(s, member)
    assert detail.row.stage == 3 and detail.stage_since == MONDAY
    assert [(h.from_stage, h.to_stage) for h in detail.stage_history] == [(1, 3), (None, 1)]


def test_stages_can_go_down_and_keep_evidence(db: Database, member: int) -> None:
    with db.write() as s:
        tracking.change_stage(s, member, 4, "Weaving", now=MONDAY)
        tracking.change_stage(
            s,
            member,
            2,
            "Suggested: back to socialising",
            source=StageChangeSource.SUGGESTION,
            evidence={"posts": 1},
            now=MONDAY + timedelta(days=1),
        )
        stored = s.scalars(select(StageChange).where(StageChange.to_stage == 2)).one()
    assert stored.source is StageChangeSource.SUGGESTION
    assert json.loads(stored.evidence or "") == {"posts": 1}


@pytest.mark.parametrize("reason", ["", "   "])
def test_stage_change_needs_a_reason(db: Database, member: int, reason: str) -> None:
    with pytest.raises(KnownError, match="reason"), db.write() as s:
        tracking.change_stage(s, member, 2, reason)


def test_stage_change_to_the_same_stage_is_refused(db: Database, member: int) -> None:
    with pytest.raises(KnownError, match="Already at stage 1"), db.write() as s:
        tracking.change_stage(s, member, 1, "again")


@pytest.mark.parametrize("stage", [0, 6])
def test_stage_out_of_range_is_refused(db: Database, member: int, stage: int) -> None:
    with pytest.raises(KnownError, match="1 to 5"), db.write() as s:
        tracking.change_stage(s, member, stage, "why not")


def test_stage_change_of_a_missing_member_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError), db.write() as s:
        tracking.change_stage(s, 404, 2, "why")


# ---- access ---------------------------------------------------------------------------------


def test_open_then_resolve_moves_problem_to_accessed(db: Database, member: int) -> None:
    with db.write() as s:
        issue = tracking.open_access_issue(
            s, member, " Password reset never arrives ", now=MONDAY
        ).value
    assert issue.is_open and issue.note == "Password reset never arrives"
    assert _access(db, member) == (AccessStatus.PROBLEM, 1)
    with db.write() as s:
        done = tracking.resolve_access_issue(s, issue.id, "Reset by IT", now=MONDAY).value
    assert not done.is_open and done.resolution == "Reset by IT"
    assert _access(db, member) == (AccessStatus.ACCESSED, 0)


def test_access_stays_a_problem_while_another_issue_is_open(db: Database, member: int) -> None:
    with db.write() as s:
        first = tracking.open_access_issue(s, member, "No password email").value
        tracking.open_access_issue(s, member, "Firewall blocks videos")
        tracking.resolve_access_issue(s, first.id, "Sent again")
    assert _access(db, member) == (AccessStatus.PROBLEM, 1)


def test_resolving_twice_or_a_missing_issue_is_refused(db: Database, member: int) -> None:
    with db.write() as s:
        issue = tracking.open_access_issue(s, member, "No password email").value
        tracking.resolve_access_issue(s, issue.id)
    with pytest.raises(KnownError, match="already resolved"), db.write() as s:
        tracking.resolve_access_issue(s, issue.id)
    with pytest.raises(NotFoundError), db.write() as s:
        tracking.resolve_access_issue(s, 404)


def test_an_access_issue_needs_a_note(db: Database, member: int) -> None:
    with pytest.raises(KnownError), db.write() as s:
        tracking.open_access_issue(s, member, "  ")


@pytest.mark.parametrize("status", [AccessStatus.ACCESSED, AccessStatus.NOT_YET])
def test_set_access_resolves_open_issues(db: Database, member: int, status: AccessStatus) -> None:
    with db.write() as s:
        tracking.open_access_issue(s, member, "Cannot log in")
        tracking.set_access(s, member, status, now=MONDAY)
    assert _access(db, member) == (status, 0)
    with db.read() as s:
        (issue,) = members.member_detail(s, member).access_issues
    assert issue.resolved_at == MONDAY and issue.resolution.startswith("Marked as")


def test_set_access_refuses_problem(db: Database, member: int) -> None:
    with pytest.raises(KnownError, match="access issue"), db.write() as s:
        tracking.set_access(s, member, AccessStatus.PROBLEM)
    assert _access(db, member) == (AccessStatus.NOT_YET, 0)


# ---- motivation -----------------------------------------------------------------------------


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_motivation_is_rated_one_to_five(db: Database, member: int, rating: int) -> None:
    with pytest.raises(KnownError, match="1 to 5"), db.write() as s:
        tracking.add_motivation(s, member, rating)


def test_motivation_check_in_is_kept_with_its_date_and_note(db: Database, member: int) -> None:
    with db.write() as s:
        row = tracking.add_motivation(
            s, member, 2, " Workload doubled ", checked_on=date(2025, 3, 7), now=MONDAY
        ).value
    assert (row.rating, row.note, row.checked_on) == (2, "Workload doubled", date(2025, 3, 7))
    with db.write() as s:
        assert tracking.add_motivation(s, member, 5, now=MONDAY).value.checked_on == MONDAY.date()


def test_a_check_in_is_dated_today_in_the_cohorts_time_zone(db: Database) -> None:
    """23:30 UTC on 1 June is already 2 June in London and still 1 June in Honolulu."""
    late = datetime(2025, 6, 1, 23, 30, tzinfo=UTC)
    with db.write() as s:
        london = add(s, make_cohort(s, "London", timezone="Europe/London").id, "Amina Okafor")
        hawaii = add(s, make_cohort(s, "Hawaii", timezone="Pacific/Honolulu").id, "Amina Okafor")
        tokyo = add(s, make_cohort(s, "Tokyo", timezone="Asia/Tokyo").id, "Amina Okafor")
        dates = [
            tracking.add_motivation(s, m, 3, now=late).value.checked_on for m in (london, hawaii)
        ]
        early = datetime(2025, 6, 1, 16, 0, tzinfo=UTC)  # 01:00 on 2 June in Tokyo
        dates.append(tracking.add_motivation(s, tokyo, 3, now=early).value.checked_on)
    assert dates == [date(2025, 6, 2), date(2025, 6, 1), date(2025, 6, 2)]


# ---- events ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"), [("  Week 2: weaving  ", "Week 2: weaving"), ("   ", None), ("", None)]
)
def test_the_thread_is_stripped_and_blank_means_none(
    db: Database, member: int, typed: str, kept: str | None
) -> None:
    with db.write() as s:
        row = event(s, member, EventKind.POST, thread=typed)
    assert row.thread == kept
    with db.read() as s:
        assert members.member_detail(s, member).events[0].thread == kept


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"occurred_at": "yesterday"}, "When: not a valid date and time (yesterday)"),
        ({"occurred_at": "2025-03-03T10:00"}, "When: a time needs its time zone"),
        ({"word_count": -5}, "Words: must be at least 0 (-5)"),
        ({"word_count": "many"}, "Words: not a whole number (many)"),
        ({"kind": "poke"}, "What: must be one of login, view, post, reply, "),
    ],
)
def test_bad_event_input_is_said_plainly(values: dict[str, object], message: str) -> None:
    given: dict[str, object] = {"kind": "post", "occurred_at": MONDAY} | values
    with pytest.raises(KnownError) as caught:
        validated(EventInput, **given)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value) and "pydantic" not in str(caught.value)


def test_any_event_marks_access(db: Database, member: int) -> None:
    with db.write() as s:
        event(s, member, EventKind.VIEW)
    assert _access(db, member) == (AccessStatus.ACCESSED, 0)


def test_a_reply_names_whom_it_answers(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s)
        amina = add(s, cohort.id, "Amina Okafor")
        lars = add(s, cohort.id, "Lars Berg")
        row = event(s, amina, EventKind.REPLY, to=lars, thread="Week 2", words=120)
    assert (row.replied_to_name, row.thread, row.word_count) == ("Lars Berg", "Week 2", 120)


def test_reply_to_someone_from_another_cohort_is_refused(db: Database) -> None:
    with db.write() as s:
        spring = make_cohort(s, "Spring")
        autumn = make_cohort(s, "Autumn")
        amina = add(s, spring.id, "Amina Okafor")
        stranger = add(s, autumn.id, "Lars Berg")
    with pytest.raises(KnownError, match="not a member of this cohort"), db.write() as s:
        event(s, amina, EventKind.REPLY, to=stranger)
    with db.read() as s:
        assert participation.roster_row(s, amina).events == 0


def test_delete_event(db: Database, member: int) -> None:
    with db.write() as s:
        row = event(s, member, EventKind.POST, thread="Week 1")
        tracking.delete_event(s, row.id)
        assert participation.roster_row(s, member).events == 0
    with pytest.raises(NotFoundError), db.write() as s:
        tracking.delete_event(s, row.id)


# ---- notes ----------------------------------------------------------------------------------


def test_notes_are_kept_and_deleted(db: Database, member: int) -> None:
    with db.write() as s:
        note = tracking.add_note(s, member, "  Emailed about the login  ", now=MONDAY).value
        assert note.body == "Emailed about the login"
        assert [n.body for n in members.member_detail(s, member).notes] == [note.body]
        tracking.delete_note(s, note.id)
        assert members.member_detail(s, member).notes == ()
    with pytest.raises(KnownError), db.write() as s:
        tracking.add_note(s, member, " ")


def test_being_replied_to_is_evidence_of_access(db: Database, member: int) -> None:
    with db.write() as s:
        cohort_id = members.require_membership(s, member).cohort_id
        peer = add(s, cohort_id, "Pat Peer")
        event(s, peer, EventKind.VIEW)
    assert _access(db, member)[0] is AccessStatus.NOT_YET
    with db.write() as s:
        event(s, peer, EventKind.REPLY, to=member)  # one cannot be answered without posting
    assert _access(db, member)[0] is AccessStatus.ACCESSED
    assert _access(db, peer)[0] is AccessStatus.ACCESSED
