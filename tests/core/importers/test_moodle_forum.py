"""The Moodle forum export importer: posts, replies and whom they answer, CSV and JSON."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohortdesk.core.enums import EventKind
from cohortdesk.core.importers import moodle_forum, moodle_forum_values
from cohortdesk.core.importers.base import (
    ActivityRecord,
    ImportItem,
    ImportOptions,
    ImportRejectedError,
    Skipped,
    SourceFile,
)
from cohortdesk.core.services.activity import imports
from cohortdesk.core.storage.db import Database
from tests.core.builders import add, make_cohort

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "moodle_forum"
XAPI_FIXTURES = FIXTURES.parent / "xapi"
REAL = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "real"
BERLIN = ZoneInfo("Europe/Berlin")
HEADER = (
    "id,discussion,parent,userid,userfullname,created,modified,mailed,subject,message,"
    "messageformat,messagetrust,attachment,totalscore,mailnow,deleted,privatereplyto,"
    "privatereplytofullname,wordcount,charcount\n"
)


def parse(path: Path, zone: ZoneInfo = BERLIN) -> tuple[list[ImportItem], SourceFile]:
    source = SourceFile(path)
    items = list(moodle_forum.parse(source, ImportOptions(timezone=zone)))
    return items, source


def records(items: list[ImportItem]) -> list[ActivityRecord]:
    return [item for item in items if isinstance(item, ActivityRecord)]


def write_csv(tmp_path: Path, *rows: str, name: str = "forum.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def row(
    post_id: object = 1,
    discussion: object = 1,
    parent: object = 0,
    userid: object = 5,
    name: str = "Ann Lee",
    created: str = "1733245740",
    *,
    subject: str = "Hello",
    message: str = "<p>Hi</p>",
    deleted: str = "0",
    private_to: str = "0",
    wordcount: str = "1",
) -> str:
    return (
        f'{post_id},{discussion},{parent},{userid},{name},"{created}","{created}",1,'
        f'"{subject}","{message}",1,0,,0,0,{deleted},{private_to},,{wordcount},2\n'
    )


# --- the realistic export, CSV and JSON -------------------------------------------------------


def test_a_realistic_csv_export_gives_posts_replies_and_whom_they_answer() -> None:
    items, source = parse(FIXTURES / "realistic_export.csv")

    got = records(items)
    assert len(items) == len(got) == 8
    assert [r.row for r in got] == [2, 3, 4, 5, 6, 7, 8, 9]  # a quoted line break stays in row 3
    assert [r.kind for r in got] == [EventKind.POST] + [EventKind.REPLY] * 3 + [EventKind.POST] + [
        EventKind.REPLY
    ] * 3
    assert [r.who.source_id for r in got] == ["3", "5", "6", "7", "5", "8", "5", "3"]
    assert [r.replied_to.source_id if r.replied_to else None for r in got] == [
        None,
        "3",
        "5",
        "3",
        None,
        "5",
        "8",
        "6",  # Fran's private reply to Bob
    ]
    assert got[1].replied_to is not None and got[1].replied_to.name == "Fran Okafor"
    assert got[3].who.name == "Cleo Díaz"
    assert [r.thread for r in got] == ["11", "11", "11", "11", "12", "12", "12", "11"]
    assert [r.word_count for r in got] == [13, 14, 6, 5, 12, 7, 4, 8]
    assert got[0].detail == "Week 1: Introductions"
    assert got[0].occurred_at == datetime(2024, 12, 3, 17, 9, tzinfo=UTC)
    assert got[7].occurred_at == datetime(2024, 12, 4, 21, 9, tzinfo=UTC)
    assert all(r.who.email is None for r in got)
    assert len({r.key for r in got}) == 8
    assert source.encoding == "utf-8"
    assert source.notes == []


def test_unix_times_do_not_depend_on_the_zone_chosen() -> None:
    berlin, _ = parse(FIXTURES / "realistic_export.csv", BERLIN)
    utc, _ = parse(FIXTURES / "realistic_export.csv", ZoneInfo("UTC"))

    assert [r.occurred_at for r in records(berlin)] == [r.occurred_at for r in records(utc)]


def test_the_json_export_gives_the_same_events_as_the_csv_export() -> None:
    from_csv = records(parse(FIXTURES / "realistic_export.csv")[0])
    items, source = parse(FIXTURES / "realistic_export.json")
    from_json = records(items)

    assert [r.row for r in from_json] == list(range(1, 9))  # JSON rows are record numbers
    for ours, theirs in zip(from_json, from_csv, strict=True):
        assert (ours.key, ours.kind, ours.who, ours.replied_to, ours.thread) == (
            theirs.key,
            theirs.kind,
            theirs.who,
            theirs.replied_to,
            theirs.thread,
        )
        assert (ours.occurred_at, ours.word_count, ours.detail) == (
            theirs.occurred_at,
            theirs.word_count,
            theirs.detail,
        )
    assert source.encoding == "utf-8"


def test_json_with_numbers_instead_of_strings_is_read_too() -> None:
    got = records(parse(FIXTURES / "json_numeric_values.json")[0])

    assert [(r.kind, r.who.source_id, r.thread) for r in got] == [
        (EventKind.POST, "5", "121"),
        (EventKind.REPLY, "6", "121"),
    ]
    assert got[1].replied_to is not None and got[1].replied_to.source_id == "5"
    assert [r.word_count for r in got] == [2, 1]  # a null wordcount is counted from the message


def test_keys_are_the_post_ids_so_an_overlapping_export_gives_the_same_keys() -> None:
    full = records(parse(FIXTURES / "realistic_export.csv")[0])
    again = records(parse(FIXTURES / "realistic_export.csv")[0])
    part = records(parse(FIXTURES / "pandas_index_column.csv")[0])

    assert [r.key for r in again] == [r.key for r in full]
    assert [r.key for r in part] == [r.key for r in full[:3]]


def test_an_excel_resave_with_semicolons_is_read_like_the_original() -> None:
    original = records(parse(FIXTURES / "realistic_export.csv")[0])[:3]
    got = records(parse(FIXTURES / "excel_semicolons.csv")[0])

    assert got == original


def test_a_pandas_index_column_in_front_is_ignored() -> None:
    got = records(parse(FIXTURES / "pandas_index_column.csv")[0])

    assert [(r.who.source_id, r.kind, r.thread) for r in got] == [
        ("3", EventKind.POST, "11"),
        ("5", EventKind.REPLY, "11"),
        ("6", EventKind.REPLY, "11"),
    ]


# --- traps ------------------------------------------------------------------------------------


def test_human_readable_dates_are_local_times_in_the_zone_chosen() -> None:
    items, source = parse(FIXTURES / "human_readable_dates.csv", BERLIN)

    got = [r.occurred_at.astimezone(UTC) for r in records(items)]
    assert got == [
        datetime(2024, 12, 3, 16, 9, tzinfo=UTC),  # Tuesday, 3 December 2024, 5:09 PM
        datetime(2024, 12, 3, 16, 15, tzinfo=UTC),  # 3 December 2024, 5:15 PM
        datetime(2024, 12, 3, 16, 20, tzinfo=UTC),  # Tuesday, 3 December 2024, 17:20
        datetime(2024, 12, 3, 16, 30, tzinfo=UTC),  # December 3, 2024, 5:30 PM
        datetime(2024, 12, 3, 23, 5, tzinfo=UTC),  # Wednesday, 4 December 2024, 12:05 AM
        datetime(2024, 12, 4, 11, 10, tzinfo=UTC),  # Wednesday, 4 December 2024, 12:10 PM
    ]
    assert source.notes == [
        "6 post dates were written as text without a time zone and were read as Europe/Berlin time."
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tuesday, 3 December 2024, 5:09 PM", datetime(2024, 12, 3, 17, 9)),
        ("Tue, 3 Dec 2024, 5:09 pm", datetime(2024, 12, 3, 17, 9)),
        ("3 December 2024, 05:09", datetime(2024, 12, 3, 5, 9)),
        ("Tuesday, December 3, 2024, 5:09 AM", datetime(2024, 12, 3, 5, 9)),
        ("Saturday, 1 June 2024, 12:00 AM", datetime(2024, 6, 1, 0, 0)),
        ("1 September 2024, 23:59:30", datetime(2024, 9, 1, 23, 59, 30)),
        ("2024-12-03 17:09:00", datetime(2024, 12, 3, 17, 9)),
    ],
)
def test_date_variants(tmp_path: Path, text: str, expected: datetime) -> None:
    items, _ = parse(write_csv(tmp_path, row(created=text)), BERLIN)

    assert records(items)[0].occurred_at == expected.replace(tzinfo=BERLIN)


@pytest.mark.parametrize(
    "text",
    [
        "next Tuesday",
        "31 February 2024, 5:09 PM",
        "3 Decembre 2024, 5:09 PM",
        "3 December 2024, 13:09 PM",
        "0",
        "99999999999",
        "",
        "2024-13-01 10:00",
    ],
)
def test_a_date_that_is_not_a_date_rejects_the_file_naming_the_row(
    tmp_path: Path, text: str
) -> None:
    path = write_csv(tmp_path, row(), row(post_id=2, parent=1, created=text))

    with pytest.raises(ImportRejectedError) as caught:
        parse(path)

    assert caught.value.row == 3
    assert "date" in caught.value.reason


def test_html_messages_are_counted_without_tags_and_with_entities_decoded() -> None:
    got = records(parse(FIXTURES / "html_entities.csv")[0])

    # Café, crème, brûlée, it's, great, Second, para
    assert got[0].word_count == 7
    # one two three (br between), "wo<b>rd</b>" is one word, "&lt;p&gt;" is text: p, tags
    assert got[1].word_count == 6
    assert got[0].detail == "Café talk"
    assert got[1].detail == "Re: Café talk"


def test_an_empty_wordcount_is_counted_from_the_message() -> None:
    got = records(parse(FIXTURES / "empty_wordcount.csv")[0])

    # plain text (format 2) keeps "&amp;" as written; a given wordcount wins; format 0 is HTML
    assert [r.word_count for r in got] == [8, 42, 4]


def test_count_words() -> None:
    assert moodle_forum_values.count_words("<p>a&nbsp;b</p><p>c</p>", html_text=True) == 3
    assert moodle_forum_values.count_words("<<<<>>>>", html_text=True) == 0
    assert moodle_forum_values.count_words("a<b", html_text=True) == 2
    assert moodle_forum_values.count_words("it's well-known", html_text=False) == 2
    assert moodle_forum_values.count_words("", html_text=False) == 0


def test_a_deleted_post_is_skipped_but_its_replies_still_answer_its_author() -> None:
    items, _ = parse(FIXTURES / "deleted_in_thread.csv")

    assert items[1] == Skipped(3, "deleted post")
    got = records(items)
    assert [r.row for r in got] == [2, 4, 5]
    assert got[1].replied_to is not None and got[1].replied_to.source_id == "6"  # Bob's
    assert got[1].replied_to.name == "Bob Kim"
    assert got[2].replied_to is not None and got[2].replied_to.source_id == "7"


def test_a_reply_to_a_post_not_in_the_file_is_a_reply_to_nobody_known() -> None:
    items, source = parse(FIXTURES / "missing_parent.csv")

    got = records(items)
    assert [r.kind for r in got] == [EventKind.REPLY] * 3
    assert [r.replied_to.source_id if r.replied_to else None for r in got] == [None, "5", None]
    assert source.notes == [
        "2 replies answer posts not in this file; imported without saying whom they answer."
    ]


def test_a_private_reply_answers_the_person_it_is_addressed_to(tmp_path: Path) -> None:
    got = records(parse(FIXTURES / "private_reply.csv")[0])
    assert got[2].kind is EventKind.REPLY
    assert got[2].replied_to is not None
    assert (got[2].replied_to.source_id, got[2].replied_to.name) == ("5", "Ann Lee")

    # addressed to someone other than the parent's author: the addressee wins
    path = write_csv(tmp_path, row(), row(post_id=2, parent=1, userid=3, private_to="9"))
    reply = records(parse(path)[0])[1]
    assert reply.replied_to is not None and reply.replied_to.source_id == "9"


def test_posts_by_no_user_are_unattributed() -> None:
    items, _ = parse(FIXTURES / "no_user.csv")

    assert items[0] == Skipped(2, "post by no user", unattributed=True)
    assert items[2] == Skipped(4, "post by no user", unattributed=True)
    reply = items[1]
    assert isinstance(reply, ActivityRecord)
    assert reply.kind is EventKind.REPLY and reply.replied_to is None


def test_an_excel_resave_in_windows_1252_is_decoded_and_says_so() -> None:
    items, source = parse(FIXTURES / "cp1252_excel.csv")

    got = records(items)
    assert source.encoding == "cp1252"
    assert got[0].who.name == "Zoë Brück"
    assert got[0].detail == "Café chat…"
    assert got[0].word_count == 3  # "Bonjour à tous…" with a no-break space
    assert got[1].replied_to is not None and got[1].replied_to.name == "Zoë Brück"


def test_a_bom_and_crlf_give_the_same_events_as_windows_1252() -> None:
    utf8, source = parse(FIXTURES / "utf8_bom_crlf.csv")
    cp1252, _ = parse(FIXTURES / "cp1252_excel.csv")

    assert source.encoding == "utf-8"
    assert utf8 == cp1252


def test_ragged_rows_are_read_and_a_missing_message_leaves_the_count_unknown() -> None:
    got = records(parse(FIXTURES / "ragged_rows.csv")[0])

    assert [r.row for r in got] == [2, 3, 4, 5]
    assert [r.kind for r in got] == [EventKind.POST] + [EventKind.REPLY] * 3
    assert [r.word_count for r in got] == [2, 2, 2, None]
    assert got[3].replied_to is not None and got[3].replied_to.source_id == "7"


def test_a_malformed_csv_row_rejects_the_whole_file_with_its_row_number() -> None:
    stream = moodle_forum.parse(
        SourceFile(FIXTURES / "malformed_row.csv"), ImportOptions(timezone=BERLIN)
    )

    with pytest.raises(ImportRejectedError) as caught:
        next(stream)  # nothing is yielded before the whole file is known to be good

    assert caught.value.row == 4
    assert caught.value.reason == "the id '11o3' is not a number"
    assert str(caught.value) == "malformed_row.csv: row 4: the id '11o3' is not a number"


def test_a_malformed_json_record_rejects_the_file_with_its_record_number() -> None:
    with pytest.raises(ImportRejectedError) as caught:
        parse(FIXTURES / "malformed_row.json")

    assert caught.value.row == 3
    assert caught.value.reason == "the date 'next Tuesday' is not a date"


# --- small cases ------------------------------------------------------------------------------


def test_a_post_repeated_in_the_file_counts_once(tmp_path: Path) -> None:
    items, _ = parse(write_csv(tmp_path, row(), row(post_id=2, parent=1), row()))

    assert len(records(items)) == 2
    assert items[2] == Skipped(4, "post repeated in the file")


def test_a_long_subject_is_cut_to_one_short_line(tmp_path: Path) -> None:
    subject = "Week 1 " + "very long " * 30
    got = records(parse(write_csv(tmp_path, row(subject=subject)))[0])[0]

    assert len(got.detail) == 120
    assert got.detail.startswith("Week 1 very long") and got.detail.endswith("…")


@pytest.mark.parametrize(
    ("text", "row_number", "reason"),
    [
        (
            HEADER.replace("parent,", "") + "1,1,5,Ann,1733245740\n",
            1,
            "not a Moodle forum export: no parent column",
        ),
        (
            "who,when\nAnn,today\n",
            1,
            "not a Moodle forum export: no id, discussion, parent, userid, created columns",
        ),
        (HEADER + row(discussion="x"), 2, "the discussion 'x' is not a number"),
        (HEADER + row(parent=""), 2, "the parent is missing"),
        (HEADER + row(userid="ann"), 2, "the user id 'ann' is not a number"),
        (HEADER + row(post_id=0), 2, "the post id is 0"),
        (HEADER + row(private_to="x"), 2, "the private reply user id 'x' is not a number"),
        (HEADER + '1,1,0,5,"Ann\n', 2, "a quoted field is never closed (unterminated quote)"),
        ("", None, "the file is empty"),
        ('{"id": 1}', None, "not a Moodle forum export: expected a JSON array of posts"),
        ("[1]", 1, "the post is not a JSON object"),
        ('[{"id": [1]}]', 1, "the id field holds a list or an object, not a value"),
        ('[{"id": 1', 1, "invalid JSON (Expecting ',' delimiter, column 10)"),
    ],
)
def test_files_that_are_not_forum_exports_are_rejected_with_a_reason(
    tmp_path: Path, text: str, row_number: int | None, reason: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ImportRejectedError) as caught:
        parse(path)

    assert (caught.value.row, caught.value.reason) == (row_number, reason)


def test_a_file_over_the_size_cap_is_refused_before_reading(tmp_path: Path) -> None:
    path = write_csv(tmp_path, row())
    source = SourceFile(path)

    with pytest.raises(ImportRejectedError, match="over the"):
        list(moodle_forum.parse(source, ImportOptions(max_bytes=10)))


# --- detection --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(FIXTURES.iterdir()), ids=lambda p: p.name)
def test_every_forum_fixture_is_detected(path: Path) -> None:
    assert moodle_forum.detect(path.name, path.read_bytes()[: 64 * 1024])


@pytest.mark.parametrize("path", sorted(XAPI_FIXTURES.iterdir()), ids=lambda p: p.name)
def test_xapi_files_are_not_forum_exports(path: Path) -> None:
    assert not moodle_forum.detect(path.name, path.read_bytes()[: 64 * 1024])


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"\xff\xfe\x00garbage",
        b"Time,User full name,Affected user,Event context,Component,Event name,Description\n",
        b"id,discussion,userid,created\n",  # no parent
        b'[{"id": "1", "discussion": "1", "userid": "5"}]',
        b'{"discussion": 1, "parent": 0, "userid": 5, "created": 1}',
        b'id,discussion,parent,"userid\n',
    ],
)
def test_other_files_are_not_detected(head: bytes) -> None:
    assert not moodle_forum.detect("export.csv", head)


def test_a_json_export_cut_off_by_the_detection_window_is_still_detected() -> None:
    head = b'[\n    {\n        "id": "101",\n        "discussion": "11",\n        "parent": "0",'
    head += b'\n        "userid": "3",\n        "created": "1733245740",\n        "message": "<p>'

    assert moodle_forum.detect("forum.json", head + b"x" * 1000)


# --- the import service -----------------------------------------------------------------------


def test_importing_the_export_twice_builds_the_reply_network_once(db: Database) -> None:
    with db.write() as session:
        cohort = make_cohort(session, start_date=date(2024, 12, 1))
        add(session, cohort.id, "Ann Lee")  # already a member: matched by name
    path = FIXTURES / "realistic_export.csv"

    with db.write() as session:
        first = imports.import_file(session, cohort.id, path, "moodle-forum")
    with db.write() as session:
        again = imports.import_file(session, cohort.id, path, "moodle-forum")

    assert (first.read, first.inserted, first.people_created) == (8, 8, 4)
    assert sorted(first.new_people) == ["Bob Kim", "Cleo Díaz", "Dev Patel", "Fran Okafor"]
    assert (again.inserted, again.duplicates, again.people_created) == (0, 8, 0)


# --- real exports and hostile bytes -----------------------------------------------------------


def test_real_exports_of_other_formats_are_not_taken_for_forum_exports() -> None:
    if not REAL.is_dir():
        pytest.skip(f"real exports not found at {REAL}")
    for path in sorted(REAL.iterdir()):
        assert not moodle_forum.detect(path.name, path.read_bytes()[: 64 * 1024]), path.name
    with pytest.raises(ImportRejectedError) as caught:
        parse(REAL / "moodle_log_edify_module3_sp17.csv")
    assert caught.value.row == 1
    assert caught.value.reason.startswith("not a Moodle forum export: no id, discussion, parent")


_CELL = st.one_of(
    st.sampled_from(["", "0", "1", "5", "-1", "Tuesday, 3 December 2024, 5:09 PM", "x", "<p>"]),
    st.text(max_size=30),
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(_CELL, max_size=22), max_size=6), as_json=st.booleans())
def test_arbitrary_values_in_a_forum_shaped_file_never_raise_anything_but_a_rejection(
    tmp_path: Path, rows: list[list[str]], as_json: bool
) -> None:
    fields = HEADER.strip().split(",")
    path = tmp_path / "forum.any"
    if as_json:
        path.write_text(json.dumps([dict(zip(fields, r, strict=False)) for r in rows]))
    else:
        buffer = io.StringIO()
        csv.writer(buffer).writerows([fields, *rows])
        path.write_text(buffer.getvalue(), encoding="utf-8")
    with contextlib.suppress(ImportRejectedError):
        parse(path)
