"""Each dashboard chart on hand-made data: what it draws, what its tooltips say, what a click
selects, how it exports, and that it follows a dark palette."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from cohortdesk.core.models import AccessStatus, EventKind, Role
from cohortdesk.ui.charts import chart_export
from cohortdesk.ui.charts.adopters_chart import AdoptersChart
from cohortdesk.ui.charts.base import ChartCard, Selection, days_shown
from cohortdesk.ui.charts.compare_charts import CompareStagesChart, CompareWeeklyChart
from cohortdesk.ui.charts.contributions_chart import ContributionsChart
from cohortdesk.ui.charts.distribution_chart import ACCESS_ORDER, DistributionChart
from cohortdesk.ui.charts.heatmap_chart import HeatmapChart, heatmap_order, went_quiet
from cohortdesk.ui.charts.key_numbers import KeyNumbersBar
from cohortdesk.ui.charts.member_activity_chart import MemberActivityChart
from cohortdesk.ui.charts.network_chart import NetworkChart
from cohortdesk.ui.charts.network_layout import ISOLATED_RADIUS, network_layout
from cohortdesk.ui.charts.replies_chart import RepliesChart, replies_story
from cohortdesk.ui.charts.sparkline_delegate import SparklineDelegate, bar_rects
from cohortdesk.ui.charts.sparkline_delegate import went_quiet as sparkline_quiet
from cohortdesk.ui.charts.staircase_chart import StaircaseChart
from cohortdesk.ui.charts.story import cohort_story
from cohortdesk.ui.charts.theme import dark_palette, theme_for
from cohortdesk.ui.models.roster_model import (
    COL_ACTIVITY,
    SORT_ROLE,
    SPARKLINE_ROLE,
    RosterModel,
)
from tests.ui import dashboard_data as data

BOARD = data.make_dashboard()
ROWS = data.member_rows()
LEARNERS = [r for r in ROWS if r.role is Role.LEARNER]


@pytest.fixture(autouse=True)
def tooltips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Tooltips shown (the headless platform cannot raise a real one without a warning)."""
    shown: list[str] = []
    monkeypatch.setattr(QToolTip, "showText", lambda _pos, text, *_args: shown.append(text))
    monkeypatch.setattr(QToolTip, "hideText", lambda: None)
    return shown


def show(qtbot: QtBot, card: ChartCard, width: int = 640) -> ChartCard:
    qtbot.addWidget(card)
    card.resize(width, card.sizeHint().height())
    card.show()
    qtbot.waitExposed(card)
    QApplication.processEvents()
    return card


def hover(qtbot: QtBot, card: ChartCard, plot: Any, x: float, y: float) -> str:
    """Move the mouse over a data point; what the tooltip says."""
    qtbot.mouseMove(card.view.viewport(), card.widget_position(plot, x, y))
    QApplication.processEvents()
    return card.last_tooltip


def click(qtbot: QtBot, card: ChartCard, plot: Any, x: float, y: float) -> list[Selection]:
    """Click a data point; the selections the card announced."""
    picked: list[Selection] = []
    card.members_selected.connect(picked.append)
    qtbot.mouseClick(
        card.view.viewport(), Qt.MouseButton.LeftButton, pos=card.widget_position(plot, x, y)
    )
    return picked


def by_stage() -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for row in LEARNERS:
        groups.setdefault(row.stage, []).append(row.membership_id)
    return groups


# ---- the staircase --------------------------------------------------------------------------


def staircase(qtbot: QtBot) -> StaircaseChart:
    card = StaircaseChart()
    card.set_data(BOARD.stages_now, BOARD.stages_by_week, by_stage())
    show(qtbot, card)
    return card


def test_the_staircase_draws_learners_per_stage_now_and_week_by_week(qtbot: QtBot) -> None:
    card = staircase(qtbot)
    assert list(card.now_bars.opts["height"]) == [BOARD.stages_now[n] for n in range(1, 6)]
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
    assert f"<b>{BOARD.stages_now[1]}</b>" in text
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
    card.set_data(BOARD.access, BOARD.motivation, {AccessStatus.PROBLEM: problem}, {})
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
    from cohortdesk.core.dashboard_schemas import KindWeek

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


# ---- the heatmap ----------------------------------------------------------------------------


