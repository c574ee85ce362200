"""Import commands: `import FORMAT FILE` and `imports list|undo`."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cohortdesk.cli import mentoring as cli_mentoring
from cohortdesk.cli.common import positive, print_json, print_table
from cohortdesk.cli.terminal import ProgressLine
from cohortdesk.core.enums import EventKind
from cohortdesk.core.errors import KnownError
from cohortdesk.core.importers.activity_csv import parse_mapping
from cohortdesk.core.importers.base import ImportOptions
from cohortdesk.core.importers.registry import FORMATS

if TYPE_CHECKING:
    from cohortdesk.core.schemas import ImportSummary
    from cohortdesk.core.storage.db import Database


def add_parsers(commands: Any) -> None:
    """The import subcommands, added to the main parser's."""
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
        "--staff",
        metavar="ID,...",
        help="moodle-log: the file's user ids to make facilitators (confirming the import's "
        "proposal; nobody is made staff without it)",
    )
    importing.add_argument(
        "--dry-run", action="store_true", help="read and count everything, store nothing"
    )
    importing.add_argument("--json", action="store_true", help="print JSON")
    importing.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show the share of the file read, rows per second and time left on standard "
        "error (default: when standard output is a terminal)",
    )

    batches = commands.add_parser("imports", help="list or undo a cohort's imports")
    batch_commands = batches.add_subparsers(dest="imports_command", metavar="ACTION", required=True)
    batch_list = batch_commands.add_parser("list", help="the imports of a cohort, newest first")
    batch_list.add_argument("--cohort", required=True, help="cohort name")
    batch_list.add_argument("--json", action="store_true", help="print JSON")
    batch_undo = batch_commands.add_parser("undo", help="remove exactly the events of an import")
    batch_undo.add_argument("batch_id", type=positive, metavar="ID")


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise KnownError(
            f"Unknown time zone {name!r} (use an IANA name like Europe/London)"
        ) from exc


def cmd_import(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.paths import app_paths
    from cohortdesk.core.services.activity.importing import ImportRequest, run_import
    from cohortdesk.core.services.people import cohorts

    if args.format == cli_mentoring.REVIEW_NOTES:
        return cli_mentoring.cmd_import_review_notes(args, db)
    with db.read() as session:
        cohort = cohorts.find_cohort(session, args.cohort)
    options = ImportOptions(
        timezone=_zone(args.timezone or cohort.timezone),
        mapping=parse_mapping(args.map) if args.map else None,
        kind=EventKind(args.kind) if args.kind else None,
        time_format=args.time_format,
        staff=_ids(args.staff),
    )
    request = ImportRequest(cohort.id, args.file, args.format, options)
    show = args.progress if args.progress is not None else sys.stdout.isatty()
    # the line is redrawn with a carriage return: written past the stream that shows control
    # characters, the message itself still shown safe
    line = ProgressLine(sys.stderr) if show else None
    try:
        summary = run_import(
            db, request, dry_run=args.dry_run, backup_dir=app_paths().backup_dir, progress=line
        ).value
    finally:
        if line is not None:
            line.end()
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
    _tell_next_steps(args, summary, cohort.name)
    return 0


def _ids(text: str | None) -> frozenset[str]:
    if not text:
        return frozenset()
    ids = frozenset(part.strip() for part in text.split(",") if part.strip())
    if not ids:
        raise KnownError("--staff needs the file's user ids, separated by commas (e.g. 394,5104)")
    return ids


def _tell_next_steps(args: argparse.Namespace, summary: ImportSummary, cohort: str) -> None:
    """What the facilitator may want to do next: confirm staff, set the cohort's dates."""
    waiting = [p for p in summary.proposed_staff if p.source_id not in _ids(args.staff)]
    if waiting:
        print("Proposed as staff (their activity looks like a teacher's); nobody was made staff:")
        for proposal in waiting:
            print(f"  {proposal.describe()}")
        confirmed = sorted(_ids(args.staff) | {p.source_id for p in waiting})
        command = [
            "cohortdesk",
            "import",
            summary.format,
            str(args.file),
            "--cohort",
            cohort,
            "--staff",
            ",".join(confirmed),
        ]
        print(f"To confirm (drop the ids that are not staff): {shlex.join(command)}")
    if summary.outside_dates and summary.activity_first and summary.activity_last:
        command = [
            "cohortdesk",
            "cohort",
            "edit",
            cohort,
            "--start",
            summary.activity_first.isoformat(),
            "--end",
            summary.activity_last.isoformat(),
        ]
        print(f"To set the cohort's dates from the file: {shlex.join(command)}")


def cmd_imports(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.services.activity import imports
    from cohortdesk.core.services.people import cohorts

    if args.imports_command == "undo":
        with db.write() as session:
            undone = imports.undo_batch(session, args.batch_id).value
        print(undone.message())
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


COMMANDS: dict[str, Callable[[argparse.Namespace, Database], int]] = {
    "import": cmd_import,
    "imports": cmd_imports,
}
