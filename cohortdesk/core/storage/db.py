"""The engine and units of work.

Everything SQLite-specific lives here: the pragmas every connection gets (WAL, synchronous=FULL,
foreign keys, busy timeout, secure_delete) and `BEGIN IMMEDIATE` for writes, so that a
read-then-write never fails half-way with SQLITE_BUSY_SNAPSHOT. Elsewhere the code speaks
portable SQLAlchemy.

One writer: every write takes SQLite's write lock with its first statement (BEGIN IMMEDIATE),
so two writes never interleave; a second waits up to the busy timeout for the first to
commit. The GUI also sends all its writes through one thread (`ui.tasks.TaskRunner`), so they
queue there instead of waiting on the lock.

The database file and its -wal and -shm companions are readable by the owner only (0600),
whatever the umask: the file is created that way before SQLite opens it, and SQLite gives its
companions the database file's permissions.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, unquote_plus

from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    Executable,
    Integer,
    Select,
    SQLColumnExpression,
    Table,
    TypeDecorator,
    create_engine,
    event,
    literal_column,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from cohortdesk.core.errors import DatabaseVersionError
from cohortdesk.core.storage.errors import storage_errors
from cohortdesk.core.storage.server_errors import server_errors

if TYPE_CHECKING:
    from cohortdesk.core.models import TeamRole

BUSY_TIMEOUT_MS = 10_000
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    # 64 MiB of page cache (the default is 2 MiB): imports insert into indexes in key order,
    # not file order, and a small cache makes every insert a disk read.
    "PRAGMA cache_size=-65536",
    # Deleted text is overwritten with zeros, not left in free pages ("erase this person").
    "PRAGMA secure_delete=ON",
)
#: the database file, its -wal and -shm, backups and exports: the owner's only
OWNER_ONLY = 0o600
_COMPANIONS = ("", "-wal", "-shm")


def sqlite_file(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for another backend or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def create_private_file(file: Path) -> None:
    """Create `file` empty and owner-only (0600) if it does not exist, whatever the umask."""
    try:
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    except FileExistsError:
        return
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, OWNER_ONLY)  # the umask may have taken bits off, never added: be exact
    finally:
        os.close(fd)


def make_private(file: Path) -> None:
    """Take group and other permissions off the database file and its -wal and -shm."""
    for suffix in _COMPANIONS:
        path = file.with_name(file.name + suffix)
        try:
            if path.stat().st_mode & 0o077:
                path.chmod(OWNER_ONLY)
        except OSError:  # absent, or not ours to change: SQLite will say if it matters
            continue


def read_only_uri(file: Path) -> str:
    """A URI that reads `file` without changing anything next to it.

    Without a write-ahead log left over, `immutable` reads the file without creating the -wal
    and -shm companions, so a file we refuse or only check is left exactly as it was found;
    with one, `mode=ro` reads what the log holds too.
    """
    wal = file.with_name(file.name + "-wal")
    mode = "mode=ro" if wal.exists() else "immutable=1"
    return f"{file.resolve().as_uri()}?{mode}"


def connect_sqlite(target: Path | str, *, read_only: bool = False) -> sqlite3.Connection:
    """A plain sqlite3 connection for work SQLAlchemy does not do (backups, checks, salvage).

    It gets the same busy timeout, foreign keys and secure_delete as the app's connections and
    leaves transactions to the caller (autocommit mode). `read_only` opens a file so that it is
    never written to (see `read_only_uri`); a `str` target is used as a URI as it is.
    """
    if isinstance(target, str):
        uri, is_uri = target, True
    elif read_only:
        uri, is_uri = read_only_uri(target), True
    else:
        uri, is_uri = str(target), False
    connection = sqlite3.connect(
        uri, uri=is_uri, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
    )
    try:
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("PRAGMA secure_delete=ON")
        if not read_only and not is_uri:
            connection.execute("PRAGMA synchronous=FULL")
    except sqlite3.Error:
        connection.close()
        raise
    return connection


def _configure_sqlite(engine: Engine, file: Path | None = None) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Take transaction control away from pysqlite so that BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()
        if file is not None:
            make_private(file)

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
            create_private_file(file)
        except OSError as exc:
            raise DatabaseVersionError(
                f"{file}: cannot create the folder {file.parent} ({exc.strerror or exc})"
            ) from exc
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine, file)
        return engine
    try:
        engine = create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise DatabaseVersionError(
            f"{readable_url(url)}: the driver {exc.name} is not installed"
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
    return engine


def readable_url(url: str) -> str:
    """A database URL as people read it: without its password, and with its parts decoded
    (`?host=/run/postgresql`, not `?host=%2Frun%2Fpostgresql`)."""
    shown, _mark, query = make_url(url).render_as_string(hide_password=True).partition("?")
    return unquote(shown) + _mark + unquote_plus(query)


class Database:
    """An engine plus the two kinds of unit of work cohortdesk uses.

    `read()` opens a session for queries; `write()` opens one whose transaction starts with
    `BEGIN IMMEDIATE` on SQLite and commits on success, rolls back on any exception.
    Both are safe to use from worker threads: each call opens its own session. A full disk,
    a read-only folder or a damaged file inside either comes out as a `StorageError`.
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
        return readable_url(self.url)

    def team_role(self) -> TeamRole | None:
        """The team role the server gives this login, or None (SQLite, an owner, a superuser)."""
        if self.file is not None or self.engine.dialect.name != "postgresql":
            return None
        from cohortdesk.core.storage.team_session import team_role_of_current_user

        with self.engine.connect() as connection:
            return team_role_of_current_user(connection)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        # A server's refusals and lost connections, then the disk's and the file's problems.
        with server_errors(self.display_name, self.team_role), storage_errors(self.file):
            yield

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; nothing it does is committed."""
        with self._errors(), self._read_factory() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work is committed as one transaction when the block ends."""
        with self._errors(), self._write_factory() as session, session.begin():
            yield session

    @contextmanager
    def trial(self) -> Iterator[Session]:
        """A write session that is always rolled back: for dry runs that must see real counts."""
        with self._errors(), self._write_factory() as session:
            try:
                yield session
            finally:
                session.rollback()

    def dispose(self) -> None:
        """Close every pooled connection (before the file is moved, backed up or deleted)."""
        self.engine.dispose()


