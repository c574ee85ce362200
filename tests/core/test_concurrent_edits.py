"""Two people editing one member, and a server that goes away: no update is lost silently and
nothing is half-written. Runs on SQLite and on a real PostgreSQL server (the folder's `db`)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from cohortdesk.core.models import Membership, Person, Role
from cohortdesk.core.schemas import CohortInput, MemberInput
from cohortdesk.core.services.people import cohorts, members
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.migrate import upgrade
from cohortdesk.core.storage.server_errors import ServerUnavailableError, StaleEditError
from tests.pg_server import PgServer


def _member(db: Database) -> int:
    with db.write() as session:
        cohort = cohorts.create_cohort(session, CohortInput(name="Autumn")).value
        data = MemberInput(full_name="Amina Odhiambo", email="amina@example.org")
        return members.add_member(session, cohort.id, data, joined_on=date(2026, 10, 1)).value


def test_the_second_save_from_an_old_copy_is_refused_and_the_first_is_kept(
    db: Database,
) -> None:
    mid = _member(db)
    with db.read() as session:
        first = members.member_detail(session, mid)
        second = members.member_detail(session, mid)
    with db.write() as session:
        members.update_member(
            session, mid, MemberInput(full_name="Amina O. Odhiambo"), first.versions
        )
    edit = MemberInput(full_name="Amina Odhiambo-Smith", role=Role.MENTOR)
    with pytest.raises(StaleEditError) as stale, db.write() as session:
        members.update_member(session, mid, edit, second.versions)
    assert "changed by someone else since you opened it" in str(stale.value)
    with db.read() as session:
        now = members.member_detail(session, mid)
    assert (now.row.name, now.row.role) == ("Amina O. Odhiambo", Role.LEARNER)
    # re-applied on the newer copy, the edit is saved
    with db.write() as session:
        members.update_member(session, mid, edit, now.versions)
    with db.read() as session:
        assert members.member_detail(session, mid).row.name == "Amina Odhiambo-Smith"


def test_two_saves_racing_in_open_transactions_lose_nothing(pg_server: PgServer) -> None:
    db = Database(pg_server.new_database("race"))
    upgrade(db)
    try:
        mid = _member(db)
        with pytest.raises(StaleEditError), db.write() as late:
            slow = late.get(Person, late.get(Membership, mid).person_id)  # type: ignore[union-attr]
            assert slow is not None
            with db.write() as early:
                members.update_member(early, mid, MemberInput(full_name="Early Save"))
            slow.full_name = "Late Save"
            late.flush()
        with db.read() as session:
            assert members.member_detail(session, mid).row.name == "Early Save"
    finally:
        db.dispose()


def _terminate_others(server: PgServer, database: str) -> None:
    server.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
    )


def test_a_server_gone_mid_session_says_so_in_one_line_and_the_next_try_works(
    pg_server: PgServer,
) -> None:
    url = pg_server.new_database("gone")
    database = url.split("@/")[1].split("?")[0]
    db = Database(url)
    upgrade(db)
    try:
        mid = _member(db)
        _terminate_others(pg_server, database)  # between two units of work: pre-ping heals it
        with db.read() as session:
            assert members.member_detail(session, mid).row.name == "Amina Odhiambo"
        with pytest.raises(ServerUnavailableError) as gone, db.write() as session:
            members.update_member(session, mid, MemberInput(full_name="Half Written"))
            _terminate_others(pg_server, database)
            session.execute(text("SELECT 1"))
        message = str(gone.value)
        assert "cannot be reached" in message
        assert "Nothing was saved" in message
        assert "\n" not in message
        with db.read() as session:  # nothing half-written, and the next try reconnects
            assert members.member_detail(session, mid).row.name == "Amina Odhiambo"
        with db.write() as session:
            members.update_member(session, mid, MemberInput(full_name="Saved On Retry"))
        with db.read() as session:
            assert members.member_detail(session, mid).row.name == "Saved On Retry"
    finally:
        db.dispose()


def _cohort(db: Database) -> cohorts.CohortRow:
    with db.write() as session:
        data = CohortInput(name="Spring", description="First run", start_date=date(2026, 3, 2))
        return cohorts.create_cohort(session, data).value


#: what a colleague may change in a cohort meanwhile: each makes an older copy out of date
COLLEAGUE_EDITS = {
    "name": {"name": "Spring (renamed)"},
    "description": {"description": "Second run"},
    "start": {"start_date": date(2026, 3, 9)},
    "end": {"end_date": date(2026, 6, 30)},
    "zone": {"timezone": "Europe/Madrid"},
    "all at once": {"name": "Autumn", "start_date": date(2026, 9, 1), "timezone": "Asia/Tokyo"},
}


@pytest.mark.parametrize("theirs", COLLEAGUE_EDITS.values(), ids=COLLEAGUE_EDITS.keys())
def test_a_cohort_edit_from_an_old_copy_is_refused_and_the_colleagues_kept(
    db: Database, theirs: dict[str, object]
) -> None:
    opened = _cohort(db)  # both open the cohort's dialog on this copy
    with db.write() as session:
        colleague = cohorts.change_cohort(session, opened.id, **theirs).value
    mine = CohortInput(name="Spring 2026", description="Mine", timezone="Europe/London")
    with pytest.raises(StaleEditError) as refused, db.write() as session:
        cohorts.update_cohort(session, opened.id, mine, seen=opened.version)
    assert str(refused.value).startswith(f"The cohort {colleague.name}: ")
    assert "changed by someone else since you opened it" in str(refused.value)
    with db.read() as session:
        now = cohorts.get_cohort(session, opened.id)
    assert now == colleague
    assert now.version == opened.version + 1
    # re-applied on their version, the edit is saved
    with db.write() as session:
        saved = cohorts.update_cohort(session, opened.id, mine, seen=now.version).value
    assert (saved.name, saved.description, saved.version) == (
        "Spring 2026",
        "Mine",
        now.version + 1,
    )


def test_a_cohort_saved_in_the_same_instant_by_two_is_refused_once(pg_migrated_url: str) -> None:
    db = Database(pg_migrated_url)
    try:
        opened = _cohort(db)
        with pytest.raises(StaleEditError), db.write() as late:
            late_copy = cohorts.get_cohort(late, opened.id)  # read in the late transaction
            with db.write() as early:
                cohorts.change_cohort(early, opened.id, name="Early Save")
            cohorts.update_cohort(
                late, opened.id, CohortInput(name="Late Save"), seen=late_copy.version
            )
        with db.read() as session:
            assert cohorts.get_cohort(session, opened.id).name == "Early Save"
    finally:
        db.dispose()
