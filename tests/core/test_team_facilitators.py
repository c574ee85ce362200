"""Facilitators on a team's server: each sees the people of the cohorts they facilitate (and
themselves), nobody else; and adding someone already in a colleague's cohort, by any way of
adding people, links to that person instead of making them twice, without showing the
colleague's records of them."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from cohortdesk.core.enums import Role
from cohortdesk.core.importers.base import ImportOptions
from cohortdesk.core.models import Person, TeamRole
from cohortdesk.core.services import team
from cohortdesk.core.services.activity import imports
from cohortdesk.core.services.people import cohorts, members, tracking
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.migrate import open_database
from tests.core.builders import add, make_cohort
from tests.pg_server import PgServer, database_name, migrate_to_head

psycopg = pytest.importorskip("psycopg", reason="team mode tests need psycopg (the team extra)")

_n = itertools.count(1)


@dataclass(frozen=True)
class Facilitators:
    """A team database: two facilitators, each with a cohort of their own, and people in no
    cohort or in the owner's cohort that neither facilitates."""

    server: PgServer
    owner: Database
    logins: dict[str, str]  # "a" -> login
    dbs: dict[str, Database]  # "a" -> the app's database as that login
    cohorts: dict[str, int]  # "a" -> their cohort's id
    emails: dict[str, str]  # "a" -> the facilitator's own email

    def raw(self, who: str, statement: str) -> list[tuple[object, ...]]:
        with psycopg.connect(
            dbname=database_name(self.owner.url), user=self.logins[who], host=self.server.socket_dir
        ) as connection:
            return connection.execute(statement).fetchall()  # type: ignore[arg-type]

    def owner_rows(self, statement: str, **params: object) -> list[tuple[object, ...]]:
        with self.owner.read() as session:
            return [tuple(row) for row in session.execute(text(statement), params)]


@pytest.fixture(scope="module")
def facilitators(pg_server: PgServer) -> Iterator[Facilitators]:
    url = pg_server.from_template("migrated", migrate_to_head)
    owner = open_database(url, None)
    team.init_team(owner)
    suffix = next(_n)
    logins = {"a": f"fac_a{suffix}", "b": f"fac_b{suffix}"}
    emails = {"a": f"fiona{suffix}@example.org", "b": f"bert{suffix}@example.org"}
    with owner.write() as session:
        theirs = make_cohort(session, "The owner's cohort", start_date=date(2025, 3, 1))
        add(session, theirs.id, "Olga Owner-Cohort")
        session.add(Person(full_name="Nadia Nowhere", email="nadia@example.org"))
        for who in ("a", "b"):
            session.add(Person(full_name=f"Facilitator {who}", email=emails[who]))
    dbs, cohorts = {}, {}
    for who in ("a", "b"):
        team.add_user(owner, logins[who], TeamRole.FACILITATOR, emails[who], None)
        dbs[who] = Database(pg_server.url(database_name(url), logins[who]))
        with dbs[who].write() as session:
            cohort = make_cohort(session, f"Cohort of {who}", start_date=date(2025, 3, 1))
            add(session, cohort.id, f"Facilitator {who}", Role.FACILITATOR, email=emails[who])
            add(session, cohort.id, f"Learner of {who}")
            cohorts[who] = cohort.id
    yield Facilitators(pg_server, owner, logins, dbs, cohorts, emails)
    for db in dbs.values():
        db.dispose()
    owner.dispose()
    pg_server.drop(url)


def _truth(f: Facilitators, who: str) -> set[str]:
    """The people `who` may see, from the owner's view: the members of the cohorts they
    facilitate or created, and themselves."""
    rows = f.owner_rows(
        "SELECT p.email FROM people p WHERE p.email = :me OR p.id IN ("
        "  SELECT m.person_id FROM memberships m WHERE m.cohort_id IN ("
        "    SELECT id FROM cohorts WHERE created_by = :login"
        "    UNION SELECT f.cohort_id FROM memberships f JOIN people q ON q.id = f.person_id"
        "    WHERE q.email = :me AND f.role = 'facilitator'))",
        me=f.emails[who],
        login=f.logins[who],
    )
    return {str(email) for (email,) in rows}


def _seen(f: Facilitators, who: str, table: str = "people") -> set[str]:
    if table == "people":
        rows = f.raw(who, "SELECT email FROM people")
    else:
        rows = f.raw(who, f"SELECT p.email FROM {table} t JOIN people p ON p.id = t.person_id")
    return {str(email) for (email,) in rows}


@pytest.mark.parametrize("who", ["a", "b"])
def test_a_facilitator_sees_the_people_of_their_cohorts_and_themselves_only(
    facilitators: Facilitators, who: str
) -> None:
    seen = _seen(facilitators, who)
    assert seen == _truth(facilitators, who)
    assert facilitators.emails[who] in seen
    assert "nadia@example.org" not in seen  # in no cohort
    assert "olga.owner-cohort@example.org" not in seen  # in a cohort they do not facilitate
    other = "b" if who == "a" else "a"
    assert facilitators.emails[other] not in seen
    # a person's identities go with the person
    with facilitators.owner.write() as session:
        ids = session.execute(text("SELECT id FROM people")).scalars().all()
        session.execute(
            text(
                "INSERT INTO identities (person_id, source, external_id) "
                "SELECT id, 'moodle', 'user' || id FROM people "
                "WHERE NOT EXISTS (SELECT 1 FROM identities i WHERE i.person_id = people.id)"
            )
        )
    assert ids
    assert _seen(facilitators, who, "identities") <= _truth(facilitators, who)


