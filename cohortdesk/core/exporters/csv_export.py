"""CSV: one row per member; with events, a second file `<name>-events.csv`.

UTF-8 with a byte-order mark, so Excel opens names with accents correctly; comma separated,
quoted where needed (RFC 4180), CRLF line ends. Numbers are written as numbers, dates as
`YYYY-MM-DD`, event times as ISO 8601 with their offset. Text that a spreadsheet would run as a
formula gets a leading single quote (see `tabular.csv_text`).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from cohortdesk.core.exporters.records import ExportData, ExportEvent
from cohortdesk.core.exporters.tabular import (
    Cell,
    Column,
    csv_text,
    display_text,
    event_columns,
    member_columns,
)
from cohortdesk.core.storage.safefile import atomic_paths

ENCODING = "utf-8-sig"
RowT = TypeVar("RowT")
Tick = Callable[[], None]


def events_path(path: Path) -> Path:
    """Where the events of a CSV export go: `records.csv` -> `records-events.csv`."""
    return path.with_name(f"{path.stem}-events{path.suffix or '.csv'}")


def files(path: Path, with_events: bool) -> tuple[Path, ...]:
    """The files a CSV export writes."""
    return (path, events_path(path)) if with_events else (path,)


def cell_text(value: Cell) -> str:
    """One cell as CSV text: numbers and dates as they are, text neutralised."""
    if isinstance(value, str):
        return csv_text(value)
    return display_text(value)


def write_table(
    path: Path, columns: Sequence[Column[RowT]], rows: Iterable[RowT], tick: Tick | None = None
) -> int:
    """Write a header and `rows` to `path` (already a temporary file); returns rows written."""
    count = 0
    with path.open("w", encoding=ENCODING, newline="") as handle:
        writer = csv.writer(handle, dialect="excel")
        writer.writerow([csv_text(c.header) for c in columns])
        for row in rows:
            writer.writerow([cell_text(c.value(row)) for c in columns])
            count += 1
            if tick is not None:
                tick()
    return count


def export_csv(
    data: ExportData,
    events: Iterable[ExportEvent],
    path: Path,
    tick: Tick | None = None,
) -> tuple[Path, ...]:
    """Write the members (and, when asked, the events) as CSV, atomically.

    Args:
        data: what to export.
        events: the period's events (read only when `data.options.with_events`).
        path: the members file; the events go beside it (`events_path`).
        tick: called after each event row (progress and Cancel).

    Returns:
        The files written.
    """
    targets = files(path, data.options.with_events)
    with atomic_paths(targets) as temporaries:
        write_table(temporaries[0], member_columns(data), data.members)
        if data.options.with_events:
            write_table(temporaries[1], event_columns(data), events, tick)
    return targets
