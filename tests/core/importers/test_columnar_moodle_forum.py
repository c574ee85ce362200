"""The Moodle forum export read in columns gives the same answers as the row-by-row reading it
replaced: on every CSV fixture and every forum JSON fixture, and on generated exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohortdesk.core.importers.base import ImportOptions
from tests.core.importers.differential import CSV_FIXTURES, FIXTURES
from tests.core.importers.differential import same as _same

FORMAT = "moodle-forum"
JSON_FIXTURES = sorted((FIXTURES / "moodle_forum").glob("*.json"))
HEADER = [
    "id",
    "discussion",
    "parent",
    "userid",
    "userfullname",
    "created",
    "modified",
    "mailed",
    "subject",
    "message",
    "messageformat",
    "messagetrust",
    "attachment",
    "totalscore",
    "mailnow",
    "deleted",
    "privatereplyto",
    "privatereplytofullname",
    "wordcount",
    "charcount",
]


@pytest.mark.parametrize("path", CSV_FIXTURES + JSON_FIXTURES, ids=lambda path: path.name)
def test_every_fixture_gives_the_same_answers(path: Path, tmp_path: Path) -> None:
    _same(tmp_path, path, FORMAT)


def test_human_readable_dates_in_another_zone_give_the_same_answers(tmp_path: Path) -> None:
    options = ImportOptions(timezone=ZoneInfo("America/New_York"))
    _same(tmp_path, FIXTURES / "moodle_forum" / "human_readable_dates.csv", FORMAT, options)


def test_a_file_read_partly_by_each_reader_gives_the_same_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small blocks: short rows, then the rows after a quoted line break via the csv module."""
    from cohortdesk.core.importers import columnar

    monkeypatch.setattr(columnar, "BLOCK_BYTES", 300)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for index in range(1, 40):
        parent = 0 if index % 5 == 1 else index - 1
        cells = [index, 7, parent, 3 + index % 4, f"User {index % 4}", 1733245740 + index * 60]
        cells += [0, 1, f"Re: topic {index % 3}", f"<p>message {index} &amp; more</p>", 1]
        cells += [0, "", 0, 0, 0, "", "", "" if index % 2 else 3, 20]
        writer.writerow(cells[: 12 if index % 7 == 0 else len(cells)])
    lines = out.getvalue().splitlines()
    lines.insert(25, '99,7,0,4,"Two\nlines",1733245740,0,1,Subject,text,2,0,,0,0,0,0,,,0')
    path = tmp_path / "forum.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _same(tmp_path, path, FORMAT)


_POST = st.tuples(
    st.integers(1, 12),  # id (repeats happen)
    st.integers(0, 12),  # parent
    st.sampled_from(["3", "4", "5", "0", "", "007"] * 6 + ["x1"]),  # userid
    st.sampled_from(["Ann Lee", "", "Bob  Kim", "Zoë"]),
    st.sampled_from(
        ["1733245740", "1733249340", "Tuesday, 3 December 2024, 5:09 PM", "2024-12-03 17:09"] * 8
        + ["", "soon", "99999999999"]
    ),
    st.sampled_from(["Week 1", "Re: Week 1 &amp; more", "", "x" * 130]),
    st.sampled_from(["<p>a b</p>", "plain words here", "", None]),  # message (None: short row)
    st.sampled_from(["0", "1", "2", ""]),  # messageformat
    st.sampled_from(["0", "0", "0", "1", "yes"]),  # deleted
    st.sampled_from(["", "", "", "0", "4", "6"]),  # privatereplyto
    st.sampled_from(["", "12", "x"]),  # wordcount
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(posts=st.lists(_POST, min_size=0, max_size=20), as_json=st.booleans())
def test_generated_exports_give_the_same_answers(
    tmp_path: Path, posts: list[tuple[object, ...]], as_json: bool
) -> None:
    records = []
    for (
        post_id,
        parent,
        userid,
        name,
        created,
        subject,
        message,
        fmt,
        deleted,
        private,
        words,
    ) in posts:
        record: dict[str, object] = {
            "id": post_id,
            "discussion": 7,
            "parent": parent,
            "userid": userid,
            "userfullname": name,
            "created": created,
            "subject": subject,
            "messageformat": fmt,
            "deleted": deleted,
            "privatereplyto": private,
            "privatereplytofullname": "Private One" if private else "",
            "wordcount": words,
        }
        if message is not None:
            record["message"] = message
        records.append(record)
    if as_json:
        path = tmp_path / "forum.json"
        path.write_text(json.dumps(records), encoding="utf-8")
    else:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        order = [*HEADER[:9], "messageformat", "deleted", "privatereplyto"]
        order += ["privatereplytofullname", "wordcount", "message"]
        writer.writerow(order)
        for record in records:
            cells = [record.get(name, "") for name in order]
            writer.writerow(cells if "message" in record else cells[:-1])
        path = tmp_path / "forum.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
    _same(tmp_path, path, FORMAT)
