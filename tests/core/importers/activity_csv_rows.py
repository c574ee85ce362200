"""The row-by-row reading of activity CSVs that the columnar one replaced, kept as the
reference the differential test compares the product's reading with."""

from __future__ import annotations

from collections.abc import Iterator

from cohortdesk.core.enums import EventKind
from cohortdesk.core.importers.activity_csv import (
    _DETAIL_LIMIT,
    _KINDS_TEXT,
    _checked_mapping,
    _Plan,
    _plan,
    check_header,
    kind_for,
    person_key,
)
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
from cohortdesk.core.importers.textio import cell, read_csv
from cohortdesk.core.importers.times import (
    UNIX_SECONDS,
    FormatDetector,
    TimeFormat,
    TimeReader,
    strptime_format,
)
from cohortdesk.core.text import plural


def parse(source: SourceFile, options: ImportOptions) -> Iterator[ImportItem]:
    """The file's rows as activity records, read through `options.mapping`.

    Raises:
        ImportRejectedError: no or a bad mapping, no kind, a column that does not exist,
            times in no known format or in two possible ones, an unknown kind word.
    """
    table = read_csv(source, options.max_bytes)
    check_header(source, table.header)
    mapping = _checked_mapping(source, options.mapping)
    plan = _plan(source, table.header, mapping, options.kind)
    fmt = _time_format(source, options, plan.when)
    yield from _items(source, table.rows, plan, TimeReader(fmt, options.timezone))


def _time_format(source: SourceFile, options: ImportOptions, column: int) -> TimeFormat:
    """The format of the `when` column, from a first pass over the whole file."""
    if options.time_format:
        return strptime_format(options.time_format)
    table = read_csv(source, options.max_bytes)
    rows = table.rows
    try:
        found = FormatDetector().feed_all(
            ((row, cell(cells, column)) for row, cells in rows), stop_when_settled=True
        )
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()
    if not found.fitting:
        row = found.emptied_by[0] if found.emptied_by else None
        raise source.reject(row, found.unfit_reason())
    if len(found.fitting) > 1 and found.values:
        row = (found.ambiguous or found.first or (None, ""))[0]
        raise source.reject(row, found.ambiguity_reason())
    chosen = found.fitting[0]
    if found.values and found.first is not None:
        label = found.label(chosen)
        named = (
            chosen.description if label == chosen.description else f"{chosen.description} ({label})"
        )
        zone = "" if chosen is UNIX_SECONDS else f"; times without a zone as {options.timezone.key}"
        source.note(f"Times were read as {named}, e.g. {found.first[1]!r}{zone}.")
    return chosen


def _items(
    source: SourceFile,
    rows: Iterator[tuple[int, list[str]]],
    plan: _Plan,
    read_time: TimeReader,
) -> Iterator[ImportItem]:
    keys = KeyMaker()
    people: dict[str, PersonKey] = {}
    kinds: dict[str, EventKind | None] = {}
    self_replies = 0
    for row, cells in rows:
        who_text = cell(cells, plan.who)
        if not who_text:
            yield Skipped(row, "names nobody (the who column is empty)", unattributed=True)
            continue
        who = people.get(who_text)
        if who is None:
            who = people[who_text] = person_key(who_text)

        kind_text = cell(cells, plan.kind) if plan.kind is not None else ""
        kind = plan.default_kind
        if kind_text:
            if kind_text not in kinds:
                kinds[kind_text] = kind_for(kind_text)
            kind = kinds[kind_text]
            if kind is None:
                raise source.reject(
                    row,
                    f"the kind {kind_text[:40]!r} is not one cohortdesk knows: use {_KINDS_TEXT} "
                    "(or words like comment, thread, like, visit)",
                )
        if kind is None:
            raise source.reject(row, "the kind column is empty")

        raw_time = cell(cells, plan.when)
        when = read_time(raw_time)
        if when is None:
            if not raw_time:
                raise source.reject(row, "the time is empty")
            raise source.reject(
                row,
                f"the time {raw_time[:40]!r} is not {read_time.fmt.description} like the "
                "rest of the column",
            )

        replied_text = cell(cells, plan.replied_to) if plan.replied_to is not None else ""
        replied_to: PersonKey | None = None
        if replied_text:
            replied_to = people.get(replied_text)
            if replied_to is None:
                replied_to = people[replied_text] = person_key(replied_text)
            if replied_to == who:
                replied_to = None
                self_replies += 1
        thread = cell(cells, plan.thread) if plan.thread is not None else ""
        yield ActivityRecord(
            row=row,
            who=who,
            occurred_at=when[0],
            kind=kind,
            key=keys.make(
                when[1],
                who_text,
                kind_text and kind.value,
                thread,
                replied_text,
            ),
            thread=thread or None,
            replied_to=replied_to,
            detail=_detail(kind, replied_to, replied_text, thread),
        )
    if self_replies:
        rows_text = plural(self_replies, "row answers", "rows answer")
        source.note(f"{rows_text} its own author: kept, without a reply link.")


def _detail(kind: EventKind, replied_to: PersonKey | None, replied: str, thread: str) -> str:
    text = kind.value
    if replied_to is not None:
        text += f" to {replied}"
    if thread:
        text += f" in thread {thread}"
    return one_line(text, _DETAIL_LIMIT)
