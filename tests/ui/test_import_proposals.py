"""What the import dialog proposes: staff to tick, the cohort's dates to set from the file;
and a file dropped on the window opens the dialog with its format detected."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from cohortdesk.core.enums import Role
from cohortdesk.core.models import Membership
from cohortdesk.core.schemas import CohortInput
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.views.import_dialog import ImportDialog
from tests.core.importers.slack_support import build_zip
from tests.ui.conftest import settle
from tests.ui.drop_support import drop_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HEADER = (
    "Time,User full name,Affected user,Event context,Component,Event name,Description,"
    "Origin,IP address"
)


def _log(path: Path) -> Path:
    """Teacher 7 lists the participants every day; learner 8 views the course."""
    rows = [HEADER]
    for day in range(1, 9):
        for uid, event, text in (
            ("7", "User list viewed", "viewed the list of users in the course with id '5'."),
            ("8", "Course viewed", "viewed the course with id '5'."),
            ("7", "Course viewed", "viewed the course with id '5'."),
        ):
            rows.append(
                f'"{day}/03/17, 10:00",-,-,Course: X,System,{event},'
                f"\"The user with id '{uid}' {text}\",web,10.0.0.1"
            )
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    return path


def _cohort(db: Database, start: str) -> int:
    with db.write() as session:
        return cohorts.create_cohort(
            session, CohortInput(name="Spring", timezone="UTC", start_date=start)
        ).value.id


@pytest.fixture
def cohort_id(db: Database) -> int:
    """A cohort that starts in 2027 (before the window opens, so it is selected)."""
    return _cohort(db, "2027-01-04")


@pytest.fixture
def cohort_2017(db: Database) -> int:
    """A cohort that starts on 27 Feb 2017, before the files' activity."""
    return _cohort(db, "2017-02-27")


def _open(qtbot: QtBot, window: MainWindow, path: Path) -> ImportDialog:
    settle(window)
    dialog = window.open_import_dialog(path)
    assert dialog is not None
    with qtbot.waitSignal(dialog.preview_finished, timeout=30_000):
        pass
    return dialog


def _roles(db: Database, cohort_id: int) -> list[Role]:
    with db.read() as session:
        return sorted(
            session.scalars(select(Membership.role).where(Membership.cohort_id == cohort_id))
        )


def test_ticked_staff_join_as_facilitators_and_the_rest_stay_learners(
    qtbot: QtBot, db: Database, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    dialog = _open(qtbot, window, _log(tmp_path / "log.csv"))
    assert dialog.format_name() == "moodle-log"
    choice = dialog.staff_choice
    assert choice.isVisible()
    assert list(choice.boxes) == ["7"]
    box = choice.boxes["7"]
    assert not box.isChecked()  # nobody is staff without the facilitator's tick
    assert "Moodle user 7 (16 rows: viewed the participant list 8×)" in box.text()
    box.setChecked(True)
    with qtbot.waitSignal(dialog.import_finished, timeout=30_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert _roles(db, cohort_id) == [Role.FACILITATOR, Role.LEARNER]
    assert not dialog.staff_choice.boxes["7"].isEnabled()


def test_unticked_proposals_make_nobody_staff(
    qtbot: QtBot, db: Database, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    dialog = _open(qtbot, window, _log(tmp_path / "log.csv"))
    with qtbot.waitSignal(dialog.import_finished, timeout=30_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert set(_roles(db, cohort_id)) == {Role.LEARNER}


def test_the_result_offers_to_set_the_dates_from_the_file(
    qtbot: QtBot, db: Database, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    # the cohort starts in 2027; the file is from March 2017
    dialog = _open(qtbot, window, _log(tmp_path / "log.csv"))
    assert not dialog.dates_offer.isVisible()  # the preview's notes say it; the result offers
    assert "outside the cohort's dates" in dialog.summary_view.notes_label.text()
    with qtbot.waitSignal(dialog.import_finished, timeout=30_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    offer = dialog.dates_offer
    assert offer.isVisible()
    assert "1 Mar 2017 to 8 Mar 2017" in offer.label.text()
    qtbot.mouseClick(offer.button, Qt.MouseButton.LeftButton)
    settle(window)
    with db.read() as session:
        row = cohorts.get_cohort(session, cohort_id)
    assert (str(row.start_date), str(row.end_date)) == ("2017-03-01", "2017-03-08")
    assert "now runs from 1 Mar 2017 to 8 Mar 2017" in offer.label.text()
    assert not offer.button.isEnabled()


def test_no_offer_when_the_activity_lies_within_the_dates(
    qtbot: QtBot, cohort_2017: int, window: MainWindow, tmp_path: Path
) -> None:
    dialog = _open(qtbot, window, _log(tmp_path / "log.csv"))
    with qtbot.waitSignal(dialog.import_finished, timeout=30_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert not dialog.dates_offer.isVisible()


def test_a_dropped_file_opens_the_import_with_its_format_detected(
    qtbot: QtBot, cohort_id: int, window: MainWindow, tmp_path: Path
) -> None:
    cases = {
        "moodle-log": shutil.copy(FIXTURES / "moodle_log" / "realistic_en_bom.csv", tmp_path),
        "slack": build_zip(tmp_path, "realistic"),
    }
    for expected, path in cases.items():
        drop_file(window, Path(path))
        (dialog,) = [d for d in window.findChildren(ImportDialog) if d.isVisible()]
        with qtbot.waitSignal(dialog.preview_finished, timeout=30_000):
            pass
        assert dialog.path() == Path(path)
        assert dialog.format_name() == expected
        assert "detected" in dialog.format_note.text()
        dialog.reject()
        settle(window)
