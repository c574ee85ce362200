"""Writing an import's events: row by row in chunks (`EventWriter`, for the streaming formats)
or a batch of columns at a time through a staging table (`StagedEvents`, for the tabular ones).

Both skip any event already stored (same cohort, source and key), so importing a file again
adds nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Column, MetaData, Table, literal, select, text, true
from sqlalchemy.orm import Session

from cohortdesk.core.importers.base import PersonKey
from cohortdesk.core.models import ActivityEvent
from cohortdesk.core.services.people.identities import PeopleMatcher
from cohortdesk.core.storage.bulk_indexes import DeferredIndexes
from cohortdesk.core.storage.db import bulk_inserter, insert_ignoring_conflicts

#: events sent to the database at a time
CHUNK = 5_000

_EVENT_COLUMNS = (
    "cohort_id",
    "person_id",
    "occurred_at",
    "kind",
    "source",
    "source_event_id",
    "thread",
    "replied_to_id",
    "word_count",
    "detail",
    "created_at",
    "import_batch_id",
)


class EventWriter:
    """Buffers event rows and inserts them in chunks, skipping those already stored."""

    def __init__(self, session: Session) -> None:
        self._insert = bulk_inserter(session, ActivityEvent.__table__, _EVENT_COLUMNS)  # type: ignore[arg-type]
        self._rows: list[tuple[Any, ...]] = []
        self.records = 0

    def add(self, row: tuple[Any, ...]) -> None:
        self._rows.append(row)
        self.records += 1
        if len(self._rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        self._insert(self._rows)
        self._rows = []


_STAGED_COLUMNS = (
    "person_id",
    "occurred_at",
    "kind",
    "source_event_id",
    "thread",
    "replied_to_id",
    "word_count",
    "detail",
)


#: the events' indexes an import keeps up row by row even when it sets the others aside: a new
#: import's id is the highest, so its events' entries all go at that index's end, and most
#: events answer nobody, whose entries all go at one place
_CHEAP_INDEXES = tuple(
    str(index.name)
    for index in cast(Table, ActivityEvent.__table__).indexes
    if [column.name for column in index.columns] in (["import_batch_id"], ["replied_to_id"])
)


class StagedEvents:
    """Writes batches of events: each batch goes into a temporary staging table in one
    statement, then into the events with one INSERT ... SELECT that skips those already
    stored (same cohort, source and key).

    A large import into a table holding few events sets the table's secondary indexes aside
    (`DeferredIndexes`) from its first batch and builds them again at `close`.

    On a server, a batch's INSERT ... SELECT runs in a thread of its own (`_Storing`) while the
    caller makes the next batch's rows: the server works in its own process, so the two
    overlap. Nothing else uses the connection until the insert is done (`settle`); use the
    writer within `storing()` so that an error or a cancel waits for it too.
    """

    def __init__(
        self, session: Session, cohort_id: int, source: str, batch_id: int, now: datetime
    ) -> None:
        self._session = session
        self._connection = session.connection()
        self._sqlite = self._connection.dialect.name == "sqlite"
        events = ActivityEvent.__table__
        self._table = Table(
            "import_staging",
            MetaData(),
            *(Column(name, events.c[name].type) for name in _STAGED_COLUMNS),
            prefixes=["TEMPORARY"],
        )
        if self._sqlite:
            # Columns without a type: the events' own columns apply their types and checks as
            # the rows go in; here, an affinity and the kind's CHECK on every row only doubled
            # the cost of filling the table (4.0 s against 2.1 s for a million-row log).
            names = ", ".join(_STAGED_COLUMNS)
            self._connection.exec_driver_sql(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS import_staging ({names})"
            )
        else:
            self._table.create(self._connection, checkfirst=True)
        # Emptied between batches: on the server by TRUNCATE, since a DELETE leaves the dead
        # rows for every later batch's scan to step over (nothing vacuums a temporary table
        # within the transaction); SQLite empties a table it deletes all rows from at once.
        self._empty: Any = self._table.delete() if self._sqlite else text("TRUNCATE import_staging")
        self._connection.execute(self._empty)
        staged = self._table.c
        rows = select(
            literal(cohort_id, events.c.cohort_id.type),
            *(staged[name] for name in _STAGED_COLUMNS[:3]),
            literal(source, events.c.source.type),
            *(staged[name] for name in _STAGED_COLUMNS[3:]),
            literal(now, events.c.created_at.type),
            literal(batch_id, events.c.import_batch_id.type),
        ).where(true())
        self._copy = insert_ignoring_conflicts(session, events).from_select(  # type: ignore[arg-type]
            list(_EVENT_COLUMNS), rows
        )
        if self._sqlite:
            placeholders = ", ".join("?" for _ in _STAGED_COLUMNS)
            self._fill = f"INSERT INTO import_staging VALUES ({placeholders})"
        else:  # CSV keeps an empty text ("") apart from a missing one (nothing)
            names = ", ".join(_STAGED_COLUMNS)
            self._fill = f"COPY import_staging ({names}) FROM STDIN (FORMAT csv)"
        self._people: dict[tuple[str | None, str | None, str | None], int] = {}
        self._indexes = DeferredIndexes(
            self._connection, ActivityEvent.__tablename__, keep=_CHEAP_INDEXES
        )
        self._storing: _Storing | None = None
        self.records = 0

    @contextmanager
    def storing(self) -> Iterator[StagedEvents]:
        """The writer, for a run of `add`s: leaving, it waits for the last batch's insert;
        an error or a cancel leaving it waits too (the transaction can only then be rolled
        back) and is raised as it was, whatever the insert did."""
        try:
            yield self
        except BaseException:
            if self._storing is not None:
                self._storing.join()
                self._storing = None
            raise
        self.settle()

    def settle(self) -> None:
        """Wait for the batch being stored, if any; raise what storing it raised. Call it
        before using the session's connection for anything else while batches are added."""
        storing, self._storing = self._storing, None
        if storing is not None:
            storing.join()
            if storing.error is not None:
                raise storing.error

    def _store(self) -> None:
        """Insert the staged rows into the events; empty the staging table."""
        self._connection.execute(self._copy)
        self._connection.execute(self._empty)

    def add(
        self, events: Any, matcher: PeopleMatcher, share: float = 0.0
    ) -> tuple[datetime, datetime] | None:
        """Store a batch's events (a polars DataFrame, `EventBatch.events`); return the
        first and last moment among them.

        `share`: how much of the file was read with this batch (0 when not known); from the
        first batch it tells how many events the whole file will bring.
        """
        import polars as pl

        if events.height == 0:
            return None
        if self.records == 0 and share > 0:
            self._indexes.defer_for(round(events.height / min(share, 1.0)))
        people = self._people
        named = ["source_id", "name", "email"]
        replies = "replied_source_id" in events.columns
        replied = ["replied_source_id", "replied_name", "replied_email"]
        keys = events.select(named)
        if (
            replies
        ):  # each row's person, then whom it answers: the order a row-by-row read meets them
            answered = events.select(
                pl.col(r).alias(w) for r, w in zip(replied, named, strict=True)
            )
            keys = (
                pl.concat([keys.with_row_index("at"), answered.with_row_index("at")])
                .sort("at", maintain_order=True)
                .drop("at")
                .filter(pl.any_horizontal(pl.col(named).is_not_null()))
            )
        keys = keys.unique(maintain_order=True)
        markers = list(keys.iter_rows())
        new = [marker for marker in markers if marker not in people]
        if new:
            self.settle()  # the new people are written on the connection
            who = [PersonKey(source_id=s, email=e, name=n) for s, n, e in new]
            people.update(zip(new, matcher.resolve_many(who), strict=True))
        found = [people[marker] for marker in markers]
        keys = keys.with_columns(pl.Series("person_id", found, dtype=pl.Int64))
        events = events.join(
            keys,
            on=named,
            how="left",
            nulls_equal=True,
            maintain_order="left",
        )
        replied_to: Any = pl.lit(None, dtype=pl.Int64)
        if replies:
            events = events.join(
                keys.rename(
                    dict(zip([*named, "person_id"], [*replied, "replied_id"], strict=True))
                ),
                on=replied,
                how="left",
                nulls_equal=True,
                maintain_order="left",
            )
            replied_to = (
                pl.when(pl.col("replied_id") != pl.col("person_id"))
                .then(pl.col("replied_id"))
                .otherwise(pl.lit(None, dtype=pl.Int64))
            )
        moment = pl.col("utc")
        # the text SQLite's UTC datetimes store; on the server, that moment marked as UTC
        occurred = moment.dt.strftime("%Y-%m-%d %H:%M:%S%.6f" + ("" if self._sqlite else "+00"))
        table = events.select(
            "person_id",
            occurred.alias("occurred_at"),
            "kind",
            pl.col("key").alias("source_event_id"),
            "thread",
            replied_to.alias("replied_to_id"),
            "word_count",
            "detail",
        )
        driver = self._connection.connection.driver_connection
        assert driver is not None
        if self._sqlite:
            # rows made from the columns a few hundred at a time, as the driver takes them:
            # building them all at once would hold the interpreter (and the window)
            driver.executemany(self._fill, table.iter_rows())
            self._store()
        else:
            # COPY of the batch as CSV that polars writes: no Python object per value
            rows = table.write_csv(include_header=False)
            self.settle()
            with driver.cursor() as cursor, cursor.copy(self._fill) as copy:
                copy.write(rows)
            self._storing = _Storing(self._store)
        self.records += events.height
        span = events.select(moment.min().alias("first"), moment.max().alias("last")).row(0)
        return span[0].replace(tzinfo=UTC), span[1].replace(tzinfo=UTC)

    def close(self) -> None:
        """Drop the staging table; build any index set aside again."""
        self.settle()
        self._table.drop(self._connection)
        self._indexes.restore()


class _Storing:
    """`store` running in a thread of its own; `join` waits for it, then `error` holds what
    it raised (None: it finished)."""

    def __init__(self, store: Callable[[], None]) -> None:
        self.error: BaseException | None = None
        self._store = store
        self._thread = threading.Thread(target=self._run, name="cohortdesk-store", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._store()
        except BaseException as error:  # raised again in the caller's thread, by `settle`
            self.error = error

    def join(self) -> None:
        self._thread.join()
