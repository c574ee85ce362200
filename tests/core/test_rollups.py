"""Daily rollups always equal a fresh GROUP BY over the events, whatever changed them."""

from __future__ import annotations

import random
import shutil
import tempfile
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cohortdesk.core.enums import EventKind, Role
from cohortdesk.core.importers.base import ImportOptions
from cohortdesk.core.models import (
    DAILY_KIND_COLUMNS,
    ActivityEvent,
    Cohort,
    ImportBatch,
    LocalDay,
    Membership,
    Person,
)
from cohortdesk.core.schemas import CohortInput
from cohortdesk.core.services.activity import imports, rollups
from cohortdesk.core.services.people import cohorts, members, people, tracking
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.db import Database
from tests.core.builders import add, event, make_cohort, person_of

Rows = dict[tuple[Any, ...], tuple[int, ...]]
COUNTS = ("events", *DAILY_KIND_COLUMNS.values(), "words")


# ---- what the rollups must hold: computed in Python from the events --------------------------


def expected(session: Session) -> tuple[Rows, Rows, Rows]:
    """(daily, totals, replies) as a fresh GROUP BY over every event would give them."""
    zones = {c.id: ZoneInfo(c.timezone) for c in session.scalars(select(Cohort))}
    daily: defaultdict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    totals: defaultdict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    replies: Counter[tuple[Any, ...]] = Counter()
    for cohort_id, person_id, moment, kind, target, words in session.execute(
        select(
            ActivityEvent.cohort_id,
            ActivityEvent.person_id,
            ActivityEvent.occurred_at,
            ActivityEvent.kind,
            ActivityEvent.replied_to_id,
            ActivityEvent.word_count,
        )
    ):
        day = moment.astimezone(zones[cohort_id]).date()
        for row in (daily[cohort_id, person_id, day], totals[cohort_id, day]):
            row["events"] += 1
            row[DAILY_KIND_COLUMNS[kind]] += 1
            row["words"] += words or 0
        if kind is EventKind.REPLY and target is not None and target != person_id:
            replies[cohort_id, person_id, target, day] += 1

    def counts(row: Counter[str]) -> tuple[int, ...]:
        return tuple(row[name] for name in COUNTS)

    return (
        {key: counts(row) for key, row in daily.items()},
        {key: counts(row) for key, row in totals.items()},
        {key: (n,) for key, n in replies.items()},
    )


def stored(session: Session) -> tuple[Rows, Rows, Rows]:
    """(daily, totals, replies) as the rollup tables hold them."""
    daily, totals, replies = rollups.DAILY, rollups.TOTALS, rollups.REPLIES
    return (
        {
            (r.cohort_id, r.person_id, r.day): tuple(r[n] for n in COUNTS)
            for r in session.execute(select(daily)).mappings()
        },
        {
            (r.cohort_id, r.day): tuple(r[n] for n in COUNTS)
            for r in session.execute(select(totals)).mappings()
        },
        {
            (r.cohort_id, r.from_person_id, r.to_person_id, r.day): (r["count"],)
            for r in session.execute(select(replies)).mappings()
        },
    )


def assert_consistent(db: Database) -> None:
    with db.read() as session:
        want, have = expected(session), stored(session)
    for name, a, b in zip(
        ("daily_activity", "daily_totals", "daily_replies"), want, have, strict=True
    ):
        assert b == a, name


# ---- local days in SQL -------------------------------------------------------------------------


def every_day(lo: datetime, hi: datetime) -> range:
    """The UTC day numbers from `lo` to `hi`."""
    return range(LocalDay.number(lo.date()), LocalDay.number(hi.date()) + 1)


def test_the_clock_changes_are_found_to_the_second() -> None:
    london = ZoneInfo("Europe/London")
    stretches = rollups.zone_stretches(
        london, every_day(datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 12, 31, tzinfo=UTC))
    )
    assert [(at, offset) for at, offset in stretches[1:]] == [
        (datetime(2025, 3, 30, 1, tzinfo=UTC), 3600),
        (datetime(2025, 10, 26, 1, tzinfo=UTC), 0),
    ]
    assert stretches[0] == (datetime(2025, 1, 1, tzinfo=UTC), 0)


