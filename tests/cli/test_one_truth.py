"""One truth: every surface that shows a figure shows the same number for it.

For the demo cohort (as of a day mid-cohort, and finished, judged as of its end by default),
and for cohorts built from each real export beside the checkout (with their real dates),
`report --json` is compared with the dashboard, `status --json` sums, the CSV and XLSX exports'
totals, the PDF report's key numbers and sentences, the xAPI statements, the manager summary
and the attention list. Every figure two surfaces both show must be equal.
"""

from __future__ import annotations

import csv
import json
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader

from cohortdesk.core.exporters.manager_summary import manager_summary
from cohortdesk.core.exporters.records import collect
from cohortdesk.core.exporters.report_data import report_data
from cohortdesk.core.schemas import ExportOptions
from cohortdesk.core.services.activity import participation
from cohortdesk.core.services.dashboards.dashboard import cohort_dashboard
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.storage.db import Database
from tests.cli.support import run
from tests.conftest import SHARED_REAL
from tests.real_cohorts import EDIFY, MOOC, SLACK, cli_steps

DEMO = "Leading Online Learning (demo)"
DEMO_END = "2026-10-30"  # its cohort ends two weeks later, on 13 Nov 2026

FIGURES = (
    "learners",
    "active_last_7_days",
    "threads",
    "replies",
    "posts",
    "peer_replies",
    "replies_to_staff",
    "median_replies_per_learner",
    "share_at_stage_3_or_above",
    "stages",
)


@dataclass(frozen=True)
class Case:
    """A cohort to build, and how to judge it."""

    cohort: str
    steps: tuple[tuple[str, ...], ...]
    as_of: str | None = None
    period: tuple[str, str] | None = None
    real: bool = False
    expected_as_of: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    not_in_yet: int | None = None
    """Learners with no evidence of access (no activity, never replied to)."""


MOOC_STEPS = cli_steps(MOOC, SHARED_REAL)
EDIFY_STEPS = cli_steps(EDIFY, SHARED_REAL)

CASES = {
    "demo mid-cohort": Case(
        DEMO,
        (("demo", "--end", DEMO_END),),
        as_of="2026-10-16",
        expected_as_of="2026-10-16",
    ),
    "demo finished": Case(
        DEMO, (("demo", "--end", DEMO_END),), expected_as_of="2026-11-13", facts={"learners": 21}
    ),
    "Moodle log (Edify, 2017)": Case(
        EDIFY.name,
        cli_steps(EDIFY, SHARED_REAL),
        real=True,
        expected_as_of="2017-06-30",
        facts={"learners": 7, "posts": 0},
    ),
    "Moodle log, its proposed teacher confirmed": Case(
        EDIFY.name,
        (*EDIFY_STEPS[:-1], (*EDIFY_STEPS[-1], "--staff", "394")),
        real=True,
        expected_as_of="2017-06-30",
        facts={"learners": 6, "posts": 0},
    ),
    "Slack (2016)": Case(
        SLACK.name,
        cli_steps(SLACK, SHARED_REAL),
        real=True,
        expected_as_of="2016-03-31",
        # a flat (2016) channel: people answered each other by mentioning them
        facts={"learners": 4, "threads": 38, "replies": 15, "peer_replies": 14},
    ),
    "MOOC-Ed (2013)": Case(
        MOOC.name,
        MOOC_STEPS,
        real=True,
        expected_as_of="2013-06-16",
        facts={"learners": 443, "replies": 2529},
        not_in_yet=3,  # the file names 442 of its 445 people (two facilitators)
    ),
    "MOOC-Ed, May 2013 only": Case(
        MOOC.name,
        MOOC_STEPS,
        period=("2013-05-01", "2013-05-31"),
        real=True,
        expected_as_of="2013-05-31",
    ),
}


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture[str], url: str) -> None:
        self.capsys, self.url = capsys, url

    def __call__(self, *argv: str) -> str:
        code, out, err = run(self.capsys, "--db", self.url, *argv)
        assert (code, err) == (0, ""), (argv, err)
        return out

    def json(self, *argv: str) -> Any:
        return json.loads(self(*argv, "--json"))


