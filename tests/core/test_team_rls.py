"""Team mode on a real PostgreSQL server: what each role's login sees and may change, checked
with raw SQL as that login (the server enforces it, not the app), and through the app's own
units of work (a refusal is one KnownError line)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import QueuePool

from cohortdesk.core.demo.build import DemoSpec, create_demo
from cohortdesk.core.models import Cohort, MentoringSession, TeamRole
from cohortdesk.core.schemas import CohortInput
from cohortdesk.core.services import team
from cohortdesk.core.services.mentoring import mentoring
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.migrate import open_database
from cohortdesk.core.storage.server_errors import RefusedError
from cohortdesk.core.storage.team import GATEWAY, PERSON_SETTING
from tests.pg_server import PgServer, database_name

psycopg = pytest.importorskip("psycopg", reason="team mode tests need psycopg (the team extra)")

_names = itertools.count(1)
DEMO = "Leading Online Learning (demo)"


@dataclass(frozen=True)
class TeamServer:
    """A team database with the demo cohort: a mentor with three mentees, and their logins."""

    server: PgServer
    database: str
    owner: Database
    logins: dict[str, str]  # "mentor" -> its login name
    emails: dict[str, str]  # "mentor" -> the email of the person it is
    mentee_emails: frozenset[str]

    def url(self, who: str) -> str:
        return self.server.url(self.database, self.logins[who])

    def sql(self, who: str, statement: str) -> list[tuple[object, ...]]:
        """Raw SQL as `who`'s login, outside the app."""
        with psycopg.connect(
            dbname=self.database, user=self.logins[who], host=self.server.socket_dir
        ) as connection:
            cursor = connection.execute(statement)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else [(cursor.rowcount,)]


def _emails(rows: list[tuple[object, ...]]) -> set[str]:
    return {str(row[0]) for row in rows}


@pytest.fixture(scope="module")
def team_server(pg_server: PgServer) -> Iterator[TeamServer]:
    url = pg_server.new_database("team")
    owner = open_database(url, None)
    team.init_team(owner)
    with owner.write() as session:
        create_demo(session, DemoSpec(seed=7))
    with owner.read() as session:
        rows = session.execute(
            text(
                "SELECT m.id, p.email, m.role FROM memberships m "
                "JOIN people p ON p.id = m.person_id ORDER BY m.id"
            )
        ).all()
    staff = {str(role): (mid, email) for mid, email, role in rows if role != "learner"}
    mentors = [(mid, email) for mid, email, role in rows if role == "mentor"]
    learners = [(mid, email) for mid, email, role in rows if role == "learner"]
    mentor_id, mentor_email = mentors[0]
    with owner.write() as session:
        for mentee_id, _email in learners[:3]:
            mentoring.assign_mentor(session, mentor_id, mentee_id, None)
    suffix = next(_names)
    logins = {
        "mentor": f"mentor{suffix}",
        "trainer": f"trainer{suffix}",
        "facilitator": f"facilitator{suffix}",
        "other": f"other{suffix}",  # a facilitator of no cohort: the second mentor
        "gateway": f"gateway{suffix}",
        # a pool's login: switches to a team login per user (SET ROLE), or names the person
        # per transaction as a gateway; it has no rights of its own on the team's rows
        "pool": f"pool{suffix}",
    }
    emails = {
        "mentor": mentor_email,
        "facilitator": staff["facilitator"][1],
        "other": mentors[1][1],
    }
    team.add_user(owner, logins["mentor"], TeamRole.MENTOR, mentor_email, None)
    team.add_user(owner, logins["trainer"], TeamRole.TRAINER, None, None)
    team.add_user(owner, logins["facilitator"], TeamRole.FACILITATOR, emails["facilitator"], None)
    team.add_user(owner, logins["other"], TeamRole.FACILITATOR, emails["other"], None)
    # a service login serving several people over one pooled connection
    database = database_name(url)
    pg_server.execute(
        f"CREATE ROLE {logins['gateway']} LOGIN",
        f"GRANT cohortdesk_mentor, {GATEWAY} TO {logins['gateway']}",
        f'GRANT CONNECT ON DATABASE "{database}" TO {logins["gateway"]}',
        f"CREATE ROLE {logins['pool']} LOGIN",
        f"GRANT cohortdesk_mentor, {GATEWAY} TO {logins['pool']}",
        f"GRANT {logins['mentor']}, {logins['facilitator']}, {logins['other']}, "
        f"{logins['trainer']} TO {logins['pool']} WITH INHERIT FALSE",
        f'GRANT CONNECT ON DATABASE "{database}" TO {logins["pool"]}',
    )
    yield TeamServer(
        pg_server,
        database,
        owner,
        logins,
        emails,
        frozenset(email for _mid, email in learners[:3]),
    )
    owner.dispose()


