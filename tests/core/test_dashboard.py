"""The dashboards' figures: exact on a small cohort built by hand, and the demo's story."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from cohortdesk.core.demo.build import DemoSpec, create_demo
from cohortdesk.core.enums import AccessStatus, EventKind, Role, StageChangeSource
from cohortdesk.core.errors import KnownError, NotFoundError
from cohortdesk.core.schemas import CohortRow, MemberInput
from cohortdesk.core.schemas.dashboard import CohortDashboard
from cohortdesk.core.schemas.report import FindingKind
from cohortdesk.core.services.activity import participation
from cohortdesk.core.services.dashboards import dashboard
from cohortdesk.core.services.dashboards.story import sentence
from cohortdesk.core.services.people import members, tracking
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.db import Database
from tests.core.builders import add, event, make_cohort
from tests.core.test_rollups import assert_consistent

START = date(2025, 3, 3)  # a Monday
AS_OF = date(2025, 3, 19)  # Wednesday of week 3


def at(day: int, hour: int = 10) -> datetime:
    """`hour` o'clock (UTC, the cohort's zone) on `day` March 2025."""
    return datetime(2025, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def spring(db: Database) -> dict[str, int]:
    """Fay facilitates Ann, Bob, Cai, Dee (never active, access problem) and Eve (joined late).

    Replies: Ann->Fay, Bob->Ann, Fay->Bob (week 1); Bob->Ann, Ann->Bob (week 2); Cai->Fay
    (week 3); Ann posts again the day after the range ends.
    """
    with db.write() as s:
        cohort = make_cohort(s, start_date=START)
        ids = {
            "cohort": cohort.id,
            "fay": add(s, cohort.id, "Fay Tutor", Role.FACILITATOR),
            "ann": add(s, cohort.id, "Ann Lee"),
            "bob": add(s, cohort.id, "Bob Marsh"),
            "cai": add(s, cohort.id, "Cai Nunes"),
            "dee": add(s, cohort.id, "Dee Okoro"),
        }
        ids["eve"] = members.add_member(
            s,
            cohort.id,
            MemberInput(full_name="Eve Park", email="eve@example.org"),
            joined_on=date(2025, 3, 12),
            now=at(12, 9),
        ).value
        event(s, ids["fay"], EventKind.POST, at(3), words=200)
        event(s, ids["ann"], EventKind.REPLY, at(3, 12), to=ids["fay"], words=80)
        event(s, ids["bob"], EventKind.REPLY, at(4, 9), to=ids["ann"])
        event(s, ids["ann"], EventKind.VIEW, at(4))
        event(s, ids["fay"], EventKind.REPLY, at(5), to=ids["bob"])
        event(s, ids["ann"], EventKind.POST, at(10))
        event(s, ids["bob"], EventKind.REPLY, at(11), to=ids["ann"])
        event(s, ids["ann"], EventKind.REPLY, at(11, 11), to=ids["bob"])
        event(s, ids["cai"], EventKind.LOGIN, at(12))
        event(s, ids["cai"], EventKind.VIEW, at(12, 11))
        event(s, ids["cai"], EventKind.REPLY, at(17), to=ids["fay"])
        event(s, ids["bob"], EventKind.LOGIN, at(19, 8))
        event(s, ids["ann"], EventKind.POST, at(20))  # after the range
        tracking.change_stage(s, ids["ann"], 2, "Introduced herself", now=at(4, 9))
        tracking.change_stage(s, ids["ann"], 3, "Replies to peers", now=at(12, 9))
        tracking.change_stage(
            s, ids["bob"], 2, "First post", source=StageChangeSource.SUGGESTION, now=at(11, 12)
        )
        tracking.add_motivation(s, ids["ann"], 4, checked_on=date(2025, 3, 7))
        tracking.add_motivation(s, ids["ann"], 5, checked_on=date(2025, 3, 14))
        tracking.add_motivation(s, ids["bob"], 3, checked_on=date(2025, 3, 7))
        tracking.add_motivation(s, ids["dee"], 2, checked_on=date(2025, 3, 21))  # after the end
        tracking.open_access_issue(s, ids["dee"], "Cannot log in", now=at(5))
    return ids


@pytest.fixture
def board(db: Database, spring: dict[str, int]) -> CohortDashboard:
    with db.read() as s:
        return dashboard.cohort_dashboard(s, spring["cohort"], as_of=AS_OF)


def test_range_and_weeks(board: CohortDashboard) -> None:
    assert (board.cohort_name, board.start, board.end) == ("Spring cohort", START, AS_OF)
    assert [(w.number, w.starts) for w in board.weeks] == [
        (1, date(2025, 3, 3)),
        (2, date(2025, 3, 10)),
        (3, date(2025, 3, 17)),
    ]


def test_stages_access_and_motivation(board: CohortDashboard) -> None:
    assert board.figures.stages == {1: 3, 2: 1, 3: 1, 4: 0, 5: 0}
    # Eve counts from the day she joined; Ann climbs in weeks 1 and 2, Bob in week 2.
    assert [w.learners for w in board.stages_by_week] == [
        {1: 3, 2: 1, 3: 0, 4: 0, 5: 0},
        {1: 3, 2: 1, 3: 1, 4: 0, 5: 0},
        {1: 3, 2: 1, 3: 1, 4: 0, 5: 0},
    ]
    assert board.access == {
        AccessStatus.NOT_YET: 1,
        AccessStatus.ACCESSED: 3,
        AccessStatus.PROBLEM: 1,
    }
    # Ann's latest check-in is 5; Dee's came after the end of the range.
    assert board.motivation == {0: 3, 1: 0, 2: 0, 3: 1, 4: 0, 5: 1}


def test_weekly_contributions_heatmap_and_replies(board: CohortDashboard) -> None:
    weekly = [{k.value: n for k, n in w.counts.items() if n} for w in board.contributions_by_week]
    assert weekly == [
        {"post": 1, "reply": 3, "view": 1},
        {"post": 1, "reply": 2, "login": 1, "view": 1},
        {"reply": 1, "login": 1},
    ]
    assert all(set(w.counts) == set(EventKind) for w in board.contributions_by_week)
    assert [(r.name, r.role, r.stage, r.counts) for r in board.heatmap] == [
        ("Fay Tutor", Role.FACILITATOR, 1, [2, 0, 0]),
        ("Ann Lee", Role.LEARNER, 3, [2, 2, 0]),
        ("Bob Marsh", Role.LEARNER, 2, [1, 1, 1]),
        ("Cai Nunes", Role.LEARNER, 1, [0, 2, 1]),
        ("Dee Okoro", Role.LEARNER, 1, [0, 0, 0]),
        ("Eve Park", Role.LEARNER, 1, [0, 0, 0]),
    ]
    assert [(w.peer_replies, w.replies_to_staff) for w in board.replies_by_week] == [
        (1, 1),
        (2, 0),
        (0, 1),
    ]


def test_reply_network(board: CohortDashboard, spring: dict[str, int], db: Database) -> None:
    network = board.network
    with db.read() as s:
        person = {
            name: members.require_membership(s, spring[name]).person_id
            for name in spring
            if name != "cohort"
        }
    name_of = {p: n for n, p in person.items()}
    assert sorted((name_of[e.source], name_of[e.target], e.count) for e in network.edges) == [
        ("ann", "bob", 1),
        ("ann", "fay", 1),
        ("bob", "ann", 2),
        ("cai", "fay", 1),
        ("fay", "bob", 1),
    ]
    nodes = {name_of[n.person_id]: n for n in network.nodes}
    assert {k: (n.activity, n.in_degree, n.out_degree, n.isolated) for k, n in nodes.items()} == {
        "fay": (2, 2, 1, False),
        "ann": (3, 1, 2, False),
        "bob": (2, 2, 1, False),
        "cai": (1, 0, 1, False),
        "dee": (0, 0, 0, True),
        "eve": (0, 0, 0, True),
    }
    assert nodes["fay"].role is Role.FACILITATOR and nodes["ann"].membership_id == spring["ann"]
    assert network.reciprocity == pytest.approx(0.25)  # Ann and Bob, of four pairs
    assert network.staff_share == pytest.approx(0.5)
    assert not network.facilitator_centred
    assert [(f.kind, [p.name for p in f.people], f.numbers) for f in network.findings] == [
        (FindingKind.ISOLATED, ["Dee Okoro", "Eve Park"], {}),
        (FindingKind.LEARNERS_ANSWER_EACH_OTHER, [], {"learner_share": 0.5}),
        (FindingKind.DOMINANT, ["Ann Lee"], {"share": 0.5, "posts": 3, "all_posts": 6}),
        (FindingKind.RECIPROCITY, [], {"share": 0.25}),
    ]
    assert [sentence(f) for f in network.findings] == [
        "2 learners isolated in the reply network, with no reply sent or received "
        "(Dee Okoro and Eve Park)",
        "Learners answer each other: 50% of replies are between learners",
        "Ann Lee dominates: 50% of all learners' posts (3 of 6)",
        "25% of the pairs who exchange replies answer each other both ways",
    ]


def test_adopters_and_key_numbers(board: CohortDashboard, spring: dict[str, int]) -> None:
    assert [(g.category, g.share, g.names) for g in board.adopters] == [
        ("Innovators", 0.025, ["Ann Lee"]),
        ("Early adopters", 0.135, []),
        ("Early majority", 0.34, ["Bob Marsh"]),
        ("Late majority", 0.34, ["Cai Nunes"]),
        ("Laggards", 0.16, []),
    ]
    assert board.adopters[0].membership_ids == [spring["ann"]]
    assert board.not_yet_contributing == ["Dee Okoro", "Eve Park"]
    key = board.figures
    assert (key.learners, key.active_last_7_days) == (5, 2)  # Bob and Cai since 13 March
    assert key.median_replies_per_learner == 1.0  # 2, 2, 1, 0, 0
    assert key.share_at_stage_3_or_above == pytest.approx(0.2)
    assert (key.peer_replies, key.replies_to_staff) == (3, 2)
    # every member's: Fay's post and Ann's, and the six replies up to 19 March
    assert (key.threads, key.replies, key.posts) == (2, 6, 8)


def test_a_range_in_the_middle(db: Database, spring: dict[str, int]) -> None:
    with db.read() as s:
        board = dashboard.cohort_dashboard(
            s, spring["cohort"], start=date(2025, 3, 10), end=date(2025, 3, 16)
        )
    assert [w.number for w in board.weeks] == [2]
    assert {r.name: r.counts for r in board.heatmap}["Ann Lee"] == [2]
    assert [(w.peer_replies, w.replies_to_staff) for w in board.replies_by_week] == [(2, 0)]
    # First contributions before the range still count: Ann stays the innovator.
    assert board.adopters[0].names == ["Ann Lee"]
    assert board.figures.active_last_7_days == 3
    assert len(board.network.edges) == 2


def test_a_cohort_without_activity_or_start_date(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s, "Empty")
        add(s, cohort.id, "Ann Lee")
    with db.read() as s:
        board = dashboard.cohort_dashboard(s, cohort.id, as_of=AS_OF)
    assert [(w.number, w.starts) for w in board.weeks] == [(1, AS_OF)]
    assert [f.kind for f in board.network.findings] == [FindingKind.NO_REPLIES_YET]
    assert board.not_yet_contributing == ["Ann Lee"]
    assert [g.names for g in board.adopters] == [[], [], [], [], []]
    assert board.figures.median_replies_per_learner == 0.0


def test_bad_requests(db: Database, spring: dict[str, int]) -> None:
    with db.read() as s:
        with pytest.raises(NotFoundError):
            dashboard.cohort_dashboard(s, 404)
        with pytest.raises(NotFoundError):
            dashboard.member_activity(s, 404)
        with pytest.raises(KnownError, match="after it ends"):
            dashboard.cohort_dashboard(
                s, spring["cohort"], start=date(2025, 3, 19), end=date(2025, 3, 3)
            )


def test_member_activity_and_sparklines(db: Database, spring: dict[str, int]) -> None:
    with db.read() as s:
        ann = dashboard.member_activity(s, spring["ann"], as_of=AS_OF)
        lines = dashboard.roster_sparklines(s, spring["cohort"], weeks=2, as_of=AS_OF)
    assert [w.number for w in ann.weeks] == [1, 2, 3]
    assert ann.counts == [2, 2, 0]
    assert {k.value: v for k, v in ann.by_kind.items() if any(v)} == {
        "post": [0, 1, 0],
        "reply": [1, 1, 0],
        "view": [1, 0, 0],
    }
    # the seven days to 12 March, then the seven to 19 March
    assert lines == {
        spring["fay"]: [0, 0],
        spring["ann"]: [2, 0],
        spring["bob"]: [1, 1],
        spring["cai"]: [2, 1],
        spring["dee"]: [0, 0],
        spring["eve"]: [0, 0],
    }


def test_compare_cohorts_by_week_of_cohort(db: Database, spring: dict[str, int]) -> None:
    with db.write() as s:
        autumn = make_cohort(s, "Autumn", start_date=date(2025, 3, 10))
        gus = add(s, autumn.id, "Gus Hale")
        add(s, autumn.id, "Hal Ito")
        event(s, gus, EventKind.POST, at(10))
        event(s, gus, EventKind.POST, at(18))
        event(s, gus, EventKind.VIEW, at(18))  # activity, not a contribution
    with db.read() as s:
        ids = [spring["cohort"], autumn.id]
        both = dashboard.compare_cohorts(s, ids, as_of=dict.fromkeys(ids, AS_OF))
    assert both.weeks == 3
    spring_series, autumn_series = both.cohorts
    assert (spring_series.cohort_name, spring_series.learners) == ("Spring cohort", 5)
    assert spring_series.weekly_per_learner == pytest.approx([0.4, 0.6, 0.2])
    assert spring_series.stages_now == {1: 3, 2: 1, 3: 1, 4: 0, 5: 0}
    assert (autumn_series.learners, autumn_series.weekly_per_learner) == (2, [0.5, 0.5])
    # judged on a Wednesday: each cohort's current week has had three of its days
    assert (spring_series.last_week_days, autumn_series.last_week_days) == (3, 3)


@pytest.mark.parametrize("days", range(1, 8))
def test_a_compared_cohort_says_how_much_of_its_last_week_is_in(
    db: Database, spring: dict[str, int], days: int
) -> None:
    """A running cohort's current week is not yet whole: drawn as a whole week it would
    read as a fall in contributions (the demo's line dropped in its current week)."""
    as_of = START + timedelta(weeks=2, days=days - 1)
    with db.read() as s:
        compared = dashboard.compare_cohorts(s, [spring["cohort"]], {spring["cohort"]: as_of})
    (series,) = compared.cohorts
    assert len(series.weekly_per_learner) == 3
    assert series.last_week_days == days


# ---- the demo cohort tells its story --------------------------------------------------------

END = date(2025, 3, 14)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, CohortRow]]:
    folder: Path = tmp_path_factory.mktemp("demo-dashboard")
    database = Database(f"sqlite:///{folder / 'demo.sqlite'}")
    migrate.upgrade(database)
    with database.write() as s:
        cohort = create_demo(s, DemoSpec(end=END))
    yield database, cohort
    database.dispose()


