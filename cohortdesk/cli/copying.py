"""`cohortdesk copy --from SRC --to DST`: cohorts from one database to another."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cohortdesk.cli.terminal import ProgressLine
from cohortdesk.core.errors import KnownError


def add_parsers(commands: Any) -> None:
    """The copy subcommand, added to the main parser's."""
    copy = commands.add_parser(
        "copy",
        help="copy cohorts from one database to another (a file, a team's server)",
        description="Copy cohorts, with their people, activity and records, from SRC to DST "
        "(SQLite files or server URLs) in one transaction on DST. What DST already holds is "
        "kept as it is: copying again adds nothing. Records are matched by cohort name, "
        "email, the events' own keys and the mentoring records' uuids.",
    )
    copy.add_argument("--from", dest="source", required=True, metavar="SRC", help="copy from")
    copy.add_argument("--to", dest="destination", required=True, metavar="DST", help="copy to")
    copy.add_argument(
        "--cohort",
        action="append",
        default=[],
        metavar="NAME",
        help="a cohort to copy (repeat for more; default: every cohort)",
    )
    copy.add_argument("--json", action="store_true", help="print what was copied as JSON")


def cmd_copy(args: argparse.Namespace) -> int:
    from cohortdesk.cli.common import print_written
    from cohortdesk.core.paths import app_paths, database_url
    from cohortdesk.core.services.messaging import templates
    from cohortdesk.core.services.transfer.copying import copy_cohorts
    from cohortdesk.core.storage.db import sqlite_file
    from cohortdesk.core.storage.migrate import open_database

    paths = app_paths()
    paths.ensure()
    source_url = database_url(paths, args.source)
    file = sqlite_file(source_url)
    if file is not None and not file.is_file():
        raise KnownError(f"{file}: no such database file to copy from")
    source = open_database(source_url, paths.backup_dir)
    try:
        destination = open_database(database_url(paths, args.destination), paths.backup_dir)
        try:
            templates.add_builtin_templates(destination)
            line = ProgressLine(sys.stderr, share=True) if sys.stderr.isatty() else None
            try:
                summary = copy_cohorts(source, destination, args.cohort, line)
            finally:
                if line is not None:
                    line.end()
        finally:
            destination.dispose()
    finally:
        source.dispose()
    print_written(summary, args.json)
    return 0


#: commands that open their own databases (not the one --db names)
COMMANDS = {"copy": cmd_copy}
