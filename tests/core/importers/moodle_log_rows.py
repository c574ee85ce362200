"""The row-by-row reading of Moodle logs that the columnar one replaced, kept as the
reference the differential test compares the product's reading with."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from cohortdesk.core.importers.base import (
    ActivityRecord,
    ImportItem,
    ImportOptions,
    KeyMaker,
    PersonKey,
    Skipped,
    SourceFile,
    one_line,
)
from cohortdesk.core.importers.moodle_kinds import DISCUSSION_CREATED as _DISCUSSION_CREATED
from cohortdesk.core.importers.moodle_kinds import IN_DISCUSSION as _IN_DISCUSSION
from cohortdesk.core.importers.moodle_kinds import LEADING_ID as _LEADING_ID
from cohortdesk.core.importers.moodle_kinds import NOBODY_IDS as _NOBODY_IDS
from cohortdesk.core.importers.moodle_kinds import USER_ID as _USER_ID
from cohortdesk.core.importers.moodle_kinds import clean_name as _clean_name
from cohortdesk.core.importers.moodle_log_batches import DETAIL_LIMIT as _DETAIL_LIMIT
from cohortdesk.core.importers.moodle_log_batches import KEYS_PER_MAKER as _KEYS_PER_MAKER
from cohortdesk.core.importers.moodle_log_header import KEEP_ROWS as _KEEP_ROWS
from cohortdesk.core.importers.moodle_log_header import LogColumns as _Columns
from cohortdesk.core.importers.moodle_log_header import find_columns as _columns
from cohortdesk.core.importers.moodle_staff import StaffTally as _StaffTally
from cohortdesk.core.importers.moodle_staff import staff_like
from cohortdesk.core.importers.textio import cell, read_csv
from cohortdesk.core.importers.times import (
    DAY_FIRST,
    MONTH_FIRST,
    Detection,
    FormatDetector,
    TimeFormat,
    TimeReader,
    strptime_format,
    suggest_pattern,
)
from cohortdesk.core.models import EventKind
from cohortdesk.core.text import plural


def _scan_times(source: SourceFile, options: ImportOptions, column: int) -> Detection:
    table = read_csv(source, options.max_bytes)
    rows = table.rows
    try:
        return FormatDetector((DAY_FIRST, MONTH_FIRST)).feed_all(
            ((row, cell(cells, column)) for row, cells in rows), stop_when_settled=True
        )
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def _staff_check(staff: _StaffTally, uid: str, description: str) -> None:
    label = staff_like(uid, description)
    if label is not None:
        mine = staff.patterns.setdefault(uid, {})
        mine[label] = mine.get(label, 0) + 1


def parse(source: SourceFile, options: ImportOptions) -> Iterator[ImportItem]:
    """The report's rows as activity records or skipped rows, in file order (newest first).

    Raises:
        ImportRejectedError: not a Logs report, a time that cannot be read, a file whose day
            and month order contradicts itself.
    """
    table = read_csv(source, options.max_bytes)
    columns = _columns(source, table.header)
    fmt, rows = _time_format(source, options, columns.time, table.rows)
    source.note(
        f"Moodle writes times in the downloading user's time zone; they were read as "
        f"{options.timezone.key}."
    )
    staff = _StaffTally()
    yield from _items(source, rows, columns, TimeReader(fmt, options.timezone), staff)
    yield from staff.finish(source, options.staff)


def _time_format(
    source: SourceFile, options: ImportOptions, column: int, rows: Iterator[tuple[int, list[str]]]
) -> tuple[TimeFormat, Iterator[tuple[int, list[str]]]]:
    """Day-first or month-first for the whole file, and the rows to parse.

    The first rows usually settle it (a day after the 12th); they are kept and parsed after.
    When they do not, a separate first pass reads on through the file (memory stays flat).
    """
    if options.time_format:
        return strptime_format(options.time_format), rows
    detector = FormatDetector((DAY_FIRST, MONTH_FIRST))
    kept: list[tuple[int, list[str]]] = []
    for item in rows:
        kept.append(item)
        detector.feed(item[0], cell(item[1], column))
        if detector.settled or len(kept) >= _KEEP_ROWS:
            break
    found = detector.detection
    if not detector.settled and len(kept) >= _KEEP_ROWS:
        found = _scan_times(source, options, column)
    if not found.fitting:
        row = found.emptied_by[0] if found.emptied_by else None
        raise source.reject(row, found.unfit_reason())
    rows = itertools.chain(kept, rows)
    if len(found.fitting) == 1:
        chosen = found.fitting[0]
        source.note(f"Times were read as {chosen.description} ({found.label(chosen)}).")
        return chosen, rows
    if found.values:
        example = found.first[1] if found.first else ""
        source.note(
            f"Every time in the file (e.g. {example!r}) could be day/month or month/day; they "
            "were read as day/month/year, Moodle's default English format. If the file comes "
            "from a US-English Moodle, import it again with --time-format "
            f"'{suggest_pattern(example, MONTH_FIRST)}'."
        )
    return DAY_FIRST, rows


def _items(
    source: SourceFile,
    rows: Iterator[tuple[int, list[str]]],
    columns: _Columns,
    read_time: TimeReader,
    staff: _StaffTally,
) -> Iterator[ImportItem]:
    # One loop, with the cheap checks first: this runs a million times for a big site log.
    # Identical rows (a double click) share their time, and the report is sorted by time, so
    # they are neighbours: numbering them within a run of one time keeps keys as stable as
    # one KeyMaker for the file would, without remembering a million digests (a new one is
    # started at the first change of time after every few thousand keys).
    make_key = KeyMaker().make
    run_stamp = ""
    made = 0
    people: dict[str, tuple[str | None, PersonKey]] = {}  # by id: the name seen last, its key
    names: dict[str, tuple[str | None, bool]] = {}
    skip_reasons: dict[str, str] = {}
    nobody_reasons: dict[str, str] = {}
    time_at, description_at = columns.time, columns.description
    name_at = columns.name if columns.name is not None else -1
    event_at = columns.event if columns.event is not None else -1
    context_at = columns.context if columns.context is not None else -1
    time_description = read_time.fmt.description
    logged_as = 0
    uid_rows = staff.rows
    view, post, reply = EventKind.VIEW, EventKind.POST, EventKind.REPLY
    for row, cells in rows:
        width = len(cells)
        description = cells[description_at].strip() if description_at < width else ""
        event = cells[event_at].strip() if 0 <= event_at < width else ""

        # who: the first id in Description, else the name column
        uid: str | None = None
        if description.startswith(_LEADING_ID):
            end = description.find("'", 18)
            uid = description[18:end]
            if not (uid.isascii() and uid.isdigit()):
                uid = None
        if uid is None and "ser with" in description:
            match = _USER_ID.search(description)
            if match is not None:
                uid = match.group(1)
        if uid in _NOBODY_IDS:
            yield Skipped(row, "names nobody: a guest or someone not logged in", unattributed=True)
            continue
        raw_name = cells[name_at].strip() if 0 <= name_at < width else ""
        known_name = names.get(raw_name)
        if known_name is None:
            known_name = names[raw_name] = _clean_name(raw_name)
        name, as_other = known_name
        if uid is None and name is None:
            reason = nobody_reasons.get(event)
            if reason is None:
                reason = nobody_reasons[event] = f"names nobody: {event or 'an unnamed event'}"
            yield Skipped(row, reason, unattributed=True)
            continue
        if uid is not None:  # counted inline: this runs for every row
            seen = uid_rows.get(uid)
            if seen is None:
                uid_rows[uid] = 1
                staff.first_seen(uid, row, name)
            else:
                uid_rows[uid] = seen + 1

        # what: Description patterns (never translated); cheap substring tests before regexes
        kind: EventKind | None = None
        thread: str | None = None
        skip: str | None = None
        if "viewed the" in description:
            if (
                "viewed the course with id" in description
                or ("' activity with course module id" in description)
                or "viewed the discussion with id" in description
            ):
                kind = view
        elif "has created the discussion with" in description:
            kind = post
            match = _DISCUSSION_CREATED.search(description)
            thread = match.group(1) if match is not None else None
        elif "has created the post with" in description:
            kind = reply
            match = _IN_DISCUSSION.search(description)
            thread = match.group(1) if match is not None else None
        elif "has posted content" in description:
            skip = "duplicate notice of a post"
        elif "has logged in" in description:
            if "has logged in as" not in description:
                kind = EventKind.LOGIN
        elif (
            "has submitted" in description
            or event == "Add Submission"
            or description.startswith("User submission sent to Turnitin")
        ):
            kind = EventKind.SUBMIT
        if kind is None:
            if uid is not None:
                _staff_check(staff, uid, description)
            if skip is None:
                # by event name, or by Description when there is none: the row-by-row
                # reading keyed on the event name alone, so every row without one was given
                # the first such row's Description (fixed in the columnar reading)
                what = event or "\x00" + description
                skip = skip_reasons.get(what)
                if skip is None:
                    skip = skip_reasons[what] = _not_participation(event, description)
            yield Skipped(row, skip)
            continue

        raw_time = cells[time_at] if time_at < width else ""
        when = read_time(raw_time)
        if when is None:
            raw_time = raw_time.strip()
            if not raw_time:
                raise source.reject(row, "the Time column is empty")
            raise source.reject(
                row,
                f"the time {raw_time[:40]!r} is not {time_description} like the rows before "
                "it; give the format with --time-format",
            )
        if when[1] != run_stamp:
            run_stamp = when[1]
            if made >= _KEYS_PER_MAKER:  # a new run: earlier rows can no longer repeat
                make_key = KeyMaker().make
                made = 0
        made += 1
        known = people.get(uid or "")
        if known is None or known[0] != name:
            known = people[uid or ""] = (name, PersonKey(source_id=uid, name=name))
        person = known[1]
        if as_other:
            logged_as += 1
        context = cells[context_at].strip() if 0 <= context_at < width else ""
        detail = f"{event}: {context}" if context else event
        if len(detail) > _DETAIL_LIMIT or "\n" in detail or "\r" in detail:
            detail = one_line(detail, _DETAIL_LIMIT)
        yield ActivityRecord(
            row=row,
            who=person,
            occurred_at=when[0],
            kind=kind,
            # the same digest as make(stamp, actor, description), joined here in one go
            key=make_key(f"{when[1]}\x1f{uid or 'name:' + str(name)}\x1f{description}"),
            thread=thread,
            detail=detail,
        )
    if logged_as:
        rows_text = plural(logged_as, "row was", "rows were")
        source.note(
            f"{rows_text} done by someone logged in as another user ('Real Name as Other "
            "Name'); like Moodle, they count for the user logged in as."
        )


def _not_participation(event: str, description: str) -> str:
    what = event or description[:60] or "an unnamed event"
    return f"not participation: {what}"[:_DETAIL_LIMIT]
