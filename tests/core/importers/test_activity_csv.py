"""The generic activity CSV importer: mappings, kinds, people, time formats and every trap."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohortdesk.core.enums import EventKind
from cohortdesk.core.errors import KnownError
from cohortdesk.core.importers import activity_csv
from cohortdesk.core.importers.activity_csv import kind_for, parse_mapping, person_key
from cohortdesk.core.importers.base import (
    ActivityRecord,
    ImportItem,
    ImportOptions,
    ImportRejectedError,
    PersonKey,
    Skipped,
    SourceFile,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "activity_csv"
REAL = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "real"
MADRID = ZoneInfo("Europe/Madrid")
SIMPLE = {"who": "who", "when": "when", "kind": "kind"}


def _parse(
    path: Path,
    mapping: dict[str, str] | None = None,
    **options: object,
) -> tuple[list[ImportItem], SourceFile]:
    source = SourceFile(path)
    opts = ImportOptions(timezone=MADRID, mapping=SIMPLE if mapping is None else mapping)
    for name, value in options.items():
        setattr(opts, name, value)
    return list(activity_csv.parse(source, opts)), source


def _fixture(
    name: str, mapping: dict[str, str] | None = None, **options: object
) -> tuple[list[ImportItem], SourceFile]:
    return _parse(FIXTURES / name, mapping, **options)


def _records(items: list[ImportItem]) -> list[ActivityRecord]:
    return [item for item in items if isinstance(item, ActivityRecord)]


def _rejection(
    path: Path, mapping: dict[str, str] | None = None, **options: object
) -> ImportRejectedError:
    with pytest.raises(ImportRejectedError) as caught:
        _parse(path, mapping, **options)
    return caught.value


def _write(tmp_path: Path, text: str, name: str = "activity.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


# --- the module's contract ---------------------------------------------------------------


def test_module_constants_and_detection() -> None:
    assert activity_csv.FORMAT == "activity-csv"
    assert activity_csv.IDENTITY_SOURCE == "external"
    assert activity_csv.UNNAMED_LABEL == "Participant"
    head = (FIXTURES / "realistic_forum_export.csv").read_bytes()
    assert activity_csv.detect("realistic_forum_export.csv", head) is False


# --- the command-line mapping -------------------------------------------------------------


def test_parse_mapping_reads_every_key() -> None:
    assert parse_mapping(
        'who=Sender, when=Timestamp ,kind=3,replied-to=Receiver,thread="Discussion ID"'
    ) == {
        "who": "Sender",
        "when": "Timestamp",
        "kind": "3",
        "replied_to": "Receiver",
        "thread": "Discussion ID",
    }
    assert parse_mapping("WHO=a,When=b,reply_to=c,") == {"who": "a", "when": "b", "replied_to": "c"}
    assert parse_mapping("who=a,when=b,thread='Topic, week'") == {
        "who": "a",
        "when": "b",
        "thread": "Topic, week",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("who=a,when=b,author=c", "Unknown mapping key 'author': use who, when, kind"),
        ("who=a", "The mapping needs when"),
        ("kind=post", "The mapping needs who and when"),
        ("", "The mapping needs who and when"),
        ("who=a,when", "Mapping part 'when' has no '='"),
        ("who=a,when=b,who=c", "The mapping gives 'who' twice"),
        ("who=a,when=", "The mapping gives no column for 'when'"),
        ('who=a,when="b', "unclosed quote"),
    ],
)
def test_parse_mapping_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(KnownError) as caught:
        parse_mapping(text)
    assert message in str(caught.value)


# --- kinds and people --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("reply", EventKind.REPLY),
        ("Comment", EventKind.REPLY),
        ("ANSWER", EventKind.REPLY),
        ("thread", EventKind.POST),
        ("Topic", EventKind.POST),
        ("new topic", EventKind.POST),
        ("like", EventKind.REACTION),
        ("visit", EventKind.VIEW),
        ("open", EventKind.VIEW),
        ("page-view", EventKind.VIEW),
        ("log in", EventKind.LOGIN),
        ("login", EventKind.LOGIN),
        ("shared", EventKind.SHARE),
        ("attended", EventKind.ATTEND),
        ("Submission", EventKind.SUBMIT),
        ("edited", None),
        ("", None),
    ],
)
def test_kind_words(word: str, kind: EventKind | None) -> None:
    assert kind_for(word) is kind


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Ana.Silva@Example.org", PersonKey(email="ana.silva@example.org")),
        ("444", PersonKey(source_id="444")),
        ("U024BE7LH", PersonKey(source_id="U024BE7LH")),
        ("user_ana", PersonKey(source_id="user_ana")),
        (" Ben   Okafor ", PersonKey(name="Ben Okafor")),
        ("Ana", PersonKey(name="Ana")),
        ("Agent 007", PersonKey(name="Agent 007")),
    ],
)
def test_person_keys(text: str, key: PersonKey) -> None:
    assert person_key(text) == key


# --- fixtures, one per trap --------------------------------------------------------------


def test_realistic_export_with_emails_ids_names_and_kind_words() -> None:
    mapping = {
        "who": "author",
        "when": "POSTED AT",
        "kind": "Action",
        "replied_to": "in_reply_to",
        "thread": "Topic",
    }
    items, source = _fixture("realistic_forum_export.csv", mapping)
    ana = PersonKey(email="ana.silva@example.org")
    ben = PersonKey(name="Ben Okafor")
    slack = PersonKey(source_id="U024BE7LH")
    assert [(r.row, r.who, r.kind, r.replied_to, r.thread) for r in _records(items)] == [
        (2, ana, EventKind.POST, None, "t1"),
        (3, ben, EventKind.REPLY, ana, "t1"),
        (4, slack, EventKind.REPLY, ben, "t1"),
        (5, ana, EventKind.REPLY, None, "t1"),  # a reply to oneself: no reply link
        (6, ben, EventKind.REACTION, slack, "t1"),
        (7, slack, EventKind.VIEW, None, None),
        (8, ben, EventKind.REACTION, slack, "t1"),
    ]
    records = _records(items)
    assert records[0].occurred_at == datetime(2024, 3, 14, 9, 12, 45, tzinfo=UTC)
    assert records[2].occurred_at == datetime(2024, 3, 14, 11, 30, tzinfo=MADRID)  # no zone
    assert records[3].occurred_at.utcoffset() == timedelta(hours=1)
    assert records[1].detail == "reply to ana.silva@example.org in thread t1"
    assert records[6].key == records[4].key + "#1"  # identical rows stay distinct
    assert len({r.key for r in records}) == 7
    assert "1 row answers its own author: kept, without a reply link." in source.notes
    assert any(note.startswith("Times were read as ISO 8601, e.g.") for note in source.notes)


def test_bare_cr_month_first_and_self_loops() -> None:
    mapping = parse_mapping(
        "who=Sender,replied_to=Receiver,when=Timestamp,thread=Discussion ID,kind=reply"
    )
    items, source = _fixture("bare_cr_month_first.csv", mapping)
    records = _records(items)
    assert [(r.who.source_id, r.replied_to, r.kind, r.thread) for r in records] == [
        ("360", PersonKey(source_id="444"), EventKind.REPLY, "2"),
        ("356", None, EventKind.REPLY, "3"),
        ("444", PersonKey(source_id="360"), EventKind.REPLY, "2"),
    ]
    assert records[1].occurred_at == datetime(2013, 4, 13, 8, 5, tzinfo=MADRID)
    assert any("month/day/year (m/d/yy)" in note for note in source.notes)
    assert any("No column is called 'reply'" in note for note in source.notes)


def test_kind_for_every_row_from_the_options() -> None:
    mapping = {"who": "Sender", "when": "Timestamp", "replied_to": "Receiver"}
    items, _source = _fixture("bare_cr_month_first.csv", mapping, kind=EventKind.REPLY)
    assert [r.kind for r in _records(items)] == [EventKind.REPLY] * 3


def test_all_days_up_to_12_are_refused_not_guessed() -> None:
    error = _rejection(FIXTURES / "ambiguous_dates.csv")
    assert error.row == 2
    assert "'03/04/2024 10:00'" in error.reason
    assert "day/month/year (d/m/y) or month/day/year (m/d/y)" in error.reason
    assert "--time-format" in error.reason


def test_a_time_format_settles_ambiguous_dates() -> None:
    items, _source = _fixture("ambiguous_dates.csv", time_format="%m/%d/%Y %H:%M")
    assert [r.occurred_at for r in _records(items)] == [
        datetime(2024, 3, 4, 10, 0, tzinfo=MADRID),
        datetime(2024, 5, 4, 11, 0, tzinfo=MADRID),
        datetime(2024, 12, 11, 9, 30, tzinfo=MADRID),
    ]


def test_a_time_format_that_does_not_fit_is_refused() -> None:
    error = _rejection(FIXTURES / "ambiguous_dates.csv", time_format="%Y-%m-%d")
    assert error.row == 2
    assert "'03/04/2024 10:00' is not the format '%Y-%m-%d'" in error.reason


def test_day_first_with_seconds_and_four_digit_years() -> None:
    items, source = _fixture("day_first_seconds.csv")
    assert [r.occurred_at for r in _records(items)] == [
        datetime(2024, 4, 3, 10, 0, 5, tzinfo=MADRID),
        datetime(2024, 4, 25, 23, 59, 59, tzinfo=MADRID),
    ]
    assert any("day/month/year (d/m/yyyy)" in note for note in source.notes)


def test_unix_seconds() -> None:
    items, source = _fixture("unix_seconds.csv")
    assert [r.occurred_at for r in _records(items)] == [
        datetime(2024, 3, 14, 9, 52, 45, tzinfo=UTC),
        datetime(2024, 3, 14, 10, 53, 20, 500_000, tzinfo=UTC),
    ]
    assert "Times were read as Unix seconds, e.g. '1710409965'." in source.notes


def test_twelve_hour_clock() -> None:
    items, _source = _fixture("twelve_hour_clock.csv")
    assert [r.occurred_at for r in _records(items)] == [
        datetime(2024, 3, 14, 13, 5, tzinfo=MADRID),
        datetime(2024, 3, 14, 0, 10, tzinfo=MADRID),
        datetime(2024, 3, 15, 12, 0, tzinfo=MADRID),
    ]


def test_excel_resave_with_semicolons_in_windows_1252() -> None:
    mapping = {"who": "nom", "when": "date", "kind": "type", "replied_to": "Reponse a"}
    items, source = _fixture("cp1252_semicolon.csv", mapping)
    records = _records(items)
    assert source.encoding == "cp1252"
    assert records[0].who == PersonKey(name="José Núñez")
    assert records[1].who == PersonKey(name="Zoë Martin")  # the no-break space is a space
    assert records[1].replied_to == PersonKey(name="José Núñez")
    assert records[1].kind is EventKind.REPLY


def test_pandas_index_column_and_columns_by_number() -> None:
    items, _source = _fixture("pandas_index.csv", {"who": "2", "when": "3", "kind": "4"})
    assert [r.who for r in _records(items)] == [
        PersonKey(email="a@example.org"),
        PersonKey(email="b@example.org"),
    ]


def test_an_unknown_kind_word_is_refused() -> None:
    error = _rejection(FIXTURES / "unknown_kind.csv")
    assert error.row == 3
    assert "the kind 'edited' is not one cohortdesk knows" in error.reason


def test_a_column_mixing_formats_is_refused() -> None:
    error = _rejection(FIXTURES / "mixed_formats.csv")
    assert error.row == 3
    assert "'14/03/2024 09:05' is not ISO 8601" in error.reason


def test_rows_naming_nobody_and_quoted_fields() -> None:
    mapping = {"who": "who", "when": "when", "kind": "kind", "thread": "thread"}
    items, _source = _fixture("empty_who_and_quotes.csv", mapping, kind=EventKind.REPLY)
    first, nobody, defaulted = items
    assert isinstance(first, ActivityRecord)
    assert first.who == PersonKey(name="Okafor, Ben")
    assert first.thread == 'Week 1, "intro"\nthread'
    assert first.detail == 'post in thread Week 1, "intro" thread'  # one line
    assert nobody == Skipped(3, "names nobody (the who column is empty)", unattributed=True)
    assert isinstance(defaulted, ActivityRecord)
    assert defaulted.kind is EventKind.REPLY  # an empty kind cell takes options.kind


def test_an_empty_kind_without_a_default_is_refused() -> None:
    mapping = {"who": "who", "when": "when", "kind": "kind", "thread": "thread"}
    error = _rejection(FIXTURES / "empty_who_and_quotes.csv", mapping)
    assert (error.row, error.reason) == (4, "the kind column is empty")


# --- mappings that cannot work -----------------------------------------------------------


@pytest.mark.parametrize(
    ("mapping", "row", "message"),
    [
        (None, None, "activity-csv needs a column mapping"),
        ({"who": "who"}, None, "the column mapping needs when"),
        ({"who": "who", "when": "when", "author": "x"}, None, "unknown mapping key 'author'"),
        ({"who": "Sender", "when": "when", "kind": "kind"}, 1, "no column 'Sender' for who"),
        ({"who": "who", "when": "9", "kind": "kind"}, 1, "no column '9' for when"),
        ({"who": "who", "when": "when"}, None, "the file's rows have no kind"),
    ],
)
def test_mappings_that_cannot_work_are_refused(
    mapping: dict[str, str] | None, row: int | None, message: str
) -> None:
    source = SourceFile(FIXTURES / "day_first_seconds.csv")
    options = ImportOptions(mapping=mapping)
    with pytest.raises(ImportRejectedError) as caught:
        list(activity_csv.parse(source, options))
    assert caught.value.row == row
    assert message in caught.value.reason
    if row == 1:
        assert "(the columns are: who, when, kind)" in caught.value.reason


def test_an_empty_time_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "who,when,kind\r\n1,2024-03-14T09:00:00Z,post\r\n2,,post\r\n")
    error = _rejection(path)
    assert (error.row, error.reason) == (3, "the time is empty")


# --- keys --------------------------------------------------------------------------------


def test_keys_do_not_depend_on_the_zone_or_the_kind_chosen() -> None:
    mapping = {"who": "Sender", "when": "Timestamp", "replied_to": "Receiver"}
    first = _records(_fixture("bare_cr_month_first.csv", mapping, kind=EventKind.REPLY)[0])
    again = _records(
        _fixture(
            "bare_cr_month_first.csv",
            mapping,
            kind=EventKind.POST,
            timezone=ZoneInfo("America/New_York"),
        )[0]
    )
    assert [r.key for r in first] == [r.key for r in again]


def test_keys_depend_on_a_kind_column(tmp_path: Path) -> None:
    post = _write(tmp_path, "who,when,kind\n1,2024-03-14T09:00:00Z,post\n", "post.csv")
    like = _write(tmp_path, "who,when,kind\n1,2024-03-14T09:00:00Z,like\n", "like.csv")
    assert _records(_parse(post)[0])[0].key != _records(_parse(like)[0])[0].key


def test_an_overlapping_later_export_gives_the_same_keys(tmp_path: Path) -> None:
    rows = ["1,2024-03-14T09:00:00Z,post", "2,2024-03-14T09:05:00+01:00,reply"]
    early = _write(tmp_path, "\n".join(["who,when,kind", *rows]), "early.csv")
    later = _write(
        tmp_path, "\n".join(["who,when,kind", *rows[1:], "3,2024-03-15T10:00:00Z,like"]), "l.csv"
    )
    early_keys = [r.key for r in _records(_parse(early)[0])]
    later_keys = [r.key for r in _records(_parse(later)[0])]
    assert later_keys[0] == early_keys[1]


# --- the real MOOC-Ed edgelist -----------------------------------------------------------


def test_real_mooced_edgelist() -> None:
    path = REAL / "mooced_dlt1_edgelist.csv"
    if not path.is_file():
        pytest.skip(f"real exports not found at {REAL}")
    mapping = {
        "who": "Sender",
        "replied_to": "Receiver",
        "when": "Timestamp",
        "thread": "Discussion ID",
    }
    items, source = _parse(path, mapping, kind=EventKind.REPLY)
    records = _records(items)
    assert len(items) == len(records) == 2_529
    assert sum(r.replied_to is None for r in records) == 86  # the self-loops
    assert any("month/day/year (m/d/yy)" in note for note in source.notes)
    people = {r.who for r in records} | {r.replied_to for r in records if r.replied_to}
    assert len(people) == 442
    degree: Counter[str] = Counter()
    for record in records:
        if record.replied_to is not None:
            degree[str(record.who.source_id)] += 1
            degree[str(record.replied_to.source_id)] += 1
    assert [uid for uid, _count in degree.most_common(2)] == ["444", "445"]
    assert len({r.key for r in records}) == 2_529
    assert records[0].occurred_at == datetime(2013, 4, 4, 16, 32, tzinfo=MADRID)
    assert all(r.occurred_at.tzinfo is not None for r in records)


# --- hostile input -----------------------------------------------------------------------


_CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=25)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            _CELL,
            st.one_of(
                _CELL,
                st.sampled_from(
                    ["2024-03-14T09:00:00Z", "14/03/2024 10:00", "1710409965", "3/4/24 1:05 PM"]
                ),
            ),
            st.one_of(_CELL, st.sampled_from(["post", "Comment", "like", ""])),
            _CELL,
        ),
        max_size=8,
    )
)
def test_arbitrary_rows_are_imported_or_refused(
    tmp_path: Path, rows: list[tuple[str, str, str, str]]
) -> None:
    path = tmp_path / "rows.csv"
    lines = ["who,when,kind,replied_to"]
    lines += [",".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows]
    path.write_text("\n".join(lines), encoding="utf-8")
    mapping = {"who": "who", "when": "when", "kind": "kind", "replied_to": "replied_to"}
    try:
        items = list(
            activity_csv.parse(
                SourceFile(path), ImportOptions(mapping=mapping, kind=EventKind.VIEW)
            )
        )
    except ImportRejectedError:
        return
    for item in items:
        if isinstance(item, ActivityRecord):
            assert item.occurred_at.tzinfo is not None
            assert item.replied_to != item.who
            assert len(item.detail) <= 120
