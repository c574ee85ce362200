"""SQLite databases made once per session and copied into the tests that ask for them.

Running the migrations or writing the demo cohort costs the same for every test; the result
does not change. `tests/conftest.py` migrates one file (`migrated_template`) and `db` copies it;
a fixture that fills a database the same way every time (the GUI tests' demo cohort) builds a
filled copy once and `add_rows` copies what it added into the test's database.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from cohortdesk.core.storage.db import OWNER_ONLY, connect_sqlite


def copy_template(template: Path, file: Path) -> None:
    """`template` copied to `file`, owner-only as cohortdesk creates its databases.

    The template must be closed (its write-ahead log checkpointed into the file)."""
    assert not template.with_name(template.name + "-wal").exists(), f"{template} is open"
    shutil.copyfile(template, file)
    file.chmod(OWNER_ONLY)


def _tables(raw: sqlite3.Connection, schema: str) -> list[str]:
    rows = raw.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [str(r[0]) for r in rows]


def added_rows_only(base: Path, filled: Path) -> None:
    """Check that `filled` is `base` plus new rows (no row of `base` changed or removed), so
    that `add_rows` can add them to any database still equal to `base`."""
    with closing(connect_sqlite(filled, read_only=True)) as raw:
        raw.execute("ATTACH DATABASE ? AS base", (str(base),))
        for table in _tables(raw, "base"):
            lost = raw.execute(
                f'SELECT count(*) FROM (SELECT * FROM base."{table}" '
                f'EXCEPT SELECT * FROM main."{table}")'
            ).fetchone()[0]
            assert lost == 0, f"{filled}: rows of {table} changed, not only added"


def add_rows(target: Path, base: Path, filled: Path) -> bool:
    """Add to the database `target` the rows `filled` holds beyond `base`, as one write, when
    `target` still holds exactly what `base` does; False (and nothing written) otherwise.

    The rows keep their ids: in a database equal to `base` they are the ids the same writes
    would have given them."""
    with closing(connect_sqlite(target)) as raw:
        raw.execute("ATTACH DATABASE ? AS base", (str(base),))
        raw.execute("ATTACH DATABASE ? AS filled", (str(filled),))
        tables = _tables(raw, "main")
        try:
            if tables != _tables(raw, "base"):
                return False
            raw.execute("BEGIN IMMEDIATE")
            for table in tables:
                differs = raw.execute(
                    f'SELECT EXISTS (SELECT * FROM main."{table}" EXCEPT '
                    f'SELECT * FROM base."{table}") OR EXISTS (SELECT * FROM base."{table}" '
                    f'EXCEPT SELECT * FROM main."{table}")'
                ).fetchone()[0]
                if differs:
                    raw.execute("ROLLBACK")
                    return False
            # The rows reference each other: checked once all are in, at the commit.
            raw.execute("PRAGMA defer_foreign_keys = ON")
            for table in tables:
                raw.execute(
                    f'INSERT INTO main."{table}" SELECT * FROM filled."{table}" '
                    f'EXCEPT SELECT * FROM base."{table}"'
                )
            raw.execute("COMMIT")
            return True
        finally:
            if raw.in_transaction:
                raw.execute("ROLLBACK")
            raw.execute("DETACH DATABASE filled")
            raw.execute("DETACH DATABASE base")
