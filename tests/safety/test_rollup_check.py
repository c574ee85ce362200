"""The daily counts every screen reads are checked against the events and recounted.

After a rescue of a damaged file the daily tables could be empty while the events were there:
the roster said 0 posts, the dashboard "no replies yet" beside a median of 19, and the PDF
(which reads events) 286 peer replies. `check` now compares them with a fresh count, whatever
the damage, and `check --repair`, restore and salvage recount them.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cohortdesk.core.paths import app_paths
from tests.cli.support import run
from tests.safety.fuzz import FUZZ

LOG = "who,when,kind,to\n" + "".join(
    f"{who},2024-02-{day:02d} {hour:02d}:10,{kind},{to}\n"
    for day in range(1, 20)
    for hour, (who, kind, to) in enumerate(
        [("Ann", "post", ""), ("Bo", "reply", "Ann"), ("Cy", "reply", "Bo"), ("Ann", "view", "")]
    )
)
#: ways the daily tables go wrong: SQL run on the file behind cohortdesk's back
DAMAGE = {
    "daily emptied": "DELETE FROM daily_activity",
    "replies emptied": "DELETE FROM daily_replies",
    "totals emptied": "DELETE FROM daily_totals",
    "a count changed": "UPDATE daily_activity SET replies = replies + 1 WHERE "
    "(person_id, day) = (SELECT person_id, day FROM daily_activity ORDER BY day LIMIT 1)",
    "a reply count changed": "UPDATE daily_replies SET count = count + 3 WHERE "
    "(from_person_id, day) = (SELECT from_person_id, day FROM daily_replies ORDER BY day DESC "
    "LIMIT 1)",
    "a row too many": "INSERT OR IGNORE INTO daily_totals SELECT cohort_id, day + 400, events, "
    "posts, replies, reactions, views, logins, shares, attendances, submissions, words "
    "FROM daily_totals LIMIT 1",
    "one day gone": "DELETE FROM daily_activity WHERE day = (SELECT min(day) FROM daily_activity)",
}


def _file() -> Path:
    return app_paths().default_db_file


def _damage(sql: str, file: Path | None = None) -> None:
    with closing(sqlite3.connect(file or _file())) as connection, connection:
        connection.execute(sql)


def _figures(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    code, out, err = run(capsys, "report", "--cohort", "T1", "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def cohort(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> dict[str, object]:
    assert run(capsys, "cohort", "create", "T1", "--timezone", "Europe/London")[0] == 0
    log = tmp_path / "log.csv"
    log.write_text(LOG)
    mapping = "who=who,when=when,kind=kind,replied_to=to"
    code, _, err = run(
        capsys, "import", "activity-csv", str(log), "--cohort", "T1", "--map", mapping
    )
    assert code == 0, err
    assert run(capsys, "check")[0] == 0
    return _figures(capsys)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_check_finds_the_drift_without_changing_the_file_and_repair_recounts(
    capsys: pytest.CaptureFixture[str], cohort: dict[str, object], damage: str
) -> None:
    _damage(DAMAGE[damage])
    before = _sha(_file())
    companions = sorted(p.name for p in _file().parent.iterdir())
    code, _, err = run(capsys, "check")
    assert code == 1 and "--repair" in err and len(err.strip().splitlines()) == 1, err
    assert (
        _sha(_file()) == before and sorted(p.name for p in _file().parent.iterdir()) == companions
    )
    code, out, err = run(capsys, "check", "--repair")
    assert code == 0 and "recounted" in out, err
    assert run(capsys, "check")[0] == 0
    assert _figures(capsys) == cohort


@FUZZ
@given(damage=st.lists(st.sampled_from(sorted(DAMAGE)), min_size=1, max_size=3))
def test_any_mix_of_damage_is_found(
    capsys: pytest.CaptureFixture[str], cohort: dict[str, object], damage: list[str]
) -> None:
    for name in damage:
        _damage(DAMAGE[name])
    assert run(capsys, "check")[0] == 1
    assert run(capsys, "check", "--repair")[0] == 0
    assert _figures(capsys) == cohort


def test_a_restored_backup_with_emptied_counts_is_recounted(
    capsys: pytest.CaptureFixture[str], cohort: dict[str, object], tmp_path: Path
) -> None:
    backup = tmp_path / "backup.sqlite"
    assert run(capsys, "backup", str(backup))[0] == 0
    _damage(DAMAGE["daily emptied"], backup)
    _damage(DAMAGE["totals emptied"], backup)
    code, _, err = run(capsys, "restore", str(backup))
    assert code == 0, err
    assert run(capsys, "check")[0] == 0
    assert _figures(capsys) == cohort


def test_a_rescued_file_is_recounted(
    capsys: pytest.CaptureFixture[str], cohort: dict[str, object], tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.sqlite"
    assert run(capsys, "backup", str(damaged))[0] == 0
    _damage(DAMAGE["replies emptied"], damaged)
    _file().rename(tmp_path / "set-aside.sqlite")
    for suffix in ("-wal", "-shm"):
        _file().with_name(_file().name + suffix).unlink(missing_ok=True)
    code, _, err = run(capsys, "salvage", str(damaged))
    assert code == 0, err
    assert run(capsys, "check")[0] == 0
    assert _figures(capsys) == cohort