@pytest.fixture(scope="module")
def demo_board(demo: tuple[Database, CohortRow]) -> CohortDashboard:
    database, cohort = demo
    with database.read() as s:
        return dashboard.cohort_dashboard(s, cohort.id, as_of=END)


def _roster(demo: tuple[Database, CohortRow]) -> list[participation.MemberRow]:
    database, cohort = demo
    with database.read() as s:
        return participation.roster(s, cohort.id)


def test_the_demo_has_its_rollups(demo: tuple[Database, CohortRow]) -> None:
    assert_consistent(demo[0])


def test_the_demo_names_who_is_isolated(
    demo: tuple[Database, CohortRow], demo_board: CohortDashboard
) -> None:
    silent = {
        r.name
        for r in _roster(demo)
        if r.role is Role.LEARNER and r.threads == 0 and r.replies == 0
    }
    isolated = {n.name for n in demo_board.network.nodes if n.isolated}
    assert isolated == silent and len(silent) >= 4  # never in, blocked, lurker, reader
    assert set(demo_board.not_yet_contributing) == silent
    finding = demo_board.network.findings[0]
    assert finding.kind is FindingKind.ISOLATED
    assert {p.name for p in finding.people} == silent
    assert all(name in sentence(finding) for name in silent)


def test_the_demo_names_its_dominant_voice(
    demo: tuple[Database, CohortRow], demo_board: CohortDashboard
) -> None:
    learners = [r for r in _roster(demo) if r.role is Role.LEARNER]
    loudest = max(learners, key=lambda r: r.threads + r.replies)
    assert any(
        f.kind is FindingKind.DOMINANT and f.people[0].name == loudest.name
        for f in demo_board.network.findings
    )
    node = next(n for n in demo_board.network.nodes if n.name == loudest.name)
    others = [
        n.activity
        for n in demo_board.network.nodes
        if n.role is Role.LEARNER and n.name != loudest.name
    ]
    assert node.activity >= 3 * max(others)  # the biggest learner's node, by far


