"""Rescue what can still be read from a damaged database into a new, sound one.

Best effort, like SQLite's `.recover`, in plain Python: the schema is read from the damaged
file and created afresh, then every table is copied row by row in rowid order; where a damaged
page stops the read, the copy jumps ahead (1, 2, 4... rowids) until it can read again. Rows
left pointing at rows that were lost are dropped at the end, so the result passes the
integrity and foreign-key checks and opens like any other database. The damaged file is only
read, never changed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable

from cohortdesk.core.errors import ErrorKind, KnownError
from cohortdesk.core.models import Base
from cohortdesk.core.paths import check_regular_file
from cohortdesk.core.storage.db import OWNER_ONLY, connect_sqlite, create_private_file
from cohortdesk.core.storage.errors import storage_errors
from cohortdesk.core.storage.migrate import head_revision
from cohortdesk.core.storage.safefile import sync_folder

_CHUNK = 500
_MAX_ORPHAN_ROUNDS = 20


@dataclass
class SalvageReport:
    """What a salvage copied, and what it could not."""

    source: Path
    destination: Path
    rows: dict[str, int] = field(default_factory=dict)
    #: tables with at least one unreadable stretch, and how many reads failed in each
    damaged: dict[str, int] = field(default_factory=dict)
    unreadable_tables: list[str] = field(default_factory=list)
    orphans_dropped: int = 0
    #: schema entries that could not be created (an index of a lost table, say)
    skipped_definitions: list[str] = field(default_factory=list)

    def message(self) -> str:
        total = sum(self.rows.values())
        parts = [f"Rescued {total} rows from {len(self.rows)} tables of {self.source.name}"]
        if self.damaged:
            parts.append("some rows of " + ", ".join(sorted(self.damaged)) + " were lost")
        if self.unreadable_tables:
            parts.append("unreadable: " + ", ".join(self.unreadable_tables))
        if self.orphans_dropped:
            parts.append(f"{self.orphans_dropped} rows that referred to lost rows were dropped")
        return "; ".join(parts) + f". Saved as {self.destination}"


_SCHEMA_COLUMNS = ("type", "name", "tbl_name", "sql")
#: cohortdesk's tables number their rows from 1 (SQLite's rowids)
_FIRST_ROWID = -1

Row = tuple[object, ...]


def _has_rowid(source: sqlite3.Connection, table: str) -> bool:
    try:
        source.execute(f'SELECT rowid FROM "{table}" LIMIT 0')
    except sqlite3.Error:
        return False
    return True


def _rows_by_rowid(
    source: sqlite3.Connection, table: str, columns: list[str]
) -> tuple[list[Row], int]:
    """Every row of `table` that can be read, in rowid order, and how many reads failed."""
    names = ", ".join(f'"{c}"' for c in columns)
    select = f'SELECT rowid, {names} FROM "{table}" WHERE rowid > ? ORDER BY rowid LIMIT ?'

    def read(after: int, limit: int = _CHUNK) -> list[Row] | None:
        try:
            return list(source.execute(select, (after, limit)).fetchall())
        except sqlite3.Error:
            return None

    try:
        last = int(source.execute(f'SELECT coalesce(max(rowid), 0) FROM "{table}"').fetchone()[0])
    except sqlite3.Error:
        last = 1 << 62
    found: list[Row] = []
    position, failures = _FIRST_ROWID, 0
    while position < last:
        rows = read(position)
        if rows is None:  # a damaged page in this stretch: row by row up to it, then past it
            while (one := read(position, 1)) is not None and one:
                found.append(one[0][1:])
                position = int(str(one[0][0]))
            if one is not None:  # pragma: no cover - the damage is not there any more
                break
            failures += 1
            position = _skip_damage(read, position, last)
            rows = read(position) if position < last else None
        if not rows:
            break
        found.extend(row[1:] for row in rows)
        position = int(str(rows[-1][0]))
    return found, failures


def _skip_damage(read: Callable[[int], object], failed: int, last: int) -> int:
    """The first position after `failed` from which rows can be read again (or `last`).

    Jumps 1, 2, 4... rowids ahead until a read works, then narrows back (binary search) to
    the first readable position, so rows of a good page right after a damaged one are kept.
    """
    low, step = failed, 1
    high = failed + step
    while high < last and read(high) is None:
        low = high
        step *= 2
        high = failed + step
    if high >= last:
        return last
    while high - low > 1:
        middle = (low + high) // 2
        if read(middle) is None:
            low = middle
        else:
            high = middle
    return high


def _read_schema(source: sqlite3.Connection, report: SalvageReport) -> list[tuple[str, ...]]:
    """The schema entries that can be read: (type, name, table, sql).

    `writable_schema` makes SQLite accept a schema it could only partly read, so the tables
    whose definitions survived can still be queried.
    """
    source.execute("PRAGMA writable_schema=ON")
    rows, failures = _rows_by_rowid(source, "sqlite_master", list(_SCHEMA_COLUMNS))
    if failures:
        report.damaged["sqlite_master"] = failures
    return [
        tuple(str(v) for v in row)
        for row in rows
        if row[3] is not None and not str(row[1]).startswith("sqlite_")
    ]


def _create(
    target: sqlite3.Connection, schema: list[tuple[str, ...]], report: SalvageReport
) -> None:
    """Create what the schema entries describe; one that fails (an index of a table whose
    definition was lost) is skipped, and the lost table is made from this code's schema."""
    for kind in ("table", "index", "trigger", "view"):
        for type_, name, _table, sql in schema:
            if type_ != kind:
                continue
            try:
                target.execute(sql)
            except sqlite3.Error:
                report.skipped_definitions.append(name)


