"""Shared time reading: every format exports use, detection over a column, and the caches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cohortdesk.core.importers import times
from cohortdesk.core.importers.times import (
    DAY_FIRST,
    ISO_8601,
    KNOWN_FORMATS,
    MONTH_FIRST,
    UNIX_SECONDS,
    FormatDetector,
    TimeReader,
    strptime_format,
    suggest_pattern,
)

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27/06/17, 05:54:12", datetime(2017, 6, 27, 5, 54, 12)),  # Moodle en
        ("27/06/17, 05:54", datetime(2017, 6, 27, 5, 54)),  # older Moodle, no seconds
        ("6/05/18, 00:47", datetime(2018, 5, 6, 0, 47)),  # day not zero-padded
        ("28/05/2018 17:03", datetime(2018, 5, 28, 17, 3)),  # Moodle es
        ("27/06/17,05:54", datetime(2017, 6, 27, 5, 54)),  # no space after the comma
        ("05.03.2024 14:30", datetime(2024, 3, 5, 14, 30)),  # German dots
        ("05-03-2024 14:30:01.250", datetime(2024, 3, 5, 14, 30, 1, 250_000)),
        ("05/03/2024", datetime(2024, 3, 5)),  # a date alone is midnight
        ("  5/3/24 9:05  ", datetime(2024, 3, 5, 9, 5)),
        ("1/1/68 10:00", datetime(2068, 1, 1, 10, 0)),  # strptime's %y pivot
        ("1/1/69 10:00", datetime(1969, 1, 1, 10, 0)),
    ],
)
def test_day_first_reads_every_variant(text: str, expected: datetime) -> None:
    assert DAY_FIRST.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6/27/17, 5:54:03", datetime(2017, 6, 27, 5, 54, 3)),  # Moodle en_us
        ("4/4/13 16:32", datetime(2013, 4, 4, 16, 32)),  # the MOOC-Ed edgelist
        ("3/14/2024 1:05 PM", datetime(2024, 3, 14, 13, 5)),
        ("3/14/2024 12:10 AM", datetime(2024, 3, 14, 0, 10)),
        ("3/15/2024 12:00 pm", datetime(2024, 3, 15, 12, 0)),
        ("3/15/2024 11:59:59 p.m.", datetime(2024, 3, 15, 23, 59, 59)),
    ],
)
def test_month_first_reads_every_variant(text: str, expected: datetime) -> None:
    assert MONTH_FIRST.parse(text) == expected


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        (DAY_FIRST, "31/02/24 10:00"),  # no 31 February
        (DAY_FIRST, "13/13/13 10:00"),
        (DAY_FIRST, "12/05/24 25:00"),
        (DAY_FIRST, "12/05/24 10:61"),
        (DAY_FIRST, "12/05/24 13:00 PM"),  # a 12-hour clock has no 13
        (DAY_FIRST, "12/05/24, "),  # Moodle's comma promises a time
        (DAY_FIRST, "12/05/24 soon"),
        (DAY_FIRST, "2024/05/12 10:00"),
        (DAY_FIRST, "yesterday"),
        (DAY_FIRST, ""),
        (MONTH_FIRST, "27/06/17, 05:54"),
        (MONTH_FIRST, "05.03.2024 14:30"),  # dotted dates are never month first
        (ISO_8601, "2024-13-01T00:00:00"),
        (ISO_8601, "14/03/2024"),
        (UNIX_SECONDS, "12345"),
        (UNIX_SECONDS, "1710409965x"),
    ],
)
def test_values_that_do_not_fit(fmt: times.TimeFormat, text: str) -> None:
    assert fmt.parse(text) is None


def test_iso_and_unix_values() -> None:
    assert ISO_8601.parse("2024-03-14T09:12:45Z") == datetime(2024, 3, 14, 9, 12, 45, tzinfo=UTC)
    assert ISO_8601.parse("2024-03-14T12:00:00+01:00") == datetime(
        2024, 3, 14, 12, tzinfo=timezone(timedelta(hours=1))
    )
    assert ISO_8601.parse("2024-03-14 11:30:00") == datetime(2024, 3, 14, 11, 30)
    assert ISO_8601.parse("2024-03-14") == datetime(2024, 3, 14)
    assert UNIX_SECONDS.parse("1710409965") == datetime(2024, 3, 14, 9, 52, 45, tzinfo=UTC)
    assert UNIX_SECONDS.parse(" 1710413600.5 ") == datetime(
        2024, 3, 14, 10, 53, 20, 500_000, tzinfo=UTC
    )


def test_strptime_format_for_a_pattern_the_user_gives() -> None:
    fmt = strptime_format("%m/%d/%y, %H:%M")
    assert fmt.parse("6/05/17, 20:01") == datetime(2017, 6, 5, 20, 1)
    assert fmt.parse("27/06/17, 05:54") is None
    assert fmt.name == "%m/%d/%y, %H:%M"
    assert strptime_format("%Q").parse("anything") is None  # a bad directive does not raise


# --- detection over a column -------------------------------------------------------------


def _detect(values: list[str], candidates: tuple[times.TimeFormat, ...] = KNOWN_FORMATS):
    detector = FormatDetector(candidates)
    return detector.feed_all(enumerate(values, start=2), stop_when_settled=False)


def test_one_value_after_the_12th_settles_the_order() -> None:
    found = _detect(["4/4/13 16:32", "4/5/13 9:00", "4/13/13 8:05", "5/1/13 10:00"])
    assert found.fitting == [MONTH_FIRST]
    assert found.label(MONTH_FIRST) == "m/d/yy"
    assert found.values == 4
    assert found.ambiguous == (3, "4/5/13 9:00")  # the first value the orders read differently


def test_all_days_up_to_12_leave_both_orders_and_say_so() -> None:
    found = _detect(["03/04/2024 10:00", "05/04/2024 11:00", "03/04/2024 10:00"])
    assert found.fitting == [DAY_FIRST, MONTH_FIRST]
    assert found.values == 2  # the repeated value is looked at once
    assert found.label(DAY_FIRST) == "d/m/yyyy"
    reason = found.ambiguity_reason()
    assert "'03/04/2024 10:00'" in reason
    assert "--time-format" in reason
    assert "'%d/%m/%Y %H:%M' or '%m/%d/%Y %H:%M'" in reason


def test_a_column_mixing_orders_fits_nothing_and_names_both_values() -> None:
    found = _detect(["27/06/17, 10:00", "06/26/17, 09:00"], (DAY_FIRST, MONTH_FIRST))
    assert found.fitting == []
    assert found.emptied_by == (3, "06/26/17, 09:00")
    reason = found.unfit_reason()
    assert "'06/26/17, 09:00' (row 3) is not day/month/year" in reason
    assert "'27/06/17, 10:00', row 2" in reason
    assert "mixes formats" in reason


def test_a_value_in_no_known_format() -> None:
    found = _detect(["", "  ", "next Tuesday", "2024-03-14"])
    assert found.fitting == []
    assert found.first == (4, "next Tuesday")
    assert "'next Tuesday' (row 4) is not in a format cohortdesk knows" in found.unfit_reason()


def test_iso_unix_and_mixed_columns() -> None:
    assert _detect(["2024-03-14T09:00:00Z", "2024-03-15 10:00"]).fitting == [ISO_8601]
    assert _detect(["1710409965", "1710413600"]).fitting == [UNIX_SECONDS]
    mixed = _detect(["2024-03-14T09:00:00Z", "14/03/2024 09:05"])
    assert mixed.fitting == []
    assert mixed.emptied_by == (3, "14/03/2024 09:05")


def test_detection_stops_once_settled_when_asked() -> None:
    seen: list[int] = []

    def values():
        for row in range(2, 100):
            seen.append(row)
            yield row, "25/12/2024 10:00"

    found = FormatDetector().feed_all(values(), stop_when_settled=True)
    assert found.fitting == [DAY_FIRST]
    assert seen == [2]


@pytest.mark.parametrize(
    ("value", "fmt", "pattern"),
    [
        ("27/06/17, 05:54:12", DAY_FIRST, "%d/%m/%y, %H:%M:%S"),
        ("4/4/13 16:32", MONTH_FIRST, "%m/%d/%y %H:%M"),
        ("3/14/2024 1:05 PM", MONTH_FIRST, "%m/%d/%Y %I:%M %p"),
        ("05.03.2024", DAY_FIRST, "%d.%m.%Y"),
        ("2024-03-14T09:00:00", ISO_8601, "%Y-%m-%dT%H:%M:%S"),
    ],
)
def test_suggested_patterns_read_the_value(value: str, fmt: times.TimeFormat, pattern: str) -> None:
    assert suggest_pattern(value, fmt) == pattern
    assert datetime.strptime(value, pattern) == fmt.parse(value)


# --- reading a column --------------------------------------------------------------------


def test_reader_attaches_the_zone_and_gives_a_zone_free_stamp() -> None:
    reader = TimeReader(DAY_FIRST, LONDON)
    summer = reader("27/06/17, 05:54:12")
    assert summer is not None
    moment, stamp = summer
    assert moment == datetime(2017, 6, 27, 5, 54, 12, tzinfo=LONDON)
    assert moment.astimezone(UTC) == datetime(2017, 6, 27, 4, 54, 12, tzinfo=UTC)  # BST
    assert stamp == "2017-06-27T05:54:12"
    assert TimeReader(DAY_FIRST, ZoneInfo("UTC"))("27/06/17, 05:54:12") == (
        datetime(2017, 6, 27, 5, 54, 12, tzinfo=ZoneInfo("UTC")),
        "2017-06-27T05:54:12",
    )
    assert reader("not a time") is None
    assert reader("") is None


def test_reader_keeps_a_zone_the_value_carries() -> None:
    reader = TimeReader(ISO_8601, LONDON)
    aware = reader("2024-03-14T12:00:00+01:00")
    naive = reader("2024-03-14T12:00:00")
    assert aware is not None and naive is not None
    assert aware[0].utcoffset() == timedelta(hours=1)
    assert aware[1] == "2024-03-14T12:00:00+01:00"
    assert naive[0].tzinfo is LONDON
    assert naive[1] == "2024-03-14T12:00:00"


def test_reader_gives_the_same_reading_for_the_same_text() -> None:
    reader = TimeReader(DAY_FIRST, LONDON)
    first = reader("14/03/24, 09:00")
    assert reader("14/03/24, 09:00") is first
    reader("13/03/24, 09:00")
    assert reader("14/03/24, 09:00") == first


def test_caches_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(times, "CACHE_LIMIT", 8)
    reader = TimeReader(strptime_format("%Y-%m-%d %H:%M"), LONDON)
    for minute in range(60):
        assert reader(f"2024-03-14 10:{minute:02d}") is not None
    assert len(reader._cache) <= 8
    # the parser's caches are shared by every import: start from empty ones, since a time
    # cached by an earlier test is not inserted again (and inserting is what bounds them)
    MONTH_FIRST.parse._dates.clear()  # type: ignore[attr-defined]
    MONTH_FIRST.parse._clocks.clear()  # type: ignore[attr-defined]
    slashed = TimeReader(MONTH_FIRST, LONDON)
    for day in range(1, 29):
        for minute in range(3):
            assert slashed(f"2/{day}/24 10:{minute:02d}") is not None
    assert len(MONTH_FIRST.parse._dates) <= 8  # type: ignore[attr-defined]
    assert len(MONTH_FIRST.parse._clocks) <= 8  # type: ignore[attr-defined]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_read_or_refused_without_an_exception(text: str) -> None:
    for fmt in KNOWN_FORMATS:
        fmt.parse(text)
        TimeReader(fmt, LONDON)(text)
    FormatDetector().feed(2, text)


@settings(max_examples=100, deadline=None)
@given(
    st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2060, 12, 31)),
    st.booleans(),
)
def test_slashed_values_read_back_what_was_written(moment: datetime, day_first: bool) -> None:
    moment = moment.replace(microsecond=0)
    order = "%d/%m" if day_first else "%m/%d"
    text = moment.strftime(f"{order}/%Y, %H:%M:%S")
    fmt = DAY_FIRST if day_first else MONTH_FIRST
    assert fmt.parse(text) == moment
