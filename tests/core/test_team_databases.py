"""Each database on a server is its own team: logins and groups are the server's, so a login
added to one database's team must not open, read or list in another's, whatever its role."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from cohortdesk.core.errors import KnownError
from cohortdesk.core.models import Person, TeamRole
from cohortdesk.core.services import team
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.migrate import open_database
from tests.pg_server import PgServer, database_name, migrate_to_head

psycopg = pytest.importorskip("psycopg", reason="team mode tests need psycopg (the team extra)")

_names = itertools.count(1)
EMAIL = "pat@example.org"


@dataclass(frozen=True)
class TwoTeams:
    """Two team databases on one server, each with the person `EMAIL`."""

    server: PgServer
    owners: dict[str, Database]  # "a" -> the owner's Database

    def name(self, which: str) -> str:
        return database_name(self.owners[which].url)

    def connects(self, which: str, login: str) -> bool:
        """Whether `login` can open database `which` (raw, outside the app)."""
        try:
            with psycopg.connect(
                dbname=self.name(which), user=login, host=self.server.socket_dir
            ) as connection:
                connection.execute("SELECT 1").fetchone()
        except psycopg.OperationalError as error:
            assert "permission denied for database" in str(error)
            return False
        return True

    def listed(self, which: str) -> dict[str, TeamRole]:
        return {m.login: m.role for m in team.list_team(self.owners[which])}


@pytest.fixture(scope="module")
def two_teams(pg_server: PgServer) -> Iterator[TwoTeams]:
    owners = {}
    for which in ("a", "b"):
        url = pg_server.from_template("migrated", migrate_to_head)
        owner = open_database(url, None)
        team.init_team(owner)
        with owner.write() as session:
            session.add(Person(full_name=f"Pat of {which}", email=EMAIL))
        owners[which] = owner
    yield TwoTeams(pg_server, owners)
    for owner in owners.values():
        owner.dispose()
        pg_server.drop(owner.url)


def _login() -> str:
    return f"member{next(_names)}"


@pytest.mark.parametrize("role", list(TeamRole))
def test_a_login_of_one_database_cannot_open_list_or_read_another(
    two_teams: TwoTeams, role: TeamRole
) -> None:
    login = _login()
    team.add_user(two_teams.owners["a"], login, role, EMAIL, None)
    assert two_teams.connects("a", login)
    assert not two_teams.connects("b", login)
    assert two_teams.listed("a")[login] is role
    assert login not in two_teams.listed("b")
    # through the app: one line, naming the database and who lets a login in
    with pytest.raises(KnownError) as refused:
        open_database(two_teams.server.url(two_teams.name("b"), login), None)
    message = str(refused.value)
    assert "\n" not in message
    assert "not in the team of this database" in message
    assert "team add-user" in message


def test_a_login_in_two_teams_keeps_one_role_and_outlives_leaving_one(
    two_teams: TwoTeams,
) -> None:
    login = _login()
    team.add_user(two_teams.owners["a"], login, TeamRole.TRAINER, None, None)
    team.add_user(two_teams.owners["b"], login, TeamRole.TRAINER, None, None)
    assert two_teams.connects("a", login) and two_teams.connects("b", login)
    # a group is the server's: another role in the second team would change it in the first
    with pytest.raises(KnownError, match=f"{login} is a trainer in the team of"):
        team.add_user(two_teams.owners["b"], login, TeamRole.FACILITATOR, EMAIL, None)
    assert two_teams.listed("a")[login] is TeamRole.TRAINER
    assert two_teams.listed("b")[login] is TeamRole.TRAINER

    team.remove_user(two_teams.owners["a"], login)
    assert not two_teams.connects("a", login)
    assert two_teams.connects("b", login)
    assert login not in two_teams.listed("a")
    assert two_teams.listed("b")[login] is TeamRole.TRAINER
    team.remove_user(two_teams.owners["b"], login)
    with two_teams.owners["b"].engine.connect() as connection:
        left = connection.execute(
            text("SELECT count(*) FROM pg_roles WHERE rolname = :n"), {"n": login}
        ).scalar_one()
    assert left == 0  # in no team any more: the login itself is gone


def test_a_login_moves_role_within_its_only_team(two_teams: TwoTeams) -> None:
    login = _login()
    team.add_user(two_teams.owners["a"], login, TeamRole.TRAINER, None, None)
    team.add_user(two_teams.owners["a"], login, TeamRole.MENTOR, EMAIL, None)
    assert two_teams.listed("a")[login] is TeamRole.MENTOR
    assert not two_teams.connects("b", login)


def test_team_init_closes_a_database_left_open_and_keeps_its_team(two_teams: TwoTeams) -> None:
    member, stranger = _login(), _login()
    team.add_user(two_teams.owners["a"], member, TeamRole.MENTOR, EMAIL, None)
    two_teams.server.execute(
        f"CREATE ROLE {stranger} LOGIN",
        # as a database set up before each database was its own team
        f'GRANT CONNECT ON DATABASE "{two_teams.name("a")}" TO PUBLIC',
        f'REVOKE CONNECT ON DATABASE "{two_teams.name("a")}" FROM {member}',
    )
    assert two_teams.connects("a", stranger)
    team.init_team(two_teams.owners["a"])
    assert not two_teams.connects("a", stranger)
    assert two_teams.connects("a", member)  # linked to a person here: kept in the team
    assert stranger not in two_teams.listed("a")
