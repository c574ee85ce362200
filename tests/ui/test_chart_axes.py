"""Axes carry their labels at any size: counts are drawn on the first paint, and week labels
are thinned to the room each week has, so that they never overlap."""

from __future__ import annotations

import importlib
import pkgutil
import time
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pyqtgraph as pg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cohortdesk.core.storage.db import Database
from cohortdesk.ui.charts.adopters_chart import AdoptersChart
from cohortdesk.ui.charts.axes import LABEL_GAP, fitted_ticks, integer_ticks, thinned_ticks
from cohortdesk.ui.charts.base import ChartCard
from cohortdesk.ui.charts.compare_charts import CompareStagesChart
from cohortdesk.ui.charts.staircase_chart import StaircaseChart
from cohortdesk.ui.main_window import MainWindow
from tests.real_cohorts import EDIFY, REAL_COHORTS, build
from tests.ui import dashboard_data as data
from tests.ui.charts_support import BOARD, by_stage, show
from tests.ui.conftest import settle
from tests.ui.test_charts import all_cards, empty_cards


def drawn_texts(axis: object) -> list[tuple[QRectF, str]]:
    """The labels pyqtgraph draws on `axis`, where it draws them."""
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _axis, _ticks, texts = axis.generateDrawSpecs(painter)  # type: ignore[attr-defined]
    finally:
        painter.end()
    return [(rect, text) for rect, _flags, text in texts]


def drawn_labels(axis: object) -> list[str]:
    return [text for _rect, text in drawn_texts(axis)]


def drawn_rects(axis: object) -> list[tuple[float, float]]:
    return [(rect.left(), rect.right()) for rect, _text in drawn_texts(axis)]


@pytest.mark.parametrize("top", [1, 7, 150, 445, 4_321, 98_765])
def test_every_tick_of_a_count_axis_is_labelled(qtbot: QtBot, top: int) -> None:
    card = ChartCard("Counts")
    plot = card.add_plot()
    show(qtbot, card)
    axis = plot.getAxis("left")
    # drawn first with a one-digit count (no data yet, or a small cohort), as the dashboard does
    integer_ticks(plot, 1)
    drawn_labels(axis)
    QApplication.processEvents()
    plot.plot([0, 1, 2], [0, top / 2, top])
    plot.setYRange(0, top * 1.1, padding=0)
    integer_ticks(plot, top)
    QApplication.processEvents()
    wanted = [text for _value, text in axis._tickLevels[0]]
    assert len(wanted) >= 2
    assert drawn_labels(axis) == wanted


def week_labels(weeks: int, dates: bool) -> list[tuple[float, str]]:
    """A course's week labels as the charts write them (`W12`, or the week's first day)."""
    start = date(2013, 4, 4)
    days = (start + timedelta(weeks=n) for n in range(weeks))
    return [(n + 1, f"{day.day} {day:%b}" if dates else f"W{n + 1}") for n, day in enumerate(days)]


