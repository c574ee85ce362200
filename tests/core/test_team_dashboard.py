"""The dashboard's reads side by side on a team's server (`storage.snapshot_reads`): each extra
connection sees what the session sees, for each way a login acts for a person, and nothing
committed after the reads began."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import psycopg
import pytest
from sqlalchemy import Connection, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from cohortdesk.core.models import Cohort, Membership, Person
from cohortdesk.core.schemas.dashboard import CohortDashboard
from cohortdesk.core.services.dashboards import dashboard
from cohortdesk.core.storage import snapshot_reads as reads_module
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.snapshot_reads import SnapshotReads, snapshot_reads
from tests.core.test_team_rls import DEMO, TeamServer, _name_person, team_server  # noqa: F401

AS_OF = date(2030, 1, 1)


@contextmanager
def _one_after_another(session: Session, connections: int = 0) -> Iterator[SnapshotReads]:
    yield SnapshotReads(session)  # every read in the session itself


def _board(session: Session, cohort_id: int) -> CohortDashboard:
    return dashboard.cohort_dashboard(session, cohort_id, as_of=AS_OF)


def _demo_id(team_server: TeamServer) -> int:  # noqa: F811
    with team_server.owner.read() as session:
        return int(session.execute(select(Cohort.id).where(Cohort.name == DEMO)).scalar_one())


def test_side_by_side_reads_run_on_connections_of_their_own(
    team_server: TeamServer,  # noqa: F811
) -> None:
    with team_server.owner.read() as session:
        own = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with snapshot_reads(session) as reads:
            assert reads.side_by_side
            pending = [reads.submit(text("SELECT pg_backend_pid()")) for _ in range(8)]
            backends = {p.result()[0][0] for p in pending}
    assert own not in backends
    assert 1 <= len(backends) <= reads_module.MAX_CONNECTIONS


@pytest.mark.parametrize("how", ["login", "set local role", "set role", "person"])
def test_the_mentors_dashboard_side_by_side_is_the_one_read_one_after_another(
    team_server: TeamServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    """As the mentor, however the connection acts for them: the dashboard read side by side
    equals the one read in the session alone, and names the mentor's mentees only."""
    cohort_id = _demo_id(team_server)
    login = team_server.logins["mentor"]
    database = Database(team_server.url("mentor" if how == "login" else "pool"))
    try:
        with database.read() as session:
            if how == "set local role":
                session.execute(text(f'SET LOCAL ROLE "{login}"'))
            elif how == "set role":
                session.execute(text(f'SET ROLE "{login}"'))
            elif how == "person":
                _name_person(session.connection(), team_server, "mentor")
            seen = set(session.scalars(select(Person.full_name)))
            side_by_side = _board(session, cohort_id)
            with monkeypatch.context() as patch:
                patch.setattr(dashboard, "snapshot_reads", _one_after_another)
                alone = _board(session, cohort_id)
            if how == "set role":
                session.execute(text("RESET ROLE"))
    finally:
        database.dispose()
    assert side_by_side == alone
    with team_server.owner.read() as session:
        everyone = session.scalar(
            select(func.count()).select_from(Membership).where(Membership.cohort_id == cohort_id)
        )
    names = {row.name for row in side_by_side.heatmap}
    assert names == {node.name for node in side_by_side.network.nodes}
    assert 2 <= len(names) <= 4 < (everyone or 0)  # the mentor and their three mentees
    assert names <= seen


def test_side_by_side_reads_see_nothing_committed_after_they_began(
    team_server: TeamServer,  # noqa: F811
) -> None:
    owner = team_server.owner
    count = select(func.count()).select_from(Person)
    with owner.read() as session, snapshot_reads(session) as reads:
        before = reads.submit(count).result()[0][0]
        with owner.write() as other:
            other.add(Person(full_name="Late Comer", email="late.comer@example.org"))
        after = [reads.submit(count) for _ in range(reads_module.MAX_CONNECTIONS * 2)]
        assert {p.result()[0][0] for p in after} == {before}
    with owner.read() as session:
        assert session.scalar(count) == before + 1
    with owner.write() as session:
        session.execute(Person.__table__.delete().where(Person.email == "late.comer@example.org"))


def test_a_transaction_that_has_written_reads_in_the_session_itself(
    team_server: TeamServer,  # noqa: F811
) -> None:
    """Its own changes are in no exported snapshot: the reads see them by running in it."""
    owner = team_server.owner
    count = select(func.count()).select_from(Person)
    with owner.trial() as session:
        before = session.scalar(count) or 0
        session.add(Person(full_name="Not Yet Saved", email="not.yet.saved@example.org"))
        with snapshot_reads(session) as reads:
            assert not reads.side_by_side
            assert reads.submit(count).result()[0][0] == before + 1


def _refused(connection: Connection) -> str:
    """An export the server refuses (as one from a savepoint is): the transaction fails."""
    connection.exec_driver_sql("SAVEPOINT refused")
    return str(connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one())


def test_refused_export_reads_in_the_session_for_the_same_person(
    team_server: TeamServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the server will not export a snapshot (a standby or a pooler may refuse), the
    dashboard is read one query after another in the session, still as the mentor."""
    with pytest.raises(DBAPIError) as refused, team_server.owner.read() as session:
        _refused(session.connection())
    assert isinstance(refused.value.orig, psycopg.errors.ActiveSqlTransaction)
    cohort_id = _demo_id(team_server)
    login = team_server.logins["mentor"]
    database = Database(team_server.url("pool"))
    try:
        with database.read() as session:
            session.execute(text(f'SET LOCAL ROLE "{login}"'))
            _name_person(session.connection(), team_server, "mentor")
            with monkeypatch.context() as patch:
                patch.setattr(dashboard, "snapshot_reads", _one_after_another)
                alone = _board(session, cohort_id)
            monkeypatch.setattr(reads_module, "_export_snapshot", _refused)
            with snapshot_reads(session) as reads:
                assert not reads.side_by_side
            refused_board = _board(session, cohort_id)
            seen = set(session.scalars(select(Person.full_name)))
    finally:
        database.dispose()
    assert refused_board == alone
    assert {row.name for row in refused_board.heatmap} <= seen
    assert 2 <= len(seen) <= 4  # the mentor and their mentees, still


def test_in_a_savepoint_the_reads_run_in_the_session(
    team_server: TeamServer,  # noqa: F811
) -> None:
    """No snapshot is exported from inside a savepoint: nothing is tried there."""
    owner = team_server.owner
    with owner.read() as session, session.begin_nested(), snapshot_reads(session) as reads:
        assert not reads.side_by_side
        assert reads.submit(select(func.count()).select_from(Person)).result()[0][0] > 0
