"""Mentoring, review packs and highlights (issue 7): groups, mentor links, sessions, reviews,
the review pack's own marker, and success stories and quotes.

Every table here refers to memberships, never to people directly: merging two people moves
their rows generically (`services.people.people.member_record_columns`), so none of these may be
unique per membership. "One mentor per mentee" is kept by `services.mentoring.mentoring` instead.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from cohortdesk.core.enums import HighlightKind
from cohortdesk.core.models.base import Base, UTCDateTime, enum_type, utcnow


class MentoringGroup(Base):
    """A mentor's group of mentees sharing a goal (group mentoring)."""

    __tablename__ = "mentoring_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable across review packs and notes files, so a group is never duplicated by a merge
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    mentor_membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    goal: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MentorLink(Base):
    """A mentee's mentor in one cohort, optionally within one of the mentor's groups."""

    __tablename__ = "mentor_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    mentee_membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentoring_groups.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MentoringSession(Base):
    """A mentor's own record of a session with a mentee or a group: private to that mentor."""

    __tablename__ = "mentoring_sessions"
    __table_args__ = (
        CheckConstraint(
            "mentee_membership_id IS NOT NULL OR group_id IS NOT NULL", name="with_someone"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable across review packs and notes files: the key that merges notes without duplicates
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    mentor_membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    mentee_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentoring_groups.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MentorReview(Base):
    """A mentor marked their mentees as reviewed: "what changed" counts from the latest."""

    __tablename__ = "mentor_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReviewPackInfo(Base):
    """Present only in a review pack: the cohort and mentor it was made for, and when."""

    __tablename__ = "review_pack_info"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    mentor_membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Highlight(Base):
    """A success story or quote worth telling, with its member, day and tags."""

    __tablename__ = "highlights"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    # Server defaults too: the PDF report's tests (and any script) may insert a highlight
    # with only its member, day and text.
    kind: Mapped[HighlightKind] = mapped_column(
        enum_type(HighlightKind, "highlight_kind"),
        default=HighlightKind.STORY,
        server_default=HighlightKind.STORY.value,
    )
    happened_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    #: comma-separated, as typed ("leadership, first post")
    tags: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: the event it was captured from, if any
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity_events.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, server_default=func.current_timestamp()
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, server_default=func.current_timestamp()
    )
