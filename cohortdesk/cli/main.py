"""The command line: no subcommand opens the GUI; subcommands are headless and thin.

Exit codes: 0 success; 1 bad input or environment, with one line on stderr naming the file,
row and reason; 2 bad usage (argparse). `--json` prints one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from sqlalchemy.exc import OperationalError

from cohortdesk import __version__
from cohortdesk.cli import cohorts as cli_cohorts
from cohortdesk.cli import copying as cli_copying
from cohortdesk.cli import data as cli_data
from cohortdesk.cli import export as cli_export
from cohortdesk.cli import importing as cli_importing
from cohortdesk.cli import judging
from cohortdesk.cli import mentoring as cli_mentoring
from cohortdesk.cli import nudges as cli_nudges
from cohortdesk.cli import team as cli_team
from cohortdesk.cli.terminal import safe_output
from cohortdesk.core.errors import KnownError
from cohortdesk.core.paths import app_paths, database_url
from cohortdesk.core.services.messaging import templates
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.migrate import open_database

PROG = "cohortdesk"


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: the global options here, each group's subcommands in its module."""
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

    cli_cohorts.add_parsers(commands)
    cli_importing.add_parsers(commands)
    judging.add_parsers(commands)
    cli_export.add_parsers(commands)
    cli_data.add_parsers(commands)
    cli_mentoring.add_parsers(commands)
    cli_nudges.add_parsers(commands)
    cli_team.add_parsers(commands)
    cli_copying.add_parsers(commands)
    return parser


def _open(args: argparse.Namespace) -> Database:
    paths = app_paths()
    paths.ensure()
    db = open_database(database_url(paths, args.db), paths.backup_dir)
    try:
        cli_data.after_open(db, paths)
        # As the app does at start-up: templates a newer version ships reach an older database.
        templates.add_builtin_templates(db)
    except BaseException:
        db.dispose()
        raise
    return db


COMMANDS: dict[str, Callable[[argparse.Namespace, Database], int]] = {
    **cli_cohorts.COMMANDS,
    **cli_importing.COMMANDS,
    **cli_export.COMMANDS,
    **judging.COMMANDS,
    **cli_data.DB_COMMANDS,
    **cli_mentoring.COMMANDS,
    **cli_nudges.COMMANDS,
    **cli_team.COMMANDS,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Everything it prints shows control characters rather than sending them
    (`cli.terminal`): a name imported from a file cannot drive the terminal.
    """
    with safe_output():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            from cohortdesk.app import run_gui

            return run_gui(args.db)
        if args.command in cli_data.FILE_COMMANDS:
            return cli_data.FILE_COMMANDS[args.command](args)
        if args.command in cli_copying.COMMANDS:
            return cli_copying.COMMANDS[args.command](args)
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
