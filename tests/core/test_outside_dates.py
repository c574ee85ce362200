"""When an import's activity falls outside the cohort's dates, on generated dates."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cohortdesk.core.models import Cohort
from cohortdesk.core.services.activity.imports import outside_dates

_DAYS = st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31))


@given(st.none() | _DAYS, st.none() | _DAYS, _DAYS, st.integers(0, 400))
def test_outside_means_some_day_falls_before_the_start_or_after_the_end(
    start: date | None, end: date | None, first: date, span: int
) -> None:
    last = first + timedelta(days=span)
    cohort = Cohort(name="C", timezone="UTC", start_date=start, end_date=end)
    if start is None and end is None:
        expected = True  # nothing to judge by: the cohort needs dates
    else:
        expected = (start is not None and first < start) or (end is not None and last > end)
    assert outside_dates(cohort, first, last) is expected


def test_an_open_ended_cohort_takes_later_activity() -> None:
    cohort = Cohort(name="C", timezone="UTC", start_date=date(2017, 2, 27), end_date=None)
    assert not outside_dates(cohort, date(2017, 2, 27), date(2020, 1, 1))
    assert outside_dates(cohort, date(2017, 2, 26), date(2017, 3, 1))
