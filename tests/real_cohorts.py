"""Cohorts built from the real exports beside the checkout, with their real dates.

One description per cohort (its dates, and each file with how to read it), built either through
the import services (`build`, for GUI tests) or through the command line (`cli_steps`, for tests
of the command line). Callers skip when the folder is absent (the `real_fixtures` fixture).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from cohortdesk.core.enums import EventKind
from cohortdesk.core.importers.activity_csv import parse_mapping
from cohortdesk.core.importers.base import ImportOptions
from cohortdesk.core.schemas import CohortInput
from cohortdesk.core.services.activity.importing import ImportRequest, run_import
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.storage.db import Database


@dataclass(frozen=True)
class RealFile:
    """One export and how it is read: its format, and for activity-csv the columns and kind."""

    format: str
    name: str
    mapping: str | None = None
    kind: EventKind | None = None


@dataclass(frozen=True)
class RealCohort:
    """A cohort made of real exports, dated as the course really ran."""

    name: str
    start: date
    end: date
    files: tuple[RealFile, ...]


EDIFY = RealCohort(
    "Edify",
    date(2017, 2, 1),
    date(2017, 6, 30),
    (RealFile("moodle-log", "moodle_log_edify_module3_sp17.csv"),),
)
SLACK = RealCohort(
    "Slack",
    date(2016, 1, 15),
    date(2016, 3, 31),
    (RealFile("slack", "slack_export_2016.zip"),),
)
MOOC = RealCohort(
    "MOOC",
    date(2013, 4, 4),
    date(2013, 6, 16),
    (
        RealFile("roster", "mooced_dlt1_nodes.csv"),
        RealFile(
            "activity-csv",
            "mooced_dlt1_edgelist.csv",
            mapping="who=Sender,when=Timestamp,replied_to=Receiver,thread=Discussion ID",
            kind=EventKind.REPLY,
        ),
    ),
)
REAL_COHORTS = (EDIFY, SLACK, MOOC)


def build(db: Database, cohort: RealCohort, folder: Path) -> int:
    """Create the cohort and import its files through the services; its id."""
    with db.write() as session:
        data = CohortInput(name=cohort.name, start_date=cohort.start, end_date=cohort.end)
        row = cohorts.create_cohort(session, data).value
    for file in cohort.files:
        options = ImportOptions(
            timezone=ZoneInfo(row.timezone),
            mapping=parse_mapping(file.mapping) if file.mapping else None,
            kind=file.kind,
        )
        run_import(db, ImportRequest(row.id, folder / file.name, file.format, options))
    return row.id


def cli_steps(cohort: RealCohort, folder: Path) -> tuple[tuple[str, ...], ...]:
    """The same cohort as `cohortdesk` commands (without `--db`)."""
    dates = ("--start", cohort.start.isoformat(), "--end", cohort.end.isoformat())
    steps: list[tuple[str, ...]] = [("cohort", "create", cohort.name, *dates)]
    for file in cohort.files:
        step = ["import", file.format, str(folder / file.name), "--cohort", cohort.name]
        if file.mapping:
            step += ["--map", file.mapping]
        if file.kind:
            step += ["--kind", file.kind.value]
        steps.append(tuple(step))
    return tuple(steps)