def overlaps(rects: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Neighbouring (left, right) spans, in order, that touch or cross."""
    ordered = sorted(rects)
    return [(a[1], b[0]) for a, b in pairwise(ordered) if a[1] > b[0]]


@settings(max_examples=200, deadline=None)
@given(
    weeks=st.integers(1, 60),
    pixels=st.integers(300, 1900),
    dates=st.booleans(),
    margin=st.sampled_from([0.4, 0.5, 0.6]),
)
def test_week_labels_never_overlap_at_any_width(
    qapp: QApplication, weeks: int, pixels: int, dates: bool, margin: float
) -> None:
    """Thinned by the pixels each week gets: never two labels on top of each other, and as
    many as fit (the next finer spacing would make some overlap)."""
    ticks = week_labels(weeks, dates)
    low, high = 1 - margin, weeks + margin
    metrics = QFontMetrics(QFont())
    shown = thinned_ticks(ticks, low, high, pixels, metrics)
    assert shown and shown[0] == ticks[0]

    def spans(chosen: list[tuple[float, str]]) -> list[tuple[float, float]]:
        scale = pixels / (high - low)
        found = []
        for value, text in chosen:
            centre, half = (value - low) * scale, metrics.horizontalAdvance(text) / 2
            found.append((centre - half, centre + half))
        return found

    assert not overlaps(spans(shown))
    step = round(shown[1][0] - shown[0][0]) if len(shown) > 1 else 1
    if step > 1:  # one week more often, the widest two labels side by side would not fit
        widest = max(metrics.horizontalAdvance(text) for _value, text in ticks)
        assert (step - 1) * pixels / (high - low) < widest + LABEL_GAP


@pytest.mark.parametrize("weeks", [1, 11, 13, 21, 60])
@pytest.mark.parametrize("width", [300, 605, 1900])
def test_a_chart_draws_its_week_labels_apart(qtbot: QtBot, weeks: int, width: int) -> None:
    """On screen, as pyqtgraph places the labels, after the card is resized."""
    card = ChartCard("Weeks")
    plot = card.add_plot()
    show(qtbot, card, 1000)
    fitted_ticks(plot, week_labels(weeks, False))
    plot.setXRange(0.4, weeks + 0.6, padding=0)
    card.resize(width, card.height())
    QApplication.processEvents()
    drawn = drawn_rects(plot.getAxis("bottom"))
    assert drawn, "no week is labelled"
    assert not overlaps(drawn)


def edge_labels_drawn(plot: object) -> None:
    """The axis draws every label it was given (the first week's too), none of them cut by
    the edges of the chart."""
    axis = plot.getAxis("bottom")  # type: ignore[attr-defined]
    wanted = [text for _value, text in axis._tickLevels[0]]
    drawn = drawn_texts(axis)
    assert [text for _rect, text in drawn] == wanted
    view = axis.getViewWidget()
    for rect, text in drawn:
        on_screen = view.mapFromScene(axis.mapRectToScene(rect)).boundingRect()
        assert on_screen.left() >= 0, text
        assert on_screen.right() <= view.viewport().width(), text


@pytest.mark.parametrize("weeks", [1, 2, 11, 13, 21, 45, 60])
@pytest.mark.parametrize("width", [300, 450, 605, 1300, 1900])
@pytest.mark.parametrize("dates", [False, True])
@pytest.mark.parametrize("margin", [0.4, 0.6])
def test_a_chart_labels_its_first_week_and_cuts_no_label_at_its_edges(
    qtbot: QtBot, weeks: int, width: int, dates: bool, margin: float
) -> None:
    """Half a week from the plot's edge, the first (and last) week's label reaches past the
    axis on a narrow chart or a long course; it is drawn all the same, whole."""
    card = ChartCard("Weeks")
    plot = card.add_plot()
    show(qtbot, card, 1000)
    ticks = week_labels(weeks, dates)
    fitted_ticks(plot, ticks)
    plot.setXRange(1 - margin, weeks + margin, padding=0)
    card.resize(width, card.height())
    QApplication.processEvents()
    assert plot.getAxis("bottom")._tickLevels[0][0] == ticks[0]
    edge_labels_drawn(plot)
    assert not overlaps(drawn_rects(plot.getAxis("bottom")))


def test_the_real_dashboards_week_labels_do_not_overlap_beside_the_member_panel(
    window: MainWindow, db: Database, real_fixtures: Path
) -> None:
    """1280x720 with the member panel open: the dashboard is about 600 pixels wide."""
    ids = [build(db, cohort, real_fixtures) for cohort in REAL_COHORTS]
    window.resize(1280, 720)
    if not window.member_panel_action.isChecked():
        window.member_panel_action.trigger()
    for cohort_id in ids:
        window.reload_cohorts(select_id=cohort_id)
        settle(window)
        window.pages.show_roster()
        settle(window)
        window.roster.table.selectRow(0)  # the member panel opens beside the dashboard
        settle(window)
        window.pages.show_dashboard()
        board = window.dashboard
        deadline = time.monotonic() + 60
        while board.data is None or board.is_stale() or board.is_drawing():
            assert time.monotonic() < deadline, "the dashboard did not arrive"
            settle(window)
        assert board.width() < 700
        plots = [
            board.staircase.weeks_plot,
            board.heatmap.plot,
            board.contributions.plot,
            board.replies.plot,
        ]
        for plot in plots:
            assert not overlaps(drawn_rects(plot.getAxis("bottom"))), plot
            if plot.getAxis("bottom")._tickLevels is not None:  # labelled by week
                edge_labels_drawn(plot)


# ---- empty charts: no stray ticks -----------------------------------------------------------


def chart_kinds() -> list[type[ChartCard]]:
    """Every kind of chart card the app draws (each module of `cohortdesk.ui.charts`
    imported first)."""
    import cohortdesk.ui.charts as charts

    for module in pkgutil.iter_modules(charts.__path__):
        importlib.import_module(f"{charts.__name__}.{module.name}")
    kinds: list[type[ChartCard]] = []
    todo = list(ChartCard.__subclasses__())
    while todo:
        kind = todo.pop()
        below = kind.__subclasses__()
        todo += below
        if kind.__module__.startswith(charts.__name__) and not below:  # a chart, not a base
            kinds.append(kind)
    return kinds


def stray_labels(card: ChartCard) -> list[str]:
    """Labels the bottom axis of `card` draws that nobody gave it (pyqtgraph's own 0.2 ... 0.9,
    on an axis left without ticks); on an empty card, any label on either axis."""
    strays = []
    for plot in card.plots:
        for name in ("bottom", "left"):
            axis = plot.getAxis(name)
            if not axis.isVisible() and not card.is_empty():
                continue
            own = type(axis) is pg.AxisItem and axis._tickLevels is None
            if card.is_empty() or (own and name == "bottom"):  # a value axis may count alone
                strays += [f"{card.title}, {name}: {text}" for text in drawn_labels(axis)]
    return strays


def test_an_empty_chart_draws_no_stray_ticks(qtbot: QtBot) -> None:
    """Built, and given no data: an empty chart labels no axis."""
    cards = empty_cards()
    assert {type(card) for card, _fill in cards} == set(chart_kinds())
    for card, fill in cards:
        show(qtbot, card)
        assert card.is_empty(), card.title
        assert not stray_labels(card)
        fill(card)
        QApplication.processEvents()
        assert card.is_empty(), card.title
        assert not stray_labels(card)


def test_a_chart_emptied_keeps_no_labels_of_its_data(qtbot: QtBot) -> None:
    """Drawn with data, then given none (another range): neither the old weeks nor
    pyqtgraph's own numbers are left on its axes, even once it is resized."""
    full = {type(card): card for card in all_cards()}
    for card in full.values():
        show(qtbot, card)
        assert not card.is_empty(), card.title
        assert not stray_labels(card)
    for card, fill in empty_cards():
        card.deleteLater()
        drawn = full[type(card)]
        fill(drawn)
        drawn.resize(drawn.width() + 80, drawn.height())
        QApplication.processEvents()
        assert drawn.is_empty(), drawn.title
        assert not stray_labels(drawn)


def test_the_staircase_without_weeks_labels_no_week(qtbot: QtBot) -> None:
    """Learners now, but no week in the range: the week-by-week plot is bare, not 0.2 ... 0.9."""
    card = show(qtbot, StaircaseChart())
    card.set_data(BOARD.figures.stages, BOARD.stages_by_week, by_stage())
    card.set_data(BOARD.figures.stages, [])
    QApplication.processEvents()
    assert not card.is_empty()
    assert drawn_labels(card.weeks_plot.getAxis("bottom")) == []


def test_the_real_cohorts_empty_charts_draw_no_stray_ticks(
    window: MainWindow, db: Database, real_fixtures: Path
) -> None:
    """Edify wrote nothing in the forum: its contributions and replies charts are empty."""
    window.reload_cohorts(select_id=build(db, EDIFY, real_fixtures))
    settle(window)
    window.pages.show_dashboard()
    settle(window)
    board = window.dashboard
    assert board.contributions.is_empty() and board.replies.is_empty()
    cards = board.findChildren(ChartCard)
    assert len(cards) == 7
    assert [text for card in cards for text in stray_labels(card)] == []


# ---- categories: names that never run into each other ---------------------------------------


@pytest.mark.parametrize("width", [450, 580, 900, 1300])
def test_the_adopter_groups_are_named_apart_at_any_width(qtbot: QtBot, width: int) -> None:
    """Beside the member panel (580 px) "Early adopters", "Early majority" and "Late
    majority" ran into each other; a name without room takes two lines."""
    card = show(qtbot, AdoptersChart(), 1000)
    card.set_data(BOARD.adopters, BOARD.not_yet_contributing)
    card.resize(width, card.height())
    QApplication.processEvents()
    axis = card.plot.getAxis("bottom")
    drawn = drawn_texts(axis)
    assert [text.replace("\n", " ") for _rect, text in drawn] == [
        *(g.category for g in BOARD.adopters),
        "Not yet",
    ]
    assert not overlaps(drawn_rects(axis))
    if width >= 900:
        assert not any("\n" in text for _rect, text in drawn)  # one line where they fit


@pytest.mark.parametrize("width", [500, 700, 1100])
def test_the_compared_stages_are_named_apart(qtbot: QtBot, width: int) -> None:
    card = show(qtbot, CompareStagesChart(), 1000)
    card.set_data(data.comparison())
    card.resize(width, card.height())
    QApplication.processEvents()
    axis = card.plot.getAxis("bottom")
    assert len(drawn_texts(axis)) == 5
    assert not overlaps(drawn_rects(axis))
