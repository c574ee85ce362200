"""Reading the times exports write, fast, and working out which format a column uses.

Exports write times in many ways: ISO 8601 with or without a zone, Unix seconds, and the
slashed dates of spreadsheets and Moodle (`27/06/17, 05:54`, `4/4/13 16:32`, `06/27/2017 5:54 PM`)
whose day/month order cannot be told from one value. This module offers:

- the known `TimeFormat`s (`ISO_8601`, `UNIX_SECONDS`, `DAY_FIRST`, `MONTH_FIRST`) and
  `strptime_format` for a format the user gives;
- `FormatDetector`, fed a column's values, which keeps the formats that fit every value so the
  caller can decide (or refuse) for the whole file rather than guess from one row;
- `TimeReader`, which parses one column's values in one format into aware datetimes, caching
  by the raw text (a log repeats the same minute many times).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

#: a parse function: the naive or aware datetime a text means, or None when it does not fit
ParseFunction = Callable[[str], datetime | None]

#: cached values per reader before the cache is emptied (bounds memory on million-row files)
CACHE_LIMIT = 1 << 17

_SLASHED_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2}),?")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(?:\s*([AaPp])\.?\s*[Mm]\.?)?")
_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}")
_UNIX = re.compile(r"-?\d{9,11}(?:\.\d{1,9})?")


@dataclass(frozen=True, slots=True)
class TimeFormat:
    """One way of writing times.

    Attributes:
        name: a short name for messages ("d/m/y").
        description: what it means in words ("day/month/year").
        parse: the function reading one value (naive or aware datetime, None if it does not fit).
        hint: a `--time-format` (strptime) that reads a typical value, for messages.
    """

    name: str
    description: str
    parse: ParseFunction = field(repr=False, compare=False)
    hint: str = ""


def _two_digit_year(year: int) -> int:
    # strptime's %y pivot: 69-99 are 1969-1999, 00-68 are 2000-2068
    return year + (1900 if year >= 69 else 2000)


def _slashed_date(text: str, day_first: bool) -> date | None:
    match = _SLASHED_DATE.fullmatch(text)
    if match is None:
        return None
    first, separator, second, year_text = match.groups()
    if separator == "." and not day_first:
        return None  # dotted dates (05.03.2024) are always day first
    year = int(year_text)
    if len(year_text) == 2:
        year = _two_digit_year(year)
    day, month = (int(first), int(second)) if day_first else (int(second), int(first))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _clock(text: str) -> time | None:
    match = _CLOCK.fullmatch(text)
    if match is None:
        return None
    hour_text, minute, second, fraction, half = match.groups()
    hour = int(hour_text)
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half in "Pp" else 0)
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    try:
        return time(hour, int(minute), int(second) if second else 0, micro)
    except ValueError:
        return None


class _SlashedParser:
    """Reads `d/m/y[, H:M[:S]][ AM|PM]` (or month first), caching date and clock parts apart.

    A log has a few hundred distinct days and at most 86,400 distinct clock readings, so
    splitting the text and caching each half makes a million distinct timestamps cheap.
    """

    __slots__ = ("_clocks", "_dates", "_day_first")

    def __init__(self, day_first: bool) -> None:
        self._day_first = day_first
        self._dates: dict[str, tuple[date, str] | None] = {}
        self._clocks: dict[str, tuple[time, str] | None] = {}

    def __call__(self, text: str) -> datetime | None:
        read = self.read(text, None)
        return None if read is None else read[0]

    def read(self, text: str, zone: ZoneInfo | None) -> tuple[datetime, str] | None:
        """`(moment, stamp)` for `text`: the moment with `zone` attached, its naive ISO text."""
        text = text.strip()
        date_text, _space, clock_text = text.partition(" ")
        if not clock_text and "," in date_text:
            date_text, _comma, clock_text = date_text.partition(",")
        day = self._dates.get(date_text, _NO_DATE)
        if day is _NO_DATE:
            parsed = _slashed_date(date_text, self._day_first)
            day = None if parsed is None else (parsed, parsed.isoformat())
            if len(self._dates) >= CACHE_LIMIT:
                self._dates.clear()
            self._dates[date_text] = day
        if day is None:
            return None
        clock_text = clock_text.strip()
        if not clock_text:
            if text.endswith(","):
                return None  # Moodle's comma promises a time
            clock: tuple[time, str] | None = _MIDNIGHT
        else:
            clock = self._clocks.get(clock_text, _NO_CLOCK)
            if clock is _NO_CLOCK:
                parsed_clock = _clock(clock_text)
                clock = None if parsed_clock is None else (parsed_clock, parsed_clock.isoformat())
                if len(self._clocks) >= CACHE_LIMIT:
                    self._clocks.clear()
                self._clocks[clock_text] = clock
        if clock is None:
            return None
        return datetime.combine(day[0], clock[0], zone), f"{day[1]}T{clock[1]}"


#: "not cached yet" markers (None is a cached "does not fit")
_NO_DATE: tuple[date, str] = (date.min, "")
_NO_CLOCK: tuple[time, str] = (time(), "")
_MIDNIGHT: tuple[time, str] = (time(), "00:00:00")


def _parse_iso(text: str) -> datetime | None:
    text = text.strip()
    if _ISO_START.match(text) is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _parse_unix(text: str) -> datetime | None:
    text = text.strip()
    if _UNIX.fullmatch(text) is None:
        return None
    try:
        return datetime.fromtimestamp(float(text), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


ISO_8601 = TimeFormat("ISO 8601", "ISO 8601", _parse_iso, "%Y-%m-%dT%H:%M:%S")
UNIX_SECONDS = TimeFormat("Unix seconds", "Unix seconds", _parse_unix, "")
DAY_FIRST = TimeFormat("d/m/y", "day/month/year", _SlashedParser(day_first=True), "%d/%m/%y %H:%M")
MONTH_FIRST = TimeFormat(
    "m/d/y", "month/day/year", _SlashedParser(day_first=False), "%m/%d/%y %H:%M"
)
#: the formats detection tries, in the order of preference for messages
KNOWN_FORMATS: tuple[TimeFormat, ...] = (ISO_8601, UNIX_SECONDS, DAY_FIRST, MONTH_FIRST)


def strptime_format(pattern: str) -> TimeFormat:
    """A `TimeFormat` for a `strptime` pattern the user gave (`--time-format`).

    Args:
        pattern: e.g. `"%d/%m/%Y %H:%M"`.
    """

    def parse(text: str) -> datetime | None:
        try:
            return datetime.strptime(text.strip(), pattern)
        except (ValueError, TypeError):
            return None

    return TimeFormat(pattern, f"the format {pattern!r}", parse, pattern)


@dataclass(slots=True)
class Detection:
    """What `FormatDetector` found out about a column.

    Attributes:
        candidates: the formats tried.
        fitting: those that read every value seen, in the order of `candidates`.
        values: how many distinct non-empty values were looked at.
        first: the first non-empty value and its row, for messages.
        ambiguous: a value (and its row) that the remaining formats read differently.
        emptied_by: the value (and row) that ruled out the last fitting formats, if any.
        year_digits: the year widths seen in slashed dates (2 and/or 4).
    """

    candidates: tuple[TimeFormat, ...]
    fitting: list[TimeFormat]
    values: int = 0
    first: tuple[int, str] | None = None
    ambiguous: tuple[int, str] | None = None
    emptied_by: tuple[int, str] | None = None
    last_fitting: tuple[TimeFormat, ...] = ()
    year_digits: set[int] = field(default_factory=set)

    def label(self, fmt: TimeFormat) -> str:
        """`fmt`'s name with the year width seen: "m/d/yy" for `4/4/13 16:32`."""
        if fmt not in (DAY_FIRST, MONTH_FIRST):
            return fmt.name
        if self.year_digits == {2}:
            return fmt.name + "y"
        if self.year_digits == {4}:
            return fmt.name + "yyy"
        return fmt.name

    def unfit_reason(self) -> str:
        """Why no format fits every value, in plain words naming the values."""
        known = ", ".join(fmt.description for fmt in self.candidates)
        if self.emptied_by is None:
            return "there are no times"
        row, value = self.emptied_by
        if self.emptied_by == self.first:
            return (
                f"the time {value!r} (row {row}) is not in a format cohortdesk knows ({known}, "
                "with an optional time of day); give the format with --time-format"
            )
        first_row, first_value = self.first or (0, "")
        formats = " or ".join(fmt.description for fmt in self.last_fitting)
        return (
            f"the time {value!r} (row {row}) is not {formats} like the times before it "
            f"(e.g. {first_value!r}, row {first_row}): the column mixes formats; "
            "give the format with --time-format"
        )

    def ambiguity_reason(self) -> str:
        """Why the column cannot be read without help, naming a value and the candidates."""
        _row, value = self.ambiguous or self.first or (0, "")
        names = " or ".join(f"{fmt.description} ({fmt.name})" for fmt in self.fitting)
        hints = " or ".join(repr(suggest_pattern(value, fmt)) for fmt in self.fitting)
        return (
            f"times like {value!r} could be {names}, and no value in the file settles it; "
            f"give the format with --time-format (e.g. {hints})"
        )


