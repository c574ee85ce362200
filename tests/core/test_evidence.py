"""Stage evidence: each stage's rules, suggestions, accepting and dismissing them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from cohortdesk.core.enums import AccessStatus, EventKind, Role, StageChangeSource
from cohortdesk.core.errors import ConflictError, KnownError, NotFoundError
from cohortdesk.core.models import StageChange
from cohortdesk.core.schemas import CohortRules, EvidenceThresholds, StageSuggestion
from cohortdesk.core.services.attention import evidence, rules
from cohortdesk.core.services.attention.evidence_facts import LearnerFacts
from cohortdesk.core.services.people import tracking
from cohortdesk.core.storage.db import Database
from tests.core.builders import add, event, make_cohort

START = date(2025, 3, 3)
UTC_ZONE = ZoneInfo("UTC")


def at(day: int, hour: int = 10) -> datetime:
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


def suggested(session: Session, cohort_id: int, day: int = 60) -> dict[str, tuple[int, int]]:
    found = evidence.suggestions(session, cohort_id, on(day))
    return {s.name: (s.from_stage, s.to_stage) for s in found}


def one(session: Session, cohort_id: int, name: str, day: int = 60) -> StageSuggestion:
    return next(s for s in evidence.suggestions(session, cohort_id, on(day)) if s.name == name)


def reply(session: Session, who: int, to: int, day: int, words: int = 80) -> None:
    event(session, who, EventKind.REPLY, at(day), to=to, thread=f"Week {day // 7 + 1}", words=words)


# ---- each stage -----------------------------------------------------------------------------


def test_stage_1_is_the_floor_and_access_alone_suggests_nothing(
    session: Session, cohort_id: int
) -> None:
    never = add(session, cohort_id, "Nat Never")
    reader = add(session, cohort_id, "Rae Reader")
    event(session, reader, EventKind.VIEW, at(1), thread="Week 1")
    assert suggested(session, cohort_id) == {}
    lines = evidence.member_evidence(session, never, on(60)).lines
    assert lines[0].rule == "accessed" and not lines[0].met
    assert lines[0].detail == "No activity yet"
    tracking.set_access(session, never, AccessStatus.ACCESSED)
    first = evidence.member_evidence(session, never, on(60)).lines[0]
    assert first.met and first.detail == "Marked as having access"
    seen = evidence.member_evidence(session, reader, on(60))
    assert seen.evidence_stage == 1
    assert seen.lines[0].detail == "Active 1 time, first on Tue 4 Mar"


def test_stage_2_first_own_post(session: Session, cohort_id: int, facilitator: int) -> None:
    mid = add(session, cohort_id, "Ivy Intro")
    event(session, mid, EventKind.LOGIN, at(1))
    event(session, mid, EventKind.POST, at(2), thread="Introductions", words=40)
    assert suggested(session, cohort_id, 1) == {}
    suggestion = one(session, cohort_id, "Ivy Intro", 2)
    assert (suggestion.from_stage, suggestion.to_stage) == (1, 2)
    assert [line.rule for line in suggestion.evidence] == ["own_post"]
    assert suggestion.evidence[0].detail == "First own post on Wed 5 Mar (1 post in all)"
    assert suggestion.summary == (
        "stage 1 → 2 (Online socialisation): First own post on Wed 5 Mar (1 post in all)"
    )
    assert suggestion.counts == {"posts": 1}


def test_stage_3_needs_replies_to_peers_not_to_the_facilitator(
    session: Session, cohort_id: int, facilitator: int
) -> None:
    mid = add(session, cohort_id, "Eve Exchange")
    peer = add(session, cohort_id, "Pat Peer")
    tracking.change_stage(session, mid, 2, "Introduced themselves", now=at(1))
    event(session, mid, EventKind.POST, at(1), thread="Introductions", words=90)
    for day in (2, 3, 4):
        reply(session, mid, facilitator, day)
    assert "Eve Exchange" not in suggested(session, cohort_id)
    reply(session, mid, peer, 5, words=30)  # a short "+1": a peer reply, not content
    reply(session, mid, peer, 6, words=30)
    lines = {line.rule: line for line in evidence.member_evidence(session, mid, on(60)).lines}
    assert (lines["peer_replies"].value, lines["peer_replies"].met) == (2, True)
    assert lines["content_posts"].value == 4  # the post and three long replies
    assert suggested(session, cohort_id)["Eve Exchange"] == (2, 3)
    suggestion = one(session, cohort_id, "Eve Exchange")
    assert [line.detail for line in suggestion.evidence] == [
        "2 replies to fellow learners (needs 2)",
        "4 posts carrying content (50 words or more) (needs 2)",
    ]


def test_content_needs_enough_words_and_a_known_length(session: Session, cohort_id: int) -> None:
    mid = add(session, cohort_id, "Cy Content")
    peer = add(session, cohort_id, "Pat Peer")
    reply(session, mid, peer, 1, words=10)
    reply(session, mid, peer, 2, words=49)
    assert evidence.member_evidence(session, mid, on(60)).counts["content_posts"] == 0
    event(session, mid, EventKind.POST, at(3), thread="Week 1")  # no word count: imported
    found = evidence.member_evidence(session, mid, on(60))
    assert found.counts["content_posts"] == 0, "a length unknown is never taken as content"
    line = next(x for x in found.lines if x.rule == "content_posts")
    assert "1 more of unknown length" in line.detail
    event(session, mid, EventKind.SHARE, at(4), words=50)  # a shared link with its text
    assert evidence.member_evidence(session, mid, on(60)).counts["content_posts"] == 1
    rules.save_rules(session, cohort_id, CohortRules(evidence=EvidenceThresholds(content_words=10)))
    assert evidence.member_evidence(session, mid, on(60)).counts["content_posts"] == 3


def _constructor(session: Session, cohort_id: int) -> int:
    """A learner at stage 3 with two-way exchanges (two replies each way) with three peers."""
    mid = add(session, cohort_id, "Cleo Construct")
    tracking.change_stage(session, mid, 3, "Exchanging", now=at(1))
    peers = [add(session, cohort_id, n) for n in ("Pat One", "Pia Two", "Poe Three")]
    event(session, mid, EventKind.POST, at(2), thread="Week 1", words=200)
    for n, peer in enumerate(peers):
        for k in range(2):
            reply(session, mid, peer, 3 + n + k)
            reply(session, peer, mid, 4 + n + k)
    return mid


def test_stage_4_sustained_two_way_exchanges_and_answered_threads(
    session: Session, cohort_id: int
) -> None:
    mid = _constructor(session, cohort_id)
    counts = evidence.member_evidence(session, mid, on(60)).counts
    assert counts["two_way_peers"] == 3
    assert counts["answered_threads"] == 1  # Pat answered Cleo in Week 1, where Cleo posted
    assert suggested(session, cohort_id)["Cleo Construct"] == (3, 4)
    details = [line.detail for line in one(session, cohort_id, "Cleo Construct").evidence]
    assert details == [
        "Sustained two-way exchanges with 3 fellow learners (2 replies or more each way) (needs 3)",
        "1 thread they started answered by fellow learners (needs 1)",
    ]


def test_one_reply_each_way_is_not_sustained(session: Session, cohort_id: int) -> None:
    mid = add(session, cohort_id, "Una Once")
    tracking.change_stage(session, mid, 3, "Exchanging", now=at(1))
    for n in range(5):
        peer = add(session, cohort_id, f"Peer {n}")
        reply(session, mid, peer, 2 + n)
        reply(session, peer, mid, 3 + n)
    assert evidence.member_evidence(session, mid, on(60)).counts["two_way_peers"] == 0
    rules.save_rules(
        session,
        cohort_id,
        CohortRules(evidence=EvidenceThresholds(construction_replies_each_way=1)),
    )
    assert evidence.member_evidence(session, mid, on(60)).counts["two_way_peers"] == 5


def test_stage_5_helping_newcomers_once_at_stage_4_over_a_long_span(
    session: Session, cohort_id: int
) -> None:
    mid = _constructor(session, cohort_id)
    newcomers = [add(session, cohort_id, n) for n in ("New One", "New Two")]
    # Early replies to newcomers do not count: Cleo was a newcomer herself then.
    for day in (3, 4):
        reply(session, mid, newcomers[0], day)
    tracking.change_stage(session, mid, 4, "Constructing", now=at(20))
    for n, day in enumerate((22, 26, 30)):
        reply(session, mid, newcomers[n % 2], day)
    assert evidence.member_evidence(session, mid, on(60)).counts["helping_replies"] == 3
    assert "Cleo Construct" not in suggested(session, cohort_id)
    # A newcomer who has climbed to stage 3 is no longer one.
    tracking.change_stage(session, newcomers[1], 3, "Exchanging", now=at(31))
    reply(session, mid, newcomers[1], 32)
    assert "Cleo Construct" not in suggested(session, cohort_id)
    reply(session, mid, newcomers[0], 33)
    suggestion = one(session, cohort_id, "Cleo Construct")
    assert (suggestion.from_stage, suggestion.to_stage) == (4, 5)
    assert suggestion.counts == {"helping_replies": 4, "peer_reply_span_days": 30}
    assert suggestion.evidence[0].detail == (
        "4 replies to newcomers (learners at stage 2 or below) since reaching stage 4 (needs 4)"
    )
    assert suggestion.evidence[1].detail == "Peer replies spread over 30 days (needs 28)"


def test_stages_are_climbed_in_order_and_may_be_skipped_in_one_suggestion(
    session: Session, cohort_id: int
) -> None:
    mid = add(session, cohort_id, "Sky Skipper")
    peers = [add(session, cohort_id, n) for n in ("Pat One", "Pia Two")]
    event(session, mid, EventKind.POST, at(1), thread="Week 1", words=120)
    for day, peer in ((2, peers[0]), (3, peers[1])):
        reply(session, mid, peer, day)
    suggestion = one(session, cohort_id, "Sky Skipper")
    assert (suggestion.from_stage, suggestion.to_stage) == (1, 3)
    assert [line.stage for line in suggestion.evidence] == [2, 3, 3]
    assert set(suggestion.counts) == {"posts", "peer_replies", "content_posts"}


def test_never_a_move_down(session: Session, cohort_id: int) -> None:
    mid = add(session, cohort_id, "Hal High")
    tracking.change_stage(session, mid, 4, "Spoke up at the live session", now=at(1))
    assert evidence.member_evidence(session, mid, on(60)).evidence_stage == 1
    assert suggested(session, cohort_id) == {}


def test_only_activity_up_to_the_day_counts(session: Session, cohort_id: int) -> None:
    mid = add(session, cohort_id, "Tia Timely")
    event(session, mid, EventKind.POST, at(10), thread="Week 2", words=80)
    assert suggested(session, cohort_id, 9) == {}
    assert suggested(session, cohort_id, 10) == {"Tia Timely": (1, 2)}


def test_staff_get_no_suggestions(session: Session, cohort_id: int, facilitator: int) -> None:
    mentor = add(session, cohort_id, "Max Mentor", Role.MENTOR)
    event(session, mentor, EventKind.POST, at(1), thread="Week 1", words=100)
    assert suggested(session, cohort_id) == {}
    with pytest.raises(KnownError, match="learners only"):
        evidence.member_evidence(session, mentor, on(60))
    with pytest.raises(NotFoundError):
        evidence.suggestions(session, 999, on(1))


# ---- accept and dismiss ---------------------------------------------------------------------


def test_accepting_records_the_change_with_its_evidence(session: Session, cohort_id: int) -> None:
    mid = add(session, cohort_id, "Ivy Intro")
    event(session, mid, EventKind.POST, at(2), thread="Introductions", words=40)
    suggestion = one(session, cohort_id, "Ivy Intro")
    change = evidence.accept_suggestion(session, suggestion, now=at(3)).value
    assert (change.from_stage, change.to_stage, change.source) == (
        1,
        2,
        StageChangeSource.SUGGESTION,
    )
    assert change.reason.startswith("Accepted suggestion: stage 1 → 2 (Online socialisation)")
    stored = session.scalars(select(StageChange).where(StageChange.id == change.id)).one()
    assert stored.evidence is not None
    assert json.loads(stored.evidence) == {
        "from_stage": 1,
        "to_stage": 2,
        "evidence": ["First own post on Wed 5 Mar (1 post in all)"],
        "counts": {"posts": 1},
    }
    assert suggested(session, cohort_id) == {}
    with pytest.raises(ConflictError, match="stage 2 now"):
        evidence.accept_suggestion(session, suggestion)


def test_a_dismissed_suggestion_returns_only_with_new_evidence(
    session: Session, cohort_id: int
) -> None:
    mid = add(session, cohort_id, "Dan Dismissed")
    peer = add(session, cohort_id, "Pat Peer")
    event(session, mid, EventKind.POST, at(2), thread="Week 1", words=15)
    evidence.dismiss_suggestion(session, one(session, cohort_id, "Dan Dismissed"), now=at(3))
    assert suggested(session, cohort_id) == {}
    event(session, mid, EventKind.LOGIN, at(4))
    event(session, mid, EventKind.VIEW, at(4), thread="Week 1")
    assert suggested(session, cohort_id) == {}, "reading is not new evidence for stage 2"
    event(session, mid, EventKind.POST, at(5), thread="Week 1", words=15)
    again = one(session, cohort_id, "Dan Dismissed")
    assert again.counts == {"posts": 2}
    evidence.dismiss_suggestion(session, again)
    assert suggested(session, cohort_id) == {}
    # Evidence for a higher stage is a different suggestion.
    event(session, mid, EventKind.POST, at(6), thread="Week 1", words=120)
    for day in (7, 8):
        reply(session, mid, peer, day)
    assert suggested(session, cohort_id)["Dan Dismissed"] == (1, 3)
    assert suggested(session, cohort_id, 5) == {}, "as of an earlier day, still dismissed"


def test_a_stale_suggestion_cannot_be_dismissed(session: Session, cohort_id: int) -> None:
    mid = add(session, cohort_id, "Sal Stale")
    event(session, mid, EventKind.POST, at(2), thread="Week 1", words=15)
    suggestion = one(session, cohort_id, "Sal Stale")
    tracking.change_stage(session, mid, 2, "Set by hand")
    with pytest.raises(ConflictError):
        evidence.dismiss_suggestion(session, suggestion)


# ---- ticks follow the staircase ------------------------------------------------------------

_COUNT = st.integers(min_value=0, max_value=12)


@given(
    events=_COUNT,
    posts=_COUNT,
    peer_replies=_COUNT,
    content_posts=_COUNT,
    two_way_peers=_COUNT,
    answered_threads=_COUNT,
    helping_replies=_COUNT,
    span_days=st.integers(min_value=0, max_value=60),
)
def test_no_rule_above_the_evidence_stage_is_ticked(
    events: int,
    posts: int,
    peer_replies: int,
    content_posts: int,
    two_way_peers: int,
    answered_threads: int,
    helping_replies: int,
    span_days: int,
) -> None:
    """Whatever the counts, a tick means its stage and all below it are complete."""
    first = at(0)
    facts = LearnerFacts(
        1,
        1,
        "Ana",
        "",
        3,
        AccessStatus.NOT_YET,
        events=events,
        posts=posts,
        peer_replies=peer_replies,
        content_posts=content_posts,
        two_way_peers=two_way_peers,
        answered_threads=answered_threads,
        helping_replies=helping_replies,
        first_peer_reply=first,
        last_peer_reply=first + timedelta(days=span_days),
    )
    lines = evidence.evidence_lines(facts, EvidenceThresholds(), UTC_ZONE, on(60))
    reached = evidence.evidence_stage(lines)
    assert all(line.stage <= reached for line in lines if line.met)
    assert all(line.met for line in lines if 1 < line.stage <= reached)
    assert all(line.reached == (line.value >= line.needed) for line in lines)


def stage_3_with_higher_numbers(rules_: EvidenceThresholds) -> LearnerFacts:
    """A learner at stage 3 whose numbers reach one stage-4 rule and both stage-5 rules."""
    return LearnerFacts(
        1,
        1,
        "Ana",
        "",
        3,
        AccessStatus.ACCESSED,
        events=40,
        posts=12,
        peer_replies=rules_.exchange_peer_replies + 5,
        content_posts=rules_.exchange_content_posts + 2,
        two_way_peers=rules_.construction_peers,  # one of stage 4's two rules
        answered_threads=0,
        helping_replies=rules_.development_helping_replies + 3,
        first_peer_reply=at(0),
        last_peer_reply=at(rules_.development_span_days + 5),
    )


def test_a_stage_3_learner_with_stage_5_numbers_has_no_tick_above_3() -> None:
    """The panel says "evidence up to stage 3": no stage 4 or 5 row may be ticked."""
    rules_ = EvidenceThresholds()
    facts = stage_3_with_higher_numbers(rules_)
    lines = evidence.evidence_lines(facts, rules_, UTC_ZONE, on(60))
    assert evidence.evidence_stage(lines) == 3
    above = [line for line in lines if line.stage > 3]
    assert [line.met for line in above] == [False] * 4
    assert {line.rule for line in above if line.reached} == {
        "two_way_peers",
        "helping_replies",
        "peer_reply_span_days",
    }
