"""The roster's derived counts: logins, threads, replies, peer replies, last active, motivation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from cohortdesk.core.enums import EventKind, Role
from cohortdesk.core.services.activity import participation
from cohortdesk.core.services.people import tracking
from cohortdesk.core.storage.db import Database
from tests.core.builders import MONDAY, add, event, make_cohort


def test_counts_logins_threads_replies_and_posts(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s)
        amina = add(s, cohort.id, "Amina Okafor")
        lars = add(s, cohort.id, "Lars Berg")
        for kind in (EventKind.LOGIN, EventKind.LOGIN, EventKind.VIEW, EventKind.REACTION):
            event(s, amina, kind)
        event(s, amina, EventKind.POST, thread="Week 1")
        event(s, amina, EventKind.REPLY, to=lars, thread="Week 1")
        event(s, amina, EventKind.REPLY, to=lars, thread="Week 1")
        row = participation.roster_row(s, amina)
    assert (row.logins, row.threads, row.replies, row.posts, row.events) == (2, 1, 2, 3, 7)


def test_peer_replies_count_only_replies_to_another_learner(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s)
        amina = add(s, cohort.id, "Amina Okafor")
        lars = add(s, cohort.id, "Lars Berg")
        facilitator = add(s, cohort.id, "Priya Nair", Role.FACILITATOR)
        mentor = add(s, cohort.id, "Kenji Mori", Role.MENTOR)
        event(s, amina, EventKind.REPLY, to=lars)  # a peer: counts
        event(s, amina, EventKind.REPLY, to=facilitator)
        event(s, amina, EventKind.REPLY, to=mentor)
        event(s, amina, EventKind.REPLY, to=amina)  # answering oneself
        event(s, amina, EventKind.REPLY)  # nobody named
        event(s, amina, EventKind.REACTION, to=lars)  # not a reply
        row = participation.roster_row(s, amina)
    assert (row.replies, row.peer_replies) == (5, 1)


def test_replies_by_staff_to_learners_are_not_peer_replies(db: Database) -> None:
    """Issue 2: a peer reply is by a learner to another learner, not a facilitator's answer."""
    with db.write() as s:
        cohort = make_cohort(s)
        amina = add(s, cohort.id, "Amina Okafor")
        lars = add(s, cohort.id, "Lars Berg")
        facilitator = add(s, cohort.id, "Priya Nair", Role.FACILITATOR)
        mentor = add(s, cohort.id, "Kenji Mori", Role.MENTOR)
        manager = add(s, cohort.id, "Rosa Diaz", Role.MANAGER)
        for staff in (facilitator, mentor, manager):
            event(s, staff, EventKind.REPLY, to=amina)
            event(s, staff, EventKind.REPLY, to=lars)
        event(s, lars, EventKind.REPLY, to=amina)
        rows = {r.membership_id: r for r in participation.roster(s, cohort.id)}
    for staff in (facilitator, mentor, manager):
        assert (rows[staff].replies, rows[staff].peer_replies) == (2, 0)
    assert (rows[lars].replies, rows[lars].peer_replies) == (1, 1)


def test_peer_replies_follow_the_replier_role_in_this_cohort(db: Database) -> None:
    """Lars facilitates Autumn but learns in Spring: his Spring replies to learners count."""
    with db.write() as s:
        spring = make_cohort(s, "Spring")
        autumn = make_cohort(s, "Autumn")
        amina = add(s, spring.id, "Amina Okafor")
        add(s, autumn.id, "Amina Okafor")
        in_spring = add(s, spring.id, "Lars Berg")
        in_autumn = add(s, autumn.id, "Lars Berg", Role.FACILITATOR)
        event(s, in_spring, EventKind.REPLY, to=amina)
        autumn_amina = participation.roster(s, autumn.id)[0].membership_id
        event(s, in_autumn, EventKind.REPLY, to=autumn_amina)
        assert participation.roster_row(s, in_spring).peer_replies == 1
        assert participation.roster_row(s, in_autumn).peer_replies == 0


def test_peer_replies_follow_the_target_role_in_this_cohort(db: Database) -> None:
    """Lars is a learner here but a facilitator elsewhere: replies to him here are peer replies."""
    with db.write() as s:
        spring = make_cohort(s, "Spring")
        autumn = make_cohort(s, "Autumn")
        amina = add(s, spring.id, "Amina Okafor")
        lars = add(s, spring.id, "Lars Berg")
        add(s, autumn.id, "Lars Berg", Role.FACILITATOR)
        event(s, amina, EventKind.REPLY, to=lars)
        assert participation.roster_row(s, amina).peer_replies == 1


def test_last_active_is_the_date_in_the_cohorts_time_zone(db: Database) -> None:
    with db.write() as s:
        london = make_cohort(s, "Summer London", timezone="Europe/London")  # UTC+1 in June
        honolulu = make_cohort(s, "Summer Hawaii", timezone="Pacific/Honolulu")  # UTC-10
        late = datetime(2025, 6, 1, 23, 30, tzinfo=UTC)
        in_london = add(s, london.id, "Amina Okafor")
        in_hawaii = add(s, honolulu.id, "Amina Okafor")
        in_utc = add(s, make_cohort(s, "UTC").id, "Amina Okafor")
        for mid in (in_london, in_hawaii, in_utc):
            event(s, mid, EventKind.LOGIN, late)
            event(s, mid, EventKind.VIEW, late - timedelta(days=3))
        rows = {mid: participation.roster_row(s, mid) for mid in (in_london, in_hawaii, in_utc)}
    assert rows[in_london].last_active == date(2025, 6, 2)
    assert rows[in_hawaii].last_active == date(2025, 6, 1)
    assert rows[in_utc].last_active == date(2025, 6, 1)


def test_no_activity_means_no_last_active(db: Database) -> None:
    with db.write() as s:
        mid = add(s, make_cohort(s).id, "Amina Okafor")
        row = participation.roster_row(s, mid)
    assert (row.events, row.last_active, row.motivation, row.motivation_change) == (
        0,
        None,
        None,
        None,
    )


def test_motivation_latest_and_change_by_check_in_date(db: Database) -> None:
    with db.write() as s:
        mid = add(s, make_cohort(s).id, "Amina Okafor")
        tracking.add_motivation(s, mid, 4, checked_on=date(2025, 3, 7), now=MONDAY)
        assert participation.roster_row(s, mid).motivation_change is None
        # Entered out of order: the check-in dates decide which is latest.
        tracking.add_motivation(s, mid, 2, checked_on=date(2025, 3, 21), now=MONDAY)
        tracking.add_motivation(s, mid, 5, checked_on=date(2025, 3, 14), now=MONDAY)
        row = participation.roster_row(s, mid)
    assert (row.motivation, row.motivation_change) == (2, -3)


def test_roster_is_by_name_and_counts_each_member_apart(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s)
        zoe = add(s, cohort.id, "zoe Walsh")
        amina = add(s, cohort.id, "Amina Okafor")
        tracking.open_access_issue(s, zoe, "Cannot log in")
        event(s, amina, EventKind.REPLY, to=zoe)
        event(s, amina, EventKind.REPLY, to=zoe)
        rows = participation.roster(s, cohort.id)
    assert [r.name for r in rows] == ["Amina Okafor", "zoe Walsh"]
    assert [(r.replies, r.peer_replies, r.open_access_issues) for r in rows] == [
        (2, 2, 0),
        (0, 0, 1),
    ]
