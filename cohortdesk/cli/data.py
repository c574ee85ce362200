"""The command line's care of the data itself: backup, restore, check, salvage and erase.

`check`, `restore` and `salvage` work on the file without opening it the usual way (it may be
damaged, absent, or about to be replaced); `backup` and `erase` work on the open database.
Every message is one line; a problem exits 1 (see `cli.main`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cohortdesk.core.errors import KnownError
from cohortdesk.core.text import plural

if TYPE_CHECKING:
    from cohortdesk.core.paths import AppPaths
    from cohortdesk.core.storage.db import Database


def add_parsers(commands: Any) -> None:
    """The data-care subcommands, added to the main parser's."""
    backup = commands.add_parser(
        "backup",
        help="copy the database to FILE (checked, then renamed into place)",
        description="Copy the database to FILE with SQLite's backup API, while it may be in "
        "use. The copy is checked before it replaces FILE; it is readable by you only.",
    )
    backup.add_argument("file", type=Path, metavar="FILE")

    restore = commands.add_parser(
        "restore",
        help="replace the database with a backup (the current one is kept first)",
        description="Replace the database with BACKUP, after checking it. The current "
        "database is kept first as a 'before-restore' backup (or set aside if damaged).",
    )
    restore.add_argument("backup", type=Path, metavar="BACKUP")

    check = commands.add_parser(
        "check",
        help="check the database file: integrity, foreign keys and the daily counts",
        description="Run SQLite's integrity check and foreign key check, then check that the "
        "daily counts every screen reads equal a fresh count of the events, without changing "
        "the file. Exit 0 when it is sound, 1 with the problem otherwise.",
    )
    check.add_argument("--quick", action="store_true", help="the faster, less thorough check")
    check.add_argument(
        "--repair",
        action="store_true",
        help="recount the daily counts from the events where they differ (backed up first)",
    )

    rescue = commands.add_parser(
        "salvage",
        help="rescue what can be read from a damaged database",
        description="Copy every row that can still be read from DAMAGED into a new database "
        "(by default the database path, when it is free after the damaged file was set aside).",
    )
    rescue.add_argument("damaged", type=Path, metavar="DAMAGED")
    rescue.add_argument("-o", "--output", type=Path, metavar="FILE", help="where to save it")

    forget = commands.add_parser(
        "erase",
        help="erase a person everywhere (their records, mentions and backups holding them)",
        description="Erase everyone known by EMAIL: their memberships, events, notes, "
        "check-ins, nudges and mentoring records, their name and email in other records' "
        "text, the deleted pages on disk, and the automatic backups that still hold them.",
    )
    forget.add_argument("--email", required=True, help="the person's email address")
    forget.add_argument("--yes", action="store_true", help="really erase (it cannot be undone)")
    forget.add_argument(
        "--keep-backups",
        action="store_true",
        help="leave the automatic backups that still hold the person",
    )


#: what each command that works on an SQLite file says of a database on a server
ON_A_SERVER = {
    "backup": "backup copies an SQLite file; back up a server with its own tools (pg_dump), "
    "or copy its cohorts to a file with cohortdesk copy --from URL --to FILE",
    "restore": "restore replaces an SQLite file; restore a server with its own tools "
    "(pg_restore), or copy cohorts into it with cohortdesk copy --from FILE --to URL",
    "salvage": "salvage rescues a damaged SQLite file; a server recovers with its own tools",
}


def on_a_server(command: str, url: str) -> KnownError:
    """The one-line refusal of a file-only command given a server's URL (without password)."""
    from cohortdesk.core.storage.db import readable_url

    return KnownError(f"{readable_url(url)} is a database server: {ON_A_SERVER[command]}")


def database_file(paths: AppPaths, db_option: str | None, command: str) -> Path:
    """The SQLite file the command works on.

    Raises:
        KnownError: the database is not an SQLite file (a server URL): what to do instead.
    """
    from cohortdesk.core.paths import check_regular_file, database_url
    from cohortdesk.core.storage.db import sqlite_file

    url = database_url(paths, db_option)
    file = sqlite_file(url)
    if file is None:
        raise on_a_server(command, url)
    check_regular_file(file)
    return file


def after_open(db: Database, paths: AppPaths) -> None:
    """What every command does once the database is open: today's backup, and news of an
    import a crash interrupted (on stderr, so `--json` output stays one document)."""
    from cohortdesk.core.storage.backup import daily_backup_if_due
    from cohortdesk.core.storage.import_guard import interrupted_import

    if db.file is None:
        return
    try:
        daily_backup_if_due(db.file, paths.backup_dir)
    except KnownError as exc:
        print(f"cohortdesk: warning: no daily backup today: {exc}", file=sys.stderr)
    with db.read() as session:
        account = interrupted_import(session, db.file)
    if account is not None:
        print(f"cohortdesk: note: {account.message()}", file=sys.stderr)


