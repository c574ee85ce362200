"""The dashboard says the same on SQLite and on PostgreSQL, and its numbers read as arrays
(`storage.columns`) are the rows the driver returns, on both."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, literal, select

from cohortdesk.core.demo.build import DemoSpec, create_demo
from cohortdesk.core.models import Membership
from cohortdesk.core.models.rollups import DAILY, REPLIES
from cohortdesk.core.services.dashboards import dashboard
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.columns import int_columns
from cohortdesk.core.storage.db import Database

#: demo cohorts of several sizes and seeds (staff, learners, replies and quiet spells vary)
SPECS = (
    DemoSpec(members=24, days=21, seed=3, end=date(2025, 5, 2)),
    DemoSpec(members=48, days=35, seed=11, end=date(2025, 3, 30)),
    DemoSpec(members=90, days=49, seed=5, end=date(2025, 10, 28)),
)


def _ranges(end: date, days: int) -> list[dict[str, date]]:
    first = end - timedelta(days=days)
    middle = first + timedelta(days=days // 2)
    return [
        {"as_of": end},
        {"as_of": end + timedelta(days=40)},
        {"as_of": middle},
        {"start": first + timedelta(days=9), "as_of": end},
        {"start": first + timedelta(days=10), "end": middle, "as_of": end},
        {"end": middle - timedelta(days=1), "as_of": end},
    ]


@pytest.fixture
def both(tmp_path: Path, pg_migrated_url: str) -> Iterator[tuple[Database, Database]]:
    """The same demo cohorts in an SQLite file and on the server."""
    file = tmp_path / "dashboard.sqlite"
    databases = (Database(f"sqlite:///{file}"), Database(pg_migrated_url))
    migrate.upgrade(databases[0])
    for database in databases:
        for spec in SPECS:
            with database.write() as session:
                create_demo(session, spec.model_copy(update={"cohort": f"Demo {spec.seed}"}))
    yield databases
    for database in databases:
        database.dispose()


def test_every_range_of_every_cohort_is_the_same_on_both_databases(
    both: tuple[Database, Database],
) -> None:
    sqlite, server = both
    compared = 0
    for number, spec in enumerate(SPECS, start=1):
        assert spec.end is not None
        for asked in _ranges(spec.end, spec.days):
            with sqlite.read() as one, server.read() as other:
                here = dashboard.cohort_dashboard(one, number, **asked)
                there = dashboard.cohort_dashboard(other, number, **asked)
            assert here == there, (spec.seed, asked)
            assert sum(map(len, (here.heatmap, here.network.edges))) > 0
            compared += 1
    assert compared == len(SPECS) * 6


def test_arrays_hold_the_rows_the_driver_returns(db: Database) -> None:
    with db.write() as session:
        create_demo(session, DemoSpec(members=60, days=30, seed=2, end=date(2025, 4, 4)))
    weekly = (
        select(DAILY.c.person_id, DAILY.c.day, func.sum(DAILY.c.events))
        .group_by(DAILY.c.person_id, DAILY.c.day)
        .order_by(DAILY.c.person_id, DAILY.c.day)
    )
    with db.read() as session:
        rows = session.execute(weekly).all()
        arrays = int_columns(session.connection(), weekly)
        empty = int_columns(session.connection(), select(REPLIES.c.day, literal(1)).where(False))
    expected = [(p, d.toordinal() - date(1970, 1, 1).toordinal(), int(n)) for p, d, n in rows]
    assert sorted(map(tuple, arrays.tolist())) == sorted(expected)
    assert arrays.dtype == np.int64 and arrays.shape == (len(rows), 3) and len(rows) > 100
    assert empty.shape == (0, 2)


def test_a_null_in_a_whole_number_column_is_refused(db: Database) -> None:
    with db.write() as session:
        create_demo(session, DemoSpec(members=12, days=20, seed=4, end=date(2025, 4, 4)))
    missing = select(Membership.id, func.nullif(Membership.id, Membership.id))
    with db.read() as session, pytest.raises((ValueError, TypeError)):
        int_columns(session.connection(), missing)


def test_the_weeks_read_apart_give_the_dashboard_read_with_the_counts(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # read one after another, a short range sums members' weeks with their counts, a long
    # one groups them in a read of its own (as a server does side by side): the same
    # heatmap (and everything else) either way
    spec = DemoSpec(members=40, days=35, seed=8, end=date(2025, 4, 4))
    with db.write() as session:
        create_demo(session, spec)
    assert spec.end is not None
    for asked in _ranges(spec.end, spec.days):
        with db.read() as session:
            together = dashboard.cohort_dashboard(session, 1, **asked)
            monkeypatch.setattr(dashboard, "WEEKS_WITH_COUNTS", 0)
            apart = dashboard.cohort_dashboard(session, 1, **asked)
            monkeypatch.undo()
        assert together == apart, asked
        assert sum(sum(row.counts) for row in together.heatmap) > 0
