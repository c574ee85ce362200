"""The engine and units of work.

Everything SQLite-specific lives here: the pragmas every connection gets (WAL, synchronous=FULL,
foreign keys, busy timeout) and `BEGIN IMMEDIATE` for writes, so that a read-then-write never
fails half-way with SQLITE_BUSY_SNAPSHOT. Elsewhere the code speaks portable SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Engine,
    Integer,
    Select,
    Table,
    TypeDecorator,
    create_engine,
    event,
    literal,
    literal_column,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from cohortdesk.core.errors import DatabaseVersionError

BUSY_TIMEOUT_MS = 10_000
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    # 64 MiB of page cache (the default is 2 MiB): imports insert into indexes in key order,
    # not file order, and a small cache makes every insert a disk read.
    "PRAGMA cache_size=-65536",
)


def sqlite_file(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for another backend or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Take transaction control away from pysqlite so that BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def create_db_engine(url: str) -> Engine:
    """Create an engine for `url`, with cohortdesk's connection settings.

    Raises:
        DatabaseVersionError: the URL is malformed or names a driver that is not installed.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseVersionError(f"Not a database path or URL: {url!r}") from exc
    file = sqlite_file(url)
    if file is not None:
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseVersionError(
                f"{file}: cannot create the folder {file.parent} ({exc.strerror or exc})"
            ) from exc
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    try:
        engine = create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise DatabaseVersionError(
            f"{parsed.render_as_string(hide_password=True)}: the driver {exc.name} is not installed"
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
    return engine


class Database:
    """An engine plus the two kinds of unit of work cohortdesk uses.

    `read()` opens a session for queries; `write()` opens one whose transaction starts with
    `BEGIN IMMEDIATE` on SQLite and commits on success, rolls back on any exception.
    Both are safe to use from worker threads: each call opens its own session.
    """

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or create_db_engine(url)
        self.file = sqlite_file(url)
        writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        self._read_factory = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._write_factory = sessionmaker(bind=writer, expire_on_commit=False)

    @property
    def display_name(self) -> str:
        """The file path, or the URL without its password, for titles and messages."""
        if self.file is not None:
            return str(self.file)
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; nothing it does is committed."""
        with self._read_factory() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work is committed as one transaction when the block ends."""
        with self._write_factory() as session, session.begin():
            yield session

    @contextmanager
    def trial(self) -> Iterator[Session]:
        """A write session that is always rolled back: for dry runs that must see real counts."""
        with self._write_factory() as session:
            try:
                yield session
            finally:
                session.rollback()

    def dispose(self) -> None:
        """Close every pooled connection (before the file is moved, backed up or deleted)."""
        self.engine.dispose()


def insert_ignoring_conflicts(session: Session, table: Table) -> Any:
    """An INSERT into `table` that skips rows clashing with a unique constraint.

    Re-imports rely on it: an event already stored (same cohort, source and key) is skipped
    rather than failing the whole import.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    raise DatabaseVersionError(f"cohortdesk does not support the {dialect} database")


def insert_adding_on_conflict(
    session: Session,
    table: Table,
    keys: Sequence[str],
    added: Sequence[str],
    rows: Select[Any] | None = None,
) -> Any:
    """An INSERT into `table` that, where a row with the same `keys` exists, adds to it.

    The `added` columns of a clashing row grow by the new row's values (negative values
    subtract): how daily rollups take in an import's events. `rows`, when given, is a SELECT of
    `keys` then `added` columns (an INSERT ... SELECT); otherwise pass the rows on execute.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        stmt: Any = sqlite.insert(table)
    elif dialect == "postgresql":
        stmt = postgresql.insert(table)
    else:
        raise DatabaseVersionError(f"cohortdesk does not support the {dialect} database")
    if rows is not None:
        stmt = stmt.from_select([*keys, *added], rows)
    return stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + stmt.excluded[name] for name in added},
    )


class shifted_date(FunctionElement[date]):  # noqa: N801 - reads as the SQL function it is
    """The calendar date of a stored UTC time moved by a fixed number of seconds.

    `shifted_date(ActivityEvent.occurred_at, 3600)` is the local date of each event in a zone
    one hour ahead of UTC. Rollups build a cohort's local day from it, one offset per stretch
    between daylight-saving changes.
    """

    type = Date()
    name = "shifted_date"
    inherit_cache = True

    def __init__(self, moment: ColumnElement[Any], seconds: int) -> None:
        super().__init__(moment, literal_column(str(int(seconds)), Integer()))