def test_the_mentors_raw_select_returns_only_their_mentees_and_themselves(
    team_server: TeamServer,
) -> None:
    emails = _emails(team_server.sql("mentor", "SELECT email FROM people"))
    assert emails == team_server.mentee_emails | {team_server.emails["mentor"]}


def test_the_mentor_sees_only_their_mentees_records_and_their_own(
    team_server: TeamServer,
) -> None:
    mentor = team_server.emails["mentor"]
    others = team_server.sql(
        "mentor",
        "SELECT count(DISTINCT person_id) FROM activity_events "
        "WHERE person_id NOT IN (SELECT person_id FROM memberships WHERE role = 'learner') "
        f"AND person_id <> (SELECT id FROM people WHERE email = '{mentor}')",
    )
    assert others == [(0,)]
    people_with_events = team_server.sql(
        "mentor", "SELECT count(DISTINCT e.person_id) FROM activity_events e"
    )
    assert people_with_events[0][0] <= 4
    # their own activity, all of it: their row in status counts what the owner counts
    own = (
        "SELECT count(*) FROM activity_events e JOIN people p ON p.id = e.person_id "
        f"WHERE p.email = '{mentor}'"
    )
    with team_server.owner.read() as session:
        everything = session.execute(text(own)).scalar_one()
    assert everything > 0
    assert team_server.sql("mentor", own) == [(everything,)]
    # check-ins, nudges, notes and rollups: only of memberships the mentor can see
    for table in ("motivation_checks", "interventions", "member_notes", "stage_changes"):
        outside = team_server.sql(
            "mentor",
            f"SELECT count(*) FROM {table} WHERE membership_id NOT IN "
            "(SELECT mentee_membership_id FROM mentor_links)",
        )
        assert outside == [(0,)], table
    assert team_server.sql("mentor", "SELECT count(*) FROM daily_totals") == [(0,)]
    all_people = team_server.sql("trainer", "SELECT count(*) FROM people")[0][0]
    assert all_people == 24


def test_the_mentor_writes_their_own_sessions_and_nothing_else(team_server: TeamServer) -> None:
    db = Database(team_server.url("mentor"))
    try:
        with db.read() as session:
            links = session.execute(
                text("SELECT mentor_membership_id, mentee_membership_id FROM mentor_links")
            ).all()
        mentor_id, mentee_id = links[0]
        with db.write() as session:
            record = MentoringSession(
                uuid="00000000-0000-4000-8000-000000000001",
                mentor_membership_id=mentor_id,
                mentee_membership_id=mentee_id,
                held_on=date(2026, 12, 1),
                notes="Talked about week 3",
            )
            session.add(record)
        with pytest.raises(RefusedError) as refused, db.write() as session:
            session.add(Cohort(name="Mentor's own cohort"))
        assert str(refused.value) == (
            "your team role, mentor, cannot change cohorts. Nothing was changed."
        )
        assert refused.value.role is TeamRole.MENTOR
        # a session with someone who is not their mentee is refused by the policy
        with team_server.owner.read() as session:
            other = session.execute(
                text("SELECT id FROM memberships WHERE role = 'learner' ORDER BY id DESC LIMIT 1")
            ).scalar_one()
        refusal = pytest.raises(RefusedError, match="cannot change mentoring sessions")
        with refusal, db.write() as session:
            session.add(
                MentoringSession(
                    uuid="00000000-0000-4000-8000-000000000002",
                    mentor_membership_id=mentor_id,
                    mentee_membership_id=other,
                    held_on=date(2026, 12, 1),
                )
            )
    finally:
        db.dispose()
    with team_server.owner.read() as session:
        made = session.execute(text("SELECT count(*) FROM mentoring_sessions")).scalar_one()
        names = session.execute(text("SELECT name FROM cohorts")).scalars().all()
    assert made == 1
    assert "Mentor's own cohort" not in names


