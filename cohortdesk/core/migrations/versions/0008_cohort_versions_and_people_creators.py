"""team: cohorts carry an edit version, people record the login that added them

Two facilitators editing one cohort (its name, dates, time zone) never overwrite each other
silently: a save made from an out-of-date copy of the cohort is refused and shown, as for a
member.

A person records the server login that added them (empty on a laptop's SQLite file): on a
team's server a facilitator sees the people of the cohorts they facilitate, and a person they
have just added, before that person is placed in one of their cohorts.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cohorts") as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("people") as batch_op:
        batch_op.add_column(sa.Column("created_by", sa.String(length=63), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # SQLite rebuilds the table to add a column in batch mode, and the copy cannot carry
        # the index on an expression (batch mode does not reflect it): make it again.
        op.execute("CREATE INDEX IF NOT EXISTS ix_people_email_lower ON people (lower(email))")


def downgrade() -> None:
    with op.batch_alter_table("people") as batch_op:
        batch_op.drop_column("created_by")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE INDEX IF NOT EXISTS ix_people_email_lower ON people (lower(email))")
    with op.batch_alter_table("cohorts") as batch_op:
        batch_op.drop_column("version")