@pytest.mark.parametrize("zone_name", ["Europe/London", "America/New_York", "UTC"])
def test_far_apart_days_cost_their_changes_not_the_calendar_between(zone_name: str) -> None:
    # One event in 2024 and one in 2200 used to walk the 64,000 days between, and put a
    # CASE branch on each of the ~350 changes of clocks: every later import crawled.
    zone = ZoneInfo(zone_name)
    days = [LocalDay.number(date(2024, 3, 1)), LocalDay.number(date(2200, 7, 1))]
    stretches = rollups.zone_stretches(zone, days)
    assert len(stretches) <= 1 + len(days)
    for day in days:
        noon = datetime(1970, 1, 1, 12, tzinfo=UTC) + timedelta(days=day)
        offset = next(o for at, o in reversed(stretches) if at <= noon)
        assert offset == noon.astimezone(zone).utcoffset().total_seconds()  # type: ignore[union-attr]


ZONES = (
    "UTC",
    "Europe/London",
    "America/New_York",
    "America/St_Johns",  # -3:30
    "Asia/Kathmandu",  # +5:45
    "Australia/Lord_Howe",  # a half-hour change of clocks
    "Pacific/Apia",  # skipped 30 December 2011 altogether
)


@pytest.mark.parametrize("zone_name", ZONES)
def test_the_sql_local_day_is_the_day_on_the_wall_clock(db: Database, zone_name: str) -> None:
    zone = ZoneInfo(zone_name)
    rng = random.Random(zone_name)
    lo, hi = datetime(2011, 12, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC)
    moments = [lo + (hi - lo) * rng.random() for _ in range(300)]
    # and a few seconds either side of every change of clocks, and of local midnights
    for at, _ in rollups.zone_stretches(zone, every_day(lo, hi))[1:]:
        moments += [at - timedelta(seconds=1), at, at + timedelta(seconds=1)]
    for moment in moments[:40]:
        midnight = datetime.combine(moment.astimezone(zone).date(), datetime.min.time(), zone)
        moments += [midnight.astimezone(UTC), midnight.astimezone(UTC) - timedelta(microseconds=1)]
    _assert_placed_on_their_wall_clock_days(db, zone_name, moments)


def _assert_placed_on_their_wall_clock_days(
    db: Database, zone_name: str, moments: list[datetime]
) -> None:
    """Store `moments` as events of one cohort in `zone_name`; the SQL local day of each must
    be its day on the wall clock, with no more clock stretches than two per day sampled."""
    zone = ZoneInfo(zone_name)
    with db.write() as session:
        cohort = make_cohort(session, timezone=zone_name)
        person_id = person_of(session, add(session, cohort.id, "Ann Lee"))
        session.add_all(
            ActivityEvent(
                cohort_id=cohort.id, person_id=person_id, occurred_at=m, kind=EventKind.VIEW
            )
            for m in moments
        )
        session.flush()
        days = rollups.utc_days(session, ActivityEvent.cohort_id == cohort.id)
        assert len(rollups.zone_stretches(zone, days)) <= 1 + 2 * len(days)
        day = rollups.local_day(ActivityEvent.occurred_at, zone, days)
        found = session.execute(select(ActivityEvent.occurred_at, day)).all()
    assert len(found) == len(moments)
    for moment, number in found:
        assert LocalDay.number(moment.astimezone(zone).date()) == number, moment


@pytest.mark.parametrize("zone_name", ZONES)
def test_sparse_days_across_the_kept_range_are_placed_exactly(db: Database, zone_name: str) -> None:
    # A few events centuries apart: only their days are sampled, and each must still land on
    # its wall-clock day, on both sides of every change of clocks near them.
    rng = random.Random(zone_name)
    lo, hi = datetime(1900, 1, 2, tzinfo=UTC), datetime(2200, 12, 30, tzinfo=UTC)
    moments = [lo + (hi - lo) * rng.random() for _ in range(25)]
    _assert_placed_on_their_wall_clock_days(db, zone_name, moments)


def test_every_kind_has_a_column_and_the_migration_agrees() -> None:
    from importlib import import_module

    migration = import_module("cohortdesk.core.migrations.versions.0004_daily_rollups")
    assert set(DAILY_KIND_COLUMNS) == set(EventKind)
    assert {k.value: c for k, c in DAILY_KIND_COLUMNS.items()} == migration.KIND_COLUMNS
    assert set(migration.COUNTS) == set(COUNTS)