def test_the_trainer_reads_everything_and_every_write_is_refused(team_server: TeamServer) -> None:
    assert team_server.sql("trainer", "SELECT count(*) FROM activity_events")[0][0] > 1000
    for statement in (
        "UPDATE people SET full_name = 'x'",
        "DELETE FROM member_notes",
        "INSERT INTO cohorts (name, description, timezone, archived, created_at) "
        "VALUES ('T', '', 'UTC', false, now())",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            team_server.sql("trainer", statement)
    db = Database(team_server.url("trainer"))
    try:
        with db.read() as session:
            demo = cohorts.find_cohort(session, DEMO)
        with pytest.raises(RefusedError) as refused, db.write() as session:
            cohorts.rename_cohort(session, demo.id, "Renamed")
    finally:
        db.dispose()
    assert str(refused.value) == (
        "your team role, trainer, cannot change cohorts. Nothing was changed."
    )


def test_a_facilitator_works_on_their_cohorts_and_creates_new_ones(
    team_server: TeamServer,
) -> None:
    assert len(team_server.sql("facilitator", "SELECT email FROM people")) == 24
    # the other facilitator facilitates nothing: they see no cohort and no one but themselves
    assert team_server.sql("other", "SELECT count(*) FROM cohorts") == [(0,)]
    assert team_server.sql("other", "SELECT email FROM people") == [(team_server.emails["other"],)]
    assert team_server.sql("other", "UPDATE memberships SET stage = 1") == [(0,)]
    db = Database(team_server.url("other"))
    try:
        with db.write() as session:
            made = cohorts.create_cohort(session, CohortInput(name="Spring cohort")).value
        with db.read() as session:
            assert [c.name for c in cohorts.list_cohorts(session)] == ["Spring cohort"]
    finally:
        db.dispose()
    with team_server.owner.read() as session:
        stages = session.execute(text("SELECT count(*) FROM memberships WHERE stage = 1"))
        assert stages.scalar_one() < 24  # the UPDATE above changed no one's stage
        creator = session.execute(
            text("SELECT created_by FROM cohorts WHERE id = :i"), {"i": made.id}
        ).scalar_one()
    assert creator == team_server.logins["other"]
    # and the first facilitator does not see it
    names = _emails(team_server.sql("facilitator", "SELECT name FROM cohorts"))
    assert names == {DEMO}


def test_a_pooled_connection_reused_for_another_person_does_not_keep_the_first(
    team_server: TeamServer,
) -> None:
    engine = create_engine(
        team_server.url("gateway"), poolclass=QueuePool, pool_size=1, max_overflow=0
    )
    with team_server.owner.read() as session:
        mentor_person = session.execute(
            text("SELECT id FROM people WHERE email = :e"), {"e": team_server.emails["mentor"]}
        ).scalar_one()
    try:
        with engine.begin() as connection:
            first_pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
            connection.execute(
                text("SELECT set_config(:k, :v, true)"),
                {"k": PERSON_SETTING, "v": str(mentor_person)},
            )
            seen = _emails(list(connection.execute(text("SELECT email FROM people"))))
        assert seen == team_server.mentee_emails | {team_server.emails["mentor"]}
        with engine.begin() as connection:
            assert connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one() == first_pid
            setting = connection.execute(
                text("SELECT current_setting(:k, true)"), {"k": PERSON_SETTING}
            ).scalar()
            after = list(connection.execute(text("SELECT email FROM people")))
        assert setting in (None, "")
        assert after == []
    finally:
        engine.dispose()


def test_a_login_cannot_name_another_person_with_the_setting(team_server: TeamServer) -> None:
    with team_server.owner.read() as session:
        facilitator = session.execute(
            text("SELECT id FROM people WHERE email = :e"),
            {"e": team_server.emails["facilitator"]},
        ).scalar_one()
    with psycopg.connect(
        dbname=team_server.database,
        user=team_server.logins["mentor"],
        host=team_server.server.socket_dir,
    ) as connection:
        connection.execute("SELECT set_config(%s, %s, false)", (PERSON_SETTING, str(facilitator)))
        emails = _emails(list(connection.execute("SELECT email FROM people")))
    assert emails == team_server.mentee_emails | {team_server.emails["mentor"]}


def test_team_init_again_is_harmless_and_list_shows_each_login(team_server: TeamServer) -> None:
    team.init_team(team_server.owner)
    listed = {m.login: m for m in team.list_team(team_server.owner)}
    assert listed[team_server.logins["mentor"]].role is TeamRole.MENTOR
    assert listed[team_server.logins["mentor"]].email == team_server.emails["mentor"]
    assert listed[team_server.logins["trainer"]].person is None
    assert _emails(team_server.sql("mentor", "SELECT email FROM people")) == (
        team_server.mentee_emails | {team_server.emails["mentor"]}
    )


#: what each connection is asked, to compare what it shows: who, what and how much
SEEN = (
    "SELECT current_user::text, "
    "(SELECT coalesce(array_agg(email ORDER BY email), '{}') FROM people), "
    "(SELECT coalesce(array_agg(name ORDER BY name), '{}') FROM cohorts), "
    "(SELECT count(*) FROM memberships), (SELECT count(*) FROM activity_events), "
    "(SELECT count(*) FROM member_notes), (SELECT count(*) FROM mentoring_sessions)"
)
USERS = ("mentor", "facilitator", "other", "trainer")


def _seen(connection: Connection) -> tuple[object, ...]:
    row = connection.execute(text(SEEN)).one()
    return (row[0], tuple(row[1]), tuple(row[2]), *row[3:])


@dataclass(frozen=True)
class Pool:
    """One pooled connection as the pool's login, and `fresh(how, who)`: what a connection of
    its own shows each way of using it (the truth the pooled one must show every time)."""

    team: TeamServer
    engine: Engine
    fresh: Callable[[str, str], tuple[object, ...]]


@pytest.fixture(scope="module")
def pool(team_server: TeamServer) -> Iterator[Pool]:
    engine = create_engine(
        team_server.url("pool"), poolclass=QueuePool, pool_size=1, max_overflow=0
    )

    @cache
    def fresh(how: str, who: str) -> tuple[object, ...]:
        single = create_engine(team_server.url("pool" if how == "person" else who))
        try:
            with single.begin() as connection:
                if how == "person":
                    _name_person(connection, team_server, who)
                return _seen(connection)
        finally:
            single.dispose()

    yield Pool(team_server, engine, fresh)
    engine.dispose()


def _person_id(team_server: TeamServer, who: str) -> int:
    with team_server.owner.read() as session:
        found = session.execute(
            text("SELECT id FROM people WHERE email = :e"), {"e": team_server.emails[who]}
        ).scalar_one()
    return int(found)


def _name_person(connection: Connection, team_server: TeamServer, who: str) -> None:
    connection.execute(
        text("SELECT set_config(:k, :v, true)"),
        {"k": PERSON_SETTING, "v": str(_person_id(team_server, who))},
    )


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(st.sampled_from(["set role", "set local role"]), st.sampled_from(USERS)),
            st.tuples(st.just("person"), st.sampled_from(["mentor", "facilitator", "other"])),
            st.tuples(st.just("nobody"), st.just("")),
        ),
        min_size=2,
        max_size=6,
    )
)
def test_one_pooled_connection_serving_user_after_user_shows_each_only_theirs(
    pool: Pool, steps: list[tuple[str, str]]
) -> None:
    team_server, engine, fresh = pool.team, pool.engine, pool.fresh
    backends = set()
    for how, who in steps:
        with engine.connect() as connection:
            if how == "set role":  # a pool switching at check-out, back at check-in
                connection.exec_driver_sql(f'SET ROLE "{team_server.logins[who]}"')
                connection.commit()
            with connection.begin():
                if how == "set local role":  # for this transaction only
                    connection.exec_driver_sql(f'SET LOCAL ROLE "{team_server.logins[who]}"')
                elif how == "person":
                    _name_person(connection, team_server, who)
                shown = _seen(connection)
                backends.add(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())
            if how == "set role":
                connection.exec_driver_sql("RESET ROLE")
                connection.commit()
        expected = fresh("person", who) if how == "person" else fresh("login", who or "pool")
        assert shown == expected, (how, who)
    assert len(backends) == 1  # the same server connection all along


def test_the_pools_own_login_sees_no_one(pool: Pool) -> None:
    team_server = pool.team
    assert team_server.sql("pool", "SELECT count(*) FROM people") == [(0,)]
    assert team_server.sql("pool", "SELECT count(*) FROM memberships") == [(0,)]


@pytest.mark.parametrize(
    "helper",
    [
        "cohortdesk_person_id({})",
        "cohortdesk_my_memberships({})",
        "cohortdesk_facilitated_people({})",
        "cohortdesk_facilitated_cohorts({})",
    ],
)
def test_a_login_cannot_ask_the_helpers_about_another(team_server: TeamServer, helper: str) -> None:
    asked = helper.format(f"'{team_server.logins['facilitator']}'")
    for who in ("mentor", "trainer", "other"):
        rows = team_server.sql(who, f"SELECT x FROM {asked} AS x WHERE x IS NOT NULL")
        assert rows == [], (who, helper)
    own = team_server.sql("facilitator", f"SELECT x FROM {asked} AS x WHERE x IS NOT NULL")
    assert own != []
