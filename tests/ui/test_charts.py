"""Every dashboard chart together: empty, exported to PNG and SVG, following a dark palette;
and the roster's sparkline column."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from cohortdesk.core.schemas import AttentionSettings
from cohortdesk.core.schemas.dashboard import CohortComparison
from cohortdesk.ui.charts import chart_export
from cohortdesk.ui.charts.adopters_chart import AdoptersChart
from cohortdesk.ui.charts.base import ChartCard, tooltip_table
from cohortdesk.ui.charts.compare_charts import CompareStagesChart, CompareWeeklyChart
from cohortdesk.ui.charts.contributions_chart import ContributionsChart
from cohortdesk.ui.charts.distribution_chart import DistributionChart
from cohortdesk.ui.charts.heatmap_chart import HeatmapChart
from cohortdesk.ui.charts.member_activity_chart import MemberActivityChart
from cohortdesk.ui.charts.network_chart import NetworkChart
from cohortdesk.ui.charts.replies_chart import RepliesChart
from cohortdesk.ui.charts.sparkline_delegate import SparklineDelegate, bar_rects
from cohortdesk.ui.charts.staircase_chart import StaircaseChart
from cohortdesk.ui.charts.theme import dark_palette, theme_for
from cohortdesk.ui.models.roster_model import (
    COL_ACTIVITY,
    QUIET_ROLE,
    SORT_ROLE,
    SPARKLINE_ROLE,
    RosterModel,
)
from tests.ui import dashboard_data as data
from tests.ui.charts_support import BOARD, ROWS, by_stage, show

# ---- every chart: empty, exported, dark -----------------------------------------------------


def all_cards() -> list[ChartCard]:
    staircase_card = StaircaseChart()
    staircase_card.set_data(BOARD.figures.stages, BOARD.stages_by_week, by_stage())
    distribution = DistributionChart()
    distribution.set_data(BOARD.access, BOARD.motivation, BOARD.low_motivation)
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


def empty_cards() -> list[tuple[ChartCard, Callable[[Any], None]]]:
    """Every chart kind, with how to give it no data."""
    empty = data.empty_dashboard()
    nothing = CohortComparison(weeks=0, cohorts=[])
    return [
        (StaircaseChart(), lambda c: c.set_data(empty.figures.stages, empty.stages_by_week)),
        (DistributionChart(), lambda c: c.set_data(empty.access, empty.motivation, 2)),
        (ContributionsChart(), lambda c: c.set_data(empty.contributions_by_week)),
        (HeatmapChart(), lambda c: c.set_data(empty.heatmap, empty.weeks)),
        (RepliesChart(), lambda c: c.set_data(empty.replies_by_week)),
        (NetworkChart(), lambda c: c.set_data(empty.network)),
        (AdoptersChart(), lambda c: c.set_data(empty.adopters)),
        (MemberActivityChart(), lambda c: c.set_data(None)),
        (CompareStagesChart(), lambda c: c.set_data(nothing)),
        (CompareWeeklyChart(), lambda c: c.set_data(nothing)),
    ]


def test_an_empty_cohort_says_so_in_every_chart(qtbot: QtBot) -> None:
    cards = empty_cards()
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


def test_the_roster_sorts_numbered_names_by_their_numbers() -> None:
    from cohortdesk.ui.models.roster_filter import RosterFilter
    from cohortdesk.ui.models.roster_model import COL_NAME

    names = ["Moodle user 5104", "Moodle user 394", "moodle user 2672", "Moodle user 1905"]
    model = RosterModel()
    model.set_rows(
        [row.model_copy(update={"name": name}) for row, name in zip(ROWS, names, strict=False)]
    )
    shown = RosterFilter()
    shown.setSourceModel(model)
    shown.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    assert [shown.index(r, COL_NAME).data() for r in range(shown.rowCount())] == [
        "Moodle user 394",
        "Moodle user 1905",
        "moodle user 2672",
        "Moodle user 5104",
    ]


SPARKS = ([0, 1, 2, 3, 0, 0, 0, 0], [5, 5, 5, 5, 5, 5, 5, 9])


def test_sparklines_paint_bars_and_flag_a_quiet_spell(qtbot: QtBot) -> None:
    from PySide6.QtCore import QRect, QRectF
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem, QTableView

    rects = bar_rects([0, 2, 4], QRectF(0, 0, 40, 20))
    assert [r.height() for r in rects] == [0.0, 10.0, 20.0]
    # Elena went quiet (the cohort's 14 silent days: two weeks underlined); Ana did not.
    elena, ana = (next(r for r in ROWS if r.name == name) for name in ("Elena Ruiz", "Ana Souza"))
    model = RosterModel()
    model.set_rows([elena, ana])
    assert elena.last_active is not None
    model.today = elena.last_active + timedelta(days=20)
    model.rules = AttentionSettings(silent_days=14)
    model.set_sparklines({elena.membership_id: SPARKS[0], ana.membership_id: SPARKS[1]})
    assert model.index(0, COL_ACTIVITY).data(QUIET_ROLE) == 2
    model.today = elena.last_active + timedelta(days=13)
    assert model.index(0, COL_ACTIVITY).data(QUIET_ROLE) == 0, "13 days is not 14 yet"
    model.today = elena.last_active + timedelta(days=20)
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(model)
    delegate = SparklineDelegate(SPARKLINE_ROLE, QUIET_ROLE, table)
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


def test_a_tooltip_shows_names_as_they_were_typed(qtbot: QtBot) -> None:
    name = 'Ann "Nan" O\'Neil <ann@example.org> & co'
    html = tooltip_table(name, [(name, "3")], footer=name)
    assert "<ann@" not in html  # never read as markup
    shown = QTextDocument()
    shown.setHtml(html)
    assert shown.toPlainText().count(name) == 3
