"""The window hears what others commit on a shared server and refreshes its screens."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from cohortdesk.core.schemas import CohortInput
from cohortdesk.core.services import team
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.migrate import open_database
from cohortdesk.ui.changes import ChangeNotifier
from cohortdesk.ui.server_watch import ServerWatch
from tests.pg_server import PgServer


def test_a_change_committed_by_someone_else_refreshes_the_open_screens(
    qtbot: QtBot, pg_server: PgServer
) -> None:
    url = pg_server.new_database("watch")
    db = open_database(url, None)
    team.init_team(db)
    with db.write() as session:
        cohort_id = cohorts.create_cohort(session, CohortInput(name="Autumn")).value.id
    notifier = ChangeNotifier()
    watch = ServerWatch(db, notifier)
    heard: list[str] = []
    notifier.data_replaced.connect(lambda: heard.append("data_replaced"))
    other = Database(url)  # another facilitator's app, on the same server
    try:
        watch.start()
        qtbot.waitUntil(watch.listening.is_set, timeout=10_000)
        with qtbot.waitSignal(notifier.data_replaced, timeout=10_000), other.write() as session:
            cohorts.rename_cohort(session, cohort_id, "Winter")
        assert heard == ["data_replaced"]
    finally:
        watch.stop()
        other.dispose()
        db.dispose()


def test_on_a_laptop_file_nothing_listens(qtbot: QtBot, db: Database) -> None:
    watch = ServerWatch(db, ChangeNotifier())
    watch.start()
    assert not watch.listening.is_set()
    watch.stop()
