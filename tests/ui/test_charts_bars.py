"""The dashboard's bar and line charts on hand-made data: the staircase, access and motivation,
weekly contributions, replies, the adopter curve, key numbers and the story, a member's weeks
and cohorts compared; what each draws, what its tooltips say and what a click selects."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from cohortdesk.core.enums import AccessStatus, EventKind
from cohortdesk.core.schemas.dashboard import ReplyWeek
from cohortdesk.ui.charts.adopters_chart import AdoptersChart
from cohortdesk.ui.charts.base import Selection, days_shown
from cohortdesk.ui.charts.compare_charts import CompareStagesChart, CompareWeeklyChart
from cohortdesk.ui.charts.contributions_chart import ContributionsChart
from cohortdesk.ui.charts.distribution_chart import ACCESS_ORDER, DistributionChart
from cohortdesk.ui.charts.key_numbers import KeyNumbersBar
from cohortdesk.ui.charts.member_activity_chart import MemberActivityChart
from cohortdesk.ui.charts.replies_chart import RepliesChart, replies_story
from cohortdesk.ui.charts.staircase_chart import StaircaseChart
from cohortdesk.ui.charts.story import story_lines
from tests.ui import dashboard_data as data
from tests.ui.charts_support import BOARD, LEARNERS, by_stage, click, hover, show

# ---- the staircase --------------------------------------------------------------------------


def staircase(qtbot: QtBot) -> StaircaseChart:
    card = StaircaseChart()
    card.set_data(BOARD.figures.stages, BOARD.stages_by_week, by_stage())
    show(qtbot, card)
    return card


def test_the_staircase_draws_learners_per_stage_now_and_week_by_week(qtbot: QtBot) -> None:
    card = staircase(qtbot)
    assert list(card.now_bars.opts["height"]) == [BOARD.figures.stages[n] for n in range(1, 6)]
    assert len(card.week_bars) == 5  # one stacked layer per stage
    stage_one = card.week_bars[0].opts["height"]
    assert list(stage_one) == [w.learners[1] for w in BOARD.stages_by_week]


def test_a_stage_bar_tells_its_numbers_and_selects_its_learners(
    qtbot: QtBot, tooltips: list[str]
) -> None:
    card = staircase(qtbot)
    text = hover(qtbot, card, card.now_plot, 1, 1)
    assert tooltips[-1] == text
    assert "1 · Access and motivation" in text
    assert f"<b>{BOARD.figures.stages[1]}</b>" in text
    assert "E-moderator" in text
    picked = click(qtbot, card, card.now_plot, 1, 1)
    assert picked == [Selection(tuple(by_stage()[1]), picked[0].description)]
    assert "stage 1" in picked[0].description


def test_a_week_of_the_staircase_lists_every_stage(qtbot: QtBot) -> None:
    card = staircase(qtbot)
    week = BOARD.stages_by_week[2]
    text = hover(qtbot, card, card.weeks_plot, week.week.number, 1)
    assert "Week 3 · from 21 Sep 2026" in text
    assert all(f"{n} · " in text for n in range(1, 6))
    assert click(qtbot, card, card.weeks_plot, week.week.number, 1) == []


# ---- access and motivation ------------------------------------------------------------------


def test_access_and_motivation_bars_select_their_learners(qtbot: QtBot) -> None:
    problem = [r.membership_id for r in LEARNERS if r.access is AccessStatus.PROBLEM]
    card = DistributionChart()
    card.set_data(BOARD.access, BOARD.motivation, 2, {AccessStatus.PROBLEM: problem}, {})
    show(qtbot, card)
    heights = list(card.access_bars.opts["height"])
    assert heights == [BOARD.access[s] for s in ACCESS_ORDER]
    assert list(card.motivation_bars.opts["height"]) == [BOARD.motivation[r] for r in range(6)]
    position = ACCESS_ORDER.index(AccessStatus.PROBLEM)
    assert "Access: Problem" in hover(qtbot, card, card.access_plot, position, 0.5)
    picked = click(qtbot, card, card.access_plot, position, 0.5)
    assert [p.membership_ids for p in picked] == [tuple(problem)]
    assert click(qtbot, card, card.motivation_plot, 3, 0.5) == []  # no ids given: no selection


# ---- weekly contributions -------------------------------------------------------------------


def contributions(qtbot: QtBot) -> ContributionsChart:
    card = ContributionsChart()
    card.set_data(BOARD.contributions_by_week, BOARD.heatmap, BOARD.weeks)
    show(qtbot, card)
    return card


def test_contributions_stack_by_kind_week_by_week(qtbot: QtBot) -> None:
    card = contributions(qtbot)
    assert card.kinds() == [EventKind.POST, EventKind.REPLY, EventKind.SHARE, EventKind.REACTION]
    expected = [sum(w.counts.values()) for w in BOARD.contributions_by_week]
    assert card.totals() == expected
    assert card.legend_texts() == ["Threads started", "Replies", "Shares", "Reactions"]
    week = BOARD.contributions_by_week[4]
    text = hover(qtbot, card, card.plot, 5, 1)
    assert f"<b>{week.counts[EventKind.REPLY]}</b>" in text
    assert f"<b>{sum(week.counts.values())}</b>" in text


def test_logins_and_views_are_stacked_only_on_request() -> None:
    weeks = data.weeks(2)
    from cohortdesk.core.schemas.dashboard import KindWeek

    by_week = [
        KindWeek(week=w, counts={EventKind.VIEW: 40, EventKind.POST: 3, EventKind.LOGIN: 9})
        for w in weeks
    ]
    card = ContributionsChart()
    card.set_data(by_week)
    assert card.kinds() == [EventKind.POST]
    card.passive_check.setChecked(True)
    assert card.kinds() == [EventKind.POST, EventKind.VIEW, EventKind.LOGIN]
    assert card.totals() == [52, 52]
    card.deleteLater()


def test_a_week_of_contributions_selects_who_was_active(qtbot: QtBot) -> None:
    card = contributions(qtbot)
    picked = click(qtbot, card, card.plot, 1, 1)
    active = {row.membership_id for row in BOARD.heatmap if row.counts[0] > 0}
    assert len(picked) == 1 and set(picked[0].membership_ids) == active
    assert picked[0].description == "members active in week 1"


def test_a_week_the_range_cuts_short_is_said_and_faded(qtbot: QtBot) -> None:
    last = BOARD.weeks[-1]
    assert days_shown(last, end=last.starts) == 1
    card = ContributionsChart()
    card.set_data(BOARD.contributions_by_week, BOARD.heatmap, BOARD.weeks, end=last.starts)
    show(qtbot, card)
    assert "1 of 7 days so far" in hover(qtbot, card, card.plot, last.number, 1)
    brushes = card.bars[EventKind.REPLY].opts["brushes"]
    assert brushes[-1].alpha() < brushes[0].alpha()


# ---- replies --------------------------------------------------------------------------------


def test_peer_replies_and_replies_to_staff_per_week(qtbot: QtBot) -> None:
    card = RepliesChart()
    card.set_data(BOARD.replies_by_week)
    show(qtbot, card)
    _x, peer = card.peer_curve.getData()
    assert list(peer) == [w.peer_replies for w in BOARD.replies_by_week]
    _x, staff = card.staff_curve.getData()
    assert list(staff) == [w.replies_to_staff for w in BOARD.replies_by_week]
    text = hover(qtbot, card, card.plot, 2, 5)
    assert "Peer replies" in text and "<b>6</b>" in text and "<b>11</b>" in text
    assert "since week 4" in card.notes()


def test_the_replies_story_says_who_the_cohort_answers() -> None:
    assert replies_story([]) == "No replies yet"
    assert "facilitator" in replies_story(list(reversed(BOARD.replies_by_week[:2])))


@pytest.mark.parametrize(
    ("replies", "said"),
    [
        # Slack, 2016: peers only, with silent weeks between
        ([(2, 0), (0, 0), (0, 0), (6, 0), (0, 0), (2, 0), (0, 0), (4, 0)], "talks to itself"),
        ([(0, 0), (1, 3), (0, 0), (4, 1), (0, 0), (5, 2)], "since week 4"),
        ([(0, 0), (0, 2), (3, 1), (0, 0)], "since week 3"),
    ],
)
def test_a_week_without_replies_does_not_break_the_run(
    replies: list[tuple[int, int]], said: str
) -> None:
    """A week nobody replied in is neither the peers' nor the staff's: it is not where the
    peers took over."""
    weeks = data.weeks(len(replies))
    story = replies_story(
        [
            ReplyWeek(week=week, peer_replies=peer, replies_to_staff=staff)
            for week, (peer, staff) in zip(weeks, replies, strict=True)
        ]
    )
    assert said in story, story


# ---- the adopter curve ----------------------------------------------------------------------


def test_the_adopter_curve_against_rogers(qtbot: QtBot) -> None:
    card = AdoptersChart()
    card.set_data(BOARD.adopters, BOARD.not_yet_contributing, [110, 111, 115])
    show(qtbot, card)
    counts = [len(g.membership_ids) for g in BOARD.adopters]
    assert list(card.bars.opts["height"]) == [*counts, 3]
    total = sum(counts)
    assert card.expected() == pytest.approx([g.share * total for g in BOARD.adopters])
    text = hover(qtbot, card, card.plot, 2, 0.5)
    assert "Early majority" in text and "34%" in text
    picked = click(qtbot, card, card.plot, 2, 0.5)
    assert picked[0].membership_ids == tuple(BOARD.adopters[2].membership_ids)
    not_yet = click(qtbot, card, card.plot, len(BOARD.adopters) + 0.3, 0.5)
    assert not_yet[0].membership_ids == (110, 111, 115)


# ---- key numbers and the story --------------------------------------------------------------


def test_key_numbers(qtbot: QtBot) -> None:
    bar = KeyNumbersBar()
    qtbot.addWidget(bar)
    bar.set_numbers(BOARD.figures)
    values = bar.values()
    numbers = BOARD.figures
    assert values["learners"] == str(numbers.learners)
    assert values["median"] == "4"
    share = numbers.peer_replies / (numbers.peer_replies + numbers.replies_to_staff)
    assert values["peer"] == f"{share * 100:.0f}%"
    bar.set_numbers(None)
    assert set(bar.values().values()) == {"—"}


def test_the_story_says_who_is_stuck_isolated_quiet_and_dominant() -> None:
    lines = story_lines(BOARD.findings)
    texts = [line.text for line in lines]
    stuck = next(line for line in lines if "still at stage 1" in line.text)
    assert set(stuck.membership_ids) == set(by_stage()[1]) and stuck.alert
    assert "not in yet" in stuck.text and "access problem" in stuck.text
    assert any("isolated" in t and "Ivan Petrov" in t for t in texts)
    dominant = next(line for line in lines if "dominates" in line.text)
    assert dominant.who == "Milo Novak"
    assert any("went quiet" in t and "Elena Ruiz" in t for t in texts)
    assert any("low motivation" in t for t in texts)
    assert "stage 3 and up" in texts[-1]


# ---- member activity and compare ------------------------------------------------------------


def test_a_members_weeks_with_their_stage_changes(qtbot: QtBot) -> None:
    from datetime import UTC, datetime

    from cohortdesk.core.enums import StageChangeSource
    from cohortdesk.core.schemas import StageChangeRow

    moved = StageChangeRow(
        id=1,
        from_stage=2,
        to_stage=3,
        changed_at=datetime(2026, 9, 23, 10, tzinfo=UTC),
        reason="",
        source=StageChangeSource.MANUAL,
    )
    joined = moved.model_copy(update={"id": 2, "from_stage": None, "to_stage": 2})
    card = MemberActivityChart()
    card.set_data(data.member_activity(), [moved, joined], "Europe/London")
    show(qtbot, card, 420)
    assert set(card.bars) == {EventKind.POST, EventKind.REPLY, EventKind.REACTION, EventKind.VIEW}
    assert [stage for _x, stage in card.stage_markers()] == [3]  # joining is no move
    x, _stage = card.stage_markers()[0]
    assert 2.5 <= x < 3.5  # 23 Sep is in week 3 (from 21 Sep)
    text = hover(qtbot, card, card.plot, 3, 1)
    assert "Moved to stage 3" in text and "<b>5</b>" in text


def test_cohorts_compared_side_by_side(qtbot: QtBot) -> None:
    comparison = data.comparison()
    stages = CompareStagesChart()
    stages.set_data(comparison)
    show(qtbot, stages)
    assert len(stages.bars) == 2
    assert list(stages.bars[0].opts["height"])[2] == pytest.approx(6 / 18 * 100)
    assert stages.legend_texts() == ["Spring 2026", "Autumn 2026"]
    text = hover(qtbot, stages, stages.plot, 3, 5)
    assert "6 of 18" in text and "2 of 13" in text
    stages.close()
    weekly = CompareWeeklyChart()
    weekly.set_data(comparison)
    show(qtbot, weekly)
    assert len(weekly.curves) == 2
    assert "—" in hover(qtbot, weekly, weekly.plot, 8, 1)  # the autumn cohort has 6 weeks


def test_a_compared_cohort_s_week_not_yet_whole_is_drawn_hollow_and_dashed(qtbot: QtBot) -> None:
    """The autumn cohort is three days into its week 6: its line stops at week 5, and a dashed
    step leads to a hollow point the tooltip says is three days' worth."""
    whole = data.comparison()
    spring, autumn = whole.cohorts
    comparison = whole.model_copy(
        update={"cohorts": [spring, autumn.model_copy(update={"last_week_days": 3})]}
    )
    weekly = CompareWeeklyChart()
    weekly.set_data(comparison)
    show(qtbot, weekly)
    solid = [list(curve.getData()[0]) for curve in weekly.curves]
    assert solid == [list(range(1, 9)), list(range(1, 6))]
    (partial,) = weekly.partial_weeks
    xs, ys = partial.getData()
    assert (list(xs), list(ys)) == ([5, 6], autumn.weekly_per_learner[4:])
    assert partial.opts["pen"].style() == Qt.PenStyle.DashLine
    brushes = [pg.mkBrush(brush).color() for brush in partial.opts["symbolBrush"]]
    assert brushes == [weekly.theme.series(1), weekly.theme.background]  # hollow: the last
    assert "3 of 7 days" in hover(qtbot, weekly, weekly.plot, 6, 1)
    assert "of 7 days" not in (weekly.hover_text(weekly.plot, QPointF(5, 1)) or "")
    weekly.set_data(whole)  # whole weeks again: no dashed step left behind
    assert weekly.partial_weeks == [] and len(weekly.curves[1].getData()[0]) == 6
    # a cohort in its first days: no whole week yet, only the hollow point
    first_days = autumn.model_copy(update={"weekly_per_learner": [0.8], "last_week_days": 2})
    weekly.set_data(whole.model_copy(update={"cohorts": [spring, first_days]}))
    xs = weekly.curves[1].getData()[0]
    assert xs is None or len(xs) == 0
    assert [list(item.getData()[0]) for item in weekly.partial_weeks] == [[1]]
