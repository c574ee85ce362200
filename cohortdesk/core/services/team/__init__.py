"""Team mode: set up a shared PostgreSQL server for a training team, and manage its logins.

`init_team` runs once with the owner's login (a superuser, or a role that may create roles
and owns the database), after the schema is migrated; again after each upgrade. The SQL of the
roles and the row-level security lives in `storage.team`; this module says it in the team's
words (a login is a person in a team role) and checks what the user typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.exc import ProgrammingError

from cohortdesk.core.errors import KnownError, NotFoundError
from cohortdesk.core.models import Person, TeamLogin, TeamRole
from cohortdesk.core.schemas.team import TeamMember
from cohortdesk.core.services.people.members import find_person_by_email
from cohortdesk.core.storage import team as sql
from cohortdesk.core.storage.db import Database

OWNER_NEEDED = (
    "{what} needs the server's owner login (a superuser, or a role that may create roles "
    "and owns the database): {reason}"
)


def _require_server(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        raise KnownError(
            f"{db.display_name} is a file: team mode needs a PostgreSQL server "
            "(--db postgresql+psycopg://OWNER@HOST/DATABASE)"
        )


@contextmanager
def _as_owner(db: Database, what: str) -> Iterator[Connection]:
    """One transaction on the server for the owner's work; a refusal says who may do it."""
    _require_server(db)
    try:
        with db.engine.begin() as connection:
            yield connection
    except ProgrammingError as exc:
        if getattr(exc.orig, "sqlstate", None) != "42501":
            raise
        reason = str(exc.orig).strip().splitlines()[0]
        raise KnownError(OWNER_NEEDED.format(what=what, reason=reason)) from exc


def init_team(db: Database) -> list[str]:
    """Create the team's roles and apply ownership, grants and policies to every table.

    The schema must be migrated already (opening the database does it). Returns the tables
    now under row-level security.
    """
    with _as_owner(db, "team init") as connection:
        sql.ensure_roles(connection)
        sql.apply_security(connection)
        return [t for t in sql.app_tables(connection) if t != "alembic_version"]


def add_user(
    db: Database, login: str, role: TeamRole, email: str | None, password: str | None
) -> TeamMember:
    """Create a login in `role`'s group (or move one there), linked to the person with `email`.

    A mentor must be linked to a person: the server shows a mentor their own mentees only.
    `password` None: no password (a trusted local socket, or one set by other means).

    Raises:
        NotFoundError: no person has that email.
        KnownError: the login name is not valid, or a mentor without a person.
    """
    try:
        sql.check_login(login)
    except ValueError as exc:
        raise KnownError(str(exc)) from exc
    if role is TeamRole.MENTOR and not email:
        raise KnownError("a mentor's login needs --person EMAIL: they see only their mentees")
    with _as_owner(db, "team add-user") as connection:
        if not sql.is_set_up(connection):
            raise KnownError(f"{db.display_name} is not set up for a team: run `team init` first")
        person = None
        if email:
            with db.read() as session:
                person = find_person_by_email(session, email)
                name = person.full_name if person is not None else ""
                person_id = person.id if person is not None else None
            if person is None:
                raise NotFoundError(f"no person has the email {email}: import or add them first")
        try:
            sql.create_login(connection, login, role, password)
        except sql.OtherTeamError as exc:
            raise KnownError(str(exc)) from exc
        connection.execute(delete(TeamLogin).where(TeamLogin.login == login))
        if person is not None:
            connection.execute(insert(TeamLogin).values(login=login, person_id=person_id))
    return TeamMember(login=login, role=role, person=name if person else None, email=email)


def list_team(db: Database) -> list[TeamMember]:
    """This database's team: each login, its role and the person it is, by login."""
    _require_server(db)
    with db.engine.connect() as connection:
        logins = sql.team_logins(connection)
        people = {
            login: (name, email)
            for login, name, email in connection.execute(
                select(TeamLogin.login, Person.full_name, Person.email).join(
                    Person, Person.id == TeamLogin.person_id
                )
            )
        }
    return [
        TeamMember(
            login=login,
            role=role,
            person=people[login][0] if login in people else None,
            email=people[login][1] if login in people else None,
        )
        for login, role in logins
    ]


def remove_user(db: Database, login: str) -> None:
    """Take a login out of this database's team, with its link to a person (their records
    stay); the login itself goes unless it is in another database's team on the server.

    Raises:
        NotFoundError: no team login has that name.
    """
    with _as_owner(db, "team remove") as connection:
        connection.execute(delete(TeamLogin).where(TeamLogin.login == login))
        if not sql.drop_login(connection, login):
            raise NotFoundError(f"{login} is not a login of the team (see `cohortdesk team list`)")