def suggest_pattern(value: str, fmt: TimeFormat) -> str:
    """A `strptime` pattern that reads `value` in `fmt`, for messages ("%m/%d/%y %H:%M")."""
    if fmt not in (DAY_FIRST, MONTH_FIRST):
        return fmt.hint
    date_text, _space, clock_text = value.strip().partition(" ")
    match = _SLASHED_DATE.match(date_text)
    if match is None:
        return fmt.hint
    sep = match.group(2)
    year = "%Y" if len(match.group(4)) == 4 else "%y"
    order = f"%d{sep}%m" if fmt is DAY_FIRST else f"%m{sep}%d"
    pattern = f"{order}{sep}{year}" + ("," if date_text.endswith(",") else "")
    clock = _CLOCK.fullmatch(clock_text.strip())
    if clock is not None:
        hour = "%I" if clock.group(5) else "%H"
        seconds = ":%S" if clock.group(3) else ""
        pattern += f" {hour}:%M{seconds}" + (" %p" if clock.group(5) else "")
    return pattern


class FormatDetector:
    """Works out which formats read every value of a column, without keeping the values.

    Feed it `(row, text)` pairs; formats that fail a value are dropped. Repeated values are
    checked once (a bounded memory of recent values).
    """

    __slots__ = ("_recent", "detection")

    def __init__(self, candidates: Sequence[TimeFormat] = KNOWN_FORMATS) -> None:
        self.detection = Detection(candidates=tuple(candidates), fitting=list(candidates))
        self._recent: set[str] = set()

    @property
    def settled(self) -> bool:
        """Whether at most one format is left (more values cannot widen the choice)."""
        return len(self.detection.fitting) <= 1

    def feed(self, row: int, text: str) -> None:
        """Look at one value (empty values are ignored)."""
        text = text.strip()
        if not text or text in self._recent:
            return
        if len(self._recent) >= CACHE_LIMIT:
            self._recent.clear()
        self._recent.add(text)
        found = self.detection
        found.values += 1
        if found.first is None:
            found.first = (row, text)
        if not found.fitting:
            return
        readings: dict[str, datetime] = {}
        for fmt in found.fitting:
            moment = fmt.parse(text)
            if moment is not None:
                readings[fmt.name] = moment
        if not readings:
            found.emptied_by = (row, text)
            found.last_fitting = tuple(found.fitting)
        found.fitting = [fmt for fmt in found.fitting if fmt.name in readings]
        if len(set(readings.values())) > 1 and found.ambiguous is None:
            found.ambiguous = (row, text)
        slashed = _SLASHED_DATE.match(text)
        if slashed is not None:
            found.year_digits.add(len(slashed.group(4)))

    def feed_all(self, values: Iterable[tuple[int, str]], *, stop_when_settled: bool) -> Detection:
        """Feed every value, or stop once one format (or none) is left; return the findings."""
        for row, text in values:
            self.feed(row, text)
            if stop_when_settled and self.settled:
                break
        return self.detection


