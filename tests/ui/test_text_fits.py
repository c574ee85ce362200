"""Text cut to its room is cut between words with "…", never through a line; a member's stage
is dated as the cohort is judged (as of its end, for a course that ran years ago)."""

from __future__ import annotations

import time
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QFont, QFontMetrics, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cohortdesk.core.enums import AccessStatus, Role, StageChangeSource
from cohortdesk.core.schemas import MemberDetail, MemberRow, StageChangeRow
from cohortdesk.core.storage.db import Database
from cohortdesk.ui import format as fmt
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.models.stage_history_model import COL_WHEN
from cohortdesk.ui.views.member_tabs.stage_tab import since_text
from cohortdesk.ui.widgets.labels import LinesLabel, elide_to_lines
from tests.real_cohorts import REAL_COHORTS, build
from tests.ui.conftest import settle
from tests.ui.test_fits_a_laptop import show_first_member

WORDS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=14,
)


def visible(text: str) -> str:
    """`text` without format characters (directional marks, zero-width joiners): Qt keeps
    directional marks after the "…" and joins a cut Arabic letter to it"""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def lines_at(text: str, font: QFont, width: int) -> int:
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    count = 0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        count += 1
    layout.endLayout()
    return count


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(WORDS, min_size=1, max_size=60),
    width=st.integers(min_value=40, max_value=700),
    lines=st.integers(min_value=1, max_value=3),
)
# directional marks, as names in right-to-left scripts carry them; a cut Arabic word; a word
# whose advance rounds down to the width its line breaks at; a line broken inside a
# character beyond the first plane
@example(words=["0000Æ\u202a"], width=40, lines=1)
@example(words=["000\u0900\u0626" + "0"], width=40, lines=2)
@example(words=["0DG¬í"], width=40, lines=1)
@example(words=["\ufeff", "\U00017000" + "000000"], width=40, lines=2)
@example(words=["\u2067شیرین", "\u2069wrote", "a", "long", "message"] * 6, width=60, lines=1)
@example(words=["\u200fאבגדה\u200e", "note"] * 20, width=120, lines=2)
def test_elided_text_keeps_to_its_lines(
    qapp: QApplication, words: list[str], width: int, lines: int
) -> None:
    font = QFont()
    text = " ".join(words)
    shown = elide_to_lines(text, font, width, lines)
    flat = " ".join(text.split())
    assert lines_at(shown, font, width) <= max(lines, 1)
    if shown != flat:
        seen = visible(shown)
        assert seen.endswith("…")
        assert visible(flat).startswith(seen[:-1].rstrip()) or len(seen) <= 1
    else:
        assert lines_at(flat, font, width) <= lines


def test_a_lines_label_never_shows_a_line_cut_through(qtbot: QtBot) -> None:
    label = LinesLabel(2)
    qtbot.addWidget(label)
    label.resize(300, 200)
    label.show()
    reasons = "; ".join(f"Reason number {n} with some detail (+{n})" for n in range(12))
    label.set_full_text(f"Moodle user 1905: {reasons}")
    assert label.text().endswith("…")
    assert label.full_text().endswith("(+11)")
    assert label.height() <= QFontMetrics(label.font()).lineSpacing() * 2 + 4
    assert label.heightForWidth(label.width()) <= label.height()


def detail(joined: date, history: list[tuple[StageChangeSource, datetime]]) -> MemberDetail:
    """A member who joined on `joined`, with these stage records (the last one holds)."""
    row = MemberRow(
        membership_id=1,
        person_id=1,
        name="Moodle user 1905",
        email="",
        role=Role.LEARNER,
        stage=1,
        access=AccessStatus.ACCESSED,
        open_access_issues=0,
        motivation=None,
        motivation_change=None,
        logins=0,
        threads=0,
        replies=0,
        posts=0,
        peer_replies=0,
        events=0,
        last_active=None,
    )
    changes = tuple(
        StageChangeRow(
            id=n,
            from_stage=None if source is StageChangeSource.JOINED else 1,
            to_stage=1,
            changed_at=at,
            reason="",
            source=source,
        )
        for n, (source, at) in enumerate(history)
    )
    return MemberDetail(
        row=row,
        cohort_id=1,
        cohort_name="Edify",
        timezone="UTC",
        low_motivation=2,
        joined_on=joined,
        stage_since=history[-1][1],
        expertise="",
        stage_history=changes,
        access_issues=(),
        motivation=(),
        events=(),
        events_total=0,
        notes=(),
    )