def test_the_demo_is_learner_centred_with_the_facilitator_marked(
    demo_board: CohortDashboard,
) -> None:
    network = demo_board.network
    assert not network.facilitator_centred  # learners mostly answer each other
    assert any(f.kind is FindingKind.LEARNERS_ANSWER_EACH_OTHER for f in network.findings)
    assert 0.2 < network.staff_share < 0.5
    assert [n.role for n in network.nodes[:3]] == [Role.FACILITATOR, Role.MENTOR, Role.MENTOR]
    key = demo_board.figures
    assert key.peer_replies > 2 * key.replies_to_staff


def test_the_demo_shows_who_is_stuck_where_and_who_went_quiet(
    demo: tuple[Database, CohortRow], demo_board: CohortDashboard
) -> None:
    assert demo_board.stages_by_week[-1].learners == demo_board.figures.stages
    assert all(n > 0 for n in demo_board.figures.stages.values())  # all five stages
    first = demo_board.stages_by_week[0].learners
    assert first[3] == first[4] == first[5] == 0  # the staircase is climbed over the weeks
    assert demo_board.access[AccessStatus.PROBLEM] == 1
    assert demo_board.access[AccessStatus.NOT_YET] >= 2
    rows = {r.name: r for r in demo_board.heatmap if r.role is Role.LEARNER}
    quiet = [r for r in rows.values() if sum(r.counts[:-3]) > 20 and sum(r.counts[-3:]) == 0]
    late = [r for r in rows.values() if r.counts[0] == 0 and sum(r.counts[-3:]) > 0]
    assert quiet and late  # who went quiet, and who joined late, show in the heatmap
    assert demo_board.figures.learners == len(rows)
    assert sum(len(g.names) for g in demo_board.adopters) + len(
        demo_board.not_yet_contributing
    ) == len(rows)