# ---- each kind of change -------------------------------------------------------------------------

HEADER = "Who,When,What,To,Thread,Words\n"
MAPPING = {"who": "Who", "when": "When", "kind": "What", "replied_to": "To", "thread": "Thread"}


def import_rows(db: Database, cohort_id: int, folder: Path, rows: list[str], name: str) -> int:
    path = folder / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    with db.write() as session:
        cohort = session.get(Cohort, cohort_id)
        assert cohort is not None
        options = ImportOptions(mapping=MAPPING, timezone=ZoneInfo(cohort.timezone))
        summary = imports.import_file(session, cohort_id, path, "activity-csv", options)
    assert summary.batch_id is not None
    return summary.batch_id


ROWS = [
    "ann@example.org,2025-03-29 23:30,post,,t1,\n",
    "bob@example.org,2025-03-30 00:30,reply,ann@example.org,t1,\n",
    "cleo@example.org,2025-03-30 23:59,reply,bob@example.org,t1,\n",
    "bob@example.org,2025-03-31 08:15,login,,,\n",
    "ann@example.org,2025-03-31 09:00,reply,cleo@example.org,t1,\n",
]


@pytest.fixture
def cohort_id(db: Database) -> int:
    with db.write() as session:
        cohort = make_cohort(session, timezone="Europe/London", start_date=date(2025, 3, 24))
        add(session, cohort.id, "Ann Lee", email="ann@example.org")
        add(session, cohort.id, "Fay Tutor", Role.FACILITATOR, email="fay@example.org")
        return cohort.id


def test_an_import_and_its_undo(db: Database, cohort_id: int, tmp_path: Path) -> None:
    first = import_rows(db, cohort_id, tmp_path, ROWS[:3], "a.csv")
    assert_consistent(db)
    second = import_rows(db, cohort_id, tmp_path, ROWS, "b.csv")  # three duplicates, two new
    assert_consistent(db)
    with db.read() as session:
        daily, totals, replies = stored(session)
    assert sum(row[0] for row in daily.values()) == 5
    assert {key[1]: row[0] for key, row in totals.items()} == {
        date(2025, 3, 29): 1,
        date(2025, 3, 30): 2,
        date(2025, 3, 31): 2,
    }
    assert len(replies) == 3
    with db.write() as session:
        imports.undo_batch(session, first)
    assert_consistent(db)
    with db.write() as session:
        imports.undo_batch(session, second)
    assert_consistent(db)
    with db.read() as session:
        assert stored(session) == ({}, {}, {})


def test_events_typed_in_and_deleted(db: Database, cohort_id: int) -> None:
    with db.write() as session:
        ann = session.scalars(select(Membership.id).where(Membership.role == Role.LEARNER)).one()
        fay = session.scalars(
            select(Membership.id).where(Membership.role == Role.FACILITATOR)
        ).one()
        at = datetime(2025, 3, 30, 23, 30, tzinfo=UTC)  # 00:30 on the 31st in London
        kept = event(session, ann, EventKind.REPLY, at, to=fay, words=120)
        gone = event(session, ann, EventKind.REPLY, at + timedelta(minutes=5), to=fay, words=30)
        event(session, fay, EventKind.POST, at - timedelta(hours=1), words=200)
    assert_consistent(db)
    with db.read() as session:
        daily, _, replies = stored(session)
    assert list(replies.values()) == [(2,)]
    # Ann's replies fell after midnight in London, Fay's post (22:30 UTC) before it
    assert sorted((key[2], row[0]) for key, row in daily.items()) == [
        (date(2025, 3, 30), 1),
        (date(2025, 3, 31), 2),
    ]
    with db.write() as session:
        tracking.delete_event(session, gone.id)
    assert_consistent(db)
    with db.write() as session:
        tracking.delete_event(session, kept.id)
    assert_consistent(db)


def test_removing_a_member_and_merging_two_people(
    db: Database, cohort_id: int, tmp_path: Path
) -> None:
    import_rows(db, cohort_id, tmp_path, ROWS, "a.csv")
    with db.write() as session:
        person = dict(session.execute(select(Person.email, Person.id)).all())
        membership = {m.person_id: m.id for m in session.scalars(select(Membership))}
        people.merge_people(session, person["ann@example.org"], person["cleo@example.org"])
    assert_consistent(db)
    with db.write() as session:
        members.remove_member(session, membership[person["bob@example.org"]])
    assert_consistent(db)