def test_the_heatmap_is_one_image_grouped_by_stage(qtbot: QtBot) -> None:
    card = HeatmapChart()
    card.set_data(BOARD.heatmap, BOARD.weeks)
    show(qtbot, card)
    image = card.image.image
    assert image.shape == (len(BOARD.heatmap), len(BOARD.weeks), 4)
    rows = card.rows()
    learners = [r for r in rows if r.role is Role.LEARNER]
    assert [r.stage for r in learners] == sorted(r.stage for r in learners)
    assert all(r.role is not Role.LEARNER for r in rows[len(learners) :])  # staff last
    # silent weeks share one colour; the busiest cell is the strongest
    counts = card.counts()
    silent = image[counts == 0]
    assert (silent == silent[0]).all()
    busiest = np.unravel_index(np.argmax(counts), counts.shape)
    assert tuple(image[busiest][:3]) != tuple(silent[0][:3])


def test_a_heatmap_cell_tells_its_count_and_selects_its_member(qtbot: QtBot) -> None:
    card = HeatmapChart()
    card.set_data(BOARD.heatmap, BOARD.weeks)
    show(qtbot, card)
    row = next(i for i, r in enumerate(card.rows()) if r.name == "Milo Novak")
    centre = card.cell_centre(row, 3)
    text = hover(qtbot, card, card.plot, centre.x(), centre.y())
    assert "Milo Novak" in text and "22 actions" in text and "Week 4" in text
    picked = click(qtbot, card, card.plot, centre.x(), centre.y())
    assert [p.membership_ids for p in picked] == [(card.rows()[row].membership_id,)]


def test_who_went_quiet_is_said_above_the_heatmap(qtbot: QtBot) -> None:
    quiet = went_quiet(BOARD.heatmap, BOARD.weeks)
    assert [r.name for r in quiet] == ["Elena Ruiz"]
    card = HeatmapChart()
    card.set_data(BOARD.heatmap, BOARD.weeks)
    show(qtbot, card)
    assert "Went quiet" in card.notes() and "Elena Ruiz" in card.notes()
    # a week cut short by the range (the current one) does not count as silence
    row = BOARD.heatmap[4].model_copy(update={"counts": [3, 3, 3, 3, 3, 3, 0, 0]})
    assert went_quiet([row], BOARD.weeks) == [row]
    assert went_quiet([row], BOARD.weeks, end=BOARD.weeks[-1].starts) == []


def test_five_thousand_members_draw_as_one_image_quickly(qtbot: QtBot) -> None:
    rows = data.big_heatmap(5000, 9)
    card = HeatmapChart()
    show(qtbot, card)
    started = time.perf_counter()
    card.set_data(rows, data.weeks(9))
    QApplication.processEvents()
    elapsed = time.perf_counter() - started
    assert card.image.image.shape[:2] == (5000, 9)
    images = [i for i in card.plot.items if i.__class__.__name__ == "ImageItem"]
    assert len(images) == 2  # the cells and the stage strip
    assert len(card.plot.items) < 20  # group borders, not one item per member
    assert elapsed < 2.0, elapsed
    assert heatmap_order(rows)[0].stage == 1


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


# ---- the reply network ----------------------------------------------------------------------


def network(qtbot: QtBot) -> NetworkChart:
    card = NetworkChart()
    card.set_data(BOARD.network)
    show(qtbot, card)
    return card


def test_the_network_draws_every_member_and_says_its_findings(qtbot: QtBot) -> None:
    card = network(qtbot)
    assert len(card.points()) == len(BOARD.network.nodes)
    assert 1 <= len(card.edge_items) <= 3  # replies drawn in three batches by weight
    notes = card.notes()
    assert "Ivan Petrov" in notes and "Facilitator-centred" in notes and "dominates" in notes
    assert "reply links" in notes
    sizes = {card.nodes()[s.data()].name: s.size() for s in card.points()}
    learners = [n for n in card.nodes() if n.role is Role.LEARNER]
    busiest = max(learners, key=lambda n: n.activity)
    assert sizes[busiest.name] == max(sizes[n.name] for n in learners)
    assert sizes["Fran Castillo"] > sizes["Ines Roth"]  # the facilitator's star stands out


def test_a_node_tells_its_numbers_and_selects_its_member(qtbot: QtBot) -> None:
    card = network(qtbot)
    milo = next(n for n in BOARD.network.nodes if n.name == "Milo Novak")
    where = card.node_position(milo.person_id)
    text = hover(qtbot, card, card.plot, where.x(), where.y())
    assert "Milo Novak" in text and "Replied to" in text and f"<b>{milo.activity}</b>" in text
    picked = click(qtbot, card, card.plot, where.x(), where.y())
    assert [p.membership_ids for p in picked] == [(milo.membership_id,)]
    assert click(qtbot, card, card.plot, 5.0, 5.0) == []  # empty space selects nobody


