"""The columnar roster reading gives the same answers as the row-by-row one it replaced: on
every CSV and workbook fixture, on the real MOOC nodes file, and on generated rosters."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.core.importers.differential import CSV_FIXTURES, FIXTURES
from tests.core.importers.differential import same as _same

FORMAT = "roster"
WORKBOOKS = sorted(FIXTURES.glob("**/*.xlsx"))


@pytest.mark.parametrize("path", CSV_FIXTURES + WORKBOOKS, ids=lambda path: path.name)
def test_every_fixture_gives_the_same_answers(path: Path, tmp_path: Path) -> None:
    _same(tmp_path, path, FORMAT)


def test_the_real_nodes_file_gives_the_same_answers(real_fixtures: Path, tmp_path: Path) -> None:
    _same(tmp_path, real_fixtures / "mooced_dlt1_nodes.csv", FORMAT)


def test_a_file_read_partly_by_each_reader_gives_the_same_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small blocks: the rows after a quoted line break are read by the csv module."""
    from cohortdesk.core.importers import columnar

    monkeypatch.setattr(columnar, "BLOCK_BYTES", 120)
    lines = ["Name,Email,ID,Role,Expertise"]
    lines += [f"Person {i},p{i}@example.org,{i}.0,Student,topic {i % 3}" for i in range(40)]
    lines.insert(20, 'Ann Lee,ann@example.org,900,Tutor,"two\nlines"')
    lines.insert(30, "")
    path = tmp_path / "roster.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _same(tmp_path, path, FORMAT)


def test_a_workbook_gives_the_same_answers(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Spring cohort"])
    sheet.append(["Name", "Email", "Moodle ID", "Role", "Facilitator", "Skills", "Interests"])
    sheet.append(["Ann Smith", "ann@example.org", 5104.0, "Student", 0, "maths", None])
    sheet.append(["  Bob  Lee", None, 5105, "Tutor, student", False, None, "art"])
    sheet.append([])
    sheet.append(["Cy Young", "CY@example.org", None, None, True, "x", "y"])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    _same(tmp_path, path, FORMAT)


_NAMES = st.sampled_from(["Ann Lee", "ann lee", "Ben  Okafor", "Zoë Ñandú", "", "NULL", "-"])
_EMAILS = st.sampled_from(
    ["", "p{i}@example.org", "P{i}@Example.org"] * 6
    + ["ann@example.org", "ANN@example.org", "N/A", "not-an-email"]
)
_IDS = st.sampled_from(["", "", "{i}", "{i}.0", "u_{i}"] * 4 + ["17", "17.0", "#N/A"])
#: values that refuse a file are rare, so most generated rosters are imported
_ROLES = st.sampled_from(["", "Student", "Tutor", "teacher, student", "Mentor"] * 4 + ["chef"])
_FLAGS = st.sampled_from(["", "", "1", "no", "Yes"] * 4 + ["maybe"])
_ROW = st.tuples(_NAMES, _EMAILS, _IDS, _IDS, _ROLES, _FLAGS, _NAMES, st.booleans())


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(_ROW, min_size=0, max_size=25),
    title=st.booleans(),
    split_name=st.booleans(),
    crlf=st.booleans(),
)
def test_generated_rosters_give_the_same_answers(
    tmp_path: Path,
    rows: list[tuple[str, str, str, str, str, str, str, bool]],
    title: bool,
    split_name: bool,
    crlf: bool,
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    if title:
        writer.writerow(["Cohort list, spring"])
    names = ["First name", "Last name"] if split_name else ["Full name"]
    writer.writerow([*names, "Email", "ID", "Moodle ID", "Role", "Facilitator", "Skills", "Topics"])
    for index, (name, email, uid, moodle, role, flag, skills, blank_before) in enumerate(rows):
        if blank_before:
            out.write("\r\n" if crlf else "\n")
        cells = name.split(" ", 1) if split_name else [name]
        cells += [""] * (len(names) - len(cells))
        uid, moodle, email = (text.format(i=index) for text in (uid, moodle, email))
        writer.writerow([*cells, email, uid, moodle, role, flag, skills, "x" if uid else ""])
    path = tmp_path / "generated.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    _same(tmp_path, path, FORMAT)
