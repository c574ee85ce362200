"""`cohortdesk nudges list|confirm`: each nudge's status, and drafts confirmed headless."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from cohortdesk.core.models import NudgeChannel, NudgeStatus
from cohortdesk.core.schemas import NudgeInput
from cohortdesk.core.services.activity import participation
from cohortdesk.core.services.messaging import nudges
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.storage.db import Database
from tests.cli.support import run

DEMO = "Leading Online Learning (demo)"


@pytest.fixture
def demo_db(capsys: pytest.CaptureFixture[str], database_url: str) -> str:
    assert run(capsys, "--db", database_url, "demo", "--end", "2026-10-30")[0] == 0
    return database_url


def _draft(url: str) -> int:
    db = Database(url)
    try:
        with db.write() as session:
            cohort = cohorts.find_cohort(session, DEMO)
            learner = participation.roster(session, cohort.id)[0]
            draft = NudgeInput(
                subject="Checking in",
                body="Hi",
                channel=NudgeChannel.CLIPBOARD,
                sent_at=datetime(2026, 10, 30, 8, tzinfo=UTC),
                status=NudgeStatus.DRAFT,
            )
            return nudges.log_nudge(session, learner.membership_id, draft).value.id
    finally:
        db.dispose()


def _listed(capsys: pytest.CaptureFixture[str], url: str) -> dict[int, dict[str, object]]:
    code, out, err = run(capsys, "--db", url, "nudges", "list", "--cohort", DEMO, "--json")
    assert (code, err) == (0, "")
    return {n["id"]: n for n in json.loads(out)["nudges"]}


def test_list_shows_each_nudges_status_and_confirm_changes_it(
    capsys: pytest.CaptureFixture[str], demo_db: str
) -> None:
    draft_id = _draft(demo_db)
    listed = _listed(capsys, demo_db)
    assert listed[draft_id]["status"] == "draft" and listed[draft_id]["outcome"] is None
    demo_nudges = [n for i, n in listed.items() if i != draft_id]
    assert {n["status"] for n in demo_nudges} == {"sent"}
    assert all(n["outcome"] in {"responded", "waiting", "no_response"} for n in demo_nudges)

    code, out, _ = run(capsys, "--db", demo_db, "nudges", "list", "--cohort", DEMO)
    assert code == 0
    assert out.splitlines()[0].endswith("4 nudges, 1 draft to confirm")
    assert "draft: sent?" in out

    code, out, err = run(capsys, "--db", demo_db, "nudges", "confirm", str(draft_id), "--sent")
    assert (code, out.strip(), err) == (0, "Marked 1 nudge sent", "")
    assert _listed(capsys, demo_db)[draft_id]["status"] == "sent"


def test_confirm_names_a_missing_nudge(capsys: pytest.CaptureFixture[str], demo_db: str) -> None:
    code, _out, err = run(capsys, "--db", demo_db, "nudges", "confirm", "999", "--not-sent")
    assert code == 1 and "No nudge with id 999" in err
    code, _out, _err = run(capsys, "--db", demo_db, "nudges", "confirm", "1")
    assert code == 2  # --sent or --not-sent is required
