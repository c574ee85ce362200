"""daily rollups: activity per member and day, per cohort and day; replies per pair and day

Days are local to each cohort, stored as whole days since 1970-01-01. The dashboards read
these instead of the events, so their cost grows with people x days. The
upgrade also builds the tables from the events already stored, cohort by cohort, in each
cohort's time zone: an upgraded database is as consistent as one that kept them all along.

Self-contained on purpose (no import of the services): the SQL here builds the rows exactly
as `core/services/activity/rollups.py` does today, and must keep doing so when that module changes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: event kind -> the daily_activity column counting it (as in models.DAILY_KIND_COLUMNS)
KIND_COLUMNS = {
    "login": "logins",
    "view": "views",
    "post": "posts",
    "reply": "replies",
    "reaction": "reactions",
    "share": "shares",
    "attend": "attendances",
    "submit": "submissions",
}
COUNTS = (
    "events",
    "posts",
    "replies",
    "logins",
    "views",
    "reactions",
    "shares",
    "attendances",
    "submissions",
    "words",
)


def upgrade() -> None:
    op.create_table(
        "daily_activity",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_daily_activity_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cohort_id", "person_id", "day", name=op.f("pk_daily_activity")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "daily_totals",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_daily_totals_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cohort_id", "day", name=op.f("pk_daily_totals")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "daily_replies",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("from_person_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("to_person_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_daily_replies_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "cohort_id", "from_person_id", "to_person_id", "day", name=op.f("pk_daily_replies")
        ),
        sqlite_with_rowid=False,
    )
    _build_from_events()


def downgrade() -> None:
    op.drop_table("daily_replies")
    op.drop_table("daily_totals")
    op.drop_table("daily_activity")


# ---- building the rows from the events already stored ---------------------------------------


def _build_from_events() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    cohorts = bind.execute(sa.text("SELECT id, timezone FROM cohorts")).all()
    for cohort_id, timezone in cohorts:
        lo, hi = bind.execute(
            sa.text(
                "SELECT min(occurred_at), max(occurred_at) FROM activity_events"
                " WHERE cohort_id = :c"
            ),
            {"c": cohort_id},
        ).one()
        if lo is None:
            continue
        day = _local_day_sql(dialect, ZoneInfo(timezone or "UTC"), _utc(lo), _utc(hi))
        by_kind = ", ".join(
            f"sum(CASE WHEN kind = '{kind}' THEN 1 ELSE 0 END)" for kind in KIND_COLUMNS
        )
        bind.execute(
            sa.text(
                f"INSERT INTO daily_activity (cohort_id, person_id, day, events,"
                f" {', '.join(KIND_COLUMNS.values())}, words)"
                f" SELECT cohort_id, person_id, {day}, count(*), {by_kind},"
                " coalesce(sum(word_count), 0) FROM activity_events WHERE cohort_id = :c"
                f" GROUP BY cohort_id, person_id, {day}"
            ),
            {"c": cohort_id},
        )
        sums = ", ".join(f"sum({name})" for name in COUNTS)
        bind.execute(
            sa.text(
                f"INSERT INTO daily_totals (cohort_id, day, {', '.join(COUNTS)})"
                f" SELECT cohort_id, day, {sums} FROM daily_activity WHERE cohort_id = :c"
                " GROUP BY cohort_id, day"
            ),
            {"c": cohort_id},
        )
        bind.execute(
            sa.text(
                "INSERT INTO daily_replies (cohort_id, from_person_id, to_person_id, day, count)"
                f" SELECT cohort_id, person_id, replied_to_id, {day}, count(*)"
                " FROM activity_events WHERE cohort_id = :c AND kind = 'reply'"
                " AND replied_to_id IS NOT NULL AND replied_to_id != person_id"
                f" GROUP BY cohort_id, person_id, replied_to_id, {day}"
            ),
            {"c": cohort_id},
        )


def _utc(value: object) -> datetime:
    # SQLite hands the stored text back through a plain text() query
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _offset(zone: ZoneInfo, seconds: int) -> int:
    shift = datetime.fromtimestamp(seconds, zone).utcoffset()
    assert shift is not None
    return int(shift.total_seconds())


def _stretches(zone: ZoneInfo, lo: datetime, hi: datetime) -> list[tuple[int, int]]:
    """(first second, UTC offset) of each stretch of constant offset from `lo` to `hi`."""
    start = int((lo - timedelta(days=1)).timestamp())
    stop = int((hi + timedelta(days=1)).timestamp())
    found = [(start, _offset(zone, start))]
    step = 86_400
    at = start
    while at < stop:
        after = min(at + step, stop)
        if _offset(zone, after) != found[-1][1]:
            low, high = at, after  # the offset changes in (low, high]
            while high - low > 1:
                middle = (low + high) // 2
                if _offset(zone, middle) == found[-1][1]:
                    low = middle
                else:
                    high = middle
            found.append((high, _offset(zone, high)))
        at = after
    return found


def _shifted(dialect: str, seconds: int) -> str:
    """The day number (days since 1970-01-01) of `occurred_at` moved by `seconds`."""
    if dialect == "postgresql":
        return f"(CAST(occurred_at + INTERVAL '{seconds} seconds' AS DATE) - DATE '1970-01-01')"
    shift = f"'{seconds:+d} seconds', " if seconds else ""
    # without the fraction of a second, which julianday() would round into the next day
    return (
        f"CAST(julianday(substr(occurred_at, 1, 19), {shift}'start of day') - 2440587.5 AS INTEGER)"
    )


def _local_day_sql(dialect: str, zone: ZoneInfo, lo: datetime, hi: datetime) -> str:
    stretches = _stretches(zone, lo, hi)
    if len(stretches) == 1:
        return _shifted(dialect, stretches[0][1])
    whens = []
    for (_, seconds), (next_start, _) in itertools.pairwise(stretches):
        bound = datetime.fromtimestamp(next_start, UTC).replace(tzinfo=None)
        text = bound.isoformat(" ", "microseconds")
        literal = f"TIMESTAMP '{text}'" if dialect == "postgresql" else f"'{text}'"
        whens.append(f"WHEN occurred_at < {literal} THEN {_shifted(dialect, seconds)}")
    return f"(CASE {' '.join(whens)} ELSE {_shifted(dialect, stretches[-1][1])} END)"