def test_isolated_members_sit_on_the_outer_ring_and_the_layout_repeats() -> None:
    positions = network_layout(BOARD.network)
    assert positions == network_layout(BOARD.network)
    for node in BOARD.network.nodes:
        radius = float(np.hypot(*positions[node.person_id]))
        if node.isolated:
            assert radius >= ISOLATED_RADIUS - 1e-9
        else:
            assert radius <= 1.0 + 1e-6


def test_five_thousand_members_lay_out_off_screen_and_draw_fast(qtbot: QtBot) -> None:
    big = data.big_network(5000)
    started = time.perf_counter()
    positions = network_layout(big)  # the dashboard runs this in a worker thread
    layout_seconds = time.perf_counter() - started
    assert len(positions) == 5000
    card = NetworkChart()
    show(qtbot, card)
    started = time.perf_counter()
    card.set_data(big, positions)
    QApplication.processEvents()
    draw_seconds = time.perf_counter() - started
    assert len(card.points()) == 5000
    assert len(card.plot.items) < 40  # a scatter per look, edge batches, a few names
    assert draw_seconds < 3.0, draw_seconds
    assert layout_seconds < 15.0, layout_seconds


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
    bar.set_numbers(BOARD.key_numbers)
    values = bar.values()
    numbers = BOARD.key_numbers
    assert values["learners"] == str(numbers.learners)
    assert values["median"] == "4"
    share = numbers.peer_replies / (numbers.peer_replies + numbers.replies_to_staff)
    assert values["peer"] == f"{share * 100:.0f}%"
    bar.set_numbers(None)
    assert set(bar.values().values()) == {"—"}


def test_the_story_says_who_is_stuck_isolated_quiet_and_dominant() -> None:
    lines = cohort_story(BOARD, ROWS)
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

    from cohortdesk.core.models import StageChangeSource
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


# ---- every chart: empty, exported, dark -----------------------------------------------------


def all_cards() -> list[ChartCard]:
    staircase_card = StaircaseChart()
    staircase_card.set_data(BOARD.stages_now, BOARD.stages_by_week, by_stage())
    distribution = DistributionChart()
    distribution.set_data(BOARD.access, BOARD.motivation)
    contributions_card = ContributionsChart()
    contributions_card.set_data(BOARD.contributions_by_week, BOARD.heatmap, BOARD.weeks)
    heatmap = HeatmapChart()
    heatmap.set_data(BOARD.heatmap, BOARD.weeks)
    replies = RepliesChart()
    replies.set_data(BOARD.replies_by_week)
    network_card = NetworkChart()
    network_card.set_data(BOARD.network)
    adopters = AdoptersChart()
    adopters.set_data(BOARD.adopters, BOARD.not_yet_contributing)
    member = MemberActivityChart()
    member.set_data(data.member_activity())
    stages = CompareStagesChart()
    stages.set_data(data.comparison())
    weekly = CompareWeeklyChart()
    weekly.set_data(data.comparison())
    return [
        staircase_card,
        distribution,
        contributions_card,
        heatmap,
        replies,
        network_card,
        adopters,
        member,
        stages,
        weekly,
    ]


def test_every_chart_exports_to_png_and_svg(qtbot: QtBot, tmp_path: Path) -> None:
    for card in all_cards():
        show(qtbot, card)
        png = card.export_to(tmp_path / chart_export.file_name(card.title, ".png"))
        image = QImage(str(png))
        assert not image.isNull(), card.title
        assert image.width() == card.width() * 2
        svg = card.export_to(tmp_path / chart_export.file_name(card.title, ".svg"))
        root = ET.parse(svg).getroot()
        assert root.tag.endswith("svg"), card.title
        text = svg.read_text("utf-8")
        assert card.title.split()[0] in text  # the title is text, not pixels
        if not isinstance(card, HeatmapChart):
            assert "<image" not in text, card.title  # vectors only (the heatmap is an image)
        assert card.menu_button.isVisible()  # hidden only while exporting


def test_export_asks_where_and_writes_there(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    card = show(qtbot, network_card := NetworkChart())
    network_card.set_data(BOARD.network)
    chosen = tmp_path / "network"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(chosen), ""))
    written = card.ask_and_export(".svg")
    assert written == tmp_path / "network.svg" and written.stat().st_size > 1000


