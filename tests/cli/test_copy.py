"""`cohortdesk copy`: cohorts from a laptop's file to a server and back, all or nothing,
idempotent, with every figure the same on each side."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from cohortdesk.core.errors import NotFoundError
from cohortdesk.core.models import Cohort, Membership, MentoringSession
from cohortdesk.core.services.transfer.copying import copy_cohorts
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.db import Database
from tests.cli.support import run
from tests.databases import server_only
from tests.pg_server import PgServer
from tests.real_cohorts import EDIFY, MOOC, SLACK, RealCohort, cli_steps

pytestmark = server_only("copies between a file and a server (both in every test)")

#: every command whose figures must be the same on both sides, as JSON
FIGURES = ("status", "report", "attention", "nudges list")


def figures(capsys: pytest.CaptureFixture[str], url: str, cohort: str) -> dict[str, object]:
    """Every figure of `cohort` in the database at `url`, as the commands print them."""
    found: dict[str, object] = {}
    for command in FIGURES:
        code, out, err = run(capsys, "--db", url, *command.split(), "--cohort", cohort, "--json")
        assert code == 0, err
        found[command] = json.loads(out)
    return found


def copy(capsys: pytest.CaptureFixture[str], source: str, destination: str, *more: str) -> str:
    code, out, err = run(capsys, "copy", "--from", source, "--to", destination, *more)
    assert code == 0, err
    assert err == ""  # no progress line when stderr is not a terminal
    return out.strip()


def add_mentoring(url: str) -> None:
    """A mentoring session between the first two members, with its uuid."""
    database = Database(url)
    with database.write() as session:
        mentor, mentee = session.scalars(select(Membership.id).order_by(Membership.id).limit(2))
        session.add(
            MentoringSession(
                uuid="0d4f3b52-6a55-4b8e-9d3c-5b7f8e2a1c90",
                mentor_membership_id=mentor,
                mentee_membership_id=mentee,
                held_on=date(2026, 10, 20),
                notes="Talked about week 3",
            )
        )
    database.dispose()


def test_the_demo_goes_to_a_server_and_back_with_every_figure_equal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_url: str
) -> None:
    laptop, back = f"sqlite:///{tmp_path / 'laptop.sqlite'}", str(tmp_path / "back.sqlite")
    assert run(capsys, "--db", laptop, "demo", "--cohort", "Spring", "--end", "2026-10-30")[0] == 0
    add_mentoring(laptop)
    before = figures(capsys, laptop, "Spring")

    said = copy(capsys, laptop, pg_url)
    assert said.startswith("Copied 'Spring' from ") and "events" in said
    assert copy(capsys, laptop, pg_url).endswith("nothing was added")  # idempotent
    assert figures(capsys, pg_url, "Spring") == before

    copy(capsys, pg_url, back)
    assert figures(capsys, back, "Spring") == before
    assert copy(capsys, pg_url, back).endswith("nothing was added")

    uuids = []
    for url in (laptop, pg_url, f"sqlite:///{back}"):
        database = Database(url)
        with database.read() as session:
            uuids.append(sorted(session.scalars(select(MentoringSession.uuid))))
        database.dispose()
    assert uuids == [["0d4f3b52-6a55-4b8e-9d3c-5b7f8e2a1c90"]] * 3


@pytest.mark.parametrize("cohort", [EDIFY, SLACK, MOOC], ids=lambda c: c.name)
def test_a_real_cohort_goes_to_a_server_and_back_with_every_figure_equal(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    pg_url: str,
    real_fixtures: Path,
    cohort: RealCohort,
) -> None:
    laptop, back = f"sqlite:///{tmp_path / 'laptop.sqlite'}", f"sqlite:///{tmp_path / 'b.sqlite'}"
    for argv in cli_steps(cohort, real_fixtures):
        assert run(capsys, "--db", laptop, *argv)[0] == 0
    before = figures(capsys, laptop, cohort.name)
    copy(capsys, laptop, pg_url, "--cohort", cohort.name)
    assert figures(capsys, pg_url, cohort.name) == before
    copy(capsys, pg_url, back)
    assert figures(capsys, back, cohort.name) == before
    code, out, _ = run(capsys, "copy", "--from", laptop, "--to", back, "--json")
    assert code == 0
    assert sum(json.loads(out)["added"].values()) == 0


def test_only_the_cohorts_named_are_copied_and_a_wrong_name_copies_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_url: str
) -> None:
    laptop = f"sqlite:///{tmp_path / 'laptop.sqlite'}"
    for name in ("Spring", "Autumn"):
        argv = ("demo", "--cohort", name, "--members", "8", "--days", "14")
        assert run(capsys, "--db", laptop, *argv)[0] == 0
    code, _, err = run(capsys, "copy", "--from", laptop, "--to", pg_url, "--cohort", "Winter")
    assert code == 1
    assert err.strip() == (
        "cohortdesk: No cohort named 'Winter' to copy (the source has: 'Autumn', 'Spring')"
    )
    copy(capsys, laptop, pg_url, "--cohort", "Autumn")
    code, out, _ = run(capsys, "--db", pg_url, "cohort", "list", "--json")
    assert [c["name"] for c in json.loads(out)] == ["Autumn"]


class StopAt:
    """Progress that cancels when the copy reaches a given kind of record."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.last = ""

    def report(self, done: int, total: int, message: str = "") -> None:
        self.last = message

    def check(self) -> None:
        if self.last == self.message:
            raise KeyboardInterrupt


def test_a_copy_cancelled_half_way_leaves_the_destination_as_it_was(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_server: PgServer
) -> None:
    laptop = f"sqlite:///{tmp_path / 'laptop.sqlite'}"
    assert run(capsys, "--db", laptop, "demo", "--members", "8", "--days", "14")[0] == 0
    source, destination = Database(laptop), Database(pg_server.new_database())
    migrate.upgrade(destination)
    try:
        with pytest.raises(KeyboardInterrupt):
            copy_cohorts(source, destination, progress=StopAt("Copying notes"))
        with destination.read() as session:
            assert session.scalars(select(Cohort.name)).all() == []
        with pytest.raises(NotFoundError):
            copy_cohorts(source, destination, ["Nope"])
        done = copy_cohorts(source, destination)
        assert done.added["events"] > 0 and done.added["cohorts"] == 1
    finally:
        source.dispose()
        destination.dispose()
