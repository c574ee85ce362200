"""No exported cell can run: text that looks like a formula stays text (CSV and XLSX)."""

from __future__ import annotations

import csv
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from cohortdesk.core.enums import EventKind, Role
from cohortdesk.core.exporters.csv_export import cell_text
from cohortdesk.core.exporters.tabular import FORMULA_STARTS, Column
from cohortdesk.core.exporters.xlsx_export import _sheet
from cohortdesk.core.schemas import EventInput, ExportFormat, MemberInput
from cohortdesk.core.services.people import members, tracking
from cohortdesk.core.storage.db import Database
from tests.core.builders import make_cohort
from tests.core.exporters.support import run_export

risky_text = st.builds(
    lambda start, rest: start + rest,
    st.sampled_from([*FORMULA_STARTS, "'", " ", "a", "1", "\n"]),
    st.text(
        alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
        max_size=30,
    ),
)


def _evaluable(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


@given(risky_text)
def test_csv_cells_never_start_like_a_formula(text: str) -> None:
    written = cell_text(text)
    assert not _evaluable(written)
    assert written == text or written == "'" + text


@settings(max_examples=40, deadline=None)
@given(st.lists(risky_text, min_size=1, max_size=5))
def test_xlsx_text_cells_are_strings_never_formulas(tmp_path_factory, texts: list[str]) -> None:
    path = tmp_path_factory.mktemp("xlsx") / "cells.xlsx"
    book = Workbook(write_only=True)
    _sheet(book, "Cells", [Column("Text", 20, lambda t: t)], texts)
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    cells = [row[0] for row in load_workbook(path)["Cells"].iter_rows(min_row=2)]
    for cell, text in zip(cells, texts, strict=True):
        assert cell.data_type == "s"
        if _evaluable(text):
            assert cell.quotePrefix


def test_a_hostile_cohort_exports_without_a_single_formula(db: Database, tmp_path: Path) -> None:
    with db.write() as session:
        cohort = make_cohort(session, "=cmd|' /C calc'!A0")
        hostile = members.add_member(
            session,
            cohort.id,
            MemberInput(full_name='=HYPERLINK("http://evil.example","click")', role=Role.LEARNER),
        ).value
        other = members.add_member(session, cohort.id, MemberInput(full_name="+1-2")).value
        tracking.add_event(
            session,
            hostile,
            EventInput(
                kind=EventKind.POST,
                occurred_at=datetime(2025, 3, 3, tzinfo=UTC),
                thread="@SUM(1+1)*cmd|' /C calc'!A0",
                detail="-2+3+cmd|' /C calc'!A0",
            ),
        )
        tracking.add_event(
            session,
            other,
            EventInput(
                kind=EventKind.LOGIN,
                occurred_at=datetime(2025, 3, 4, tzinfo=UTC),
                detail="\t=1+1",
            ),
        )
    run_export(db, cohort.id, ExportFormat.CSV, tmp_path / "h.csv", with_events=True)
    run_export(db, cohort.id, ExportFormat.XLSX, tmp_path / "h.xlsx", with_events=True)
    for name in ("h.csv", "h-events.csv"):
        with (tmp_path / name).open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                assert not any(_evaluable(cell) for cell in row), row
    with zipfile.ZipFile(tmp_path / "h.xlsx") as archive:
        for item in archive.namelist():
            if item.startswith("xl/worksheets/"):
                xml = archive.read(item).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml
    book = load_workbook(tmp_path / "h.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
    names = [row[0].value for row in book["Members"].iter_rows(min_row=2)]
    assert '=HYPERLINK("http://evil.example","click")' in names
