"""Team mode: the logins of a shared server."""

from __future__ import annotations

from cohortdesk.core.enums import TeamRole
from cohortdesk.core.schemas.fields import Frozen


class TeamMember(Frozen):
    """A server login in the team: its role, and the person it is (if linked to one)."""

    login: str
    role: TeamRole
    person: str | None = None
    email: str | None = None
