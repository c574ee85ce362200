"""The command line: no subcommand opens the GUI; subcommands are headless and thin.

Exit codes: 0 success; 1 bad input or environment, with one line on stderr naming the file,
row and reason; 2 bad usage (argparse). `--json` prints one JSON document on stdout.

Start-up: `cohortdesk` (or `cohortdesk --db X`) opens the app without building the parser,
whose command modules the window does not need; the command modules import the core inside
their commands, so `--help` and `--version` load neither the database layer nor the domain.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from cohortdesk import __version__
from cohortdesk.cli.terminal import safe_output
from cohortdesk.core.errors import KnownError, missing_package

if TYPE_CHECKING:
    from cohortdesk.core.storage.db import Database

PROG = "cohortdesk"


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: the global options here, each group's subcommands in its module."""
    from cohortdesk.cli import cohorts as cli_cohorts
    from cohortdesk.cli import copying as cli_copying
    from cohortdesk.cli import data as cli_data
    from cohortdesk.cli import export as cli_export
    from cohortdesk.cli import importing as cli_importing
    from cohortdesk.cli import judging
    from cohortdesk.cli import mentoring as cli_mentoring
    from cohortdesk.cli import nudges as cli_nudges
    from cohortdesk.cli import team as cli_team

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
    from cohortdesk.cli import data as cli_data
    from cohortdesk.core.paths import app_paths, database_url
    from cohortdesk.core.services.messaging import templates
    from cohortdesk.core.storage.migrate import open_database

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


def _commands() -> dict[str, Callable[[argparse.Namespace, Database], int]]:
    """Every command that works on an open database, by name."""
    from cohortdesk.cli import cohorts as cli_cohorts
    from cohortdesk.cli import data as cli_data
    from cohortdesk.cli import export as cli_export
    from cohortdesk.cli import importing as cli_importing
    from cohortdesk.cli import judging
    from cohortdesk.cli import mentoring as cli_mentoring
    from cohortdesk.cli import nudges as cli_nudges
    from cohortdesk.cli import team as cli_team

    return {
        **cli_cohorts.COMMANDS,
        **cli_importing.COMMANDS,
        **cli_export.COMMANDS,
        **judging.COMMANDS,
        **cli_data.DB_COMMANDS,
        **cli_mentoring.COMMANDS,
        **cli_nudges.COMMANDS,
        **cli_team.COMMANDS,
    }


def opens_the_app(argv: Sequence[str]) -> tuple[bool, str | None]:
    """Whether `argv` only opens the app (nothing, `--db X` or `--db=X`), and the database
    it names; anything else goes through the whole parser."""
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-"):
        return True, argv[1]
    if len(argv) == 1 and argv[0].startswith("--db="):
        return True, argv[0].removeprefix("--db=")
    return False, None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Everything it prints shows control characters rather than sending them
    (`cli.terminal`): a name imported from a file cannot drive the terminal.
    """
    with safe_output():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    given = sys.argv[1:] if argv is None else list(argv)
    app_only, db_option = opens_the_app(given)
    args = (
        argparse.Namespace(command=None, db=db_option)
        if app_only
        else build_parser().parse_args(given)  # --help and --version exit here
    )
    try:
        if args.command is None:
            from cohortdesk.app import run_gui

            return run_gui(args.db)
        from cohortdesk.cli import copying as cli_copying
        from cohortdesk.cli import data as cli_data

        if args.command in cli_data.FILE_COMMANDS:
            return cli_data.FILE_COMMANDS[args.command](args)
        if args.command in cli_copying.COMMANDS:
            return cli_copying.COMMANDS[args.command](args)
        db = _open(args)
        try:
            return _commands()[args.command](args, db)
        finally:
            db.dispose()
    except KnownError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`cohortdesk status --json | head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except Exception as exc:
        lacking = missing_package(exc)
        if lacking is not None:
            print(f"{PROG}: {lacking}", file=sys.stderr)
            return 1
        from sqlalchemy.exc import OperationalError  # loaded by then if it was raised

        if isinstance(exc, OperationalError):
            print(f"{PROG}: the database cannot be used: {exc.orig}", file=sys.stderr)
            return 1
        raise
