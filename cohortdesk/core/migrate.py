"""Bring a database to the schema this code expects, at start-up.

Order matters: read the stored revision without writing anything (a database from a newer
cohortdesk is refused byte-for-byte untouched), back the file up, then upgrade in one
transaction.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from cohortdesk.core.db import Database
from cohortdesk.core.errors import DatabaseVersionError
from cohortdesk.core.services.backup import backup_sqlite, prune, timestamped_name

KEEP_MIGRATION_BACKUPS = 5


def alembic_config() -> Config:
    """An Alembic config pointing at the packaged migration scripts."""
    config = Config()
    location = resources.files("cohortdesk.core").joinpath("migrations")
    config.set_main_option("script_location", str(location))
    return config


def head_revision() -> str:
    """The newest revision this code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _read_only_uri(file: Path) -> str:
    # Without a write-ahead log left over, `immutable` reads the file without creating the
    # -wal and -shm companions, so a database we refuse is left exactly as it was found.
    wal = file.with_name(file.name + "-wal")
    mode = "mode=ro" if wal.exists() else "immutable=1"
    return f"{file.resolve().as_uri()}?{mode}"


def _inspect(db: Database) -> tuple[str | None, bool]:
    """The stored revision, and whether any table other than Alembic's exists."""
    if db.file is not None:
        if not db.file.exists():
            return None, False
        try:
            with closing(sqlite3.connect(_read_only_uri(db.file), uri=True)) as raw:
                tables = {
                    r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                }
                row = None
                if "alembic_version" in tables:
                    row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as exc:
            raise DatabaseVersionError(f"{db.file}: not a cohortdesk database ({exc})") from exc
    else:
        with db.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            row = (MigrationContext.configure(connection).get_current_revision(),)
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
    head = head_revision()
    if current == head:
        return None
    if current is not None and current not in _known_revisions():
        raise DatabaseVersionError(
            f"{db.display_name} was made by a newer cohortdesk (schema {current}); "
            "update cohortdesk to open it. The file has not been changed."
        )
    if current is None and has_tables:
        raise DatabaseVersionError(
            f"{db.display_name} holds tables but no cohortdesk schema version: "
            "not a cohortdesk database. The file has not been changed."
        )
    backup = None
    if db.file is not None and current is not None and backup_dir is not None:
        stem = db.file.stem
        name = timestamped_name(stem, f"before-{head}")
        backup = str(backup_sqlite(db.file, backup_dir / name))
        prune(backup_dir, f"{stem}-before-*.sqlite", KEEP_MIGRATION_BACKUPS)
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return backup


def downgrade(db: Database, revision: str) -> None:
    """Downgrade to `revision` (`base` for an empty schema); used by the migration tests."""
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def open_database(url: str, backup_dir: Path | None) -> Database:
    """Open the database at `url` and bring its schema up to date (backing up first).

    Raises:
        DatabaseVersionError: it cannot be opened, or was made by a newer cohortdesk.
    """
    db = Database(url)
    try:
        upgrade(db, backup_dir)
    except BaseException:
        db.dispose()
        raise
    return db