def test_an_export_to_a_missing_folder_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    card = show(qtbot, RepliesChart())
    with pytest.raises(chart_export.ExportError, match="missing"):
        card.export_to(tmp_path / "missing" / "chart.svg")
    with pytest.raises(chart_export.ExportError, match="missing"):
        card.export_to(tmp_path / "missing" / "chart.png")


def test_charts_follow_a_dark_palette(qtbot: QtBot) -> None:
    for card in all_cards():
        show(qtbot, card)
        light = card.theme
        assert not light.dark
        card.setPalette(dark_palette())
        QApplication.processEvents()
        theme = card.theme
        assert theme.dark, card.title
        assert theme.background == dark_palette().color(QPalette.ColorRole.Base)
        assert card.view.backgroundBrush().color() == theme.background
        axis = card.plots[0].getAxis("bottom")
        assert axis.textPen().color().lightness() > theme.background.lightness() + 60
        subtitle = card.subtitle_label.palette().color(QPalette.ColorRole.WindowText)
        assert subtitle.lightness() > theme.background.lightness() + 60
    assert theme_for(dark_palette()).heat_lookup()[0][:3].tolist() == [0x1F, 0x1F, 0x1F]


def test_an_empty_cohort_says_so_in_every_chart(qtbot: QtBot) -> None:
    empty = data.empty_dashboard()
    cards: list[tuple[ChartCard, Any]] = [
        (StaircaseChart(), lambda c: c.set_data(empty.stages_now, empty.stages_by_week)),
        (DistributionChart(), lambda c: c.set_data(empty.access, empty.motivation)),
        (ContributionsChart(), lambda c: c.set_data(empty.contributions_by_week)),
        (HeatmapChart(), lambda c: c.set_data(empty.heatmap, empty.weeks)),
        (RepliesChart(), lambda c: c.set_data(empty.replies_by_week)),
        (NetworkChart(), lambda c: c.set_data(empty.network)),
        (AdoptersChart(), lambda c: c.set_data(empty.adopters)),
        (MemberActivityChart(), lambda c: c.set_data(None)),
    ]
    for card, fill in cards:
        show(qtbot, card)
        fill(card)
        assert card.is_empty(), card.title
        assert card.empty_label.text()
        assert all(not plot.items for plot in card.plots), card.title


# ---- the roster's sparkline column ----------------------------------------------------------


def test_the_roster_model_carries_sparklines(qtmodeltester: ModelTester) -> None:
    model = RosterModel()
    model.set_rows(ROWS)
    counts = {row.membership_id: list(c) for row, c in zip(ROWS, SPARKS, strict=False)}
    model.set_sparklines(counts)
    qtmodeltester.check(model)
    first = model.index(0, COL_ACTIVITY)
    assert first.data(SPARKLINE_ROLE) == counts[ROWS[0].membership_id]
    assert first.data(Qt.ItemDataRole.DisplayRole) is None  # painted, not written
    assert "oldest first: 0, 1, 2" in first.data(Qt.ItemDataRole.ToolTipRole)
    # busiest lately sorts first when sorted descending
    assert model.index(1, COL_ACTIVITY).data(SORT_ROLE) > first.data(SORT_ROLE)
    assert model.headerData(COL_ACTIVITY, Qt.Orientation.Horizontal) == "Activity"


SPARKS = ([0, 1, 2, 3, 0, 0, 0, 0], [5, 5, 5, 5, 5, 5, 5, 9])


def test_sparklines_paint_bars_and_flag_a_quiet_spell(qtbot: QtBot) -> None:
    from PySide6.QtCore import QRect, QRectF
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem, QTableView

    assert sparkline_quiet(SPARKS[0]) and not sparkline_quiet(SPARKS[1])
    rects = bar_rects([0, 2, 4], QRectF(0, 0, 40, 20))
    assert [r.height() for r in rects] == [0.0, 10.0, 20.0]
    model = RosterModel()
    model.set_rows(ROWS[:2])
    model.set_sparklines({r.membership_id: list(c) for r, c in zip(ROWS, SPARKS, strict=False)})
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(model)
    delegate = SparklineDelegate(SPARKLINE_ROLE, table)
    image = QImage(80, 24, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 80, 24)
    delegate.paint(painter, option, model.index(0, COL_ACTIVITY))
    painter.end()
    red = image.pixelColor(60, 24 - 6)  # the baseline under the two silent weeks
    assert red.red() > 150 and red.green() < 120
    assert image.pixelColor(35, 12) != image.pixelColor(2, 2)  # the busiest week's bar
