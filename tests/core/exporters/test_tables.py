"""CSV and XLSX read back: one row per member, typed cells, events in a second file or sheet."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from cohortdesk.core.schemas import ExportFormat
from cohortdesk.core.storage.db import Database
from tests.core.exporters.conftest import Sample
from tests.core.exporters.support import run_export


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_has_a_row_per_member_with_the_counts(
    db: Database, sample: Sample, tmp_path: Path
) -> None:
    result = run_export(db, sample.cohort_id, ExportFormat.CSV, tmp_path / "records.csv")
    assert result.files == (tmp_path / "records.csv",)
    assert (tmp_path / "records.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel: UTF-8
    rows = {row["Name"]: row for row in _csv(tmp_path / "records.csv")}
    assert list(rows) == ["Ann Archer", "Ben Brook", "Cara Colé", "Dev Dunn", "Fay Fox"]
    ann = rows["Ann Archer"]
    assert ann["Email"] == "ann.archer@example.org"
    assert (ann["Role"], ann["Stage"], ann["Access"]) == ("learner", "1", "accessed")
    # her post and the link she shared: a message sharing a file or link counts as a post
    assert (ann["Logins"], ann["Threads started"], ann["Replies"], ann["Peer replies"]) == (
        "1",
        "2",
        "2",
        "1",
    )
    assert (ann["First active"], ann["Last active"]) == ("2025-03-03", "2025-03-09")
    assert ann["Latest motivation"] == "2"
    ben = rows["Ben Brook"]
    assert (ben["Nudges received"], ben["Nudges answered"]) == ("1", "1")
    assert rows["Cara Colé"]["Access"] == "problem"
    assert rows["Cara Colé"]["Last active"] == ""
    assert not (tmp_path / "records-events.csv").exists()


def test_csv_events_go_to_a_second_file(db: Database, sample: Sample, tmp_path: Path) -> None:
    result = run_export(
        db, sample.cohort_id, ExportFormat.CSV, tmp_path / "records.csv", with_events=True
    )
    events_file = tmp_path / "records-events.csv"
    assert result.files == (tmp_path / "records.csv", events_file)
    events = _csv(events_file)
    assert len(events) == result.events == 16
    first = events[0]
    assert first["When (Europe/London)"] == "2025-03-03T08:00:00+00:00"
    assert (first["Member"], first["Kind"], first["Thread"]) == ("Fay Fox", "post", "Welcome")
    late = [e for e in events if e["Member"] == "Dev Dunn"]
    assert late[0]["When (Europe/London)"] == "2025-06-02T00:30:00+01:00"
    reply = next(e for e in events if e["Kind"] == "reply")
    assert (reply["Replied to"], reply["Words"]) == ("Ann Archer", "40")


def test_xlsx_cells_are_typed_with_a_bold_frozen_header(
    db: Database, sample: Sample, tmp_path: Path
) -> None:
    path = tmp_path / "records.xlsx"
    run_export(db, sample.cohort_id, ExportFormat.XLSX, path, with_events=True)
    book = load_workbook(path)
    assert book.sheetnames == ["Members", "Events", "About"]
    members = book["Members"]
    header = [c.value for c in members[1]]
    assert header[:3] == ["Name", "Email", "Role"]
    assert all(c.font.bold for c in members[1])
    assert members.freeze_panes == "A2"
    assert members.column_dimensions["A"].width >= 20
    rows = {row[0].value: row for row in members.iter_rows(min_row=2)}
    ann = dict(zip(header, rows["Ann Archer"], strict=True))
    assert ann["Logins"].value == 1 and ann["Logins"].data_type == "n"
    assert ann["Stage"].value == 1
    assert isinstance(ann["First active"].value, datetime)  # openpyxl reads dates as datetimes
    assert ann["First active"].is_date and ann["First active"].value.date() == date(2025, 3, 3)
    assert ann["Joined"].number_format == "yyyy-mm-dd"
    cara = {h: c.value for h, c in zip(header, rows["Cara Colé"], strict=True)}
    assert cara["Last active"] is None and cara["Latest motivation"] is None

    events = book["Events"]
    assert events.freeze_panes == "A2"
    times = [row[0].value for row in events.iter_rows(min_row=2)]
    assert len(times) == 16 and all(isinstance(t, datetime) for t in times)
    assert times[0] == datetime(2025, 3, 3, 8, 0)  # local time (GMT in March)
    assert datetime(2025, 6, 2, 0, 30) in times  # local time (BST in June)
    about = {row[0].value: row[1].value for row in book["About"].iter_rows(min_row=2)}
    assert about["Cohort"] == "Spring cohort"
    assert about["Pseudonymised"] == "no"
    assert about["Events in the period"] == 16


def test_xlsx_without_events_has_no_events_sheet(
    db: Database, sample: Sample, tmp_path: Path
) -> None:
    path = tmp_path / "records.xlsx"
    result = run_export(db, sample.cohort_id, ExportFormat.XLSX, path, include_inactive=False)
    assert load_workbook(path).sheetnames == ["Members", "About"]
    assert (result.members, result.events) == (4, 0)
