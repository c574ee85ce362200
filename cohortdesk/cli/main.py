"""The command line: no subcommand opens the GUI; subcommands are headless and thin.

Exit codes: 0 success; 1 bad input or environment, with one line on stderr naming the file,
row and reason; 2 bad usage (argparse). `--json` prints one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.exc import OperationalError

from cohortdesk import __version__
from cohortdesk.cli import judging
from cohortdesk.cli import mentoring as cli_mentoring
from cohortdesk.cli.common import (
    add_as_of,
    as_of_day,
    iso_date,
    print_json,
    print_table,
    print_written,
)
from cohortdesk.cli.data import DB_COMMANDS, FILE_COMMANDS, add_parsers, after_open
from cohortdesk.core import exporters
from cohortdesk.core.demo.build import DemoSpec, create_demo
from cohortdesk.core.errors import KnownError
from cohortdesk.core.importers.activity_csv import parse_mapping
from cohortdesk.core.importers.base import ImportOptions
from cohortdesk.core.importers.registry import FORMATS
from cohortdesk.core.models import EventKind
from cohortdesk.core.paths import app_paths, database_url
from cohortdesk.core.schemas import CohortInput, ExportFormat, ExportOptions, validated
from cohortdesk.core.services.activity import imports
from cohortdesk.core.services.activity.importing import ImportRequest, run_import
from cohortdesk.core.services.messaging import templates
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.migrate import open_database

PROG = "cohortdesk"


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from exc
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The whole command-line contract, in one place."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Track access, motivation and contribution of online cohorts "
        "through Salmon's five stages. Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or SQLAlchemy URL (default: $COHORTDESK_DB, else the file in "
        "the user data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help="create a believable demo cohort")
    demo.add_argument("--cohort", help="name of the demo cohort")
    demo.add_argument("--members", type=_positive, help="people in it (default 24)")
    demo.add_argument("--days", type=_positive, help="days of activity (default 56)")
    demo.add_argument("--seed", type=int, help="random seed: same seed, same data")
    demo.add_argument("--end", type=iso_date, help="last day of activity (default today)")
    demo.add_argument(
        "--if-empty", action="store_true", help="do nothing when the database has a cohort"
    )

    cohort = commands.add_parser("cohort", help="create and list cohorts")
    cohort_commands = cohort.add_subparsers(dest="cohort_command", metavar="ACTION", required=True)
    create = cohort_commands.add_parser("create", help="create a cohort")
    create.add_argument("name")
    create.add_argument("--start", type=iso_date, help="first day (YYYY-MM-DD)")
    create.add_argument("--end", type=iso_date, help="last day (YYYY-MM-DD)")
    create.add_argument("--timezone", default="UTC", help="IANA time zone (default UTC)")
    create.add_argument("--description", default="")
    listing = cohort_commands.add_parser("list", help="list cohorts")
    listing.add_argument("--json", action="store_true", help="print JSON")

    importing = commands.add_parser(
        "import",
        help="import activity or people from another platform's export",
        description="Import a file into a cohort as one transaction: a bad row anywhere "
        "imports nothing; importing the same file again inserts nothing new.",
    )
    import_formats = (*FORMATS, cli_mentoring.REVIEW_NOTES)
    importing.add_argument(
        "format", choices=import_formats, metavar="FORMAT", help=", ".join(import_formats)
    )
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument("--cohort", required=True, help="cohort name")
    importing.add_argument(
        "--timezone", help="time zone of times written without one (default: the cohort's)"
    )
    importing.add_argument(
        "--map",
        metavar="MAPPING",
        help="activity-csv columns: who=COL,when=COL[,kind=COL][,replied_to=COL][,thread=COL]",
    )
    importing.add_argument(
        "--kind", choices=[k.value for k in EventKind], help="activity-csv: the kind of every row"
    )
    importing.add_argument("--time-format", help="strptime format of the times, e.g. %%d/%%m/%%Y")
    importing.add_argument(
        "--dry-run", action="store_true", help="read and count everything, store nothing"
    )
    importing.add_argument("--json", action="store_true", help="print JSON")

    batches = commands.add_parser("imports", help="list or undo a cohort's imports")
    batch_commands = batches.add_subparsers(dest="imports_command", metavar="ACTION", required=True)
    batch_list = batch_commands.add_parser("list", help="the imports of a cohort, newest first")
    batch_list.add_argument("--cohort", required=True, help="cohort name")
    batch_list.add_argument("--json", action="store_true", help="print JSON")
    batch_undo = batch_commands.add_parser("undo", help="remove exactly the events of an import")
    batch_undo.add_argument("batch_id", type=_positive, metavar="ID")

    library = commands.add_parser("templates", help="the prompt templates")
    library_commands = library.add_subparsers(
        dest="templates_command", metavar="ACTION", required=True
    )
    library_list = library_commands.add_parser("list", help="list the prompt templates")
    library_list.add_argument("--all", action="store_true", help="include retired templates")
    library_list.add_argument("--json", action="store_true", help="print JSON")
    judging.add_parsers(commands)
    _add_export_parser(commands)
    add_parsers(commands)
    cli_mentoring.add_parsers(commands)
    return parser


def _open(args: argparse.Namespace) -> Database:
    paths = app_paths()
    paths.ensure()
    db = open_database(database_url(paths, args.db), paths.backup_dir)
    try:
        after_open(db, paths)
        # As the app does at start-up: templates a newer version ships reach an older database.
        templates.add_builtin_templates(db)
    except BaseException:
        db.dispose()
        raise
    return db


def cmd_demo(args: argparse.Namespace, db: Database) -> int:
    with db.write() as session:
        if args.if_empty and cohorts.list_cohorts(session):
            return 0
        given = {
            "cohort": args.cohort,
            "members": args.members,
            "days": args.days,
            "seed": args.seed,
            "end": args.end,
        }
        spec = validated(DemoSpec, **{k: v for k, v in given.items() if v is not None})
        row = create_demo(session, spec)
    print(f"Created the demo cohort {row.name!r}: {row.members} members, {row.learners} learners")
    return 0


def cmd_cohort(args: argparse.Namespace, db: Database) -> int:
    if args.cohort_command == "create":
        data = validated(
            CohortInput,
            name=args.name,
            description=args.description,
            start_date=args.start,
            end_date=args.end,
            timezone=args.timezone,
        )
        with db.write() as session:
            row = cohorts.create_cohort(session, data).value
        print(f"Created the cohort {row.name!r}")
        return 0
    with db.read() as session:
        rows = cohorts.list_cohorts(session)
    if args.json:
        print_json([row.model_dump(mode="json") for row in rows])
    elif not rows:
        print("No cohorts yet. Create one with: cohortdesk cohort create NAME")
    else:
        print_table(
            ["Cohort", "Members", "Learners", "Start", "End", "Time zone", "Archived"],
            [
                [
                    r.name,
                    r.members,
                    r.learners,
                    r.start_date or "",
                    r.end_date or "",
                    r.timezone,
                    "yes" if r.archived else "",
                ]
                for r in rows
            ],
        )
    return 0


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise KnownError(
            f"Unknown time zone {name!r} (use an IANA name like Europe/London)"
        ) from exc


def cmd_import(args: argparse.Namespace, db: Database) -> int:
    if args.format == cli_mentoring.REVIEW_NOTES:
        return cli_mentoring.cmd_import_review_notes(args, db)
    with db.read() as session:
        cohort = cohorts.find_cohort(session, args.cohort)
    options = ImportOptions(
        timezone=_zone(args.timezone or cohort.timezone),
        mapping=parse_mapping(args.map) if args.map else None,
        kind=EventKind(args.kind) if args.kind else None,
        time_format=args.time_format,
    )
    request = ImportRequest(cohort.id, args.file, args.format, options)
    summary = run_import(db, request, dry_run=args.dry_run, backup_dir=app_paths().backup_dir).value
    if args.json:
        print_json(summary.cli_json())
        return 0
    verb = "Would import" if args.dry_run else "Imported"
    print(
        f"{verb} {summary.file_name} ({summary.format}, {summary.encoding or 'binary'}): "
        f"{summary.read} rows read, {summary.inserted} new events, {summary.duplicates} "
        f"already there, {summary.people_created} people added, {summary.unattributed} "
        f"unattributed, {summary.ignored} ignored"
    )
    for reason, count in summary.skipped_reasons.items():
        print(f"  skipped {count}: {reason}")
    for note in summary.notes:
        print(f"  note: {note}")
    return 0


def cmd_imports(args: argparse.Namespace, db: Database) -> int:
    if args.imports_command == "undo":
        with db.write() as session:
            removed = imports.undo_batch(session, args.batch_id).value
        print(f"Undid import {args.batch_id}: {removed} events removed")
        return 0
    with db.read() as session:
        cohort = cohorts.find_cohort(session, args.cohort)
        rows = imports.list_batches(session, cohort.id)
    if args.json:
        print_json([row.model_dump(mode="json") for row in rows])
        return 0
    if not rows:
        print(f"{cohort.name}: no imports yet")
        return 0
    print_table(
        ["Id", "Imported", "Format", "File", "Read", "New", "Duplicates", "People", "Undone"],
        [
            [
                r.id,
                f"{r.imported_at:%Y-%m-%d %H:%M}",
                r.format,
                r.file_name,
                r.read,
                r.inserted,
                r.duplicates,
                r.people_created,
                f"{r.undone_at:%Y-%m-%d}" if r.undone_at else "",
            ]
            for r in rows
        ],
    )
    return 0


def cmd_templates(args: argparse.Namespace, db: Database) -> int:
    with db.read() as session:
        rows = templates.list_templates(session, include_retired=args.all)
    if args.json:
        print_json([row.model_dump(mode="json") for row in rows])
        return 0
    print_table(
        ["Id", "Name", "Purpose", "Stage", "Kind", "Used"],
        [
            [
                r.id,
                r.name,
                r.purpose.value.replace("_", " "),
                r.stage or "any",
                ("built in" if r.builtin else "own") + (", retired" if r.retired else ""),
                r.uses,
            ]
            for r in rows
        ],
    )
    return 0


EXPORT_KEY_ENV = "COHORTDESK_EXPORT_KEY"


def _add_export_parser(commands: Any) -> None:
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


COMMANDS: dict[str, Callable[[argparse.Namespace, Database], int]] = {
    "demo": cmd_demo,
    "cohort": cmd_cohort,
    "import": cmd_import,
    "imports": cmd_imports,
    "templates": cmd_templates,
    "export": cmd_export,
    **judging.COMMANDS,
    **DB_COMMANDS,
    **cli_mentoring.COMMANDS,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            from cohortdesk.app import run_gui

            return run_gui(args.db)
        if args.command in FILE_COMMANDS:
            return FILE_COMMANDS[args.command](args)
        db = _open(args)
        try:
            return COMMANDS[args.command](args, db)
        finally:
            db.dispose()
    except KnownError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except OperationalError as exc:
        print(f"{PROG}: the database cannot be used: {exc.orig}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`cohortdesk status --json | head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
