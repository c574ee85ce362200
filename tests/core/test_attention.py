"""The attention list: every reason, its boundary, the ranking, nudge sinking, determinism."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from cohortdesk.core.demo.build import DemoSpec, create_demo
from cohortdesk.core.enums import (
    AccessStatus,
    EventKind,
    NudgeChannel,
    NudgeStatus,
    Role,
    TemplatePurpose,
)
from cohortdesk.core.errors import NotFoundError
from cohortdesk.core.schemas import (
    AttentionItem,
    AttentionSettings,
    CohortRules,
    MemberInput,
    MessageSettings,
    NudgeInput,
    ReasonCode,
    TemplateInput,
)
from cohortdesk.core.services.activity import participation
from cohortdesk.core.services.attention import rules
from cohortdesk.core.services.attention.attention import WEIGHTS, attention
from cohortdesk.core.services.attention.groups import attention_groups, needing_you
from cohortdesk.core.services.messaging import nudges, templates
from cohortdesk.core.services.people import members, tracking
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.db import Database
from tests.core.builders import add, event, make_cohort

START = date(2025, 3, 3)  # a Monday


def at(day: int, hour: int = 10) -> datetime:
    """`day` days after the start, at `hour` UTC."""
    return datetime(2025, 3, 3, hour, tzinfo=UTC) + timedelta(days=day)


def on(day: int) -> date:
    return START + timedelta(days=day)


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.write() as s:
        yield s


@pytest.fixture
def cohort_id(session: Session) -> int:
    return make_cohort(session, start_date=START).id


@pytest.fixture
def facilitator(session: Session, cohort_id: int) -> int:
    return add(session, cohort_id, "Farah Facil", Role.FACILITATOR)


def listed(session: Session, cohort_id: int, day: int, **settings: int) -> list[AttentionItem]:
    chosen = AttentionSettings(**settings) if settings else None
    return attention(session, cohort_id, on(day), chosen)


def codes(items: list[AttentionItem], name: str) -> list[str]:
    found = [i for i in items if i.name == name]
    return [r.code.value for r in found[0].reasons] if found else []


def names(items: list[AttentionItem]) -> list[str]:
    return [i.name for i in items]


# ---- each reason ----------------------------------------------------------------------------


def test_never_accessed_after_five_days(session: Session, cohort_id: int, facilitator: int) -> None:
    add(session, cohort_id, "Nadia Never")
    assert listed(session, cohort_id, 4) == []
    [item] = listed(session, cohort_id, 5)
    assert item.name == "Nadia Never"
    [reason] = item.reasons
    assert reason.code is ReasonCode.NEVER_ACCESSED
    assert reason.detail == "Not logged in yet: 5 days since the cohort started (Mon 3 Mar)"
    assert reason.weight == WEIGHTS[ReasonCode.NEVER_ACCESSED] == item.priority
    assert reason.since == on(5)


def test_never_accessed_counts_from_joining_for_a_late_joiner(
    session: Session, cohort_id: int
) -> None:
    data = MemberInput(full_name="Lola Late", email="lola@example.org")
    members.add_member(session, cohort_id, data, joined_on=on(10), now=at(10))
    assert listed(session, cohort_id, 14) == []
    [item] = listed(session, cohort_id, 15)
    assert "5 days since joining (Thu 13 Mar)" in item.reasons[0].detail


def test_access_marked_by_hand_is_trusted(session: Session, cohort_id: int) -> None:
    mid = add(session, cohort_id, "Hana Hand")
    tracking.set_access(session, mid, AccessStatus.ACCESSED)
    assert listed(session, cohort_id, 20) == []


def test_open_access_problem(session: Session, cohort_id: int) -> None:
    mid = add(session, cohort_id, "Pia Problem")
    issue = tracking.open_access_issue(
        session, mid, "Password reset never arrives", now=at(1)
    ).value
    assert listed(session, cohort_id, 0) == [], "opened after the day asked about"
    [item] = listed(session, cohort_id, 8)
    assert codes([item], "Pia Problem") == ["access_problem"], "not also never-accessed"
    assert item.reasons[0].detail == (
        "Open access problem for 7 days (since Tue 4 Mar): “Password reset never arrives”"
    )
    assert item.priority == WEIGHTS[ReasonCode.ACCESS_PROBLEM]
    tracking.resolve_access_issue(session, issue.id, "Reset by IT", now=at(9))
    assert codes(listed(session, cohort_id, 8), "Pia Problem") == ["access_problem"]
    assert listed(session, cohort_id, 9) == [], "resolved: they have access now"


def test_silent_after_having_been_active(session: Session, cohort_id: int) -> None:
    mid = add(session, cohort_id, "Sam Silent")
    event(session, mid, EventKind.LOGIN, at(2))
    event(session, mid, EventKind.POST, at(2, 11), thread="Intro", words=80)
    assert "silent" not in codes(listed(session, cohort_id, 8), "Sam Silent")
    items = listed(session, cohort_id, 9)
    assert codes(items, "Sam Silent") == ["silent"]
    assert items[0].reasons[0].detail == (
        "Silent for 7 days, since Wed 5 Mar; active before, with 1 post"
    )
    assert items[0].reasons[0].since == on(9)


def test_reads_but_never_posts_beyond_the_reading_period(session: Session, cohort_id: int) -> None:
    mid = add(session, cohort_id, "Rita Reader")
    for day in range(0, 15, 2):
        event(session, mid, EventKind.LOGIN, at(day))
        event(session, mid, EventKind.VIEW, at(day, 11), thread="Week 1")
    assert listed(session, cohort_id, 13) == []
    items = listed(session, cohort_id, 14)
    assert codes(items, "Rita Reader") == ["reads_not_posting"]
    assert items[0].reasons[0].detail == (
        "Reads but has not posted: 8 logins and 8 views in the 14 days since the cohort "
        "started (reading period 14 days)"
    )
    event(session, mid, EventKind.REPLY, at(14, 12), thread="Week 1")
    assert listed(session, cohort_id, 14) == []


def test_replies_only_to_staff_never_to_peers(
    session: Session, cohort_id: int, facilitator: int
) -> None:
    mentor = add(session, cohort_id, "Mona Mentor", Role.MENTOR)
    peer = add(session, cohort_id, "Petra Peer")
    mid = add(session, cohort_id, "Frida Facilonly")
    for day, to in ((1, facilitator), (2, mentor)):
        event(session, mid, EventKind.REPLY, at(day), to=to, thread="Week 1", words=60)
    event(session, peer, EventKind.POST, at(3), thread="Week 1", words=60)
    assert codes(listed(session, cohort_id, 4), "Frida Facilonly") == []
    event(session, mid, EventKind.REPLY, at(4), to=facilitator, thread="Week 1", words=60)
    items = listed(session, cohort_id, 4)
    assert codes(items, "Frida Facilonly") == ["facilitator_only"]
    reason = next(i for i in items if i.name == "Frida Facilonly").reasons[0]
    assert reason.detail == "3 replies, all to the facilitator or mentors, none to a fellow learner"
    assert reason.since == on(4)
    event(session, mid, EventKind.REPLY, at(5), to=peer, thread="Week 1", words=60)
    assert codes(listed(session, cohort_id, 5), "Frida Facilonly") == []


def test_low_motivation_and_a_sharp_drop(session: Session, cohort_id: int) -> None:
    low, dropped, fine = (add(session, cohort_id, n) for n in ("Lou Low", "Dee Drop", "Fay Fine"))
    for mid in (low, dropped, fine):
        event(session, mid, EventKind.POST, at(4), thread="Week 1", words=60)
    tracking.add_motivation(session, low, 2, "Swamped", checked_on=on(4))
    tracking.add_motivation(session, dropped, 5, checked_on=on(4))
    tracking.add_motivation(session, dropped, 3, "Work took over", checked_on=on(5))
    tracking.add_motivation(session, fine, 3, checked_on=on(4))
    tracking.add_motivation(session, fine, 1, checked_on=on(6))  # after the day asked about
    items = listed(session, cohort_id, 5)
    assert names(items) == ["Lou Low", "Dee Drop"] or set(names(items)) == {"Lou Low", "Dee Drop"}
    detail = {i.name: i.reasons[0].detail for i in items}
    assert (
        detail["Lou Low"]
        == "Motivation 2 of 5 at the last check-in (Tue 7 Mar 2025)".replace(
            "Tue 7 Mar 2025", "Fri 7 Mar"
        )
        + ": “Swamped”"
    )
    assert detail["Dee Drop"] == (
        "Motivation 3 of 5 at the check-in on Sat 8 Mar, down from 5 on Fri 7 Mar: “Work took over”"
    )
    assert "Fay Fine" in names(listed(session, cohort_id, 6))


def test_no_response_to_the_last_nudge(session: Session, cohort_id: int) -> None:
    mid = add(session, cohort_id, "Nico Nudged")
    tracking.set_access(session, mid, AccessStatus.ACCESSED)  # no other reason applies
    log = NudgeInput(subject="Hello?", body="Hi Nico", channel=NudgeChannel.EMAIL, sent_at=at(2))
    nudges.log_nudge(session, mid, log)
    assert listed(session, cohort_id, 8) == []
    [item] = listed(session, cohort_id, 9)
    [reason] = item.reasons
    assert reason.code is ReasonCode.NO_RESPONSE
    assert reason.detail == (
        "No response to the nudge of Wed 5 Mar (“Hello?”): no activity in the 7 days since"
    )
    event(session, mid, EventKind.LOGIN, at(10))
    assert listed(session, cohort_id, 10) == []


# ---- who is (not) on the list ---------------------------------------------------------------


def test_staff_are_never_listed(session: Session, cohort_id: int) -> None:
    for name, role in (("F", Role.FACILITATOR), ("M", Role.MENTOR), ("G", Role.MANAGER)):
        mid = add(session, cohort_id, f"{name} Staff", role)
        tracking.open_access_issue(session, mid, "Cannot log in", now=at(0))
        tracking.add_motivation(session, mid, 1, checked_on=on(1))
    assert listed(session, cohort_id, 30) == []


def test_members_who_joined_later_are_not_listed_yet(session: Session, cohort_id: int) -> None:
    data = MemberInput(full_name="Fred Future", email="fred@example.org")
    members.add_member(session, cohort_id, data, joined_on=on(20), now=at(20))
    assert listed(session, cohort_id, 19) == []


def test_unknown_cohort(session: Session) -> None:
    with pytest.raises(NotFoundError):
        attention(session, 999, START)


# ---- ranking, sinking, determinism ----------------------------------------------------------


def _ranked_cohort(session: Session, cohort_id: int) -> dict[str, int]:
    people = {n: add(session, cohort_id, n) for n in ("Ann Access", "Nat Never", "Lee Lurker")}
    people["Sid Silent"] = add(session, cohort_id, "Sid Silent")
    people["Dot Dip"] = add(session, cohort_id, "Dot Dip")
    tracking.open_access_issue(session, people["Ann Access"], "No account", now=at(3))
    for day in range(0, 20, 3):
        event(session, people["Lee Lurker"], EventKind.VIEW, at(day), thread="Week 1")
    event(session, people["Sid Silent"], EventKind.POST, at(1), thread="Week 1", words=90)
    event(session, people["Dot Dip"], EventKind.POST, at(18), thread="Week 3", words=90)
    tracking.add_motivation(session, people["Dot Dip"], 4, checked_on=on(12))
    tracking.add_motivation(session, people["Dot Dip"], 2, checked_on=on(19))
    # Sid is silent and low too: two reasons add up.
    tracking.add_motivation(session, people["Sid Silent"], 2, checked_on=on(1))
    return people


def test_most_urgent_first_and_priority_is_the_sum_of_weights(
    session: Session, cohort_id: int
) -> None:
    _ranked_cohort(session, cohort_id)
    items = listed(session, cohort_id, 20)
    assert names(items) == ["Sid Silent", "Ann Access", "Nat Never", "Dot Dip", "Lee Lurker"]
    for item in items:
        assert item.priority == sum(r.weight for r in item.reasons)
        assert all(r.weight == WEIGHTS[r.code] for r in item.reasons)
        assert [r.weight for r in item.reasons] == sorted(
            (r.weight for r in item.reasons), reverse=True
        )
    assert codes(items, "Sid Silent") == ["low_motivation", "silent"]
    assert items[0].priority == 70


def test_ties_go_to_the_longest_standing_reason(session: Session, cohort_id: int) -> None:
    early = add(session, cohort_id, "Zed Early")
    late = add(session, cohort_id, "Abe Late")
    event(session, early, EventKind.LOGIN, at(1))
    event(session, late, EventKind.LOGIN, at(3))
    assert names(listed(session, cohort_id, 12)) == ["Zed Early", "Abe Late"]


def test_nudged_recently_sinks_but_stays_visible(session: Session, cohort_id: int) -> None:
    people = _ranked_cohort(session, cohort_id)
    sent = NudgeInput(body="Hi Ann", channel=NudgeChannel.CLIPBOARD, sent_at=at(19, 9))
    nudges.log_nudge(session, people["Ann Access"], sent)
    items = listed(session, cohort_id, 20)
    assert names(items)[-1] == "Ann Access"
    ann = items[-1]
    assert ann.recently_nudged and ann.last_nudged_at == at(19, 9)
    assert [r.code for r in ann.reasons] == [ReasonCode.ACCESS_PROBLEM, ReasonCode.RECENTLY_NUDGED]
    assert ann.reasons[-1].weight == WEIGHTS[ReasonCode.RECENTLY_NUDGED]
    assert ann.reasons[-1].detail == (
        "Nudged 1 day ago (Sat 22 Mar, clipboard): give them time to respond"
    )
    assert ann.priority == 60 - 150
    # three days later it still sinks; four days later it is back in its place
    assert names(listed(session, cohort_id, 22))[-1] == "Ann Access"
    back = listed(session, cohort_id, 23)
    assert not next(i for i in back if i.name == "Ann Access").recently_nudged


def test_a_new_reason_after_the_nudge_stops_the_sinking(session: Session, cohort_id: int) -> None:
    people = _ranked_cohort(session, cohort_id)
    ann = people["Ann Access"]
    nudges.log_nudge(
        session, ann, NudgeInput(body="Hi", channel=NudgeChannel.EMAIL, sent_at=at(18))
    )
    tracking.add_motivation(session, ann, 1, "Gave up trying", checked_on=on(19))
    items = listed(session, cohort_id, 20)
    item = items[0]
    assert item.name == "Ann Access" and item.priority == 60 + 40
    nudged = item.reasons[-1]
    assert nudged.code is ReasonCode.RECENTLY_NUDGED and nudged.weight == 0
    assert nudged.detail.endswith("but since then: low motivation")


def test_as_of_ignores_everything_later(session: Session, cohort_id: int) -> None:
    people = _ranked_cohort(session, cohort_id)
    before = listed(session, cohort_id, 20)
    event(session, people["Nat Never"], EventKind.LOGIN, at(21))
    tracking.add_motivation(session, people["Lee Lurker"], 1, checked_on=on(21))
    nudges.log_nudge(
        session,
        people["Sid Silent"],
        NudgeInput(body="Hi", channel=NudgeChannel.EMAIL, sent_at=at(21)),
    )
    assert listed(session, cohort_id, 20) == before
    assert listed(session, cohort_id, 21) != before


# ---- settings, templates, messages ----------------------------------------------------------


def test_thresholds_are_adjustable_per_cohort(session: Session, cohort_id: int) -> None:
    add(session, cohort_id, "Quin Quick")
    assert listed(session, cohort_id, 2) == []
    assert names(listed(session, cohort_id, 2, never_accessed_days=2)) == ["Quin Quick"]
    stored = CohortRules(attention=AttentionSettings(never_accessed_days=1))
    rules.save_rules(session, cohort_id, stored)
    assert rules.get_rules(session, cohort_id) == stored
    assert names(attention(session, cohort_id, on(1))) == ["Quin Quick"]
    other = make_cohort(session, "Other cohort")
    assert rules.get_rules(session, other.id) == CohortRules()


@pytest.mark.parametrize("low", [1, 3, 4])
def test_every_view_of_motivation_carries_the_cohorts_own_low_rating(
    session: Session, cohort_id: int, low: int
) -> None:
    # The roster, the member panel, the mentor view and the dashboard colour a rating red
    # at or below this setting; each must be given the cohort's, not the default.
    from cohortdesk.core.services.dashboards.dashboard import cohort_dashboard
    from cohortdesk.core.services.mentoring.mentor_overview import mentor_overview
    from cohortdesk.core.services.mentoring.mentoring import assign_mentor

    learner = add(session, cohort_id, "Lee Learner")
    mentor = add(session, cohort_id, "Mo Mentor", Role.MENTOR)
    assign_mentor(session, mentor, learner)
    rules.save_rules(
        session, cohort_id, CohortRules(attention=AttentionSettings(low_motivation=low))
    )
    assert members.member_detail(session, learner).low_motivation == low
    assert mentor_overview(session, mentor).low_motivation == low
    assert cohort_dashboard(session, cohort_id).low_motivation == low


def test_each_item_has_a_suggested_template_and_a_personal_message(
    session: Session, cohort_id: int, facilitator: int
) -> None:
    _ranked_cohort(session, cohort_id)
    rules.save_rules(
        session,
        cohort_id,
        CohortRules(messages=MessageSettings(space_link="https://forum.example.org/spring")),
    )
    items = {i.name: i for i in listed(session, cohort_id, 20)}
    expected = {
        "Ann Access": "Help with an access problem",
        "Nat Never": "Not logged in yet",
        "Lee Lurker": "From reading to a first post",
        "Dot Dip": "Motivation check-in",
        "Sid Silent": "Motivation check-in",
    }
    assert {n: i.suggested_template for n, i in items.items()} == expected
    for name, item in items.items():
        assert item.message.startswith(f"Hi {name.split()[0]},\n")
        assert item.message.rstrip().endswith("Farah Facil")
        assert "{" not in item.message and item.subject
    assert "https://forum.example.org/spring" in items["Nat Never"].message


def test_the_facilitators_own_template_is_preferred(session: Session, cohort_id: int) -> None:
    add(session, cohort_id, "Nat Never")
    mine = templates.create_template(
        session,
        TemplateInput(
            name="My getting-in note",
            purpose=TemplatePurpose.GETTING_IN,
            subject="Hello {first_name}",
            body="Dear {first_name}, shall we talk?",
        ),
    ).value
    [item] = listed(session, cohort_id, 9)
    assert (item.suggested_template_id, item.message) == (mine.id, "Dear Nat, shall we talk?")
    for row in templates.list_templates(session, purpose=TemplatePurpose.GETTING_IN):
        templates.set_retired(session, row.id)
    [item] = listed(session, cohort_id, 9)
    assert (item.suggested_template, item.message, item.subject) == (None, "", "")


# ---- cost -----------------------------------------------------------------------------------


def _queries(db: Database, cohort_id: int, day: date) -> tuple[int, int]:
    count = 0

    def counter(*_: object) -> None:
        nonlocal count
        count += 1

    sa_event.listen(db.engine, "before_cursor_execute", counter)
    try:
        with db.read() as s:
            items = attention(s, cohort_id, day)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", counter)
    return count, len(items)


def test_a_fixed_number_of_queries_whatever_the_size(db: Database) -> None:
    measured = []
    for size in (5, 60):
        with db.write() as s:
            cohort = make_cohort(s, f"Size {size}", start_date=START)
            facil = add(s, cohort.id, f"Facil {size}", Role.FACILITATOR)
            for n in range(size):
                mid = add(s, cohort.id, f"Learner {size}-{n}")
                if n % 3 == 0:
                    event(s, mid, EventKind.VIEW, at(1), thread="Week 1")
                elif n % 3 == 1:
                    event(s, mid, EventKind.REPLY, at(1), to=facil, thread="W1", words=60)
                    tracking.add_motivation(s, mid, 2, checked_on=on(2))
                    nudges.log_nudge(
                        s, mid, NudgeInput(body="Hi", channel=NudgeChannel.EMAIL, sent_at=at(3))
                    )
        measured.append(_queries(db, cohort.id, on(20)))
    (small, small_items), (large, large_items) = measured
    assert large_items > small_items > 0
    assert small == large <= 24, measured


# ---- the demo cohort, as a facilitator would read it ----------------------------------------

DEMO_END = date(2026, 10, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, int]]:
    folder = tmp_path_factory.mktemp("attention-demo")
    database = Database(f"sqlite:///{folder / 'demo.sqlite'}")
    migrate.upgrade(database)
    with database.write() as s:
        cohort = create_demo(s, DemoSpec(end=DEMO_END))
    yield database, cohort.id
    database.dispose()


def test_the_demo_lists_exactly_who_a_facilitator_would_pick(demo: tuple[Database, int]) -> None:
    database, cohort_id = demo
    with database.read() as s:
        rows = participation.roster(s, cohort_id)
        items = attention(s, cohort_id, DEMO_END)
        nudged = {n.name for n in nudges.list_nudges(s, cohort_id, as_of=DEMO_END)}
    learners = [r for r in rows if r.role is Role.LEARNER]
    never = {r.name for r in learners if r.access is AccessStatus.NOT_YET}
    blocked = {r.name for r in learners if r.access is AccessStatus.PROBLEM}
    lurkers = {r.name for r in learners if r.events and not r.posts}
    dipping = {r.name for r in learners if (r.motivation_change or 0) <= -2}
    quiet = {
        r.name
        for r in learners
        if r.posts and r.last_active and r.last_active <= DEMO_END - timedelta(days=7)
    }
    assert len(never) == 2 and len(blocked) == 1 and len(lurkers) == 2
    assert len(dipping) == 1 and len(quiet) == 1
    assert {i.name for i in items} == never | blocked | lurkers | dipping | quiet
    staff = {r.name for r in rows if r.role is not Role.LEARNER}
    assert not staff & {i.name for i in items}

    by_name = {i.name: i for i in items}
    # The demo's facilitator nudged the quiet learner a week ago (no response since) and
    # one of the readers yesterday (recently nudged: they sink to the bottom).
    recent = {i.name for i in items if i.recently_nudged}
    assert len(recent) == 1 and recent <= lurkers and recent <= nudged
    expect = {
        **dict.fromkeys(blocked, ("access_problem",)),
        **dict.fromkeys(never, ("never_accessed",)),
        **dict.fromkeys(dipping, ("low_motivation",)),
        **dict.fromkeys(quiet, ("no_response", "silent")),
        **dict.fromkeys(lurkers - recent, ("reads_not_posting",)),
        **dict.fromkeys(recent, ("reads_not_posting", "recently_nudged")),
    }
    assert {n: tuple(r.code.value for r in i.reasons) for n, i in by_name.items()} == expect
    order = [i.name for i in items]
    assert order[0] in quiet and order[1] in blocked and set(order[2:4]) == never
    assert order[4] in dipping and set(order[5:]) == lurkers and order[-1] in recent
    assert [i.priority for i in items] == sorted((i.priority for i in items), reverse=True)
    for item in items:
        first = item.name.split()[0]
        assert item.message.startswith(f"Hi {first},") and item.suggested_template
        assert all(any(c.isdigit() for c in r.detail) for r in item.reasons)
        assert item.message.rstrip().endswith(
            next(r.name for r in rows if r.role is Role.FACILITATOR)
        )


# ---- only sent nudges count ----------------------------------------------------------------


@pytest.mark.parametrize("status", [NudgeStatus.DRAFT, NudgeStatus.NOT_SENT])
def test_a_nudge_not_confirmed_sent_changes_nothing(
    session: Session, cohort_id: int, status: NudgeStatus
) -> None:
    """Copying a message is not sending it: neither "nudged recently" nor "no response"."""
    people = _ranked_cohort(session, cohort_id)
    before = listed(session, cohort_id, 20)
    for name, day in (("Ann Access", 19), ("Sid Silent", 5)):
        draft = NudgeInput(
            body="Hi", channel=NudgeChannel.CLIPBOARD, sent_at=at(day), status=status
        )
        nudges.log_nudge(session, people[name], draft)
    assert listed(session, cohort_id, 20) == before


def test_confirming_a_draft_sent_makes_it_count(session: Session, cohort_id: int) -> None:
    people = _ranked_cohort(session, cohort_id)
    draft = NudgeInput(
        body="Hi Ann", channel=NudgeChannel.CLIPBOARD, sent_at=at(19, 9), status=NudgeStatus.DRAFT
    )
    row = nudges.log_nudge(session, people["Ann Access"], draft).value
    assert row.outcome is None
    assert [d.id for d in nudges.drafts_to_confirm(session)] == [row.id]
    changes = nudges.confirm_nudges(session, [row.id], NudgeStatus.SENT, now=at(20))
    assert changes.nudges == frozenset({cohort_id})
    assert nudges.drafts_to_confirm(session) == []
    ann = next(i for i in listed(session, cohort_id, 20) if i.name == "Ann Access")
    assert ann.recently_nudged and ann.last_nudged_at == at(19, 9)
    nudged = ann.reasons[-1]
    assert (nudged.code, nudged.days, nudged.weight) == (ReasonCode.RECENTLY_NUDGED, 1, -150)


def test_each_reason_carries_its_figures(session: Session, cohort_id: int) -> None:
    """The parts of a priority come as data: the days (or rating) behind each weight."""
    _ranked_cohort(session, cohort_id)
    items = listed(session, cohort_id, 20)
    for item in items:
        assert item.priority == sum(r.weight for r in item.reasons)
        assert item.suggested_for is None or item.suggested_for == item.reasons[0]
        for reason in item.reasons:
            if reason.code is ReasonCode.LOW_MOTIVATION:
                assert reason.number is not None and 1 <= reason.number <= 5
            elif reason.code is ReasonCode.FACILITATOR_ONLY:
                assert reason.number is not None and reason.number > 0
            else:
                assert reason.days is not None and reason.days >= 0


def test_the_demo_groups(demo: tuple[Database, int]) -> None:
    database, cohort_id = demo
    with database.read() as s:
        items = attention(s, cohort_id, DEMO_END)
        groups = attention_groups(s, cohort_id, items)
    summary = {g.code: len(g.membership_ids) for g in groups}
    assert summary == {
        ReasonCode.ACCESS_PROBLEM: 1,
        ReasonCode.NEVER_ACCESSED: 2,
        ReasonCode.LOW_MOTIVATION: 1,
        ReasonCode.NO_RESPONSE: 1,
        ReasonCode.READS_NOT_POSTING: 1,
        ReasonCode.RECENTLY_NUDGED: 1,
    }
    assert len(needing_you(items)) == len(items) - 1