RECORDED = datetime(2026, 12, 7, 16, 28, tzinfo=UTC)
"""When an import made years after the course recorded everyone's first stage."""


@settings(max_examples=40, deadline=None)
@given(
    joined=st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 1, 1)),
    later=st.integers(min_value=0, max_value=400),
)
def test_a_stage_held_since_joining_is_dated_by_the_joining(joined: date, later: int) -> None:
    as_of = date.fromordinal(joined.toordinal() + later)
    text = since_text(detail(joined, [(StageChangeSource.JOINED, RECORDED)]), as_of)
    assert text.startswith(f"Since joining on {fmt.short_date(joined)}")
    if later == 0:
        assert text.endswith("(today)")
    elif later <= 14:
        assert text.endswith(("ago)", "(yesterday)"))
    assert "2026" not in text or joined.year == 2026


def test_a_stage_changed_later_is_dated_by_the_change_counted_to_the_as_of_day() -> None:
    changed = datetime(2017, 3, 10, 9, tzinfo=UTC)
    member = detail(
        date(2017, 2, 1),
        [(StageChangeSource.JOINED, RECORDED), (StageChangeSource.MANUAL, changed)],
    )
    assert since_text(member, date(2017, 3, 13)) == "Since 10 Mar 2017 (3 days ago)"
    assert since_text(member, date(2017, 6, 30)) == "Since 10 Mar 2017"


def test_the_real_cohorts_members_are_dated_in_their_own_years(
    window: MainWindow, db: Database, real_fixtures: Path
) -> None:
    for cohort in REAL_COHORTS:
        cohort_id = build(db, cohort, real_fixtures)
        show_first_member(window, cohort_id)
        shown = window.member_panel.stage_tab.since_label.text()
        assert shown.startswith("Since joining on"), shown
        assert str(cohort.start.year) in shown, shown
        model = window.member_panel.stage_tab.history_model
        joined = model.index(model.rowCount() - 1, COL_WHEN).data()
        assert joined == fmt.short_date(cohort.start), joined  # not the day of the import


def test_the_reason_line_follows_the_list_it_explains(
    window: MainWindow, db: Database, demo: int, real_fixtures: Path
) -> None:
    ids = [demo, *(build(db, cohort, real_fixtures) for cohort in REAL_COHORTS)]
    for chosen in ids:
        for other in ids:
            if other == chosen:
                continue
            window.reload_cohorts(select_id=chosen)
            settle(window)
            today = window.today
            if not today.model.rowCount():
                continue
            today.table.selectRow(0)
            settle(window)
            item = today.current_item()
            assert item is not None
            assert today.why_label.full_text().startswith(f"{item.name}:")
            window.reload_cohorts(select_id=other)
            settle(window)
            shown = today.current_item()
            why = today.why_label.full_text()
            assert why == "" if shown is None else why.startswith(f"{shown.name}:"), why


def test_a_dashboard_never_shows_the_cohort_shown_before(
    window: MainWindow, db: Database, demo: int, real_fixtures: Path
) -> None:
    ids = [demo, *(build(db, cohort, real_fixtures) for cohort in REAL_COHORTS)]
    board = window.dashboard
    for previous, cohort_id in zip(ids[1:], ids, strict=False):
        window.reload_cohorts(select_id=previous)
        settle(window)
        window.pages.show_dashboard()
        settle(window)
        window.reload_cohorts(select_id=cohort_id)  # another cohort opens on its Today
        while window.cohort_list.current_id() != cohort_id:
            window.context.runner.wait_idle(5)
            QApplication.processEvents()
        window.pages.show_dashboard()
        deadline = time.monotonic() + 60
        # at every turn until its figures arrive: what is on screen is the cohort named
        while True:
            QApplication.processEvents()
            named = board.cohort
            if board.scroll_area.isVisible() and named is not None:
                assert board.data is not None
                assert board.data.dashboard.cohort_id == named.id
            data = board.data
            if data is not None and data.dashboard.cohort_id == cohort_id:
                break
            window.context.runner.wait_idle(5)
            assert time.monotonic() < deadline
        settle(window)
        assert board.scroll_area.isVisible()
