"""How counts and days read in sentences, the same on every screen, report and message."""

from __future__ import annotations

from datetime import date


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """A count and its noun: `1 event`, `3 events`, `1,200 events`.

    Args:
        count: how many.
        singular: the words after a count of one (`reply`, `learner needs`).
        plural_form: the words after any other count, when adding an `s` is wrong
            (`replies`, `learners need`).
    """
    return f"{count:,} {singular if count == 1 else plural_form or singular + 's'}"


def short_date(day: date) -> str:
    """A day as sentences write it: `3 Oct 2026` (no leading zero)."""
    return f"{day.day} {day:%b %Y}"