class days_from(FunctionElement[int]):  # noqa: N801 - reads as the SQL function it is
    """Whole days from `origin` to a date column (negative before it)."""

    type = Integer()
    name = "days_from"
    inherit_cache = True

    def __init__(self, day: ColumnElement[Any], origin: date) -> None:
        super().__init__(day, literal(origin, Date()))


def _arguments(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> list[str]:
    return [compiler.process(clause, **kw) for clause in element.clauses]


@compiles(shifted_date, "sqlite")
def _shifted_date_sqlite(element: shifted_date, compiler: SQLCompiler, **kw: Any) -> str:
    moment, seconds = _arguments(element, compiler, **kw)
    if int(seconds) == 0:
        return f"date({moment})"
    return f"date({moment}, '{int(seconds):+d} seconds')"


@compiles(shifted_date, "postgresql")
def _shifted_date_postgresql(element: shifted_date, compiler: SQLCompiler, **kw: Any) -> str:
    moment, seconds = _arguments(element, compiler, **kw)
    return f"CAST({moment} + INTERVAL '{int(seconds)} seconds' AS DATE)"


@compiles(days_from, "sqlite")
def _days_from_sqlite(element: days_from, compiler: SQLCompiler, **kw: Any) -> str:
    day, origin = _arguments(element, compiler, **kw)
    return f"CAST(julianday({day}) - julianday({origin}) AS INTEGER)"


@compiles(days_from, "postgresql")
def _days_from_postgresql(element: days_from, compiler: SQLCompiler, **kw: Any) -> str:
    day, origin = _arguments(element, compiler, **kw)
    return f"({day} - CAST({origin} AS DATE))"


def _sqlite_datetime(value: datetime | None) -> str | None:
    # The text SQLAlchemy's SQLite DateTime stores, written in C rather than per-field Python.
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _remember_last(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    # Rows of one import share values (the import time, a Moodle timestamp on many rows):
    # converting the same object twice in a row is skipped.
    last_in: list[Any] = [object()]
    last_out: list[Any] = [None]

    def convert(value: Any) -> Any:
        if value is last_in[0]:
            return last_out[0]
        last_in[0] = value
        last_out[0] = function(value)
        return last_out[0]

    return convert


def bulk_inserter(
    session: Session, table: Table, columns: Sequence[str]
) -> Callable[[list[tuple[Any, ...]]], None]:
    """A fast executemany of rows (tuples in `columns` order) that skips duplicates.

    For imports of millions of rows: the statement is compiled once and rows go to the driver
    as they are, except timezone-aware datetimes, converted the way the column stores them.
    Other values must already be what the column stores (enum values as their strings).
    """
    connection = session.connection()
    dialect = connection.dialect
    compiled = insert_ignoring_conflicts(session, table).compile(
        dialect=dialect, column_keys=list(columns)
    )
    converters: list[Callable[[Any], Any] | None] = []
    for name in columns:
        column_type = table.c[name].type
        is_datetime = isinstance(column_type, DateTime) or (
            isinstance(column_type, TypeDecorator) and isinstance(column_type.impl, DateTime)
        )
        if not is_datetime:
            converters.append(None)
        elif dialect.name == "sqlite":
            converters.append(_sqlite_datetime)
        else:
            converters.append(column_type.dialect_impl(dialect).bind_processor(dialect))
    convert = [(i, _remember_last(f)) for i, f in enumerate(converters) if f is not None]
    if dialect.positional:
        order = [list(columns).index(key) for key in compiled.positiontup or ()]
        identity_order = order == list(range(len(columns)))
    sql = compiled.string

    def insert(rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        prepared: list[Any] = []
        for row in rows:
            values = list(row)
            for index, function in convert:
                values[index] = function(values[index])
            if not dialect.positional:
                prepared.append(dict(zip(columns, values, strict=True)))
            elif identity_order:
                prepared.append(tuple(values))
            else:
                prepared.append(tuple(values[i] for i in order))
        connection.exec_driver_sql(sql, prepared)

    return insert
