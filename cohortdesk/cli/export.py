"""The `export` command: participation records (CSV, XLSX, xAPI) and the PDF report."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cohortdesk.cli.common import add_as_of, as_of_day, iso_date, print_written
from cohortdesk.core.errors import KnownError

if TYPE_CHECKING:
    from cohortdesk.core.storage.db import Database

EXPORT_KEY_ENV = "COHORTDESK_EXPORT_KEY"


def add_parsers(commands: Any) -> None:
    """The export subcommand, added to the main parser's."""
    from cohortdesk.core.enums import ExportFormat

    export = commands.add_parser(
        "export",
        help="write participation records or the PDF report",
        description="Export a cohort's participation: csv and xlsx (one row per member, "
        "optionally every event), pdf (a report for management) or xapi (statements for a "
        "learning record store). The file is complete or not written at all, and readable "
        "by you only.",
    )
    export.add_argument(
        "format",
        choices=[f.value for f in ExportFormat],
        metavar="FORMAT",
        help="csv, xlsx, pdf or xapi",
    )
    export.add_argument("--cohort", required=True, help="cohort name")
    export.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE", help="file to write"
    )
    export.add_argument(
        "--pseudonymise",
        "--pseudonymize",
        action="store_true",
        help="no names, emails, notes or message text; members get pseudonyms",
    )
    export.add_argument(
        "--key",
        help=f"pseudonymisation key (16+ characters; or ${EXPORT_KEY_ENV}) so that exports "
        "made with it can be linked; default: a random key for this export only",
    )
    add_as_of(export)
    export.add_argument(
        "--from",
        dest="date_from",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="first day of activity (cohort time zone; default: the first activity)",
    )
    export.add_argument(
        "--to",
        dest="date_to",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="last day of activity (cohort time zone; default: the as-of day)",
    )
    inactive = export.add_mutually_exclusive_group()
    inactive.add_argument(
        "--include-inactive",
        dest="include_inactive",
        action="store_true",
        default=True,
        help="keep members with no activity in the period (the default)",
    )
    inactive.add_argument(
        "--exclude-inactive",
        dest="include_inactive",
        action="store_false",
        help="leave out members with no activity in the period",
    )
    export.add_argument(
        "--with-events",
        action="store_true",
        help="also every event (csv: FILE-events.csv beside FILE; xlsx: an Events sheet)",
    )
    export.add_argument("--json", action="store_true", help="print what was written as JSON")


def cmd_export(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core import exporters
    from cohortdesk.core.schemas import ExportFormat, ExportOptions, validated
    from cohortdesk.core.services.people import cohorts

    key = args.key if args.key is not None else os.environ.get(EXPORT_KEY_ENV) or None
    if key is not None and not args.pseudonymise:
        raise KnownError("--key only makes sense with --pseudonymise")
    options = validated(
        ExportOptions,
        pseudonymise=args.pseudonymise,
        key=key,
        as_of=as_of_day(args.as_of),
        date_from=args.date_from,
        date_to=args.date_to,
        include_inactive=args.include_inactive,
        with_events=args.with_events,
    )
    with db.read() as session:
        cohort = cohorts.find_cohort(session, args.cohort)
    result = exporters.run_export(db, cohort.id, ExportFormat(args.format), args.output, options)
    print_written(result, args.json)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Database], int]] = {"export": cmd_export}
