"""Setting a table's secondary indexes aside while a large bulk insert runs, and building them
again at its end, within the same transaction.

SQLite keeps each index up to date row by row: an import of a million events into a table
with four secondary indexes spends more time in those indexes than in the table. Built again
at the end, an index is one sort of the whole table: cheaper than the row-by-row upkeep when
the rows inserted are many next to the rows already there (measured on the million-row bench
log: 4.3-7 s of upkeep for the events alone against 2.3 s to build all four again; setting
aside only the two whose entries land all over the index saves another second).

SQLite's schema changes are transactional: a cancel, a rejected file or a crash before the
commit leaves the indexes as they were. Only indexes that enforce nothing are set aside (never
a UNIQUE one: those keep refusing duplicates while the rows go in). On a server, dropping an
index locks the whole table against readers until the commit, so there the indexes stay.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, text

#: set the indexes aside when the table holds at most this many rows per row expected:
#: building again costs the whole table, upkeep only the new rows. Measured: a million-row
#: log into an empty table saves 4-7 s of CPU; into a table already holding as many events,
#: 0.2-1 s (28.8-29.6 s against 29.8 s): about where the two costs meet.
REBUILD_RATIO = 1.0
#: fewer rows expected than this keep the indexes: their upkeep takes well under a second,
#: and a change of schema makes every other connection prepare its statements again
MIN_ROWS = 50_000


class DeferredIndexes:
    """A table's non-unique indexes, dropped for a bulk insert and created again after it.

    Args:
        connection: the transaction's connection.
        table: the table's name.
        keep: indexes never set aside, whose upkeep is cheap anyway (new entries all go to
            one end or one place of the index).
    """

    def __init__(self, connection: Connection, table: str, keep: Iterable[str] = ()) -> None:
        self._connection = connection
        self._table = table
        self._keep = frozenset(keep)
        self._dropped: list[str] = []

    @property
    def deferred(self) -> bool:
        """Whether the indexes are set aside now."""
        return bool(self._dropped)

    def defer_for(self, expected_rows: int) -> bool:
        """Set the indexes aside when `expected_rows` new rows are many next to the table's
        rows; return whether they were. Only on SQLite; at most once until `restore`."""
        if self._dropped or self._connection.dialect.name != "sqlite" or expected_rows < MIN_ROWS:
            return False
        # the highest rowid bounds the rows there, without counting them
        there = self._connection.execute(text(f'SELECT max(rowid) FROM "{self._table}"')).scalar()
        if (there or 0) > expected_rows * REBUILD_RATIO:
            return False
        found = self._connection.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :table"
                " AND sql IS NOT NULL ORDER BY name"
            ),
            {"table": self._table},
        ).all()
        for name, sql in found:
            if name in self._keep or sql.lstrip()[:13].upper() == "CREATE UNIQUE":
                continue
            self._connection.exec_driver_sql(f'DROP INDEX "{name}"')
            self._dropped.append(sql)
        return bool(self._dropped)

    def restore(self) -> None:
        """Create the indexes set aside again, exactly as they were defined."""
        for sql in self._dropped:
            self._connection.exec_driver_sql(sql)
        self._dropped = []
