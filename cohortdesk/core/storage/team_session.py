"""What the app asks a team's server while people work (`storage.team` sets the team up).

On a team's PostgreSQL server a login sees only what the row-level security policies let it
see; a few questions need the server's help (security-definer functions, made by `team init`)
to be answered right. On SQLite, or a server without team mode, each is a plain query.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, select, text
from sqlalchemy.orm import Session

from cohortdesk.core.models import Membership, Person, TeamRole
from cohortdesk.core.storage.team import GROUPS


def _server_can(session: Session, signature: str) -> bool:
    """Whether this session is on a team's server whose helper `signature` it may call (asked
    once per unit of work)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    usable = session.info.get(signature)
    if usable is None:
        usable = bool(
            session.execute(
                text(
                    "SELECT f IS NOT NULL AND has_function_privilege(f, 'EXECUTE') "
                    "FROM to_regprocedure(:f) AS f"
                ),
                {"f": signature},
            ).scalar()
        )
        session.info[signature] = usable
    return bool(usable)


def person_id_by_email(session: Session, email: str) -> int | None:
    """The id of the person with this email (ignoring case), or None.

    On a team's server a facilitator sees only the people of their cohorts; the server looks
    the email up among everyone for them (a security-definer function that returns the id and
    nothing else), so adding someone already in a colleague's cohort links to that person
    instead of making them twice. Elsewhere (SQLite, a server without team mode, a role that
    never adds people) a plain query.
    """
    if _server_can(session, "cohortdesk_person_by_email(text)"):
        found = session.execute(text("SELECT cohortdesk_person_by_email(:e)"), {"e": email})
        value = found.scalar()
    else:
        value = session.scalar(
            select(Person.id).where(func.lower(Person.email) == email.lower()).order_by(Person.id)
        )
    return None if value is None else int(value)


def hidden_person_ids_by_email(session: Session, emails: list[str]) -> dict[str, int]:
    """The ids of the people `emails` (lowercased) name whom this login cannot see, in one
    round trip: on a team's server, people of a colleague's cohort (the id and nothing else,
    as `person_id_by_email`). Elsewhere every person is visible: nothing is hidden."""
    if not emails or not _server_can(session, "cohortdesk_person_by_email(text)"):
        return {}
    found = session.execute(
        text(
            "SELECT address, cohortdesk_person_by_email(address) "
            "FROM unnest(CAST(:emails AS text[])) AS address"
        ),
        {"emails": emails},
    )
    return {address: int(person_id) for address, person_id in found if person_id is not None}


def delete_orphans(session: Session, person_ids: list[int]) -> None:
    """Delete those of `person_ids` who are no longer a member of any cohort.

    On a team's server a facilitator no longer sees a person they just took out of their
    last cohort, nor whether a colleague's cohort still holds them: the server decides and
    deletes for them (and keeps a person who signs in with a login of the team).
    """
    if not person_ids:
        return
    if _server_can(session, "cohortdesk_delete_orphans(integer[])"):
        orphans = text("SELECT cohortdesk_delete_orphans(CAST(:ids AS integer[]))")
        session.execute(orphans, {"ids": person_ids})
    else:
        still_members = select(Membership.person_id).where(Membership.person_id.in_(person_ids))
        session.execute(
            delete(Person).where(Person.id.in_(person_ids), Person.id.not_in(still_members))
        )
    session.expire_all()


def team_role_of_current_user(connection: Connection) -> TeamRole | None:
    """The team role of the connected login, or None (the owner, a superuser, SQLite...)."""
    if connection.dialect.name != "postgresql":
        return None
    # pg_has_role is true of every role for a superuser, and fails for a role that is not there
    value = connection.execute(
        text(
            "SELECT g.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
            "JOIN pg_roles u ON u.oid = a.member "
            "WHERE u.rolname = current_user AND g.rolname = ANY(:groups) "
            "ORDER BY g.rolname LIMIT 1"
        ),
        {"groups": list(GROUPS)},
    ).scalar()
    if value is None:
        return None
    return TeamRole(str(value).removeprefix("cohortdesk_"))