def test_the_demo_member_view(demo: tuple[Database, CohortRow]) -> None:
    database, cohort = demo
    with database.read() as s:
        lines = dashboard.roster_sparklines(s, cohort.id, as_of=END)
        busiest = max(lines, key=lambda mid: (sum(lines[mid]), mid))
        activity = dashboard.member_activity(s, busiest, as_of=END)
        events = participation.roster_row(s, busiest).events
    assert len(lines) == 24 and all(len(v) == 8 for v in lines.values())
    assert sum(activity.counts) == events  # every event of theirs, in some week
    assert activity.counts == [
        sum(series[n] for series in activity.by_kind.values()) for n in range(len(activity.weeks))
    ]


def test_days_are_local_to_the_cohort(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s, "Tokyo", timezone="Asia/Tokyo", start_date=date(2025, 3, 3))
        ann = add(s, cohort.id, "Ann Lee")
        # 23:30 UTC on Sunday 9 March is 08:30 on Monday 10 March in Tokyo: week 2
        event(s, ann, EventKind.POST, datetime(2025, 3, 9, 23, 30, tzinfo=UTC))
    with db.read() as s:
        board = dashboard.cohort_dashboard(s, cohort.id, as_of=date(2025, 3, 12))
    assert {r.name: r.counts for r in board.heatmap}["Ann Lee"] == [0, 1]
    assert board.weeks[1].starts == date(2025, 3, 3) + timedelta(weeks=1)
