"""Team mode on a shared server: which person each server login is.

The login's team role (facilitator, mentor, trainer) is the server group it belongs to; the
row-level security policies (`storage.team`) read this table to know whose mentees, whose
cohorts, a login may see and change. On a laptop's SQLite file it stays empty.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from cohortdesk.core.models.base import Base, UTCDateTime, utcnow


class TeamLogin(Base):
    """A server login and the person who signs in with it."""

    __tablename__ = "team_logins"

    login: Mapped[str] = mapped_column(String(63), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