def _judged(case: Case) -> list[str]:
    args = ["--cohort", case.cohort]
    if case.as_of:
        args += ["--as-of", case.as_of]
    return args


def _period(case: Case) -> list[str]:
    return ["--from", case.period[0], "--to", case.period[1]] if case.period else []


def _sums(rows: list[dict[str, Any]], to: date) -> dict[str, Any]:
    """The report's figures, worked out from one row per member (status, CSV or XLSX)."""
    learners = [r for r in rows if r["role"] == "learner"]
    since = to - timedelta(days=6)
    stages = Counter(int(r["stage"]) for r in learners)
    return {
        "learners": len(learners),
        "active_last_7_days": sum(
            1
            for r in learners
            if r["last_active"] and date.fromisoformat(r["last_active"]) >= since
        ),
        "threads": sum(int(r["threads"]) for r in rows),
        "replies": sum(int(r["replies"]) for r in rows),
        "posts": sum(int(r["threads"]) + int(r["replies"]) for r in rows),
        "peer_replies": sum(int(r["peer_replies"]) for r in learners),
        "median_replies_per_learner": (
            float(statistics.median(int(r["replies"]) for r in learners)) if learners else 0.0
        ),
        "share_at_stage_3_or_above": (
            sum(n for s, n in stages.items() if s >= 3) / len(learners) if learners else 0.0
        ),
        "stages": {str(n): stages[n] for n in range(1, 6)},
    }


def _table_rows(header: list[str], rows: list[list[Any]]) -> list[dict[str, Any]]:
    column = {name: header.index(name) for name in header}

    def cell(row: list[Any], name: str) -> Any:
        value = row[column[name]]
        if isinstance(value, datetime):  # a spreadsheet's dates are datetimes
            value = value.date()
        return value.isoformat() if isinstance(value, date) else value

    return [
        {
            "role": cell(row, "Role"),
            "stage": cell(row, "Stage"),
            "threads": cell(row, "Threads started"),
            "replies": cell(row, "Replies"),
            "peer_replies": cell(row, "Peer replies"),
            "last_active": cell(row, "Last active") or None,
        }
        for row in rows
    ]


def _csv_rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return _table_rows(header, rows)


def _xlsx_rows(path: Path) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(path, read_only=True)["Members"]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return _table_rows([str(h) for h in header], rows)


def _pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return " ".join(text.split())


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


