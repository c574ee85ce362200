"""Undoing an import removes what it brought, never what was recorded by hand since.

After a highlight was captured for someone a roster import had added, `imports undo` removed
the person and the highlight and said "0 events removed". Each kind of record a facilitator
or mentor makes about a member now keeps them; the undo names who went and who stayed; an
undone import cannot be undone twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from cohortdesk.core.enums import HighlightKind, NudgeChannel, Role
from cohortdesk.core.schemas import MemberInput, NudgeInput
from cohortdesk.core.schemas.mentoring import HighlightInput
from cohortdesk.core.services.activity import participation
from cohortdesk.core.services.dashboards import highlights
from cohortdesk.core.services.mentoring import mentoring
from cohortdesk.core.services.messaging import nudges
from cohortdesk.core.services.people import cohorts, members, tracking
from cohortdesk.core.storage.db import Database
from tests.cli.support import run


def _highlight(session: Session, membership_id: int) -> None:
    highlights.add_highlight(
        session,
        HighlightInput(
            membership_id=membership_id,
            kind=HighlightKind.STORY,
            happened_on=date(2024, 2, 14),
            text="A great week",
        ),
    )


def _nudge(session: Session, membership_id: int) -> None:
    nudges.log_nudge(session, membership_id, NudgeInput(body="Hi", channel=NudgeChannel.EMAIL))


def _mentor(session: Session, membership_id: int) -> None:
    cohort_id = members.member_detail(session, membership_id).cohort_id
    mentor = members.add_member(
        session, cohort_id, MemberInput(full_name="Mo Mentor", role=Role.MENTOR)
    ).value
    mentoring.assign_mentor(session, mentor, membership_id)


def _stage(session: Session, membership_id: int) -> None:
    tracking.change_stage(session, membership_id, 2, "Introduced herself")


#: every kind of record made by hand about a member
RECORDS: dict[str, Callable[[Session, int], object]] = {
    "a note": lambda s, m: tracking.add_note(s, m, "Struggles with the forum"),
    "a check-in": lambda s, m: tracking.add_motivation(s, m, 3, "ok"),
    "an access problem": lambda s, m: tracking.open_access_issue(s, m, "No password"),
    "a highlight": _highlight,
    "a nudge": _nudge,
    "a mentor": _mentor,
    "a stage change": _stage,
}


@pytest.fixture
def imported(capsys: pytest.CaptureFixture[str], tmp_path: Path, db: Database) -> int:
    assert run(capsys, "cohort", "create", "T1")[0] == 0
    roster = tmp_path / "roster.csv"
    roster.write_text("Name,Email\nAnn Lee,ann@example.org\nBo Park,bo@example.org\n")
    code, out, err = run(capsys, "import", "roster", str(roster), "--cohort", "T1", "--json")
    assert code == 0, err
    return int(json.loads(out)["batch_id"])


def _membership(db: Database, name: str) -> int:
    with db.read() as session:
        rows = participation.roster(session, cohorts.find_cohort(session, "T1").id)
    return next(r.membership_id for r in rows if r.name == name)


@pytest.mark.parametrize("record", sorted(RECORDS))
def test_a_member_with_a_record_made_by_hand_stays_and_is_named(
    capsys: pytest.CaptureFixture[str], db: Database, imported: int, record: str
) -> None:
    ann = _membership(db, "Ann Lee")
    with db.write() as session:
        RECORDS[record](session, ann)
    code, out, err = run(capsys, "imports", "undo", str(imported))
    assert code == 0, err
    assert "kept Ann Lee" in out and "1 member it had added removed" in out, out
    code, out, _ = run(capsys, "status", "--cohort", "T1", "--json")
    names = {m["name"] for m in json.loads(out)["members"]}
    assert "Ann Lee" in names and "Bo Park" not in names


def test_an_undone_import_says_so_instead_of_undoing_again(
    capsys: pytest.CaptureFixture[str], imported: int
) -> None:
    assert run(capsys, "imports", "undo", str(imported))[0] == 0
    code, _, err = run(capsys, "imports", "undo", str(imported))
    assert code == 1 and "undone already" in err, err
