"""The one order of people's names on every screen, report and export.

Names sort as a reader expects, not as a computer compares text: letters without regard to
case, and numbers by their value. Exports and imports name people by number ("Moodle user
394", "Participant 12"), and text order would put "Moodle user 394" after "Moodle user 3247"
and "Participant 100" before "Participant 11".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Protocol, TypeVar

_NUMBERS = re.compile(r"\d+")
#: digits written before a number's own: how long it is, so that longer numbers sort later
_LENGTH_DIGITS = 4


def _number(found: re.Match[str]) -> str:
    digits = found.group()
    if not digits.isascii():  # digits of another script ("٣٩٤"): written as 0-9
        digits = "".join(str(unicodedata.digit(c)) for c in digits)
    digits = digits.lstrip("0") or "0"
    return f"{len(digits):0{_LENGTH_DIGITS}d}{digits}"


def name_key(name: str) -> str:
    """The sort key of `name`: its text case-folded, each run of digits written with its
    length first, so that numbers sort by their value ("7" and "007" alike).

    One text (not a tuple), so Qt's sorting models compare it as they compare any text."""
    return _NUMBERS.sub(_number, name.casefold())


class _Member(Protocol):
    @property
    def id(self) -> int: ...


class _Person(Protocol):
    @property
    def full_name(self) -> str: ...


M = TypeVar("M", bound=_Member)
P = TypeVar("P", bound=_Person)


def by_name(found: Iterable[tuple[M, P]]) -> list[tuple[M, P]]:
    """Memberships with their people, in name order (then by membership, for one order
    among namesakes)."""
    return sorted(found, key=lambda pair: (name_key(pair[1].full_name), pair[0].id))
