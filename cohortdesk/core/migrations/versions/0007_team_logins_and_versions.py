"""team: who each server login is, who created a cohort, and edit versions

On a shared PostgreSQL server each person signs in with a login of their own, in one of the
team's roles (facilitator, mentor, trainer: server roles). `team_logins` says which person a
login is: the row-level security policies read it to decide what that login may see and
change. A cohort
records the login that created it (empty on a laptop's SQLite file), so a facilitator sees
the cohort they just made before adding themselves to it.

People, memberships and member notes carry a version number that every saved edit raises:
a save made from an out-of-date copy (someone else saved in between) is refused and shown,
instead of silently overwriting the other person's change.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSIONED = ("people", "memberships", "member_notes")


def upgrade() -> None:
    op.create_table(
        "team_logins",
        sa.Column("login", sa.String(length=63), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_team_logins_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("login", name=op.f("pk_team_logins")),
    )
    with op.batch_alter_table("team_logins") as batch_op:
        batch_op.create_index(batch_op.f("ix_team_logins_person_id"), ["person_id"], unique=False)
    with op.batch_alter_table("cohorts") as batch_op:
        batch_op.add_column(sa.Column("created_by", sa.String(length=63), nullable=True))
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), nullable=False, server_default="1")
            )


def downgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("version")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column by copying the table, and the copy cannot carry the index on
        # an expression (batch mode does not reflect it): make it again.
        op.execute("CREATE INDEX IF NOT EXISTS ix_people_email_lower ON people (lower(email))")
    with op.batch_alter_table("cohorts") as batch_op:
        batch_op.drop_column("created_by")
    with op.batch_alter_table("team_logins") as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_logins_person_id"))
    op.drop_table("team_logins")
