"""mentoring: groups, mentor links, sessions, reviews, review-pack info, highlights

Adds who mentors whom (with mentoring groups sharing a goal), each mentor's private session
notes (with a stable UUID, the key that merges notes files without duplicates), when a mentor
last reviewed their mentees, the marker a review pack carries, and highlights (success stories
and quotes). Every table points at memberships, none at people: a merge of two people moves
their rows with the rest of the membership's records.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _membership_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        ["memberships.id"],
        name=op.f(f"fk_{table}_{column}_memberships"),
        ondelete="CASCADE",
    )


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def _drop_index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table) as batch_op:
        for column in columns:
            batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))


def upgrade() -> None:
    op.create_table(
        "mentoring_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("mentor_membership_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _membership_fk("mentoring_groups", "mentor_membership_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_groups")),
        sa.UniqueConstraint("uuid", name=op.f("uq_mentoring_groups_uuid")),
    )
    _index("mentoring_groups", "mentor_membership_id")

    op.create_table(
        "mentor_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentor_membership_id", sa.Integer(), nullable=False),
        sa.Column("mentee_membership_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _membership_fk("mentor_links", "mentor_membership_id"),
        _membership_fk("mentor_links", "mentee_membership_id"),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["mentoring_groups.id"],
            name=op.f("fk_mentor_links_group_id_mentoring_groups"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_links")),
    )
    _index("mentor_links", "group_id", "mentee_membership_id", "mentor_membership_id")

    op.create_table(
        "mentoring_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("mentor_membership_id", sa.Integer(), nullable=False),
        sa.Column("mentee_membership_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "mentee_membership_id IS NOT NULL OR group_id IS NOT NULL",
            name=op.f("ck_mentoring_sessions_with_someone"),
        ),
        _membership_fk("mentoring_sessions", "mentor_membership_id"),
        _membership_fk("mentoring_sessions", "mentee_membership_id"),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["mentoring_groups.id"],
            name=op.f("fk_mentoring_sessions_group_id_mentoring_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_sessions")),
        sa.UniqueConstraint("uuid", name=op.f("uq_mentoring_sessions_uuid")),
    )
    _index("mentoring_sessions", "group_id", "mentee_membership_id", "mentor_membership_id")

    op.create_table(
        "mentor_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentor_membership_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        _membership_fk("mentor_reviews", "mentor_membership_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_reviews")),
    )
    _index("mentor_reviews", "mentor_membership_id")

    op.create_table(
        "review_pack_info",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("mentor_membership_id", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_review_pack_info_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        _membership_fk("review_pack_info", "mentor_membership_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_pack_info")),
    )
    _index("review_pack_info", "mentor_membership_id")

    op.create_table(
        "highlights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "story",
                "quote",
                name="highlight_kind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            server_default="story",
            nullable=False,
        ),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tags", sa.Text(), server_default="", nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["activity_events.id"],
            name=op.f("fk_highlights_event_id_activity_events"),
            ondelete="SET NULL",
        ),
        _membership_fk("highlights", "membership_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_highlights")),
    )
    _index("highlights", "event_id", "membership_id")


def downgrade() -> None:
    _drop_index("highlights", "event_id", "membership_id")
    op.drop_table("highlights")
    _drop_index("review_pack_info", "mentor_membership_id")
    op.drop_table("review_pack_info")
    _drop_index("mentor_reviews", "mentor_membership_id")
    op.drop_table("mentor_reviews")
    _drop_index("mentoring_sessions", "group_id", "mentee_membership_id", "mentor_membership_id")
    op.drop_table("mentoring_sessions")
    _drop_index("mentor_links", "group_id", "mentee_membership_id", "mentor_membership_id")
    op.drop_table("mentor_links")
    _drop_index("mentoring_groups", "mentor_membership_id")
    op.drop_table("mentoring_groups")
