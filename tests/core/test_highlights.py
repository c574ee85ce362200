"""Highlights: capture, edit, delete, list and search success stories and quotes."""

from __future__ import annotations

from datetime import date

import pytest

from cohortdesk.core.enums import EventKind, HighlightKind
from cohortdesk.core.errors import KnownError, NotFoundError
from cohortdesk.core.schemas import validated
from cohortdesk.core.schemas.mentoring import HighlightInput
from cohortdesk.core.services.dashboards import highlights
from cohortdesk.core.services.people import members
from cohortdesk.core.storage.db import Database
from tests.core.builders import MONDAY, add, event, make_cohort

DAY = date(2025, 3, 4)


@pytest.fixture
def ids(db: Database) -> dict[str, int]:
    with db.write() as s:
        spring = make_cohort(s, "Spring").id
        autumn = make_cohort(s, "Autumn", timezone="Pacific/Auckland").id
        found = {
            "spring": spring,
            "autumn": autumn,
            "ana": add(s, spring, "Ana Souza"),
            "ben": add(s, spring, "Ben Carter"),
            "zoe": add(s, autumn, "Zoë Adebayo"),
        }
        found["post"] = event(s, found["ana"], EventKind.POST, MONDAY, thread="Week 1").id
        found["late"] = event(s, found["zoe"], EventKind.POST, MONDAY.replace(hour=13)).id
    return found


def capture(db: Database, membership_id: int, text: str, **values: object) -> int:
    data = validated(
        HighlightInput, membership_id=membership_id, happened_on=DAY, text=text, **values
    )
    with db.write() as s:
        return highlights.add_highlight(s, data).value.id


def test_capture_edit_delete(db: Database, ids: dict[str, int]) -> None:
    hid = capture(db, ids["ana"], "  Led her first discussion  ", tags="leadership, Leadership,")
    with db.read() as s:
        row = highlights.get_highlight(s, hid)
    assert (row.member_name, row.cohort_name, row.text) == (
        "Ana Souza",
        "Spring",
        "Led her first discussion",
    )
    assert row.tags == ("leadership",) and row.kind is HighlightKind.STORY
    data = HighlightInput(
        membership_id=ids["ana"],
        kind=HighlightKind.QUOTE,
        happened_on=date(2025, 3, 5),
        text="“I learned more from peers than from any course”",
        tags="quote; peers",
    )
    with db.write() as s:
        edited = highlights.update_highlight(s, hid, data).value
    assert edited.kind is HighlightKind.QUOTE and edited.tags == ("quote", "peers")
    with db.write() as s:
        highlights.delete_highlight(s, hid)
    with db.read() as s, pytest.raises(NotFoundError):
        highlights.get_highlight(s, hid)


def test_an_empty_highlight_is_refused() -> None:
    with pytest.raises(KnownError, match="Text: cannot be empty"):
        validated(HighlightInput, membership_id=1, happened_on=DAY, text="   ")


def test_captured_from_an_event(db: Database, ids: dict[str, int]) -> None:
    hid = capture(db, ids["ana"], "Started Week 1", event_id=ids["post"])
    with db.read() as s:
        assert highlights.get_highlight(s, hid).event_id == ids["post"]
        # the day an event happened, in its cohort's zone (13:00 UTC is the next day in Auckland)
        assert highlights.event_day(s, ids["late"]) == date(2025, 3, 4)
    with pytest.raises(KnownError, match="someone else's"):
        capture(db, ids["ben"], "Not Ben's", event_id=ids["post"])


def test_search_ignores_case_and_accents_and_needs_every_word(
    db: Database, ids: dict[str, int]
) -> None:
    capture(db, ids["ana"], "Summarised the week for everyone", tags="summary")
    capture(db, ids["ben"], "Helped a newcomer log in", tags="helping, access")
    capture(db, ids["zoe"], "Réflexion sur la pratique", kind=HighlightKind.QUOTE)
    with db.read() as s:

        def texts(cohort: int | None = None, **kw: object) -> list[str]:
            return [h.text for h in highlights.list_highlights(s, cohort, **kw)]  # type: ignore[arg-type]

        assert texts(search="REFLEXION") == ["Réflexion sur la pratique"]
        assert texts(search="zoe pratique") == ["Réflexion sur la pratique"]
        assert texts(search="newcomer everyone") == []
        # newest first; captured the same day: the one captured last first
        assert texts(ids["spring"]) == [
            "Helped a newcomer log in",
            "Summarised the week for everyone",
        ]
        assert texts(tag="ACCESS") == ["Helped a newcomer log in"]
        assert texts(kind=HighlightKind.QUOTE) == ["Réflexion sur la pratique"]
        assert texts(search="autumn") == ["Réflexion sur la pratique"]  # the cohort's name
        assert highlights.all_tags(s) == ["access", "helping", "summary"]
        assert highlights.count_highlights(s, ids["spring"]) == 2


def test_a_removed_member_takes_their_highlights(db: Database, ids: dict[str, int]) -> None:
    capture(db, ids["ana"], "Gone with her")
    with db.write() as s:
        members.remove_member(s, ids["ana"])
    with db.read() as s:
        assert highlights.list_highlights(s) == []