def _copy_table(
    source: sqlite3.Connection, target: sqlite3.Connection, table: str, report: SalvageReport
) -> None:
    try:
        columns = [str(row[1]) for row in source.execute(f'PRAGMA table_info("{table}")')]
        names = ", ".join(f'"{c}"' for c in columns)
        if not _has_rowid(source, table):  # WITHOUT ROWID (the rollups): all or nothing
            rows: list[Row] = list(source.execute(f'SELECT {names} FROM "{table}"').fetchall())
            failures = 0
        else:
            rows, failures = _rows_by_rowid(source, table, columns)
    except sqlite3.Error:
        report.unreadable_tables.append(table)
        return
    marks = ", ".join("?" * len(columns))
    target.executemany(f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({marks})', rows)
    report.rows[table] = len(rows)
    if failures:
        report.damaged[table] = failures


def _add_lost_tables(target: sqlite3.Connection, report: SalvageReport) -> None:
    """Create, empty, the tables whose definitions the damage took (when the copy is at the
    newest schema, whose tables this code knows), so the rescued database is complete."""
    present = {str(r[0]) for r in target.execute("SELECT name FROM sqlite_master")}
    if "alembic_version" in present:
        row = target.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is not None and str(row[0]) != head_revision():
            return
    dialect = sqlite_dialect.dialect()
    for table in Base.metadata.sorted_tables:
        if table.name in present:
            continue
        target.execute(str(CreateTable(table).compile(dialect=dialect)))
        for index in table.indexes:
            target.execute(str(CreateIndex(index, if_not_exists=True).compile(dialect=dialect)))
        report.unreadable_tables.append(table.name)


def _drop_orphans(target: sqlite3.Connection) -> int:
    dropped = 0
    for _ in range(_MAX_ORPHAN_ROUNDS):
        broken = target.execute("PRAGMA foreign_key_check").fetchall()
        if not broken:
            break
        for table, rowid, _parent, _fk in broken:
            target.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
            dropped += 1
    return dropped


def salvage(source: Path, destination: Path) -> SalvageReport:
    """Copy what can be read from the damaged database `source` into a new `destination`.

    Raises:
        KnownError: nothing can be read (not even the list of tables), or `destination`
            exists already.
        StorageError: the new file cannot be written.
    """
    check_regular_file(source)
    if not source.exists():  # opening it would create it, empty
        raise KnownError(f"{source}: no such file", ErrorKind.NOT_FOUND)
    check_regular_file(destination)
    if destination.exists() and destination.stat().st_size > 0:
        raise KnownError(f"{destination} exists already: choose a new file for the rescued data")
    report = SalvageReport(source, destination)
    partial = destination.with_name(destination.name + ".partial")
    try:
        with storage_errors(destination):
            partial.unlink(missing_ok=True)
            create_private_file(partial)
            with (
                closing(connect_sqlite(source, read_only=True)) as src,
                closing(connect_sqlite(partial)) as dst,
            ):
                try:
                    schema, problem = _read_schema(src, report), "no table is left"
                except sqlite3.Error as exc:
                    schema, problem = [], str(exc)
                if not any(entry[0] == "table" for entry in schema):
                    raise KnownError(
                        f"{source}: nothing can be rescued, even the list of tables is "
                        f"unreadable ({problem})"
                    )
                dst.execute("PRAGMA foreign_keys=OFF")
                dst.execute("BEGIN")
                _create(dst, schema, report)
                for type_, name, _table, _sql in schema:
                    if type_ == "table":
                        _copy_table(src, dst, name, report)
                _add_lost_tables(dst, report)
                report.orphans_dropped = _drop_orphans(dst)
                _ensure_version(dst)
                dst.execute("COMMIT")
                dst.execute("PRAGMA journal_mode=WAL")
                verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":  # pragma: no cover - a fresh file written by SQLite
                raise KnownError(f"{destination}: the rescued copy failed its check ({verdict})")
            partial.chmod(OWNER_ONLY)
            partial.replace(destination)
            sync_folder(destination.parent)
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            partial.with_name(partial.name + suffix).unlink(missing_ok=True)
    return report


def _ensure_version(target: sqlite3.Connection) -> None:
    """Give the copy a schema version when the damage took it: the newest, if the tables fit."""
    tables = {str(r[0]) for r in target.execute("SELECT name FROM sqlite_master")}
    if "alembic_version" in tables and target.execute("SELECT 1 FROM alembic_version").fetchone():
        return
    missing = set(Base.metadata.tables) - tables
    if missing:
        raise KnownError(
            "the damaged database lost its schema version and its tables do not match this "
            f"cohortdesk ({', '.join(sorted(missing))} missing): nothing can be rescued safely"
        )
    if "alembic_version" not in tables:
        target.execute(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
            "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
        )
    target.execute("INSERT INTO alembic_version VALUES (?)", (head_revision(),))