def _roster(tmp_path: Path, name: str, email: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(f"Name,Email\n{name},{email}\n", encoding="utf-8")
    return path


def _activity(tmp_path: Path, name: str, email: str) -> Path:
    path = tmp_path / "activity.csv"
    path.write_text(f"Who,When,What\n{email},2025-03-03 09:00,post\n", encoding="utf-8")
    return path


def _add_by(way: str, db: Database, cohort_id: int, tmp_path: Path, email: str) -> None:
    with db.write() as session:
        if way == "add":
            add(session, cohort_id, "Sam Typed-Again", email=email)
        elif way == "roster":
            path = _roster(tmp_path, "Sam Typed-Again", email)
            imports.import_file(session, cohort_id, path, "roster", ImportOptions())
        else:
            path = _activity(tmp_path, "Sam Typed-Again", email)
            mapping = {"who": "Who", "when": "When", "kind": "What"}
            options = ImportOptions(mapping=mapping)
            imports.import_file(session, cohort_id, path, "activity-csv", options)


@pytest.mark.parametrize("way", ["add", "roster", "activity"])
@pytest.mark.parametrize("typed", [str.lower, str.upper, str.title])
def test_adding_someone_in_a_colleagues_cohort_links_to_them_and_shows_nothing_more(
    facilitators: Facilitators, tmp_path: Path, way: str, typed: object
) -> None:
    f = facilitators
    email = f"sam{next(_n)}@example.org"
    with f.dbs["a"].write() as session:
        first = add(session, f.cohorts["a"], "Sam Original", email=email)
        tracking.add_note(session, first, "Only for cohort a")
    _add_by(way, f.dbs["b"], f.cohorts["b"], tmp_path, typed(email))  # type: ignore[operator]

    people = f.owner_rows(
        "SELECT p.id, p.full_name FROM people p WHERE lower(p.email) = :e", e=email
    )
    assert len(people) == 1, people  # one person, in both cohorts
    person_id, name = people[0]
    assert name == "Sam Original"  # the colleague's record of the name is kept
    cohorts_in = f.owner_rows(
        "SELECT cohort_id FROM memberships WHERE person_id = :p ORDER BY cohort_id", p=person_id
    )
    assert {c for (c,) in cohorts_in} == {f.cohorts["a"], f.cohorts["b"]}
    # b sees the person now in their cohort, and nothing of cohort a about them
    assert email in {e.lower() for e in _seen(f, "b")}
    b_memberships = f.raw("b", f"SELECT cohort_id FROM memberships WHERE person_id = {person_id}")
    assert b_memberships == [(f.cohorts["b"],)]
    b_notes = f.raw(
        "b",
        "SELECT count(*) FROM member_notes n JOIN memberships m ON m.id = n.membership_id "
        f"WHERE m.person_id = {person_id}",
    )
    assert b_notes == [(0,)]


def test_the_lookup_gives_an_id_and_only_to_facilitators(facilitators: Facilitators) -> None:
    f = facilitators
    found = f.raw("b", "SELECT cohortdesk_person_by_email('NADIA@example.org')")
    assert found[0][0] is not None  # an id: nothing else about Nadia is readable
    assert f.raw("b", "SELECT count(*) FROM people WHERE email = 'nadia@example.org'") == [(0,)]
    assert f.raw("b", "SELECT cohortdesk_person_by_email('nobody@example.org')") == [(None,)]
    trainer = f"trainer_f{next(_n)}"
    team.add_user(f.owner, trainer, TeamRole.TRAINER, None, None)
    with (
        pytest.raises(psycopg.errors.InsufficientPrivilege),
        psycopg.connect(
            dbname=database_name(f.owner.url), user=trainer, host=f.server.socket_dir
        ) as connection,
    ):
        connection.execute("SELECT cohortdesk_person_by_email('nadia@example.org')")


def test_taking_someone_out_of_their_last_cohort_deletes_them_and_no_one_else(
    facilitators: Facilitators,
) -> None:
    f = facilitators
    n = next(_n)
    only, shared = f"only{n}@example.org", f"shared{n}@example.org"
    with f.dbs["a"].write() as session:
        here_only = add(session, f.cohorts["a"], "Only Here", email=only)
        here_shared = add(session, f.cohorts["a"], "Also Elsewhere", email=shared)
    with f.dbs["b"].write() as session:
        add(session, f.cohorts["b"], "Also Elsewhere", email=shared)
    with f.dbs["a"].write() as session:
        members.remove_member(session, here_only)
        members.remove_member(session, here_shared)
    left = f.owner_rows(
        "SELECT p.email, count(m.id) FROM people p LEFT JOIN memberships m "
        "ON m.person_id = p.id WHERE p.email IN (:a, :b) GROUP BY p.email",
        a=only,
        b=shared,
    )
    # nobody's details outlive the only cohort they were in; a colleague's member stays
    assert left == [(shared, 1)]


def test_deleting_a_cohort_deletes_the_people_in_no_other(facilitators: Facilitators) -> None:
    f = facilitators
    n = next(_n)
    with f.dbs["a"].write() as session:
        doomed = make_cohort(session, f"Short course {n}").id
        add(session, doomed, "Passing Through", email=f"passing{n}@example.org")
        add(session, doomed, "Facilitator a", Role.FACILITATOR, email=f.emails["a"])
    with f.dbs["a"].write() as session:
        cohorts.delete_cohort(session, doomed)
    emails = {str(e) for (e,) in f.owner_rows("SELECT email FROM people")}
    assert f"passing{n}@example.org" not in emails
    assert f.emails["a"] in emails  # in their own cohort still, and signs in
