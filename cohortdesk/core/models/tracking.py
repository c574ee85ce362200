"""A member's journey, recorded by the facilitator: motivation check-ins, access issues, stage
changes and notes. Each row belongs to one membership and goes with it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from cohortdesk.core.enums import StageChangeSource
from cohortdesk.core.models.base import Base, UTCDateTime, enum_type, utcnow


class MotivationCheck(Base):
    __tablename__ = "motivation_checks"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    checked_on: Mapped[date] = mapped_column(Date)
    rating: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AccessIssue(Base):
    __tablename__ = "access_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str] = mapped_column(Text, default="")


class StageChange(Base):
    __tablename__ = "stage_changes"
    __table_args__ = (
        CheckConstraint("to_stage BETWEEN 1 AND 5", name="to_stage_range"),
        CheckConstraint(
            "from_stage IS NULL OR from_stage BETWEEN 1 AND 5", name="from_stage_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[int | None] = mapped_column(Integer)
    to_stage: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[StageChangeSource] = mapped_column(
        enum_type(StageChangeSource, "stage_change_source"), default=StageChangeSource.MANUAL
    )
    evidence: Mapped[str | None] = mapped_column(Text)


class MemberNote(Base):
    """The facilitator's own note about a member of a cohort."""

    __tablename__ = "member_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    body: Mapped[str] = mapped_column(Text)
    #: raised by every saved edit: a save from an out-of-date copy is refused (`versions`)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own dict
