"""The Moodle Logs report importer: every language, date order and trap the report has."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohortdesk.core.enums import EventKind
from cohortdesk.core.importers import moodle_log
from cohortdesk.core.importers.base import (
    ActivityRecord,
    ImportItem,
    ImportOptions,
    ImportRejectedError,
    PersonKey,
    Skipped,
    SourceFile,
)
from tests.perf.moodle_log_gen import generate_moodle_log

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "moodle_log"
REAL = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "real"
REAL_LOG = REAL / "moodle_log_edify_module3_sp17.csv"
LONDON = ZoneInfo("Europe/London")
EN_HEADER = (
    "Time,User full name,Affected user,Event context,Component,Event name,Description,"
    "Origin,IP address"
)


def _parse(path: Path, **options: object) -> tuple[list[ImportItem], SourceFile]:
    source = SourceFile(path)
    opts = ImportOptions(timezone=LONDON)
    for name, value in options.items():
        setattr(opts, name, value)
    return list(moodle_log.parse(source, opts)), source


def _fixture(name: str, **options: object) -> tuple[list[ImportItem], SourceFile]:
    return _parse(FIXTURES / name, **options)


def _records(items: list[ImportItem]) -> list[ActivityRecord]:
    return [item for item in items if isinstance(item, ActivityRecord)]


def _rejection(path: Path, **options: object) -> ImportRejectedError:
    with pytest.raises(ImportRejectedError) as caught:
        _parse(path, **options)
    return caught.value


def _detect(path: Path) -> bool:
    return moodle_log.detect(path.name, path.read_bytes()[: 64 * 1024])


def _write(tmp_path: Path, lines: list[str], name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


# --- the module's contract ---------------------------------------------------------------


def test_module_constants() -> None:
    assert moodle_log.FORMAT == "moodle-log"
    assert moodle_log.IDENTITY_SOURCE == "moodle"
    assert moodle_log.UNNAMED_LABEL == "Moodle user"


@pytest.mark.parametrize(
    "name",
    [
        "realistic_en_bom.csv",
        "spanish_headers.csv",
        "portuguese_site_log.csv",
        "french_headers.csv",
        "german_headers.csv",
        "old_course_column.csv",
        "pandas_index_column.csv",
        "unknown_language_headers.csv",  # by shape and an English Description
        "cp1252_excel.csv",
        "bare_cr.csv",
    ],
)
def test_detects_the_report_in_any_language(name: str) -> None:
    assert _detect(FIXTURES / name)


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"\xff\xfe\x00garbage",
        b"who,when,kind\r\n1,2024-03-14T09:00:00Z,post\r\n",
        b"id,discussion,parent,userid,userfullname,created,modified,mailed,subject,message\n",
        b"Name,Email,Role\nAna,ana@example.org,learner\n",
        b"a,b,c,d,e,f,g,h,i\n1,2,3,4,5,6,no id here,8,9\n",
    ],
)
def test_does_not_detect_other_files(head: bytes) -> None:
    assert not moodle_log.detect("file.csv", head)


# --- a realistic direct download ----------------------------------------------------------


def test_realistic_download_gives_exactly_its_events() -> None:
    items, source = _fixture("realistic_en_bom.csv")
    assert [
        (item.row, item.kind.value if isinstance(item, ActivityRecord) else item.reason)
        for item in items
        if not (isinstance(item, Skipped) and item.unattributed)
    ] == [
        (2, "duplicate notice of a post"),
        (3, "reply"),
        (4, "view"),
        (5, "view"),
        (6, "view"),  # a double click: two identical rows, two events
        (7, "view"),
        (8, "duplicate notice of a post"),
        (9, "post"),
        (10, "submit"),
        (11, "not participation: User profile viewed"),
        (12, "not participation: Course activity completion updated"),
        (14, "view"),
    ]
    unattributed = [item for item in items if isinstance(item, Skipped) and item.unattributed]
    assert unattributed == [Skipped(13, "names nobody: List Submissions", unattributed=True)]
    assert source.encoding == "utf-8"
    assert "Times were read as day/month/year (d/m/yy)." in source.notes


def test_realistic_download_people_threads_and_times() -> None:
    records = _records(_fixture("realistic_en_bom.csv")[0])
    reply, post = records[0], records[5]
    assert reply.who == PersonKey(source_id="5104", name="Ana Silva")
    assert reply.thread == "301"  # the discussion the post is in
    assert reply.replied_to is None  # the log does not say whom a post answers
    assert post.who == PersonKey(source_id="5105", name="Ben Okafor")
    assert post.kind is EventKind.POST and post.thread == "301"
    assert reply.occurred_at == datetime(2024, 3, 14, 9, 12, 45, tzinfo=LONDON)
    assert reply.occurred_at.astimezone(UTC) == datetime(2024, 3, 14, 9, 12, 45, tzinfo=UTC)
    last = records[-1]
    assert last.occurred_at == datetime(2024, 3, 3, 8, 0, 5, tzinfo=LONDON)  # "3/03/24"
    assert last.who == PersonKey(source_id="5106", name="Chloe Martin")
    assert reply.detail == "Post created: Forum: Introductions"
    assert all(len(record.detail) <= 120 and "\n" not in record.detail for record in records)


def test_identical_rows_get_distinct_keys_and_keys_are_stable() -> None:
    records = _records(_fixture("realistic_en_bom.csv")[0])
    keys = [record.key for record in records]
    assert len(set(keys)) == len(keys)
    assert keys[3] == keys[2] + "#1"  # the double click
    again = _records(_fixture("realistic_en_bom.csv", timezone=ZoneInfo("Asia/Tokyo"))[0])
    assert [record.key for record in again] == keys  # the zone chosen does not change keys


def test_an_overlapping_later_export_gives_the_same_keys(tmp_path: Path) -> None:
    lines = (FIXTURES / "realistic_en_bom.csv").read_text(encoding="utf-8-sig").splitlines()
    newer = (
        '"15/03/24, 10:00:00",Ana Silva,-,Course: FOC,System,Course viewed,'
        "\"The user with id '5104' viewed the course with id '177'.\",web,10.0.0.4"
    )
    overlapping = _write(tmp_path, [lines[0], newer, *lines[4:]])
    first = {
        record.occurred_at: record.key for record in _records(_fixture("realistic_en_bom.csv")[0])
    }
    later = _records(_parse(overlapping)[0])
    assert len(later) == 7
    shared = [record for record in later if record.occurred_at in first]
    assert len(shared) == 6
    full = _records(_fixture("realistic_en_bom.csv")[0])
    assert {record.key for record in shared} <= {record.key for record in full}


def test_keys_ignore_the_language_of_the_export(tmp_path: Path) -> None:
    row = "\"The user with id '42' viewed the course with id '3'.\",web,10.1.1.2"
    english = _write(
        tmp_path,
        [EN_HEADER, f'"6/05/18, 00:47",Jorge Ruiz,-,Course: X,System,Course viewed,{row}'],
        "en.csv",
    )
    spanish = _write(
        tmp_path,
        [
            "Hora,Nombre completo del usuario,Usuario afectado,Contexto del evento,Componente,"
            "Nombre evento,Descripción,Origen,Dirección IP",
            f"6/05/2018 00:47,Jorge Ruiz,-,Curso: X,Sistema,Curso visto,{row}",
        ],
        "es.csv",
    )
    assert _records(_parse(english)[0])[0].key == _records(_parse(spanish)[0])[0].key


# --- languages ---------------------------------------------------------------------------


def test_spanish_headers_dates_and_event_names() -> None:
    items, source = _fixture("spanish_headers.csv")
    records = _records(items)
    assert [(r.kind, r.thread, r.who.source_id) for r in records] == [
        (EventKind.REPLY, "12", "41"),
        (EventKind.POST, "12", "41"),
        (EventKind.VIEW, None, "42"),
    ]
    assert records[0].who.name == "Lucía Fernández"
    assert records[0].occurred_at == datetime(2018, 5, 28, 17, 3, tzinfo=LONDON)
    assert records[2].occurred_at == datetime(2018, 5, 6, 0, 47, tzinfo=LONDON)
    assert records[0].detail == "Mensaje creado: Foro: Presentaciones"
    assert "Times were read as day/month/year (d/m/yyyy)." in source.notes


def test_portuguese_site_log_logins_and_login_as() -> None:
    items, source = _fixture("portuguese_site_log.csv")
    assert items[0] == Skipped(2, "not participation: Usuário logado como outro usuário")
    records = _records(items)
    assert [(r.row, r.kind, r.who) for r in records] == [
        (3, EventKind.VIEW, PersonKey(source_id="57", name="Paulo Souza")),
        (4, EventKind.LOGIN, PersonKey(source_id="57", name="Paulo Souza")),
        (5, EventKind.LOGIN, PersonKey(source_id="58", name="Marta Lima")),
    ]
    assert any("1 row was done by someone logged in as another user" in n for n in source.notes)


@pytest.mark.parametrize(
    ("name", "kind", "who"),
    [
        ("french_headers.csv", EventKind.VIEW, PersonKey(source_id="7", name="Élodie Bernard")),
        ("german_headers.csv", EventKind.REPLY, PersonKey(source_id="8", name="Jürgen Weiß")),
    ],
)
def test_french_and_german_headers(name: str, kind: EventKind, who: PersonKey) -> None:
    items, source = _fixture(name)
    (record,) = _records(items)
    assert (record.kind, record.who) == (kind, who)
    assert record.occurred_at == datetime(2023, 1, 15, 14, 2, 9, tzinfo=LONDON)
    assert not any("position" in note for note in source.notes)


def test_unknown_language_takes_columns_by_position() -> None:
    items, source = _fixture("unknown_language_headers.csv")
    (record,) = _records(items)
    assert record.who == PersonKey(source_id="88", name="Sanne de Vries")
    assert record.detail == "Cursus bekeken: Cursus: FOC"
    assert any("taken by their position" in note for note in source.notes)


def test_old_leading_course_column_and_pandas_index() -> None:
    (old,) = _records(_fixture("old_course_column.csv")[0])
    assert old.who == PersonKey(source_id="5104", name="Ana Silva")
    assert old.occurred_at == datetime(2015, 3, 14, 9, 0, tzinfo=LONDON)
    indexed = _records(_fixture("pandas_index_column.csv")[0])
    assert [r.who.source_id for r in indexed] == ["5104", "5105"]


def test_a_file_that_is_not_a_logs_report_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, ["who,when,kind", "1,2024-03-14T09:00:00Z,post"])
    error = _rejection(path)
    assert error.row == 1
    assert "does not look like a Moodle Logs report" in error.reason
    assert "who, when, kind" in error.reason


# --- dates -------------------------------------------------------------------------------


def test_us_english_month_first_is_found_from_the_values() -> None:
    items, source = _fixture("en_us_month_first.csv")
    records = _records(items)
    assert [r.occurred_at for r in records] == [
        datetime(2017, 6, 27, 5, 54, 3, tzinfo=LONDON),
        datetime(2017, 6, 5, 20, 1, tzinfo=LONDON),
    ]
    assert "Times were read as month/day/year (m/d/yy)." in source.notes


def test_every_date_fitting_both_orders_reads_day_first_and_says_so() -> None:
    items, source = _fixture("ambiguous_dates.csv")
    assert [r.occurred_at.date() for r in _records(items)] == [
        datetime(2017, 6, 5).date(),
        datetime(2017, 6, 4).date(),
    ]
    assert any("could be day/month or month/day" in note for note in source.notes)
    assert any("--time-format '%m/%d/%y, %H:%M'" in note for note in source.notes)


def test_a_time_format_given_settles_an_ambiguous_file() -> None:
    items, source = _fixture("ambiguous_dates.csv", time_format="%m/%d/%y, %H:%M")
    assert [r.occurred_at for r in _records(items)] == [
        datetime(2017, 5, 6, 10, 0, tzinfo=LONDON),
        datetime(2017, 4, 6, 9, 0, tzinfo=LONDON),
    ]
    assert not any("could be day/month" in note for note in source.notes)


def test_a_file_mixing_date_orders_is_refused() -> None:
    error = _rejection(FIXTURES / "mixed_date_order.csv")
    assert error.row == 3
    assert "'06/26/17, 09:00' is not day/month/year" in error.reason
    assert "--time-format" in error.reason


def test_a_time_that_is_not_a_time_is_refused() -> None:
    error = _rejection(FIXTURES / "bad_time.csv")
    assert error.row == 3
    assert "'yesterday'" in error.reason


def test_no_seconds_and_anonymised_names() -> None:
    items, _source = _fixture("no_seconds_anonymised.csv")
    assert items[1] == Skipped(3, "names nobody: Add Submission", unattributed=True)
    records = _records(items)
    assert [r.who for r in records] == [PersonKey(source_id="5104"), PersonKey(source_id="3247")]
    assert records[1].occurred_at == datetime(2017, 6, 3, 3, 50, tzinfo=LONDON)


# --- people ------------------------------------------------------------------------------


def test_login_as_counts_for_the_user_logged_in_as() -> None:
    items, source = _fixture("login_as.csv")
    (created,) = _records(items)
    assert created.who == PersonKey(source_id="5104", name="Ana Silva")
    assert created.kind is EventKind.POST and created.thread == "302"
    assert items[1] == Skipped(3, "not participation: User logged in as another user")
    assert any("1 row was done by someone logged in as another user" in n for n in source.notes)


def test_turnitin_rows_with_a_name_are_kept_under_that_name() -> None:
    items, _source = _fixture("turnitin_with_names.csv")
    assert items[0] == Skipped(2, "not participation: List Submissions")
    (submitted,) = _records(items)
    assert (submitted.row, submitted.kind) == (3, EventKind.SUBMIT)
    assert submitted.who == PersonKey(name="Ana Silva")
    assert items[2] == Skipped(4, "names nobody: Add Submission", unattributed=True)


def test_guest_and_not_logged_in_rows_name_nobody() -> None:
    items, _source = _fixture("not_logged_in_user.csv")
    assert items == [
        Skipped(2, "names nobody: a guest or someone not logged in", unattributed=True),
        Skipped(3, "names nobody: a guest or someone not logged in", unattributed=True),
    ]


def test_the_first_id_in_description_is_the_person(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            EN_HEADER,
            '"14/03/24, 09:00",-,Ben Okafor,Course: FOC,System,User graded,'
            "\"The user with id '77' graded the submission for the user with id '78'.\",web,",
            '"14/03/24, 09:01",-,-,Course: FOC,System,Course viewed,'
            "\"Someone: the user with the id '79' viewed the course with id '3'.\",web,",
        ],
    )
    items, _source = _parse(path)
    assert items[0] == Skipped(2, "not participation: User graded")
    (viewed,) = _records(items)
    assert viewed.who == PersonKey(source_id="79")


# --- bytes and CSV -----------------------------------------------------------------------


def test_excel_resave_in_windows_1252() -> None:
    items, source = _fixture("cp1252_excel.csv")
    records = _records(items)
    assert source.encoding == "cp1252"
    assert records[0].who == PersonKey(source_id="90", name="José Núñez")
    assert records[0].detail == "Course module viewed: Page: What next…"
    assert records[1].detail == "Course viewed: Course:\u00a0FOC"  # 0xA0 read as a no-break space


def test_bare_cr_line_endings() -> None:
    records = _records(_fixture("bare_cr.csv")[0])
    assert [r.who.source_id for r in records] == ["5104", "5105"]


def test_quoted_fields_with_commas_quotes_and_line_breaks() -> None:
    (record,) = _records(_fixture("quoted_fields.csv")[0])
    assert record.who == PersonKey(source_id="5105", name="Okafor, Ben")
    assert record.detail == 'Course module viewed: Page: "Week 1", part 2 reading'


def test_an_unterminated_quote_is_refused() -> None:
    error = _rejection(FIXTURES / "unterminated_quote.csv")
    assert error.row == 2


def test_ragged_rows() -> None:
    items, _source = _fixture("ragged_rows.csv")
    assert _records(items)[0].who == PersonKey(source_id="5104", name="Ana Silva")
    assert items[1] == Skipped(3, "not participation: an unnamed event")


def test_header_only_file_has_no_items(tmp_path: Path) -> None:
    items, _source = _parse(_write(tmp_path, [EN_HEADER]))
    assert items == []


def test_a_long_ambiguous_start_is_settled_by_a_later_row(tmp_path: Path) -> None:
    row = (
        "Course: X,System,Course viewed,"
        "\"The user with id '5' viewed the course with id '3'.\",web,"
    )
    lines = [EN_HEADER]
    lines += [f'"{1 + n % 12}/06/17, 10:00",-,-,{row}' for n in range(6_000)]
    lines.append(f'"6/13/17, 10:00",-,-,{row}')  # month first, settled only here
    items, source = _parse(_write(tmp_path, lines))
    records = _records(items)
    assert len(records) == 6_001
    assert records[0].occurred_at == datetime(2017, 1, 6, 10, 0, tzinfo=LONDON)
    assert "Times were read as month/day/year (m/d/yy)." in source.notes


# --- the real export and the benchmark's generator ---------------------------------------


def test_real_edify_log_gives_exactly_its_facts() -> None:
    if not REAL_LOG.is_file():
        pytest.skip(f"real exports not found at {REAL}")
    items, source = _parse(REAL_LOG)
    assert len(items) == 696
    records = _records(items)
    unattributed = [i for i in items if isinstance(i, Skipped) and i.unattributed]
    assert len(unattributed) == 148
    assert Counter(i.reason for i in unattributed) == {
        "names nobody: List Submissions": 92,
        "names nobody: Add Submission": 56,
    }
    assert len({r.who for r in records}) == 7
    assert all(r.who.name is None and r.who.source_id for r in records)
    assert Counter(r.kind for r in records) == {EventKind.VIEW: 407}  # no posts, no logins
    assert len({r.key for r in records}) == len(records)
    assert records[0].occurred_at == datetime(2017, 6, 27, 5, 54, tzinfo=LONDON)
    assert "Times were read as day/month/year (d/m/yy)." in source.notes


def test_generated_benchmark_log_imports_as_generated(tmp_path: Path) -> None:
    path = tmp_path / "generated.csv"
    facts = generate_moodle_log(path, 3_000, users=40, seed=11)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfTime,User full name")
    items, source = _parse(path)
    assert len(items) == facts.rows == 3_000
    records = _records(items)
    assert Counter(r.kind.value for r in records) == facts.kinds
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert sum(not i.unattributed for i in skipped) == facts.skipped
    assert sum(i.unattributed for i in skipped) == facts.unattributed
    assert {r.who.source_id for r in records} == facts.people
    assert len({r.key for r in records}) == len(records)
    times = [r.occurred_at for r in records]
    assert times == sorted(times, reverse=True)  # newest first
    if facts.logged_as:
        assert any("logged in as another user" in note for note in source.notes)


# --- hostile input -----------------------------------------------------------------------


_CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.one_of(_CELL, st.sampled_from(["14/03/24, 09:00", "3/13/24, 09:00:01", ""])),
            _CELL,
            st.one_of(
                _CELL,
                st.sampled_from(
                    [
                        "The user with id '5' viewed the course with id '3'.",
                        "The user with id '6' has created the post with id '9'.",
                        "The user with id '0' has logged in.",
                        "User submission sent to Turnitin 'x'",
                    ]
                ),
            ),
        ),
        max_size=8,
    )
)
def test_arbitrary_rows_under_a_real_header_are_imported_or_refused(
    tmp_path: Path, rows: list[tuple[str, str, str]]
) -> None:
    path = tmp_path / "rows.csv"
    lines = [EN_HEADER]
    for when, name, description in rows:
        cells = [when, name, "-", "Course", "System", "Event", description, "web", ""]
        lines.append(",".join('"' + c.replace('"', '""') + '"' for c in cells))
    path.write_text("\r\n".join(lines), encoding="utf-8")
    try:
        items = list(moodle_log.parse(SourceFile(path), ImportOptions()))
    except ImportRejectedError:
        return
    for item in items:
        if isinstance(item, ActivityRecord):
            assert item.occurred_at.tzinfo is not None
            assert len(item.detail) <= 120


def test_a_french_report_saved_in_windows_1252_is_known_by_its_header() -> None:
    # The header used to be read as UTF-8 with the accents lost, so "Nom de l'événement"
    # matched nothing and only an English description could tell the report.
    header = (
        "Heure,Nom complet de l'utilisateur,Utilisateur concerné,Contexte de l'événement,"
        "Composant,Nom de l'événement,Description,Origine,Adresse IP"
    )
    row = '"15/01/23, 14:02:09",Élodie Bernard,-,Forum : Présentations,Forum,Vue,-,web,10.3.3.3'
    assert moodle_log.detect("log.csv", f"{header}\r\n{row}\r\n".encode("cp1252"))