class TimeReader:
    """Reads one column's times in one format into aware datetimes, caching by the raw text.

    Calling it returns `(moment, stamp)`: `moment` is aware (naive values get `zone`), `stamp`
    is the time as written, normalised (ISO text of the naive or aware reading), so it does not
    depend on the zone chosen or on how the export spelled it: a stable part for event keys.
    None when the text does not fit the format.
    """

    __slots__ = ("_cache", "_last", "_parse", "_slashed", "_zone", "fmt")

    def __init__(self, fmt: TimeFormat, zone: ZoneInfo) -> None:
        self.fmt = fmt
        self._parse = fmt.parse
        # slashed formats cache their date and clock halves (a few hundred days, at most
        # 86,400 clock readings), which beats a cache of whole values that rarely repeat
        self._slashed = fmt.parse if isinstance(fmt.parse, _SlashedParser) else None
        self._zone = zone
        self._cache: dict[str, tuple[datetime, str] | None] = {}
        self._last: tuple[str, tuple[datetime, str] | None] = ("", None)

    def __call__(self, text: str) -> tuple[datetime, str] | None:
        last = self._last
        if text == last[0]:  # logs are sorted by time: a repeat is usually the row before
            return last[1]
        result: tuple[datetime, str] | None
        if self._slashed is not None:
            result = self._slashed.read(text, self._zone)
        else:
            cache = self._cache
            result = cache.get(text, _NO_ENTRY)
            if result is _NO_ENTRY:
                result = None
                moment = self._parse(text)
                if moment is not None:
                    stamp = moment.isoformat()
                    if moment.tzinfo is None:
                        moment = moment.replace(tzinfo=self._zone)
                    result = (moment, stamp)
                if len(cache) >= CACHE_LIMIT:
                    cache.clear()
                cache[text] = result
        self._last = (text, result)
        return result


#: marks "not cached yet" (None is a cached "does not fit")
_NO_ENTRY: tuple[datetime, str] = (datetime.min, "")
