"""The building blocks of every DTO: the frozen base model and the validated field types."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from cohortdesk.core.dates import is_kept, outside_reason
from cohortdesk.core.schemas.validation import shown_value

_Day = TypeVar("_Day", date, datetime)


def _check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {name!r} (use an IANA name like Europe/London)"
        ) from exc
    return name


def _check_aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("a time needs its time zone")
    return _check_kept(value)


def _check_kept(value: _Day) -> _Day:
    if not is_kept(value):
        raise ValueError(outside_reason(value))
    return value


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _check_email(value: str) -> str:
    if value and not _EMAIL.fullmatch(value):
        raise ValueError(f"not a valid email address ({shown_value(value)})")
    return value


def _blank_to_none(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


TimeZoneName = Annotated[
    str, StringConstraints(strip_whitespace=True), AfterValidator(_check_timezone)
]


#: line and paragraph separators (U+2028, U+2029): line breaks that are not controls
_BREAKS = ("Zl", "Zp")


def _check_name(value: str) -> str:
    if any(unicodedata.category(c)[0] == "C" or unicodedata.category(c) in _BREAKS for c in value):
        raise ValueError("a name cannot hold a line break, a tab or another control character")
    return unicodedata.normalize("NFC", value)


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_check_name),
]
"""A name as typed: one line, in one Unicode form (NFC), so "Café" typed two ways is one
name; longer than 200 characters is refused, not cut."""
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=320), AfterValidator(_check_email)
]
OptionalText = Annotated[str | None, AfterValidator(_blank_to_none)]
"""Stripped text where blank means "none"."""
StageNumber = Annotated[int, Field(ge=1, le=5)]
Rating = Annotated[int, Field(ge=1, le=5)]
AwareDateTime = Annotated[datetime, AfterValidator(_check_aware)]
"""A time with its zone, in the kept range (`core/dates.py`)."""
KeptDate = Annotated[date, AfterValidator(_check_kept)]
"""A day in the kept range (`core/dates.py`): 1900 to 2200."""


class Frozen(BaseModel):
    """A DTO: immutable once built, so it is safe to hand between threads."""

    model_config = ConfigDict(frozen=True)
