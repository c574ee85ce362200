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

Elsewhere (SQLite runs in this process: no server processes to use), and in a transaction
that has written (its own changes are in no exported snapshot), each read runs in the session
itself, when its rows are asked for.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine, Executable, text
from sqlalchemy.orm import Session

from cohortdesk.core.storage.db import driver_rows
from cohortdesk.core.storage.team import PERSON_SETTING

T = TypeVar("T")

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
        read = typed_rows if typed else driver_rows
        if self._executor is None:
            session = self.session
            return Pending(None, lambda: read(session.connection(), stmt))
        return Pending(self._executor.submit(self._on_a_connection, stmt, read))

    def _on_a_connection(self, stmt: Executable, read: Callable[[Connection, Executable], T]) -> T:
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


def _identity(session: Session) -> _Identity | None:
    """The session's snapshot and who it acts as; None when its transaction has written (an
    exported snapshot shows others what was committed, never the exporter's own changes)."""
    session.flush()  # changes still in the session are written, then seen as written
    wrote, snapshot, current, login, person = (
        session.connection()
        .execute(
            text(
                "SELECT txid_current_if_assigned() IS NOT NULL, pg_export_snapshot(), "
                "current_user::text, session_user::text, current_setting(:k, true)"
            ),
            {"k": PERSON_SETTING},
        )
        .one()
    )
    if wrote:
        return None
    if not _SNAPSHOT.match(str(snapshot)):
        raise ValueError(f"unexpected snapshot name {snapshot!r}")
    return _Identity(str(snapshot), None if current == login else str(current), person or None)


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
