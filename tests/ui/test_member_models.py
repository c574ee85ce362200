"""The member panel's table models: structure (qtmodeltester) and what each cell says."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.modeltest import ModelTester

from cohortdesk.core.enums import AccessStatus, EventKind, StageChangeSource
from cohortdesk.core.schemas import (
    AccessIssueRow,
    EventRow,
    MotivationRow,
    NoteRow,
    StageChangeRow,
)
from cohortdesk.ui import format as fmt
from cohortdesk.ui.models import access_issues_model as access
from cohortdesk.ui.models import events_model as events
from cohortdesk.ui.models import motivation_model as motivation
from cohortdesk.ui.models import notes_model as notes
from cohortdesk.ui.models import stage_history_model as history
from cohortdesk.ui.models.row_table_model import ID_ROLE, RowTableModel

LISBON = "Europe/Lisbon"
DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=UTC)


STAGE_ROWS = (
    StageChangeRow(
        id=7,
        from_stage=2,
        to_stage=3,
        changed_at=utc(12, 17, 5),
        reason="Replied to peers",
        source=StageChangeSource.MANUAL,
    ),
    StageChangeRow(
        id=1,
        from_stage=None,
        to_stage=1,
        changed_at=utc(1, 8),
        reason="Joined the cohort",
        source=StageChangeSource.JOINED,
    ),
)
ISSUE_ROWS = (
    AccessIssueRow(id=3, opened_at=utc(5, 9), note="Locked out", resolved_at=None, resolution=""),
    AccessIssueRow(
        id=2, opened_at=utc(2, 9), note="No email", resolved_at=utc(3, 10), resolution="Spam"
    ),
)
MOTIVATION_ROWS = (
    MotivationRow(id=5, checked_on=date(2026, 10, 12), rating=4, note="Enjoying it"),
    MotivationRow(id=4, checked_on=date(2026, 10, 5), rating=2, note=""),
)
EVENT_ROWS = (
    EventRow(
        id=9,
        occurred_at=utc(12, 16, 47),
        kind=EventKind.REPLY,
        source="moodle",
        detail="Shared a checklist",
        thread="Week 2",
        replied_to_name="Chioma Eze",
        word_count=205,
    ),
    EventRow(
        id=8,
        occurred_at=utc(11, 7),
        kind=EventKind.LOGIN,
        source="manual",
        detail="",
        thread=None,
        replied_to_name=None,
        word_count=None,
    ),
)
NOTE_ROWS = (
    NoteRow(id=2, created_at=utc(13, 8, 30), body="Ask her to summarise week 2"),
    NoteRow(id=1, created_at=utc(1, 9), body="Sent the welcome message"),
)

CASES = [
    (history.StageHistoryModel, STAGE_ROWS),
    (access.AccessIssuesModel, ISSUE_ROWS),
    (motivation.MotivationModel, MOTIVATION_ROWS),
    (events.EventsModel, EVENT_ROWS),
    (notes.NotesModel, NOTE_ROWS),
]


@pytest.mark.parametrize(("model_class", "rows"), CASES)
def test_models_pass_the_model_tester(
    qtmodeltester: ModelTester, model_class: type[RowTableModel], rows: tuple
) -> None:
    model = model_class()
    qtmodeltester.check(model)
    model.set_rows(rows, LISBON)
    qtmodeltester.check(model)
    assert model.rowCount() == len(rows)
    assert model.columnCount() == len(model.HEADERS)
    assert [model.index(r, 0).data(ID_ROLE) for r in range(len(rows))] == [r.id for r in rows]
    assert model.row_of_id(rows[-1].id) == len(rows) - 1
    assert model.row_of_id(-1) is None
    model.set_rows(())
    qtmodeltester.check(model)


def cells(model: RowTableModel, row: int, role: int = DISPLAY) -> list[object]:
    return [model.index(row, c).data(role) for c in range(model.columnCount())]


def test_stage_history_reads_from_to_in_the_cohorts_time() -> None:
    model = history.StageHistoryModel()
    model.set_rows(STAGE_ROWS, LISBON)
    assert cells(model, 0) == ["2 → 3", "12 Oct 2026", "Replied to peers", "By hand"]
    assert cells(model, 1) == ["Started at 1", "1 Oct 2026", "Joined the cohort", "Joined"]
    tip = model.index(0, history.COL_CHANGE).data(TOOLTIP)
    assert tip == "From 2 · Online socialisation to 3 · Information exchange"
    assert model.index(0, history.COL_WHEN).data(TOOLTIP) == "12 Oct 2026 18:05 (Europe/Lisbon)"
    assert model.index(0, history.COL_SOURCE).data(TOOLTIP) == "Set by hand by the facilitator"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Change"
    assert model.headerData(0, Qt.Orientation.Vertical) is None


@settings(max_examples=60, deadline=None)
@given(
    joined=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    recorded=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2031, 12, 31), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(["UTC", LISBON, "Pacific/Auckland", "America/Los_Angeles"]),
)
def test_the_row_of_joining_is_dated_by_the_day_they_joined_whenever_it_was_recorded(
    joined: date, recorded: datetime, zone: str
) -> None:
    """An import run years after the course records the row of joining on its own day."""
    joined_row = STAGE_ROWS[1].model_copy(update={"changed_at": recorded, "joined_on": joined})
    model = history.StageHistoryModel()
    model.set_rows((STAGE_ROWS[0], joined_row), zone)
    assert model.index(1, history.COL_WHEN).data() == fmt.short_date(joined)
    tip = model.index(1, history.COL_WHEN).data(TOOLTIP)
    assert tip.startswith(f"Joined on {fmt.short_date(joined)}; recorded ")
    moved = fmt.local_date(STAGE_ROWS[0].changed_at, zone)  # a move keeps its own day
    assert model.index(0, history.COL_WHEN).data() == fmt.short_date(moved)


def test_access_issues_show_open_ones_as_open_in_red() -> None:
    model = access.AccessIssuesModel()
    model.set_rows(ISSUE_ROWS, LISBON)
    assert cells(model, 0) == ["5 Oct 2026", "Locked out", "Open", ""]
    assert cells(model, 1) == ["2 Oct 2026", "No email", "3 Oct 2026", "Spam"]
    assert model.index(1, access.COL_OPENED).data(TOOLTIP) == (
        "Opened 2 Oct 2026 10:00 (Europe/Lisbon)"
    )
    assert model.index(1, access.COL_RESOLVED).data(TOOLTIP) == (
        "Resolved 3 Oct 2026 11:00 (Europe/Lisbon)"
    )
    colour = model.index(0, access.COL_RESOLVED).data(FOREGROUND)
    assert colour == fmt.ACCESS_COLOURS[AccessStatus.PROBLEM]
    assert model.index(1, access.COL_RESOLVED).data(FOREGROUND) is None


def test_motivation_labels_and_colours_ratings() -> None:
    model = motivation.MotivationModel()
    model.set_rows(MOTIVATION_ROWS)
    assert cells(model, 0) == ["12 Oct 2026", "4 · Good", "Enjoying it"]
    assert cells(model, 1) == ["5 Oct 2026", "2 · Low", ""]
    assert model.index(1, motivation.COL_RATING).data(FOREGROUND) == fmt.motivation_colour(2, 2)


@pytest.mark.parametrize("low", [1, 2, 3, 4])
def test_motivation_is_red_at_or_below_the_cohorts_own_low_rating(low: int) -> None:
    model = motivation.MotivationModel()
    model.low_motivation = low
    model.set_rows(MOTIVATION_ROWS)
    for row, rating in enumerate(r.rating for r in MOTIVATION_ROWS):
        red = model.index(row, motivation.COL_RATING).data(FOREGROUND) == QColor("#d93f3f")
        assert red == (rating <= low)


def test_events_read_in_the_cohorts_time_with_the_whole_event_as_tooltip() -> None:
    model = events.EventsModel()
    model.set_rows(EVENT_ROWS, LISBON)
    assert cells(model, 0) == [
        "12 Oct 2026 17:47",
        "Replied to Chioma Eze",
        "Week 2",
        "205",
        "Shared a checklist",
        "moodle",
    ]
    assert cells(model, 1) == ["11 Oct 2026 08:00", "Logged in", "", "", "", "manual"]
    assert model.index(0, events.COL_DETAIL).data(TOOLTIP) == (
        "Replied, 12 Oct 2026 17:47 (Europe/Lisbon)\nThread: Week 2\nReplied to: Chioma Eze\n"
        "205 words\nShared a checklist\nSource: moodle"
    )
    words = model.index(0, events.COL_WORDS).data(Qt.ItemDataRole.TextAlignmentRole)
    assert words & Qt.AlignmentFlag.AlignRight
    heading = model.headerData(events.COL_WORDS, Qt.Orientation.Horizontal, ALIGNMENT)
    assert heading & Qt.AlignmentFlag.AlignRight  # the heading lines up with the numbers
    heading = model.headerData(events.COL_THREAD, Qt.Orientation.Horizontal, ALIGNMENT)
    assert heading & Qt.AlignmentFlag.AlignLeft


def test_a_reply_to_nobody_named_reads_replied() -> None:
    model = events.EventsModel()
    model.set_rows((EVENT_ROWS[0].model_copy(update={"replied_to_name": None}),), LISBON)
    assert model.index(0, events.COL_KIND).data() == "Replied"


def test_notes_show_when_and_what() -> None:
    model = notes.NotesModel()
    model.set_rows(NOTE_ROWS, LISBON)
    assert cells(model, 0) == ["13 Oct 2026 09:30", "Ask her to summarise week 2"]
