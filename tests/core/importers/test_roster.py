"""The roster importer: people from CSV files and Excel workbooks, and every trap they hold."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from cohortdesk.core.enums import Role
from cohortdesk.core.importers import roster
from cohortdesk.core.importers.base import (
    ImportItem,
    ImportOptions,
    ImportRejectedError,
    PersonKey,
    PersonRecord,
    SourceFile,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "roster"
REAL = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "real"


def _parse(
    path: Path, options: ImportOptions | None = None
) -> tuple[list[PersonRecord], SourceFile]:
    source = SourceFile(path)
    items: list[ImportItem] = list(roster.parse(source, options or ImportOptions()))
    people = [item for item in items if isinstance(item, PersonRecord)]
    assert len(people) == len(items), "a roster yields only PersonRecords"
    return people, source


def _fixture(name: str) -> tuple[list[PersonRecord], SourceFile]:
    return _parse(FIXTURES / name)


def _rejection(path: Path, options: ImportOptions | None = None) -> ImportRejectedError:
    with pytest.raises(ImportRejectedError) as caught:
        _parse(path, options)
    return caught.value


def _detect(path: Path) -> bool:
    return roster.detect(path.name, path.read_bytes()[: 64 * 1024])


# --- the module's contract ---------------------------------------------------------------


def test_module_constants() -> None:
    assert roster.FORMAT == "roster"
    assert roster.IDENTITY_SOURCE == "external"
    assert roster.UNNAMED_LABEL == "Participant"


# --- CSV fixtures ------------------------------------------------------------------------


def test_realistic_roster_reads_every_column() -> None:
    people, source = _fixture("realistic_cohort.csv")
    assert source.encoding == "utf-8"
    assert people == [
        PersonRecord(
            row=2,
            who=PersonKey(source_id="asmith", email="ann@example.org", name="Ann Smith"),
            role=Role.LEARNER,
            expertise="assessment, rubrics",
            identities=(("moodle", "5104"), ("slack", "U01ANN")),
        ),
        PersonRecord(
            row=3,
            who=PersonKey("bdiaz", "bruno.diaz@escuela.example.es", "Bruno Díaz"),
            role=Role.LEARNER,
            expertise="Flipped classroom",
            identities=(("moodle", "5105"),),
        ),
        PersonRecord(
            row=4,
            who=PersonKey("wchen", "wei.chen@example.org", "Chen, Wei"),
            role=Role.FACILITATOR,
            expertise='Moderation; "weaving" threads',
            identities=(("moodle", "5106"), ("slack", "U01WEI")),
        ),
        PersonRecord(
            row=5,
            who=PersonKey("doneill", "dara@example.org", "Dara O'Neill"),
            role=Role.MANAGER,
            expertise="",
        ),
        PersonRecord(
            row=6,
            who=PersonKey("emartin", "eve@example.org", "Eve Martin"),
            role=Role.FACILITATOR,
            identities=(("moodle", "5108"),),
        ),
        PersonRecord(
            row=7,
            who=PersonKey("fade", "FEMI@Example.org", "Femi Ade"),
            role=Role.MENTOR,
            expertise="Leadership",
            identities=(("moodle", "5109"), ("slack", "U01FEM")),
        ),
    ]
    assert source.notes == [
        "Columns read: Full name (name), Email address (email), Role (role), "
        "Moodle user id (Moodle id), Slack ID (Slack id), Username (id), Expertise (expertise)."
    ]


def test_bom_is_not_part_of_the_first_header() -> None:
    people, source = _fixture("bom_utf8.csv")
    assert source.encoding == "utf-8"
    assert [p.who for p in people] == [PersonKey(email="zoe@example.org", name="Zoë Kraus")]


def test_cp1252_excel_resave_keeps_ellipsis_and_drops_no_break_spaces() -> None:
    people, source = _fixture("cp1252_excel_resave.csv")
    assert source.encoding == "cp1252"
    assert [(p.who.name, p.who.email, p.expertise) for p in people] == [
        ("José Martín", "jose@example.org", "Maths… and more"),
        ("Françoise Guérin", "francoise@example.org", "Café pedagogy"),
    ]


def test_semicolon_delimited_french_prenom_and_nom_are_joined() -> None:
    people, _ = _fixture("semicolon_european.csv")
    assert [(p.who.name, p.who.email, p.role, p.expertise) for p in people] == [
        ("Élodie Lefèvre", "elodie@example.fr", Role.LEARNER, "Évaluation, portfolios"),
        ("Marc Dubois", "marc@example.fr", Role.FACILITATOR, "Animation"),
    ]


def test_first_and_last_name_are_joined_and_either_may_be_missing() -> None:
    people, _ = _fixture("first_last_name.csv")
    assert [p.who for p in people] == [
        PersonKey(source_id="1001", email="ann@example.org", name="Ann Smith"),
        PersonKey(source_id="1002", name="Jones"),
        PersonKey(source_id="1003", name="Cher"),
    ]


def test_spanish_nombre_is_a_first_name_beside_apellidos() -> None:
    people, _ = _fixture("nombre_apellidos_es.csv")
    assert [(p.who.name, p.role) for p in people] == [
        ("Lucía García López", Role.LEARNER),
        ("Andrés Pérez", Role.FACILITATOR),
    ]


def test_pandas_index_column_is_ignored() -> None:
    people, _ = _fixture("pandas_index_column.csv")
    assert [(p.row, p.who, p.role) for p in people] == [
        (2, PersonKey(email="ann@example.org", name="Ann Smith"), Role.LEARNER),
        (3, PersonKey(email="bob@example.org", name="Bob Lee"), Role.MENTOR),
    ]


def test_null_cells_leading_spaces_and_bare_cr() -> None:
    people, source = _fixture("null_values_bare_cr.csv")
    assert [(p.row, p.who, p.role) for p in people] == [
        (2, PersonKey(source_id="1"), None),
        (3, PersonKey(source_id="2"), None),
        (4, PersonKey(source_id="3"), None),
        (5, PersonKey(source_id="44"), Role.FACILITATOR),
    ]
    # "role1" is not a role column: its values are jobs, not cohort roles
    assert "Not used: role1, location, region." in source.notes[0]


def test_ids_written_as_floats_lose_the_point_zero() -> None:
    people, _ = _fixture("ids_as_floats.csv")
    assert [(p.who.source_id, p.identities) for p in people] == [
        ("17", (("moodle", "5104"),)),
        ("18", (("moodle", "5105"),)),
    ]


def test_title_rows_above_the_header_are_skipped() -> None:
    people, _ = _fixture("title_above_header.csv")
    assert [(p.row, p.who) for p in people] == [
        (4, PersonKey(email="ann@example.org", name="Ann Smith"))
    ]


def test_header_only_yields_nobody_and_says_so() -> None:
    people, source = _fixture("header_only.csv")
    assert people == []
    assert "The roster has a header but nobody under it." in source.notes


# --- rejections --------------------------------------------------------------------------


def test_unknown_role_names_the_row_the_value_and_the_accepted_words() -> None:
    error = _rejection(FIXTURES / "unknown_role.csv")
    assert error.row == 3
    assert "unknown role 'wizard'" in error.reason
    assert "facilitator (teacher, tutor, facilitator, e-moderator" in error.reason
    assert "manager (manager, line manager, sponsor, observer)" in error.reason


def test_row_without_name_email_or_id_is_rejected() -> None:
    error = _rejection(FIXTURES / "missing_identity.csv")
    assert error.row == 3
    assert error.reason == (
        "the row has no name, email or id (a Moodle or Slack id alone is not enough)"
    )


def test_malformed_email_is_rejected_with_the_value() -> None:
    error = _rejection(FIXTURES / "bad_email.csv")
    assert (error.row, error.reason) == (3, "'bob@@example.org' is not an email address")


def test_the_same_person_twice_names_both_rows() -> None:
    error = _rejection(FIXTURES / "duplicate_person.csv")
    assert str(error) == "duplicate_person.csv: row 7: repeats row 3: Ann@Example.org"
    assert error.row == 7


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("Name,UID,Slack ID\nAnn,1,U1\nBob,2,U2\nCarl,3,U1\n", encoding="utf-8")
    error = _rejection(path)
    assert (error.row, error.reason) == (4, "repeats row 2: Slack ID U1")
    path.write_text("Name,UID\nAnn,1\nBob,1.0\n", encoding="utf-8")
    error = _rejection(path)
    assert (error.row, error.reason) == (3, "repeats row 2: id 1")


def test_repeated_name_without_email_or_id_is_kept_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("Name,Role\nAnn Smith,student\nAnn  Smith,student\n", encoding="utf-8")
    people, source = _parse(path)
    assert [p.who.name for p in people] == ["Ann Smith", "Ann Smith"]
    assert source.notes[-1] == (
        "1 row repeats a name with no email or id: they are taken as the same person."
    )


def test_no_identity_column_names_the_headers_found_and_expected() -> None:
    error = _rejection(FIXTURES / "no_identity_columns.csv")
    assert error.row is None
    assert error.reason.startswith(
        "no name, email or id column: found Role, Expertise, Region; expected one of Name"
    )
    assert "First name + Last name" in error.reason


def test_invalid_facilitator_flag_is_rejected() -> None:
    error = _rejection(FIXTURES / "invalid_facilitator_flag.csv")
    assert error.row == 3
    assert "'Jane Doe'" in error.reason


def test_unterminated_quote_is_rejected_not_swallowed() -> None:
    error = _rejection(FIXTURES / "unterminated_quote.csv")
    assert error.row == 3
    assert "unterminated quote" in error.reason


def test_oversized_file_is_refused_before_parsing() -> None:
    error = _rejection(FIXTURES / "realistic_cohort.csv", ImportOptions(max_bytes=100))
    assert error.row is None
    assert "limit" in error.reason


# --- roles -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "role"),
    [
        ("Student", Role.LEARNER),
        ("participants", Role.LEARNER),
        ("Trainee", Role.LEARNER),
        ("E-moderator", Role.FACILITATOR),
        ("Non-editing teacher", Role.FACILITATOR),
        ("INSTRUCTOR", Role.FACILITATOR),
        ("Coach", Role.MENTOR),
        ("Line Manager", Role.MANAGER),
        ("Observer", Role.MANAGER),
        ("Sponsor", Role.MANAGER),
        ("Student; Mentor", Role.MENTOR),
        ("NULL", None),
        ("", None),
    ],
)
def test_role_words(tmp_path: Path, written: str, role: Role | None) -> None:
    path = tmp_path / "roles.csv"
    path.write_text(f'Name,Participant role\nAnn,"{written}"\n', encoding="utf-8")
    people, _ = _parse(path)
    assert [p.role for p in people] == [role]


@pytest.mark.parametrize(
    ("flag", "role"),
    [
        ("1", Role.FACILITATOR),
        ("Yes", Role.FACILITATOR),
        ("true", Role.FACILITATOR),
        ("0", Role.MENTOR),
        ("no", Role.MENTOR),
        ("FALSE", Role.MENTOR),
        ("N/A", Role.MENTOR),
    ],
)
def test_facilitator_flag_overrides_the_role_column(tmp_path: Path, flag: str, role: Role) -> None:
    path = tmp_path / "flag.csv"
    path.write_text(f"Email,Role,Facilitator\nann@example.org,mentor,{flag}\n", encoding="utf-8")
    people, _ = _parse(path)
    assert [p.role for p in people] == [role]


# --- XLSX --------------------------------------------------------------------------------


def _workbook(path: Path) -> Path:
    """Two sheets: notes without a header, then a titled roster with numbers, dates, a formula."""
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Notes"
    notes["A1"] = "Exported for the spring cohort"
    people = book.create_sheet("People")
    people.append(["Spring cohort roster"])
    people.append([])
    people.append(
        ["Name", "Email", "Moodle ID", "ID", "Role", "Joined", "Expertise", "Facilitator"]
    )
    people.append(["Ann Smith", "ann@example.org", 5104.0, 17, "Student", datetime(2024, 3, 4),
                   "=HYPERLINK(\"http://evil.example\",\"x\")", 0])  # fmt: skip
    people.append(["  Bob Lee", None, 5105, 18.0, "Tutor", date(2024, 3, 5), datetime(2024, 1, 2),
                   False])  # fmt: skip
    people.append([])
    people.append(["Cy Young", "cy@example.org", None, None, None, None, 3.5, True])
    book.save(path)
    return path


def test_xlsx_reads_the_first_sheet_with_a_header(tmp_path: Path) -> None:
    people, source = _parse(_workbook(tmp_path / "roster.xlsx"))
    assert people == [
        PersonRecord(
            row=4,
            who=PersonKey(source_id="17", email="ann@example.org", name="Ann Smith"),
            role=Role.LEARNER,
            expertise="",  # a formula: never evaluated, and it has no saved value
            identities=(("moodle", "5104"),),
        ),
        PersonRecord(
            row=5,
            who=PersonKey(source_id="18", name="Bob Lee"),
            role=Role.FACILITATOR,
            expertise="2024-01-02",
            identities=(("moodle", "5105"),),
        ),
        PersonRecord(
            row=7,
            who=PersonKey(email="cy@example.org", name="Cy Young"),
            role=Role.FACILITATOR,
            expertise="3.5",
        ),
    ]
    assert source.encoding is None
    assert source.notes[0] == "Read the sheet 'People': earlier sheets list nobody."


def test_xlsx_content_wins_over_the_file_name(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "roster.xlsx").rename(tmp_path / "roster.dat")
    people, _ = _parse(path)
    assert len(people) == 3


def test_xlsx_without_a_roster_header_names_what_it_found(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Region", "Score"])
    sheet.append(["South", 3])
    path = tmp_path / "scores.xlsx"
    book.save(path)
    error = _rejection(path)
    assert error.reason.startswith("no name, email or id column: found Region, Score;")


def test_encrypted_workbook_is_rejected_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "protected.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    error = _rejection(path)
    assert "encrypted (password-protected) workbook" in error.reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"PK\x03\x04" + b"garbage" * 20, "not a readable Excel workbook (the file is damaged)"),
        (None, "this zip file is not an Excel workbook"),
    ],
)
def test_corrupt_workbook_is_rejected(tmp_path: Path, content: bytes | None, reason: str) -> None:
    path = tmp_path / "broken.xlsx"
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")
    else:
        path.write_bytes(content)
    error = _rejection(path)
    assert error.reason == reason


def test_workbook_with_damaged_parts_is_rejected(tmp_path: Path) -> None:
    good = _workbook(tmp_path / "good.xlsx")
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]  # cut the sheet XML mid-element
            target.writestr(member, data)
    error = _rejection(path)
    assert error.reason.startswith("cannot read the sheet 'Notes' (")


def test_workbook_that_unpacks_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "roster.xlsx")
    size = path.stat().st_size
    error = _rejection(path, ImportOptions(max_bytes=size + 10))
    assert "unpacks to" in error.reason


# --- detection ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("realistic_cohort.csv", True),
        ("bom_utf8.csv", True),
        ("cp1252_excel_resave.csv", True),
        ("semicolon_european.csv", True),
        ("pandas_index_column.csv", True),
        ("null_values_bare_cr.csv", True),
        ("no_identity_columns.csv", False),
    ],
)
def test_detect_fixtures(name: str, expected: bool) -> None:
    assert _detect(FIXTURES / name) is expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"Sender,Receiver,Timestamp,Discussion ID\r", False),
        (b"Time,User full name,Affected user,Event context,Component,Event name\n", False),
        (b"Name,Email,Date\n", False),
        (b"id,discussion,parent,userid,userfullname,created,modified\n", False),
        (b"Name,Expertise\n", False),
        (b"Name,Role\n", True),
        (b"", False),
        (b"\x00\x01\x02Name,Email", False),
        (b"PK\x03\x04rest", False),
    ],
)
def test_detect_heads(head: bytes, expected: bool) -> None:
    assert roster.detect("people.csv", head) is expected


def test_detect_workbook_by_name_and_zip_head(tmp_path: Path) -> None:
    head = _workbook(tmp_path / "roster.xlsx").read_bytes()[:64]
    assert roster.detect("Roster.XLSX", head)
    assert not roster.detect("export.zip", head)


# --- the real MOOC-Ed participants file --------------------------------------------------


def test_real_mooced_nodes() -> None:
    path = REAL / "mooced_dlt1_nodes.csv"
    if not path.exists():
        pytest.skip("the shared real fixtures are not beside this checkout")
    people, source = _parse(path)
    assert len(people) == 445
    assert {p.who.name for p in people} == {None}
    assert {p.who.email for p in people} == {None}
    assert [p.who.source_id for p in people] == [str(n) for n in range(1, 446)]
    assert Counter(p.role for p in people) == {None: 443, Role.FACILITATOR: 2}
    assert [p.who.source_id for p in people if p.role is Role.FACILITATOR] == ["444", "445"]
    assert people[-1].row == 446
    assert _detect(path)
    assert source.notes[0].startswith("Columns read: UID (id), Facilitator (facilitator flag).")


def test_real_activity_files_are_not_rosters() -> None:
    for name in ("mooced_dlt1_edgelist.csv", "moodle_log_edify_module3_sp17.csv"):
        path = REAL / name
        if not path.exists():
            pytest.skip("the shared real fixtures are not beside this checkout")
        assert not _detect(path)


# --- properties --------------------------------------------------------------------------


def _parse_or_reject(path: Path) -> None:
    try:
        for item in roster.parse(SourceFile(path), ImportOptions()):
            assert isinstance(item, PersonRecord)
    except ImportRejectedError:
        pass


_SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


_CELL = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["NULL", "N/A", "-", "student", "tutor", "1", "0", "a@b.co", "5104.0"]),
)


@_SETTINGS
@given(rows=st.lists(st.lists(_CELL, min_size=0, max_size=8), max_size=12))
def test_arbitrary_cells_under_a_roster_header(tmp_path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Name", "Email", "Role", "UID", "Facilitator", "Moodle ID", "Skills"])
    writer.writerows(rows)
    path = tmp_path / "cells.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    _parse_or_reject(path)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.lists(
        st.one_of(
            st.none(),
            st.integers(),
            st.floats(allow_nan=True, allow_infinity=True),
            st.booleans(),
            st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
            st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=15),
        ),
        max_size=6,
    )
)
def test_arbitrary_workbook_cells(tmp_path: Path, cells: list[object]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "Email", "ID", "Role", "Facilitator", "Expertise"])
    sheet.append(cells)
    path = tmp_path / "cells.xlsx"
    book.save(path)
    _parse_or_reject(path)
