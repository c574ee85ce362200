"""nudge status: a copied or mailed nudge is a draft until the facilitator confirms it

cohortdesk cannot see a message being sent: copying it, opening it in the mail client or saving
an `.eml` file only puts it on its way. Each nudge now carries a status (draft, sent, not sent)
and when the facilitator confirmed it. Nudges logged before this version were all counted as
sent, and stay so.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("draft", "sent", "not_sent")


def upgrade() -> None:
    with op.batch_alter_table("interventions") as batch_op:
        batch_op.add_column(
            sa.Column(
                "status",
                sa.Enum(
                    *STATUSES,
                    name="nudge_status",
                    native_enum=False,
                    create_constraint=True,
                    length=16,
                ),
                nullable=False,
                server_default="sent",
            )
        )
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))
    # the default only carried the existing rows over: new rows say what they are
    with op.batch_alter_table("interventions") as batch_op:
        batch_op.alter_column("status", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("interventions") as batch_op:
        batch_op.drop_constraint(op.f("ck_interventions_nudge_status"), type_="check")
        batch_op.drop_column("confirmed_at")
        batch_op.drop_column("status")