def plain_rows(session: Session, stmt: Select[*tuple[Any, ...]]) -> Sequence[Any]:
    """The rows of a query in the session's transaction, as the driver returns them.

    Plain tuples: no `Row` objects, and no result types applied (a `LocalDay` comes back as
    its day number, an enum as its text). For reads of tens of thousands of rows of numbers
    (the rollups behind a dashboard), where wrapping each row costs more than the database
    takes to produce it: up to three times the driver's own time on PostgreSQL.
    """
    return driver_rows(session.connection(), stmt)


def driver_rows(connection: Connection, stmt: Executable) -> Sequence[Any]:
    """`plain_rows` on a connection."""
    result = connection.execute(stmt)
    try:
        # The driver's cursor, still unread: SQLAlchemy documents it as `CursorResult.cursor`.
        rows: Sequence[Any] = result.cursor.fetchall()
    finally:
        result.close()
    return rows


def insert_ignoring_conflicts(session: Session, table: Table) -> Any:
    """An INSERT into `table` that skips rows clashing with a unique constraint.

    Re-imports rely on it: an event already stored (same cohort, source and key) is skipped
    rather than failing the whole import.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql  # with its drivers: on a server only

        return postgresql.insert(table).on_conflict_do_nothing()
    raise DatabaseVersionError(f"cohortdesk does not support the {dialect} database")


def insert_adding_on_conflict(
    dialect: str,
    table: Table,
    keys: Sequence[str],
    added: Sequence[str],
    rows: Select[Any] | None = None,
) -> Any:
    """An INSERT into `table` that, where a row with the same `keys` exists, adds to it.

    The `added` columns of a clashing row grow by the new row's values (negative values
    subtract): how daily rollups take in an import's events. `rows`, when given, is a SELECT of
    `keys` then `added` columns (an INSERT ... SELECT); otherwise pass the rows on execute.
    `dialect` is the session's (`session.get_bind().dialect.name`): a statement without
    `rows` can then be built once and reused.
    """
    if dialect == "sqlite":
        stmt: Any = sqlite.insert(table)
    elif dialect == "postgresql":
        from sqlalchemy.dialects import postgresql  # with its drivers: on a server only

        stmt = postgresql.insert(table)
    else:
        raise DatabaseVersionError(f"cohortdesk does not support the {dialect} database")
    if rows is not None:
        stmt = stmt.from_select([*keys, *added], rows)
    return stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + stmt.excluded[name] for name in added},
    )


class local_day_number(FunctionElement[int]):  # noqa: N801 - reads as the SQL function it is
    """The calendar day, as whole days since 1970-01-01, of a stored UTC time moved by a fixed
    number of seconds (`models.LocalDay` stores days so).

    `local_day_number(ActivityEvent.occurred_at, 3600)` is each event's day in a zone one hour
    ahead of UTC. Rollups use one offset per stretch between daylight-saving changes.
    """

    type = Integer()
    name = "local_day_number"
    inherit_cache = True

    def __init__(self, moment: SQLColumnExpression[Any], seconds: int) -> None:
        super().__init__(moment, literal_column(str(int(seconds)), Integer()))


@compiles(local_day_number, "sqlite")
def _local_day_number_sqlite(element: local_day_number, compiler: SQLCompiler, **kw: Any) -> str:
    moment, seconds = (compiler.process(clause, **kw) for clause in element.clauses)
    shift = f"'{int(seconds):+d} seconds', " if int(seconds) else ""
    # The stored text without its fraction of a second: julianday() rounds to milliseconds,
    # which would carry 23:59:59.9999 into the next day. Midnight's Julian day is a whole
    # number and a half: exact in a double.
    time = f"substr({moment}, 1, 19)"
    return f"CAST(julianday({time}, {shift}'start of day') - 2440587.5 AS INTEGER)"


@compiles(local_day_number, "postgresql")
def _local_day_number_postgresql(
    element: local_day_number, compiler: SQLCompiler, **kw: Any
) -> str:
    moment, seconds = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(CAST({moment} + INTERVAL '{int(seconds)} seconds' AS DATE) - DATE '1970-01-01')"


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
    if dialect.name == "postgresql":
        return _copying_inserter(connection, table, columns, convert)
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


def _copying_inserter(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    convert: list[tuple[int, Callable[[Any], Any]]],
) -> Callable[[list[tuple[Any, ...]]], None]:
    """`bulk_inserter` on PostgreSQL: COPY the rows into a temporary table, then move them
    with one INSERT ... SELECT ... ON CONFLICT DO NOTHING.

    An executemany there sends one statement per row (a round trip's worth of work each): a
    million-row import took over ten times as long as COPY. The temporary table lives until
    the transaction ends, so a cancelled or failed import leaves nothing behind.
    """
    staging = f"cohortdesk_staging_{table.name}"
    names = ", ".join(f'"{name}"' for name in columns)
    connection.exec_driver_sql(
        f'CREATE TEMPORARY TABLE IF NOT EXISTS "{staging}" ON COMMIT DROP AS '
        f'SELECT {names} FROM "{table.name}" WITH NO DATA'
    )
    raw = connection.connection.driver_connection
    assert raw is not None
    move = (
        f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM "{staging}" '
        "ON CONFLICT DO NOTHING"
    )

    def insert(rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        with raw.cursor() as cursor, cursor.copy(f'COPY "{staging}" ({names}) FROM STDIN') as copy:
            for row in rows:
                values = list(row)
                for index, function in convert:
                    values[index] = function(values[index])
                copy.write_row(values)
        connection.exec_driver_sql(move)
        connection.exec_driver_sql(f'TRUNCATE "{staging}"')

    return insert


def read_only_database(file: Path) -> Database:
    """The database in `file`, opened so that nothing is ever written to it or beside it
    (`read_only_uri`): for checks, which must leave the file as they found it."""
    engine = create_engine(
        "sqlite://", creator=lambda: connect_sqlite(file, read_only=True), poolclass=NullPool
    )
    return Database(f"sqlite:///{file}", engine)
