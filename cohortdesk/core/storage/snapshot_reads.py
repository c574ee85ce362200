"""Independent reads of one unit of work, run side by side on a server, all seeing one snapshot.

A dashboard asks several questions that do not depend on each other (members, replies,
weekly counts, check-ins, stage history). On PostgreSQL each connection is a server process
of its own: asked one after another, the questions wait for each other, and the client reads
one answer while the server sits idle. `snapshot_reads` sends them at once, each on its own
pooled connection, and the client builds from each answer as it arrives.

Every answer is read as of the same moment: the session's transaction exports its snapshot
(`pg_export_snapshot()`) and each extra connection imports it (`SET TRANSACTION SNAPSHOT`, in
a REPEATABLE READ, READ ONLY transaction), so they see exactly the rows the session sees, as
if the questions had been asked one after another in one transaction. On a team's server the
extra connections act for the same person: they take the session's role (`SET LOCAL ROLE`,
when the session switched to another) and its person setting (`set_config(..., true)`, for
the transaction only), so row-level security lets through exactly what the session sees.

Elsewhere (SQLite runs in this process: no server processes to use), in a transaction that
has written (its own changes are in no exported snapshot), inside a savepoint (no snapshot is
exported from one) and when the server refuses to export one (a failed statement ends what
the transaction may do: it starts again, acting for the same role and person), each read runs
in the session itself, when its rows are asked for.

Numbers can come back as one array (`submit_columns`, `storage.columns`): no Python object
per row for the reading threads to make while the session's thread builds from other answers.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine, Executable, Select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from cohortdesk.core.storage.columns import Columns, int_columns
from cohortdesk.core.storage.db import driver_rows
from cohortdesk.core.storage.team import PERSON_SETTING

T = TypeVar("T")
S = TypeVar("S", bound=Executable)

#: connections used side by side at most (the pool's default size is five)
MAX_CONNECTIONS = 4
_SNAPSHOT = re.compile(r"^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$")


def typed_rows(connection: Connection, stmt: Executable) -> Sequence[Any]:
    """The rows of `stmt` with the columns' types applied (dates, enums...)."""
    return connection.execute(stmt).all()


class Pending(Generic[T]):
    """A read sent (or to be run): `result()` waits for it."""

    def __init__(self, future: Future[T] | None, run: Callable[[], T] | None = None) -> None:
        self._future = future
        self._run = run

    def result(self) -> T:
        if self._future is not None:
            return self._future.result()
        assert self._run is not None
        return self._run()


@dataclass
class _Identity:
    """Who the session acts as: applied to each extra connection's transaction."""

    snapshot: str
    role: str | None  # the role switched to, if not the login
    person: str | None  # the person setting, if set

    def apply(self, connection: Connection) -> None:
        # The first statement of a REPEATABLE READ transaction (no query may come before it).
        connection.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{self.snapshot}'")
        # The reads already run side by side, a server process each: a parallel plan's
        # workers would only compete with the other reads for the same cores.
        connection.exec_driver_sql("SET LOCAL max_parallel_workers_per_gather = 0")
        self.act_as(connection)

    def act_as(self, connection: Connection) -> None:
        """Act for the same role and person until the transaction ends."""
        if self.role is not None:
            quoted = connection.dialect.identifier_preparer.quote_identifier(self.role)
            connection.exec_driver_sql(f"SET LOCAL ROLE {quoted}")
        if self.person is not None:
            connection.execute(
                text("SELECT set_config(:k, :v, true)"), {"k": PERSON_SETTING, "v": self.person}
            )


@dataclass
class SnapshotReads:
    """Reads sent side by side (see the module's docstring); `submit` one, `result()` later."""

    session: Session
    _identity: _Identity | None = None
    _executor: ThreadPoolExecutor | None = None
    _idle: list[Connection] = field(default_factory=list)
    _opened: list[Connection] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def side_by_side(self) -> bool:
        """Whether reads run on connections of their own (on a server)."""
        return self._executor is not None

    def submit(self, stmt: Executable, *, typed: bool = False) -> Pending[Sequence[Any]]:
        """Send `stmt`; its answer is its rows as the driver returns them (`driver_rows`:
        numbers as they come), or with the columns' types applied when `typed`."""
        return self._submit(stmt, typed_rows if typed else driver_rows)

    def submit_columns(self, stmt: Select[Any]) -> Pending[Columns]:
        """Send `stmt`, whose columns are whole numbers; its answer is one array of its rows
        (`storage.columns.int_columns`)."""
        return self._submit(stmt, int_columns)

    def _submit(self, stmt: S, read: Callable[[Connection, S], T]) -> Pending[T]:
        if self._executor is None:
            session = self.session
            return Pending(None, lambda: read(session.connection(), stmt))
        return Pending(self._executor.submit(self._on_a_connection, stmt, read))

    def _on_a_connection(self, stmt: S, read: Callable[[Connection, S], T]) -> T:
        with self._lock:
            connection = self._idle.pop() if self._idle else None
        if connection is None:
            connection = self._open()
        try:
            return read(connection, stmt)
        finally:
            with self._lock:
                self._idle.append(connection)

    def _open(self) -> Connection:
        assert self._identity is not None
        engine = self.session.get_bind()
        assert isinstance(engine, Engine)
        connection = engine.connect().execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
        with self._lock:
            self._opened.append(connection)
        self._identity.apply(connection)
        return connection

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
        for connection in self._opened:
            connection.close()  # rolls back: nothing was written
        self._opened.clear()
        self._idle.clear()


def _export_snapshot(connection: Connection) -> str:
    """Export the transaction's snapshot for other connections to import; its name."""
    return str(connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one())


def _identity(session: Session) -> _Identity | None:
    """The session's snapshot and who it acts as; None when the reads must run in the session
    itself: its transaction has written (an exported snapshot shows others what was
    committed, never the exporter's own changes), it is inside a savepoint (no snapshot is
    exported from one), or the server refused to export one."""
    session.flush()  # changes still in the session are written, then seen as written
    connection = session.connection()
    wrote, current, login, person = connection.execute(
        text(
            "SELECT txid_current_if_assigned() IS NOT NULL, current_user::text, "
            "session_user::text, current_setting(:k, true)"
        ),
        {"k": PERSON_SETTING},
    ).one()
    if wrote or session.in_nested_transaction():
        return None
    role = None if current == login else str(current)
    try:
        snapshot = _export_snapshot(connection)
    except DBAPIError:
        # A failed statement ends what the transaction may do: it starts again, acting for
        # the same person, and the reads run in it one after another.
        session.rollback()
        _Identity("", role, person or None).act_as(session.connection())
        return None
    if not _SNAPSHOT.match(snapshot):
        raise ValueError(f"unexpected snapshot name {snapshot!r}")
    return _Identity(snapshot, role, person or None)


@contextmanager
def snapshot_reads(session: Session, connections: int = MAX_CONNECTIONS) -> Iterator[SnapshotReads]:
    """Reads to send side by side in `session`'s transaction (see the module's docstring).

    The rows of each are those the session would read itself, at the moment this begins.
    """
    identity = _identity(session) if session.get_bind().dialect.name == "postgresql" else None
    if identity is None:  # in the session itself, one after another
        yield SnapshotReads(session)
        return
    reads = SnapshotReads(
        session,
        identity,
        ThreadPoolExecutor(max_workers=connections, thread_name_prefix="snapshot-read"),
    )
    try:
        yield reads
    finally:
        reads.close()