def cmd_backup(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.storage.backup import backup_sqlite

    if db.file is None:
        raise on_a_server("backup", db.url)
    target = args.file.expanduser()
    if target.exists() and target.resolve() == db.file.resolve():
        raise KnownError(f"{target} is the database itself: choose another file")
    if target.is_dir():
        raise KnownError(f"{target} is a folder: name the backup file")
    if not target.parent.is_dir():
        raise KnownError(f"{target}: the folder {target.parent} does not exist")
    made = backup_sqlite(db.file, target)
    print(f"Backed up {db.file} to {made} ({made.stat().st_size:,} bytes, checked)")
    return 0


def cmd_erase(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.paths import app_paths
    from cohortdesk.core.services.privacy import erase

    with db.read() as session:
        ids = erase.people_with_email(session, args.email)
        names = [erase.person_summary(session, pid) for pid in ids]
    if not ids:
        raise KnownError(f"Nobody is known by {args.email}")
    if not args.yes:
        for line in names:
            print(f"Would erase {line}")
        raise KnownError("Nothing was erased: run again with --yes to erase for good")
    erasure = erase.erase_everywhere(
        db, ids, app_paths().backup_dir, keep_backups=args.keep_backups
    ).value
    for person in erasure.people:
        print(person.message())
    if db.file is None:
        print(erase.server_keeps(db.display_name))
    if erasure.fresh_backup is not None:
        print(
            f"Deleted {erasure.backups_deleted} backups that still held them; made a fresh one: "
            f"{erasure.fresh_backup.name}"
        )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from cohortdesk.core.paths import app_paths, database_url
    from cohortdesk.core.services.activity import rollups
    from cohortdesk.core.storage.db import read_only_database, sqlite_file
    from cohortdesk.core.storage.migrate import open_database
    from cohortdesk.core.storage.recovery import check_database

    paths = app_paths()
    if sqlite_file(database_url(paths, args.db)) is None:
        return _check_server(args, paths)
    file = database_file(paths, args.db, "check")
    report = check_database(file, quick=args.quick)
    if not report.ok:
        raise KnownError(report.line())
    reader = read_only_database(file)
    try:
        with reader.read() as session:
            drifted = rollups.drifted_cohorts(session)
    finally:
        reader.dispose()
    if not drifted:
        print(f"{file}: ok (integrity, foreign keys and daily counts checked)")
        return 0
    what = f"{file}: the daily counts of {plural(len(drifted), 'cohort')} differ from their events"
    if not args.repair:
        raise KnownError(f"{what}: run cohortdesk check --repair to recount them")
    paths.ensure()
    db = open_database(database_url(paths, args.db), paths.backup_dir)
    try:
        rollups.recount(db)
    finally:
        db.dispose()
    print(f"{what}: recounted.")
    return 0


def _check_server(args: argparse.Namespace, paths: AppPaths) -> int:
    """`check` of a database on a server: its daily counts (the server keeps its own pages
    sound and its foreign keys enforced; there is no file to read)."""
    from cohortdesk.core.paths import database_url
    from cohortdesk.core.services.activity import rollups
    from cohortdesk.core.storage.migrate import open_database

    db = open_database(database_url(paths, args.db), None)
    try:
        with db.read() as session:
            drifted = rollups.drifted_cohorts(session)
        where = db.display_name
        if not drifted:
            print(f"{where}: ok (daily counts checked; the server keeps its own pages sound)")
            return 0
        what = f"{where}: the daily counts of {plural(len(drifted), 'cohort')} differ from "
        what += "their events"
        if not args.repair:
            raise KnownError(f"{what}: run cohortdesk check --repair to recount them")
        rollups.recount(db)
    finally:
        db.dispose()
    print(f"{what}: recounted.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from cohortdesk.core.paths import app_paths, database_url
    from cohortdesk.core.storage.migrate import open_database
    from cohortdesk.core.storage.restore import restore_backup

    paths = app_paths()
    paths.ensure()
    file = database_file(paths, args.db, "restore")
    result = restore_backup(args.backup.expanduser(), file, paths.backup_dir)
    _recount(open_database(database_url(paths, args.db), paths.backup_dir))
    print(result.message())
    return 0


def cmd_salvage(args: argparse.Namespace) -> int:
    from cohortdesk.core.paths import app_paths, database_url
    from cohortdesk.core.storage.migrate import open_database
    from cohortdesk.core.storage.salvage import salvage

    paths = app_paths()
    paths.ensure()
    file = database_file(paths, args.db, "salvage")
    target = (args.output or file).expanduser()
    if target.exists() and target.stat().st_size > 0:
        raise KnownError(f"{target} exists already: set it aside or name a new file with --output")
    report = salvage(args.damaged.expanduser(), target)
    if target.resolve() == file.resolve():
        _recount(open_database(database_url(paths, args.db), paths.backup_dir))
    print(report.message())
    return 0


def _recount(db: Database) -> None:
    """Recount the daily counts of a database just restored or rescued, then close it: what
    was copied in may not match its events (`rollups.drifted_cohorts`)."""
    from cohortdesk.core.services.activity import rollups

    try:
        rollups.recount(db)
    finally:
        db.dispose()


#: commands that work on the open database
DB_COMMANDS: dict[str, Callable[[argparse.Namespace, Database], int]] = {
    "backup": cmd_backup,
    "erase": cmd_erase,
}
#: commands that work on the file itself, damaged, absent or about to be replaced
FILE_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": cmd_check,
    "restore": cmd_restore,
    "salvage": cmd_salvage,
}