def test_a_new_time_zone_moves_events_to_other_days(
    db: Database, cohort_id: int, tmp_path: Path
) -> None:
    import_rows(db, cohort_id, tmp_path, ROWS, "a.csv")
    with db.write() as session:
        current = cohorts.get_cohort(session, cohort_id)
        data = current.model_dump(include={"name", "description", "start_date", "end_date"})
        cohorts.update_cohort(session, cohort_id, CohortInput(**data, timezone="Asia/Tokyo"))
    assert_consistent(db)
    with db.read() as session:
        _, totals, _ = stored(session)
    assert min(day for _, day in totals) == date(2025, 3, 30)  # 23:30 London is 08:30 Tokyo


def test_deleting_a_cohort_takes_its_rollups(db: Database, cohort_id: int, tmp_path: Path) -> None:
    import_rows(db, cohort_id, tmp_path, ROWS, "a.csv")
    with db.write() as session:
        cohorts.delete_cohort(session, cohort_id)
    with db.read() as session:
        assert stored(session) == ({}, {}, {})


def test_rebuild_repairs_whatever_went_wrong(db: Database, cohort_id: int, tmp_path: Path) -> None:
    import_rows(db, cohort_id, tmp_path, ROWS, "a.csv")
    with db.write() as session:
        session.execute(delete(rollups.DAILY))
        session.execute(rollups.REPLIES.update().values(count=99))
        rollups.rebuild(session, cohort_id)
    assert_consistent(db)


def test_an_upgraded_database_has_its_rollups_built(
    db: Database, cohort_id: int, tmp_path: Path
) -> None:
    import_rows(db, cohort_id, tmp_path, ROWS, "a.csv")
    with db.write() as session:
        ann = session.scalars(select(Membership.id).order_by(Membership.id)).first()
        assert ann is not None
        event(session, ann, EventKind.VIEW, datetime(2025, 10, 26, 0, 59, tzinfo=UTC), words=5)
        other = make_cohort(session, "Autumn", timezone="America/New_York")
        bo = add(session, other.id, "Bo Chen", email="bo@example.org")
        event(session, bo, EventKind.LOGIN, datetime(2025, 11, 2, 4, 30, tzinfo=UTC))
    migrate.downgrade(db, "0003")
    migrate.upgrade(db)
    assert_consistent(db)
    with db.read() as session:
        assert len(stored(session)[0]) > 0


# ---- any sequence of changes ---------------------------------------------------------------------

_TEMPLATE: list[Path] = []


def _template_database() -> Path:
    """A migrated empty database, made once and copied for every example."""
    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="rollups-template-"))
        db = Database(f"sqlite:///{folder / 'template.sqlite'}")
        migrate.upgrade(db)
        db.dispose()
        _TEMPLATE.append(folder / "template.sqlite")
    return _TEMPLATE[0]


NAMES = ("ann", "bob", "cleo", "dev", "eli")
#: near the changes of clocks in London and New York, and local midnights
DAYS = (date(2025, 3, 8), date(2025, 3, 9), date(2025, 3, 29), date(2025, 3, 30), date(2025, 11, 2))
TIMEZONES = ("Europe/London", "America/New_York", "UTC", "Asia/Tokyo")
KINDS = (EventKind.POST, EventKind.REPLY, EventKind.REPLY, EventKind.VIEW, EventKind.LOGIN)

csv_rows = st.lists(
    st.tuples(
        st.sampled_from(NAMES),
        st.sampled_from(DAYS),
        st.sampled_from((4, 9, 12, 18, 23)),
        st.integers(0, 59),
        st.sampled_from(KINDS),
        st.one_of(st.none(), st.sampled_from(NAMES)),
    ),
    min_size=1,
    max_size=8,
)
moments = st.builds(
    lambda day, minutes: (
        datetime.combine(day, datetime.min.time(), UTC) + timedelta(minutes=minutes)
    ),
    st.sampled_from(DAYS),
    st.integers(-180, 26 * 60),
)


