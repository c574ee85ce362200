"""attention: cohort rules, dismissed stage suggestions, prompt templates, nudges

Adds the per-cohort thresholds (a JSON document), the stage suggestions a facilitator turned
down, the prompt templates (seeded here with the built-in library from
`resources/templates.json`, keyed so later seeding never duplicates them) and the log of
nudges sent.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import resources

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PURPOSES = (
    "welcome",
    "getting_in",
    "access_help",
    "motivation",
    "delurk",
    "connect_peers",
    "silent",
    "follow_up",
    "bridge",
    "thanks",
    "summary",
    "weave",
    "reflection",
    "invite_to_help",
    "close",
    "etivity",
)
CHANNELS = ("clipboard", "email", "eml", "other")


def upgrade() -> None:
    op.create_table(
        "cohort_rules",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("settings", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_cohort_rules_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cohort_id", name=op.f("pk_cohort_rules")),
    )

    op.create_table(
        "suggestion_dismissals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("to_stage", sa.Integer(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "to_stage BETWEEN 1 AND 5", name=op.f("ck_suggestion_dismissals_to_stage_range")
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_suggestion_dismissals_membership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_dismissals")),
    )
    with op.batch_alter_table("suggestion_dismissals") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_suggestion_dismissals_membership_id"), ["membership_id"]
        )

    templates = op.create_table(
        "prompt_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                *PURPOSES,
                name="template_purpose",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("stage", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "stage IS NULL OR stage BETWEEN 1 AND 5",
            name=op.f("ck_prompt_templates_stage_range"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompt_templates")),
        sa.UniqueConstraint("key", name=op.f("uq_prompt_templates_key")),
    )

    op.create_table(
        "interventions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                *CHANNELS,
                name="nudge_channel",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_interventions_membership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["prompt_templates.id"],
            name=op.f("fk_interventions_template_id_prompt_templates"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interventions")),
    )
    with op.batch_alter_table("interventions") as batch_op:
        batch_op.create_index(
            "ix_interventions_membership_sent", ["membership_id", "sent_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_interventions_template_id"), ["template_id"])

    op.bulk_insert(templates, _builtin_rows())


def _builtin_rows() -> list[dict[str, object]]:
    """The built-in library as shipped, ready to insert (first start of a database)."""
    text = resources.files("cohortdesk.resources").joinpath("templates.json").read_text("utf-8")
    now = datetime.now(UTC).replace(tzinfo=None)
    return [
        {
            "key": entry["key"],
            "name": entry["name"],
            "purpose": entry["purpose"],
            "stage": entry["stage"],
            "subject": entry["subject"],
            "body": "\n".join(entry["body"]),
            "builtin": True,
            "retired": False,
            "created_at": now,
            "updated_at": now,
        }
        for entry in json.loads(text)["templates"]
    ]


def downgrade() -> None:
    with op.batch_alter_table("interventions") as batch_op:
        batch_op.drop_index(batch_op.f("ix_interventions_template_id"))
        batch_op.drop_index("ix_interventions_membership_sent")
    op.drop_table("interventions")
    op.drop_table("prompt_templates")
    with op.batch_alter_table("suggestion_dismissals") as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestion_dismissals_membership_id"))
    op.drop_table("suggestion_dismissals")
    op.drop_table("cohort_rules")
