"""Cohorts, people, their memberships and platform identities, and the import batches.

`ImportBatch` lives here rather than beside the events because a membership points at the
import that added it while the import points at its cohort: keeping the three in one module
keeps the order in which the ORM flushes them (see the package docstring).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from cohortdesk.core.enums import AccessStatus, Role
from cohortdesk.core.models.base import Base, UTCDateTime, enum_type, utcnow


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
    #: the server login that made it (set by the server on a team database; else None)
    created_by: Mapped[str | None] = mapped_column(String(63))
    #: raised by every saved edit: a save from an out-of-date copy is refused (`CohortRow`)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own dict


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    expertise: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: raised by every saved edit: a save from an out-of-date copy is refused (`versions`)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: the server login that added them (set by the server on a team database; else None)
    created_by: Mapped[str | None] = mapped_column(String(63))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own dict


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
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"), default=Role.LEARNER)
    stage: Mapped[int] = mapped_column(Integer, default=1)
    stage_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    access: Mapped[AccessStatus] = mapped_column(
        enum_type(AccessStatus, "access_status"), default=AccessStatus.NOT_YET
    )
    joined_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the import that added this member, so undoing it can remove them again
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )
    #: raised by every saved edit: a save from an out-of-date copy is refused (`versions`)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own dict


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
