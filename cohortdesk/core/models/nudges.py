"""Attention and nudges (issue 4): a cohort's rules, dismissed stage suggestions, prompt
templates, and the nudges sent from them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cohortdesk.core.enums import NudgeChannel, NudgeStatus, TemplatePurpose
from cohortdesk.core.models.base import Base, UTCDateTime, enum_type, utcnow


class CohortRules(Base):
    """A cohort's adjustable thresholds (attention, stage evidence) and message settings.

    One row per cohort at most, holding a JSON document validated by `schemas.CohortRules`:
    a new threshold needs no migration, and a cohort without a row uses the defaults.
    """

    __tablename__ = "cohort_rules"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    settings: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SuggestionDismissal(Base):
    """A stage suggestion the facilitator turned down, with the evidence counts it showed.

    The same suggestion comes back only when one of those counts has grown since.
    """

    __tablename__ = "suggestion_dismissals"
    __table_args__ = (CheckConstraint("to_stage BETWEEN 1 AND 5", name="to_stage_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    to_stage: Mapped[int] = mapped_column(Integer)
    counts: Mapped[str] = mapped_column(Text)
    dismissed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PromptTemplate(Base):
    """A message a facilitator sends (or adapts): built in, or written by the facilitator.

    Built-in templates carry the `key` they ship under, so seeding is idempotent; they are
    never edited in place (duplicate one to adapt it) and never deleted, only retired.
    """

    __tablename__ = "prompt_templates"
    __table_args__ = (
        CheckConstraint("stage IS NULL OR stage BETWEEN 1 AND 5", name="stage_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[TemplatePurpose] = mapped_column(enum_type(TemplatePurpose, "template_purpose"))
    #: the stage it is written for, or None for any stage
    stage: Mapped[int | None] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Intervention(Base):
    """A nudge: to whom, from which template, the exact text, how and when it left.

    It is a draft until the facilitator confirms it was sent (`status`, `confirmed_at`);
    `sent_at` is when it left cohortdesk (copied, opened in the mail client, saved). The
    outcome of a sent nudge (responded, no response yet, no response) is derived from later
    activity.
    """

    __tablename__ = "interventions"
    __table_args__ = (Index("ix_interventions_membership_sent", "membership_id", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("prompt_templates.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    channel: Mapped[NudgeChannel] = mapped_column(enum_type(NudgeChannel, "nudge_channel"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[NudgeStatus] = mapped_column(
        enum_type(NudgeStatus, "nudge_status"), default=NudgeStatus.SENT
    )
    #: when the facilitator said it was sent or not sent; None while a draft (or logged sent)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
