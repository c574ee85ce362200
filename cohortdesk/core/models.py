"""The schema, in one readable file (SQLAlchemy 2.0 typed ORM).

Times are stored as naive UTC and handed out as aware UTC datetimes (`UTCDateTime`); calendar
dates (a cohort's start, a motivation check-in) are plain dates. Counts, last active and peer
replies are never stored: they are derived from `ActivityEvent` rows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Role(StrEnum):
    """A member's role in one cohort."""

    LEARNER = "learner"
    MENTOR = "mentor"
    FACILITATOR = "facilitator"
    MANAGER = "manager"


class AccessStatus(StrEnum):
    """Whether a member has got into the cohort's space."""

    NOT_YET = "not_yet"
    ACCESSED = "accessed"
    PROBLEM = "problem"


class EventKind(StrEnum):
    """What a member did. `post` starts a thread; `reply` answers someone."""

    LOGIN = "login"
    VIEW = "view"
    POST = "post"
    REPLY = "reply"
    REACTION = "reaction"
    SHARE = "share"
    ATTEND = "attend"
    SUBMIT = "submit"


class StageChangeSource(StrEnum):
    """Why a stage was set: on joining, by the facilitator, or by accepting a suggestion."""

    JOINED = "joined"
    MANUAL = "manual"
    SUGGESTION = "suggestion"


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as naive UTC, portable across SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC time is needed")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


def _enum(enum_class: type[StrEnum], name: str) -> Enum:
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Cohort(Base):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    expertise: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


Index("ix_people_email_lower", func.lower(Person.email))


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("cohort_id", "person_id"),
        CheckConstraint("stage BETWEEN 1 AND 5", name="stage_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), default=Role.LEARNER)
    stage: Mapped[int] = mapped_column(Integer, default=1)
    stage_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    access: Mapped[AccessStatus] = mapped_column(
        _enum(AccessStatus, "access_status"), default=AccessStatus.NOT_YET
    )
    joined_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the import that added this member, so undoing it can remove them again
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )


class Identity(Base):
    """How a person is known on another platform, so re-imports find them again."""

    __tablename__ = "identities"
    # Not unique across people: "moodle 5104" on two Moodle sites are two people. Importers
    # match an identity only among the members of the cohort being imported into.
    __table_args__ = (
        UniqueConstraint("person_id", "source", "external_id"),
        Index("ix_identities_source_external_id", "source", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(200))


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
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind, "event_kind"))
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


class ImportBatch(Base):
    """One import of one file: its provenance, its counts, and the unit that can be undone."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    format: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(400))
    sha256: Mapped[str] = mapped_column(String(64))
    encoding: Mapped[str | None] = mapped_column(String(32))
    timezone: Mapped[str] = mapped_column(String(64))
    read: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    unattributed: Mapped[int] = mapped_column(Integer, default=0)
    ignored: Mapped[int] = mapped_column(Integer, default=0)
    people_created: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


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
        _enum(StageChangeSource, "stage_change_source"), default=StageChangeSource.MANUAL
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
