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


def stored_revision(db: Database) -> str | None:
    """The revision recorded in the database, read without changing the file."""
    if db.file is not None:
        if not db.file.exists():
            return None
        uri = f"{db.file.resolve().as_uri()}?mode=ro"
        try:
            with closing(sqlite3.connect(uri, uri=True)) as raw:
                tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
                if "alembic_version" not in tables:
                    return None
                row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as exc:
            raise DatabaseVersionError(f"{db.file}: not a cohortdesk database ({exc})") from exc
        return None if row is None else str(row[0])
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _has_tables(db: Database) -> bool:
    if db.file is not None and not db.file.exists():
        return False
    return bool(inspect(db.engine).get_table_names())


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
    current = stored_revision(db)
    head = head_revision()
    if current == head:
        return None
    if current is not None and current not in _known_revisions():
        raise DatabaseVersionError(
            f"{db.display_name} was made by a newer cohortdesk (schema {current}); "
            "update cohortdesk to open it. The file has not been changed."
        )
    if current is None and _has_tables(db):
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
