"""The dates cohortdesk keeps: from 1900 to 2200, the same for files, commands and forms.

A learning cohort lives in years, not millennia; a date far outside this range is a typo or
an attack (year 9999, year 1), and it would overflow a time zone conversion, or make every
calendar walk over its span crawl. Everything that takes a date from outside checks it here,
before it is converted or stored, and says which range is kept.
"""

from __future__ import annotations

from datetime import date, datetime

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)
#: the range as messages say it
KEPT_RANGE = f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
#: the largest id a database row can have (SQLite and PostgreSQL BIGINT)
MAX_ID = 2**63 - 1


def is_kept(day: date | datetime) -> bool:
    """Whether a date (or a time's calendar day, as written) lies in the kept range.

    A time is judged by its own wall-clock day, never converted first: converting year 9999
    to another zone is what overflows.
    """
    return FIRST_DAY.year <= day.year <= LAST_DAY.year


def outside_reason(day: date | datetime) -> str:
    """The one-line reason a date outside the kept range is refused."""
    return f"the date {day.isoformat()[:10]} is outside the dates cohortdesk keeps ({KEPT_RANGE})"
