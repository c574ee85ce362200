"""Running an export: collect what it contains once, then hand it to the format's writer.

The CLI and the export dialog both call `run_export` (the dialog inside a background job,
with its progress and Cancel) and the dialog `preview`; nothing else in cohortdesk writes
export files.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cohortdesk.core.errors import KnownError
from cohortdesk.core.exporters import csv_export, records
from cohortdesk.core.exporters.pdf_export import export_pdf
from cohortdesk.core.exporters.report_data import report_data
from cohortdesk.core.exporters.tabular import member_columns, preview_rows
from cohortdesk.core.exporters.xapi_export import export_xapi
from cohortdesk.core.exporters.xlsx_export import export_xlsx
from cohortdesk.core.models import Membership
from cohortdesk.core.progress import JobProgress, step
from cohortdesk.core.schemas import ExportFormat, ExportOptions, ExportPreview, ExportResult
from cohortdesk.core.storage.db import Database

#: called with (events done, events in all); may raise to cancel (nothing is written then)
ProgressCallback = Callable[[int, int], None]
PROGRESS_EVERY = 1000
PREVIEW_ROWS = 8


def files_for(format: ExportFormat, path: Path, options: ExportOptions) -> tuple[Path, ...]:
    """The files an export to `path` writes (CSV with events writes two)."""
    if format is ExportFormat.CSV:
        return csv_export.files(path, options.with_events)
    return (path,)


def preview(
    session: Session,
    cohort_id: int,
    format: ExportFormat,
    path: Path | None,
    options: ExportOptions,
    *,
    now: datetime | None = None,
) -> ExportPreview:
    """What the export would include: counts, the member columns and the first rows."""
    data = records.collect(session, cohort_id, options, now=now)
    columns = member_columns(data)
    return ExportPreview(
        members=len(data.members),
        left_out=data.left_out,
        events=data.event_count,
        columns=tuple(c.header for c in columns),
        rows=preview_rows(data, columns, PREVIEW_ROWS),
        files=files_for(format, path, options) if path is not None else (),
        period=data.period_text(),
    )


#: the most members a PDF report is made for: past it, its member table runs to hundreds of
#: pages and its network to a blot, and making it takes minutes with nothing to show
PDF_MAX_MEMBERS = 5_000


def _check_pdf_size(session: Session, cohort_id: int) -> None:
    """Refuse, before any work, a PDF report of a cohort too large to read on paper."""
    members = session.scalar(
        select(func.count()).select_from(Membership).where(Membership.cohort_id == cohort_id)
    )
    if members and members > PDF_MAX_MEMBERS:
        raise KnownError(
            f"The PDF report is made for cohorts of up to {PDF_MAX_MEMBERS:,} members; this one "
            f"has {members:,}. Export csv or xlsx for everyone's records."
        )


def export_cohort(
    session: Session,
    cohort_id: int,
    format: ExportFormat,
    path: Path,
    options: ExportOptions,
    *,
    now: datetime | None = None,
    progress: ProgressCallback | None = None,
) -> ExportResult:
    """Export a cohort to `path` in `format`; a complete file (or files) or none at all.

    Raises:
        NotFoundError: no such cohort.
        KnownError: the file cannot be written (named in the message).
        Whatever `progress` raises: the export stops and leaves no file behind.
    """
    if format is ExportFormat.PDF:
        _check_pdf_size(session, cohort_id)
    data = records.collect(session, cohort_id, options, now=now)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, data.event_count)

    if progress is not None:
        progress(0, data.event_count)
    events = records.iter_events(session, data)
    written_events = data.event_count
    if format is ExportFormat.CSV:
        files = csv_export.export_csv(data, events, path, tick)
    elif format is ExportFormat.XLSX:
        files = export_xlsx(data, events, path, tick)
    elif format is ExportFormat.PDF:
        files = export_pdf(data, report_data(session, data), path)
    else:
        files = export_xapi(data, events, path, tick)
    if format in (ExportFormat.CSV, ExportFormat.XLSX) and not options.with_events:
        written_events = 0
    if progress is not None:
        progress(data.event_count, data.event_count)
    return ExportResult(
        format=format,
        cohort=data.cohort.name,
        files=files,
        members=len(data.members),
        events=written_events,
        pseudonymised=data.pseudonymised,
    )


def run_export(
    db: Database,
    cohort_id: int,
    format: ExportFormat,
    path: Path,
    options: ExportOptions,
    *,
    now: datetime | None = None,
    progress: JobProgress | None = None,
) -> ExportResult:
    """Export a cohort from one consistent read of the database (see `export_cohort`).

    Args:
        db: the open database (only read).
        cohort_id: the cohort.
        format: what to write.
        path: the file to write (CSV with events writes a second one beside it).
        options: what to include, and how.
        now: the moment the export counts as made; by default the clock.
        progress: told the events written; raises from `check` to cancel (no file is left).
    """

    def events_written(done: int, total: int) -> None:
        step(progress, done, total)

    with db.read() as session:
        return export_cohort(
            session,
            cohort_id,
            format,
            path,
            options,
            now=now,
            progress=events_written if progress is not None else None,
        )
