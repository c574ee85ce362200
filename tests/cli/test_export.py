"""`cohortdesk export`: each format, its options, and one-line errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cohortdesk.core.storage.db import Database
from tests.cli.support import run
from tests.core.exporters.conftest import build_sample


@pytest.fixture
def cohort(db: Database) -> str:
    with db.write() as session:
        return build_sample(session).name


@pytest.mark.parametrize(
    ("format", "name"), [("csv", "r.csv"), ("xlsx", "r.xlsx"), ("pdf", "r.pdf"), ("xapi", "r.json")]
)
def test_each_format_writes_its_file(
    capsys: pytest.CaptureFixture[str], cohort: str, tmp_path: Path, format: str, name: str
) -> None:
    target = tmp_path / name
    code, out, err = run(capsys, "export", format, "--cohort", "spring COHORT", "-o", str(target))
    assert (code, err) == (0, "")
    assert out.startswith("Exported 5 members") and name in out
    assert target.stat().st_size > 0


def test_csv_with_events_pseudonymised_and_a_period(
    capsys: pytest.CaptureFixture[str], cohort: str, tmp_path: Path
) -> None:
    target = tmp_path / "records.csv"
    code, out, _ = run(
        capsys,
        "export",
        "csv",
        "--cohort",
        cohort,
        "-o",
        str(target),
        "--pseudonymise",
        "--key",
        "a key of sixteen chars",
        "--from",
        "2025-06-01",
        "--to",
        "2025-06-30",
        "--exclude-inactive",
        "--with-events",
        "--json",
    )
    assert code == 0
    result = json.loads(out)
    assert result["members"] == 1 and result["events"] == 2 and result["pseudonymised"]
    assert result["files"] == [str(target), str(tmp_path / "records-events.csv")]
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["Logins"] for r in rows] == ["1"]
    assert rows[0]["Pseudonym"].startswith("p-")


def test_the_key_can_come_from_the_environment(
    capsys: pytest.CaptureFixture[str],
    cohort: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COHORTDESK_EXPORT_KEY", "shared between our exports")
    names = []
    for file in ("a.csv", "b.csv"):
        assert (
            run(
                capsys,
                "export",
                "csv",
                "--cohort",
                cohort,
                "-o",
                str(tmp_path / file),
                "--pseudonymise",
            )[0]
            == 0
        )
        names.append((tmp_path / file).read_text("utf-8-sig"))
    assert names[0] == names[1]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--cohort", "Nope"], "No cohort named 'Nope'"),
        (["--from", "2025-06-02", "--to", "2025-06-01"], "ends before it starts"),
        (["--pseudonymise", "--key", "short"], "at least 16 characters"),
        (["--key", "a key that is long enough"], "--key only makes sense with --pseudonymise"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str],
    cohort: str,
    tmp_path: Path,
    extra: list[str],
    message: str,
) -> None:
    argv = ["export", "csv", "-o", str(tmp_path / "x.csv")]
    if "--cohort" not in extra:
        argv += ["--cohort", cohort]
    code, out, err = run(capsys, *argv, *extra)
    assert (code, out) == (1, "")
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "x.csv").exists()


def test_a_missing_folder_is_one_line(
    capsys: pytest.CaptureFixture[str], cohort: str, tmp_path: Path
) -> None:
    target = tmp_path / "no" / "such" / "x.pdf"
    code, _, err = run(capsys, "export", "pdf", "--cohort", cohort, "-o", str(target))
    assert code == 1
    assert err.strip() == f"cohortdesk: {target}: the folder {target.parent} does not exist"


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "docx", "--cohort", "x", "-o", "f"],
        ["export", "csv", "--cohort", "x"],
        ["export", "csv", "-o", "f"],
        ["export", "csv", "--cohort", "x", "-o", "f", "--include-inactive", "--exclude-inactive"],
        ["export", "csv", "--cohort", "x", "-o", "f", "--from", "yesterday"],
    ],
)
def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and "usage:" in err
