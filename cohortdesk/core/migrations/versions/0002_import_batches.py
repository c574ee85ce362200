"""import batches; identities scoped per person

Imports are recorded as batches (provenance, counts, undo). Events and memberships remember
the batch that brought them. An identity (source, external id) is no longer unique across
people: the same Moodle user id on two sites names two people.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("file_name", sa.String(length=400), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("encoding", sa.String(length=32), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("read", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("unattributed", sa.Integer(), nullable=False),
        sa.Column("ignored", sa.Integer(), nullable=False),
        sa.Column("people_created", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_import_batches_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    with op.batch_alter_table("import_batches") as batch_op:
        batch_op.create_index(batch_op.f("ix_import_batches_cohort_id"), ["cohort_id"])

    with op.batch_alter_table("activity_events") as batch_op:
        batch_op.add_column(sa.Column("import_batch_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_activity_events_import_batch_id_import_batches"),
            "import_batches",
            ["import_batch_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(batch_op.f("ix_activity_events_import_batch_id"), ["import_batch_id"])

    with op.batch_alter_table("memberships") as batch_op:
        batch_op.add_column(sa.Column("import_batch_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_memberships_import_batch_id_import_batches"),
            "import_batches",
            ["import_batch_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_memberships_import_batch_id"), ["import_batch_id"])

    with op.batch_alter_table("identities") as batch_op:
        batch_op.drop_constraint("uq_identities_source_external_id", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_identities_person_id_source_external_id"),
            ["person_id", "source", "external_id"],
        )
        batch_op.create_index("ix_identities_source_external_id", ["source", "external_id"])


def downgrade() -> None:
    with op.batch_alter_table("identities") as batch_op:
        batch_op.drop_index("ix_identities_source_external_id")
        batch_op.drop_constraint("uq_identities_person_id_source_external_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_identities_source_external_id", ["source", "external_id"]
        )

    with op.batch_alter_table("memberships") as batch_op:
        batch_op.drop_index(batch_op.f("ix_memberships_import_batch_id"))
        batch_op.drop_constraint(
            "fk_memberships_import_batch_id_import_batches", type_="foreignkey"
        )
        batch_op.drop_column("import_batch_id")

    with op.batch_alter_table("activity_events") as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_events_import_batch_id"))
        batch_op.drop_constraint(
            "fk_activity_events_import_batch_id_import_batches", type_="foreignkey"
        )
        batch_op.drop_column("import_batch_id")

    with op.batch_alter_table("import_batches") as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_batches_cohort_id"))
    op.drop_table("import_batches")