@pytest.mark.parametrize("name", list(CASES))
def test_every_surface_shows_the_same_figures(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    case = CASES[name]
    if case.real and not SHARED_REAL.is_dir():
        pytest.skip(f"real exports not found at {SHARED_REAL}")
    url = f"sqlite:///{tmp_path / 'truth.db'}"
    cli = Cli(capsys, url)
    for step in case.steps:
        cli(*step)

    report = cli.json("report", *_judged(case), *_period(case))
    figures = {k: report[k] for k in FIGURES}
    summed = {k: v for k, v in figures.items() if k != "replies_to_staff"}  # no member column
    assert report["as_of"] == case.expected_as_of
    for key, value in case.facts.items():
        assert report[key] == value, key
    to = date.fromisoformat(report["to"])

    # the dashboard and the PDF report's data, from core
    database = Database(url)
    try:
        with database.read() as session:
            cohort_id = cohorts.find_cohort(session, case.cohort).id
            as_of = date.fromisoformat(report["as_of"])
            first, last = (
                (date.fromisoformat(d) for d in case.period)
                if case.period
                else (
                    None,
                    None,
                )
            )
            board = cohort_dashboard(session, cohort_id, first, last, as_of)
            assert json.loads(board.figures.model_dump_json()) == figures
            options = ExportOptions(as_of=as_of, date_from=first, date_to=last)
            paper = report_data(session, collect(session, cohort_id, options))
            assert json.loads(paper.figures.model_dump_json()) == figures
    finally:
        database.dispose()

    # status --json (the whole cohort only: it has no period of its own)
    if case.period is None:
        status = cli.json("status", *_judged(case))
        assert status["as_of"] == report["as_of"]
        assert _sums(status["members"], to) == summed
        if case.not_in_yet is not None:
            learners = [m for m in status["members"] if m["role"] == "learner"]
            assert sum(m["access"] == "not_yet" for m in learners) == case.not_in_yet

    # the exports: CSV and XLSX totals, the PDF's numbers, the xAPI statements
    export = ["--cohort", case.cohort, *_period(case)] + (
        ["--as-of", case.as_of] if case.as_of else []
    )
    cli("export", "csv", *export, "-o", str(tmp_path / "records.csv"))
    assert _sums(_csv_rows(tmp_path / "records.csv"), to) == summed
    cli("export", "xlsx", *export, "-o", str(tmp_path / "records.xlsx"))
    assert _sums(_xlsx_rows(tmp_path / "records.xlsx"), to) == summed
    cli("export", "pdf", *export, "-o", str(tmp_path / "report.pdf"))
    text = _pdf_text(tmp_path / "report.pdf")
    if figures["learners"]:
        said = (
            f"members started {_plural(figures['threads'], 'thread', 'threads')} and wrote "
            f"{_plural(figures['replies'], 'reply', 'replies')}, {figures['peer_replies']:,} of "
            "them from one learner to another; "
            f"{_plural(figures['active_last_7_days'], 'learner was', 'learners were')} active"
        )
        assert said in text
    share = f"{round(100 * figures['share_at_stage_3_or_above'])}% of learners at stage 3"
    assert share in text
    cli("export", "xapi", *export, "-o", str(tmp_path / "statements.json"))
    verbs = Counter(
        s["verb"]["display"]["en-US"]
        for s in json.loads((tmp_path / "statements.json").read_text("utf-8"))
    )
    assert verbs["created"] + verbs["shared"] == figures["threads"]
    assert verbs["replied"] == figures["replies"]

    if case.period is None:
        _check_people(url, case, status["members"], as_of)
        _check_attention(cli, case, as_of)


def _check_people(url: str, case: Case, members: list[dict[str, Any]], as_of: date) -> None:
    """The manager summary of the busiest learners says what their status row says."""
    database = Database(url)
    try:
        with database.read() as session:
            cohort_id = cohorts.find_cohort(session, case.cohort).id
            ids = {
                (r.name, r.email): r.membership_id for r in participation.roster(session, cohort_id)
            }
            busiest = sorted(
                (m for m in members if m["role"] == "learner"),
                key=lambda m: (-m["posts"], m["name"]),
            )[:3]
            for member in busiest:
                summary = manager_summary(session, ids[member["name"], member["email"]], as_of)
                assert summary.as_of == as_of
                counted = (summary.threads, summary.replies, summary.peer_replies, summary.logins)
                expected = (
                    member["threads"],
                    member["replies"],
                    member["peer_replies"],
                    member["logins"],
                )
                assert counted == expected, member["name"]
    finally:
        database.dispose()


def _check_attention(cli: Cli, case: Case, as_of: date) -> None:
    """No reason speaks of a silence or a wait longer than the cohort has lasted."""
    (cohort,) = [c for c in cli.json("cohort", "list") if c["name"] == case.cohort]
    status = cli.json("status", *_judged(case))
    days = [date.fromisoformat(m["last_active"]) for m in status["members"] if m["last_active"]]
    if cohort["start_date"]:
        days.append(date.fromisoformat(cohort["start_date"]))
    lasted = (as_of - min(days)).days if days else 0
    for item in cli.json("attention", *_judged(case)):
        for reason in item["reasons"]:
            if reason["code"] in ("silent", "never_accessed", "reads_not_posting"):
                spoken = [int(n) for n in re.findall(r"(\d+) days?\b", reason["detail"])]
                assert spoken and max(spoken) <= lasted, reason["detail"]
