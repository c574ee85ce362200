"""Bring a database to the schema this code expects, at start-up.

Order matters: check the file (a damaged one is kept aside, never overwritten: see
`recovery`), read the stored revision without writing anything (a database from a newer
cohortdesk is refused byte-for-byte untouched), back the file up, then upgrade in one
`BEGIN IMMEDIATE` transaction on a connection with the same pragmas as every other.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect
from sqlalchemy.exc import DBAPIError

from cohortdesk.core.errors import DatabaseVersionError, KnownError
from cohortdesk.core.paths import check_regular_file
from cohortdesk.core.storage.backup import BackupKind, make_backup, remove_partials
from cohortdesk.core.storage.db import Database, connect_sqlite, sqlite_file
from cohortdesk.core.storage.errors import storage_errors
from cohortdesk.core.storage.recovery import set_aside_if_damaged
from cohortdesk.core.storage.schema_check import foreign_in, refusal
from cohortdesk.core.storage.server_errors import not_in_team

if TYPE_CHECKING:
    from alembic.config import Config


HEAD_REVISION = "0008"
"""The newest revision this code knows, written down so that a start on an up-to-date database
needs no Alembic (a test checks it against the migration scripts' head)."""


def alembic_config() -> Config:
    """An Alembic config pointing at the packaged migration scripts."""
    from alembic.config import Config

    config = Config()
    location = resources.files("cohortdesk.core").joinpath("migrations")
    config.set_main_option("script_location", str(location))
    return config


def head_revision() -> str:
    """The newest revision this code knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every revision this code knows (a database at any other was made by a newer version)."""
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _inspect(db: Database) -> tuple[str | None, bool]:
    """The stored revision, and whether any table other than Alembic's exists."""
    if db.file is not None:
        if not db.file.exists():
            return None, False
        try:
            with closing(connect_sqlite(db.file, read_only=True)) as raw:
                tables = {
                    r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                }
                row = None
                if "alembic_version" in tables:
                    row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as exc:
            raise DatabaseVersionError(f"{db.file}: not a cohortdesk database ({exc})") from exc
    else:
        from alembic.runtime.migration import MigrationContext

        try:
            with db.engine.connect() as connection:
                tables = set(inspect(connection).get_table_names())
                row = (MigrationContext.configure(connection).get_current_revision(),)
        except DBAPIError as exc:
            refused = not_in_team(exc, db.display_name)
            if refused is None:
                raise
            raise refused from exc
    revision = None if row is None or row[0] is None else str(row[0])
    return revision, bool(tables - {"alembic_version"})


def stored_revision(db: Database) -> str | None:
    """The revision recorded in the database, read without changing the file."""
    return _inspect(db)[0]


def upgrade(db: Database, backup_dir: Path | None = None) -> str | None:
    """Upgrade `db` to the head revision.

    Args:
        db: the database to bring up to date.
        backup_dir: where to copy an existing SQLite file before changing its schema.

    Returns:
        The path of the backup made, or None when none was needed.

    Raises:
        DatabaseVersionError: the database was made by a newer cohortdesk, or is not one of ours.
    """
    current, has_tables = _inspect(db)
    if current == HEAD_REVISION:
        return None  # the usual start: Alembic is not even loaded
    from alembic import command

    if current is not None and current not in known_revisions():
        raise DatabaseVersionError(
            f"{db.display_name} was made by a newer cohortdesk (schema {current}); "
            "update cohortdesk to open it. The file has not been changed."
        )
    if current is None and has_tables:
        raise DatabaseVersionError(
            f"{db.display_name} holds tables but no cohortdesk schema version: "
            "not a cohortdesk database. The file has not been changed."
        )
    if current is not None and db.team_role() is not None:
        raise DatabaseVersionError(
            f"{db.display_name} holds schema {current}, older than this cohortdesk's "
            f"({HEAD_REVISION}): the team's owner upgrades it with `cohortdesk team init`. "
            "Nothing was changed."
        )
    backup = None
    if db.file is not None and current is not None and backup_dir is not None:
        backup = str(make_backup(db.file, backup_dir, BackupKind.MIGRATION))
    config = alembic_config()
    with storage_errors(db.file), _migration_connection(db) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return backup


@contextmanager
def _migration_connection(db: Database) -> Iterator[Connection]:
    """A connection in one write transaction (BEGIN IMMEDIATE on SQLite), for Alembic.

    On SQLite, foreign keys are off while the schema changes and checked before the commit
    (SQLite's documented way to alter tables): Alembic alters a table by copying it and
    dropping the original, and with foreign keys on, that drop would cascade and delete every
    row that refers to it (all the notes and check-ins of the members, say).
    """
    engine = db.engine.execution_options(sqlite_begin="IMMEDIATE")
    with engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            with connection.begin():
                yield connection
            return
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")  # outside a transaction, or it is ignored
        try:
            with connection.begin():
                yield connection
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    tables = sorted({str(row[0]) for row in broken})
                    raise DatabaseVersionError(
                        f"{db.display_name}: the schema change would leave {len(broken)} "
                        f"records of {', '.join(tables)} pointing at nothing; nothing was "
                        "changed"
                    )
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def upgrade_to(db: Database, revision: str) -> None:
    """Upgrade to `revision` only (the migration tests build a database at each step)."""
    from alembic import command

    config = alembic_config()
    with _migration_connection(db) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def revisions_in_order() -> list[str]:
    """Every revision from the first to the head."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [s.revision for s in reversed(list(script.walk_revisions()))]


def downgrade(db: Database, revision: str) -> None:
    """Downgrade to `revision` (`base` for an empty schema); used by the migration tests."""
    from alembic import command

    config = alembic_config()
    with _migration_connection(db) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def open_database(url: str, backup_dir: Path | None) -> Database:
    """Open the database at `url` and bring its schema up to date (backing up first).

    Raises:
        CorruptDatabaseError: the file is damaged; it was renamed aside (see `recovery`).
        DatabaseVersionError: it cannot be opened, or was made by a newer cohortdesk.
        StorageError: the disk is full, or the folder cannot be written.
    """
    file = sqlite_file(url)
    if file is not None:
        check_regular_file(file)  # a device or a pipe is never opened, chmod-ed or journalled
        if backup_dir is not None:
            remove_partials(backup_dir)
        set_aside_if_damaged(file, backup_dir)
    db = Database(url)
    try:
        upgrade(db, backup_dir)
        if file is not None and file.is_file():
            # read-only, as checks are: a read-only folder is said where a write needs it
            with closing(connect_sqlite(file, read_only=True)) as connection:
                found = foreign_in(connection)
            if found:
                raise KnownError(f"{file} {refusal(found)}; restore a backup")
    except BaseException:
        db.dispose()
        raise
    return db
