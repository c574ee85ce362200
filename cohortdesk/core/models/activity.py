"""What members did: one `ActivityEvent` row per login, view, post, reply, reaction...

Counts, last active and peer replies are never stored: they are derived from these rows (and
cached per day by the rollups in `models.rollups`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cohortdesk.core.enums import EventKind
from cohortdesk.core.models.base import Base, UTCDateTime, enum_type, utcnow


class ActivityEvent(Base):
    __tablename__ = "activity_events"
    __table_args__ = (
        UniqueConstraint("cohort_id", "source", "source_event_id"),
        Index("ix_activity_events_cohort_person_time", "cohort_id", "person_id", "occurred_at"),
        Index("ix_activity_events_cohort_time", "cohort_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[EventKind] = mapped_column(enum_type(EventKind, "event_kind"))
    source: Mapped[str] = mapped_column(String(32), default="manual")
    source_event_id: Mapped[str | None] = mapped_column(String(200))
    thread: Mapped[str | None] = mapped_column(String(200))
    replied_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    word_count: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the import that brought this event in (None for events typed in by hand)
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), index=True
    )