class RollupMachine(RuleBasedStateMachine):
    """Imports, undos, events typed in and deleted, members removed, people merged, time zones
    changed, in any order, in two cohorts: the rollups stay equal to a fresh GROUP BY."""

    @initialize()
    def open(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="rollups-"))
        shutil.copy(_template_database(), self.folder / "db.sqlite")
        self.db = Database(f"sqlite:///{self.folder / 'db.sqlite'}")
        self.files = 0
        with self.db.write() as session:
            self.cohorts = [
                make_cohort(session, "North", timezone="Europe/London").id,
                make_cohort(session, "South", timezone="America/New_York").id,
            ]
            add(session, self.cohorts[0], "Fay Tutor", Role.FACILITATOR, email="fay@example.org")

    def teardown(self) -> None:
        self.db.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _memberships(self) -> list[int]:
        with self.db.read() as session:
            return sorted(session.scalars(select(Membership.id)))

    def _event_ids(self) -> list[int]:
        with self.db.read() as session:
            return sorted(session.scalars(select(ActivityEvent.id)))

    @rule(cohort=st.integers(0, 1), rows=csv_rows)
    def import_file(self, cohort: int, rows: list[tuple[Any, ...]]) -> None:
        lines = [
            f"{who}@example.org,{day} {hour:02d}:{minute:02d},{kind.value},"
            f"{f'{to}@example.org' if to and kind is EventKind.REPLY else ''},t,\n"
            for who, day, hour, minute, kind, to in rows
        ]
        self.files += 1
        import_rows(self.db, self.cohorts[cohort], self.folder, lines, f"f{self.files}.csv")

    @rule(data=st.data(), at=moments, kind=st.sampled_from(KINDS), words=st.integers(0, 300))
    @precondition(lambda self: len(self._memberships()) > 0)
    def type_an_event(self, data: st.DataObject, at: datetime, kind: EventKind, words: int) -> None:
        member = data.draw(st.sampled_from(self._memberships()))
        with self.db.write() as session:
            cohort_id = session.get(Membership, member).cohort_id  # type: ignore[union-attr]
            others = session.scalars(
                select(Membership.id).where(
                    Membership.cohort_id == cohort_id, Membership.id != member
                )
            ).all()
            to = data.draw(st.sampled_from(others)) if others and kind is EventKind.REPLY else None
            event(session, member, kind, at, to=to, words=words)

    @rule(data=st.data())
    @precondition(lambda self: len(self._event_ids()) > 0)
    def delete_an_event(self, data: st.DataObject) -> None:
        event_id = data.draw(st.sampled_from(self._event_ids()))
        with self.db.write() as session:
            tracking.delete_event(session, event_id)

    @rule(data=st.data())
    def undo_an_import(self, data: st.DataObject) -> None:
        with self.db.read() as session:
            batches = session.scalars(
                select(ImportBatch.id).where(ImportBatch.undone_at.is_(None))
            ).all()
        if batches:
            with self.db.write() as session:
                imports.undo_batch(session, data.draw(st.sampled_from(sorted(batches))))

    @rule(data=st.data())
    @precondition(lambda self: len(self._memberships()) > 0)
    def remove_a_member(self, data: st.DataObject) -> None:
        member = data.draw(st.sampled_from(self._memberships()))
        with self.db.write() as session:
            members.remove_member(session, member)

    @rule(data=st.data())
    def merge_two_people(self, data: st.DataObject) -> None:
        with self.db.read() as session:
            ids = sorted(set(session.scalars(select(Membership.person_id))))
        if len(ids) >= 2:
            keep, merge = data.draw(
                st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True)
            )
            with self.db.write() as session:
                people.merge_people(session, keep, merge)

    @rule(cohort=st.integers(0, 1), zone=st.sampled_from(TIMEZONES))
    def change_the_time_zone(self, cohort: int, zone: str) -> None:
        with self.db.write() as session:
            current = cohorts.get_cohort(session, self.cohorts[cohort])
            data = current.model_dump(include={"name", "description", "start_date", "end_date"})
            cohorts.update_cohort(session, current.id, CohortInput(**data, timezone=zone))

    @invariant()
    def rollups_equal_a_fresh_group_by(self) -> None:
        if hasattr(self, "db"):
            assert_consistent(self.db)


RollupMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_any_sequence_of_changes_keeps_rollups_exact = RollupMachine.TestCase
