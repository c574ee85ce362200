"""Moodle's course or site "Logs" report, downloaded as CSV, in any language.

The report's column names, event names and dates follow the downloading user's language, but
the Description column never does (Moodle writes it in English on every install, "for admin
use"), so rows are classified and people identified from Description alone:

- a person is the FIRST user id in Description (`The user with id '5104' ...`); later ids in
  the same text are other people (the user viewed, the user graded);
- a row with no id and no name (Turnitin's rows, `-` names) names nobody: unattributed; so
  does a row by Moodle's guest account (id 1) or by nobody logged in (id 0); a row with a name
  but no id (Turnitin's, on a site that shows names) is kept under that name;
- login-as rows ("Real Name as Other Name") are Moodle's way of saying the real user acted as
  the other one. Moodle stores such an event as the other user's (their id is the one in
  Description), so the row counts for the user logged in as, under that user's name, and the
  import notes how many rows were done that way.

Times carry no zone: they are in the downloading user's zone, `options.timezone`. Day-first
(`en`) or month-first (`en_us`) is decided once for the whole file from its values.

Staff: a log does not say who teaches, but teachers leave a trace learners rarely do (they look
at the participant list and other people's profiles, grade, read the course's reports). Someone
with at least `STAFF_MIN_ROWS` such rows making at least `STAFF_MIN_SHARE` of their rows is
PROPOSED as staff (`SourceFile.staff_proposals`); only the ids the facilitator confirms
(`ImportOptions.staff`) join as facilitators.
"""

from __future__ import annotations

from collections.abc import Iterator

from cohortdesk.core.importers.base import (
    BatchItem,
    EventBatch,
    ImportItem,
    ImportOptions,
    SourceFile,
)
from cohortdesk.core.importers.columnar import read_columns
from cohortdesk.core.importers.moodle_kinds import UNNAMED_LABEL as MOODLE_USER
from cohortdesk.core.importers.moodle_log_batches import BatchReader
from cohortdesk.core.importers.moodle_log_header import find_columns, looks_like_report, time_format
from cohortdesk.core.importers.moodle_staff import StaffTally
from cohortdesk.core.importers.times import strptime_format
from cohortdesk.core.text import plural

FORMAT = "moodle-log"
IDENTITY_SOURCE = "moodle"
UNNAMED_LABEL = MOODLE_USER


def detect(name: str, head: bytes) -> bool:
    """Whether the file starts with a Moodle Logs report header, in any language.

    Args:
        name: the file name (unused: Moodle names the file after the course).
        head: the first bytes of the file.
    """
    del name
    return looks_like_report(head)


def parse(source: SourceFile, options: ImportOptions) -> Iterator[ImportItem]:
    """The report's rows one by one, in file order (newest first), then the confirmed staff:
    `parse_batches` read row by row, for callers that want items.

    Raises:
        ImportRejectedError: not a Logs report, a time that cannot be read, a file whose day
            and month order contradicts itself.
    """
    for item in parse_batches(source, options):
        if isinstance(item, EventBatch):
            yield from item.as_items()
        else:
            yield item


def parse_batches(source: SourceFile, options: ImportOptions) -> Iterator[BatchItem]:
    """The report's rows in batches of columns (`EventBatch`), then the confirmed staff.

    Every test on a row is a column operation.

    Raises:
        ImportRejectedError: as `parse` does, for the same row and reason.
    """
    table = read_columns(source, options.max_bytes)
    columns = find_columns(source, table.header)
    batches = table.batches
    if options.time_format:
        fmt = strptime_format(options.time_format)
    else:
        fmt, batches = time_format(source, options, columns.time, batches)
    source.note(
        f"Moodle writes times in the downloading user's time zone; they were read as "
        f"{options.timezone.key}."
    )
    staff = StaffTally()
    reader = BatchReader(source, columns, fmt, options.timezone, staff)
    for batch in batches:
        yield reader.read(batch)
    if reader.logged_as:
        rows_text = plural(reader.logged_as, "row was", "rows were")
        source.note(
            f"{rows_text} done by someone logged in as another user ('Real Name as Other "
            "Name'); like Moodle, they count for the user logged in as."
        )
    yield from staff.finish(source, options.staff)
