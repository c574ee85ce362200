"""The window on a shared server: it hears what others commit and refreshes its screens, and
shows a refused change as its usual message."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from cohortdesk.core.models import TeamRole
from cohortdesk.core.paths import AppPaths
from cohortdesk.core.schemas import CohortInput
from cohortdesk.core.services import team
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.migrate import open_database
from cohortdesk.ui.changes import ChangeNotifier
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.server_watch import ServerWatch
from tests.pg_server import PgServer
from tests.ui.member_data import make_context


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
        qtbot.waitUntil(watch.listening.is_set, timeout=30_000)
        with qtbot.waitSignal(notifier.data_replaced, timeout=30_000), other.write() as session:
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


def test_a_refused_change_is_the_windows_usual_message_in_one_line(
    qtbot: QtBot, pg_server: PgServer, paths: AppPaths, warnings_shown: list[str]
) -> None:
    url = pg_server.new_database("refused")
    owner = open_database(url, None)
    team.init_team(owner)
    team.add_user(owner, "trudy", TeamRole.TRAINER, None, None)
    owner.dispose()
    trainer = open_database(pg_server.url(url.split("@/")[1].split("?")[0], "trudy"), None)
    context = make_context(trainer, paths)
    window = MainWindow(context)
    qtbot.addWidget(window)
    try:
        context.runner.write(
            "New cohort", lambda s: cohorts.create_cohort(s, CohortInput(name="Spring"))
        )
        assert context.runner.wait_idle(60_000)
        assert warnings_shown == [
            "your team role, trainer, cannot change cohorts. Nothing was changed."
        ]
    finally:
        context.runner.wait_idle(60_000)
        context.runner.shutdown()
        trainer.dispose()
