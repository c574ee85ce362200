"""The columnar activity CSV reading gives the same answers as the row-by-row one it replaced:
on every CSV fixture (read through a mapping by column numbers, and the activity CSV fixtures
through the mappings they were made for), on the real MOOC edge list, and on generated files.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohortdesk.core.enums import EventKind
from cohortdesk.core.importers.base import ImportOptions
from tests.core.importers.differential import CSV_FIXTURES, FIXTURES
from tests.core.importers.differential import same as _same

FORMAT = "activity-csv"
SIMPLE = {"who": "who", "when": "when", "kind": "kind"}
MADRID = ZoneInfo("Europe/Madrid")

#: the activity CSV fixtures with the mappings and options they were made for
MADE_FOR: list[tuple[str, dict[str, str], dict[str, object]]] = [
    ("ambiguous_dates.csv", SIMPLE, {}),
    ("ambiguous_dates.csv", SIMPLE, {"time_format": "%m/%d/%Y %H:%M"}),
    ("ambiguous_dates.csv", SIMPLE, {"time_format": "%Y-%m-%d"}),
    (
        "bare_cr_month_first.csv",
        {"who": "Sender", "replied_to": "Receiver", "when": "Timestamp", "thread": "Discussion ID"},
        {"kind": EventKind.REPLY},
    ),
    (
        "bare_cr_month_first.csv",
        {"who": "Sender", "replied_to": "Receiver", "when": "Timestamp", "kind": "reply"},
        {},
    ),
    (
        "cp1252_semicolon.csv",
        {"who": "nom", "when": "date", "kind": "type", "replied_to": "Reponse a"},
        {},
    ),
    ("day_first_seconds.csv", SIMPLE, {}),
    ("empty_who_and_quotes.csv", {**SIMPLE, "thread": "thread"}, {"kind": EventKind.REPLY}),
    ("empty_who_and_quotes.csv", {**SIMPLE, "thread": "thread"}, {}),
    ("mixed_formats.csv", SIMPLE, {}),
    ("pandas_index.csv", {"who": "2", "when": "3", "kind": "4"}, {}),
    (
        "realistic_forum_export.csv",
        {
            "who": "author",
            "when": "POSTED AT",
            "kind": "Action",
            "replied_to": "in_reply_to",
            "thread": "Topic",
        },
        {},
    ),
    ("twelve_hour_clock.csv", SIMPLE, {}),
    ("unix_seconds.csv", SIMPLE, {}),
    ("unknown_kind.csv", SIMPLE, {}),
]


def _options(mapping: dict[str, str], **chosen: object) -> ImportOptions:
    options = ImportOptions(timezone=MADRID, mapping=mapping)
    for name, value in chosen.items():
        setattr(options, name, value)
    return options


@pytest.mark.parametrize(
    ("name", "mapping", "chosen"),
    MADE_FOR,
    ids=[f"{name}-{index}" for index, (name, _m, _c) in enumerate(MADE_FOR)],
)
def test_the_activity_fixtures_give_the_same_answers(
    name: str, mapping: dict[str, str], chosen: dict[str, object], tmp_path: Path
) -> None:
    _same(tmp_path, FIXTURES / "activity_csv" / name, FORMAT, _options(mapping, **chosen))


@pytest.mark.parametrize("path", CSV_FIXTURES, ids=lambda path: path.name)
def test_every_fixture_gives_the_same_answers(path: Path, tmp_path: Path) -> None:
    mapping = {"who": "2", "when": "1", "replied_to": "3", "thread": "4"}
    _same(tmp_path, path, FORMAT, _options(mapping, kind=EventKind.VIEW))


def test_the_real_edge_list_gives_the_same_answers(real_fixtures: Path, tmp_path: Path) -> None:
    mapping = {
        "who": "Sender",
        "replied_to": "Receiver",
        "when": "Timestamp",
        "thread": "Discussion ID",
    }
    path = real_fixtures / "mooced_dlt1_edgelist.csv"
    _same(tmp_path, path, FORMAT, _options(mapping, kind=EventKind.REPLY))


def test_a_file_read_partly_by_each_reader_gives_the_same_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small blocks: the rows after a quoted line break are read by the csv module."""
    from cohortdesk.core.importers import columnar

    monkeypatch.setattr(columnar, "BLOCK_BYTES", 200)
    lines = ["who,when,kind,replied_to,thread"]
    for index in range(60):
        lines.append(
            f"user{index % 7},2024-03-{1 + index % 28:02d}T10:{index % 60:02d}:00,"
            f"{['post', 'comment', 'like'][index % 3]},user{index % 5},t{index % 4}"
        )
    lines.insert(30, 'ann@example.org,2024-03-02T10:00:00,post,,"two\nlines"')
    lines.insert(40, "")
    path = tmp_path / "activity.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _same(tmp_path, path, FORMAT, _options({**SIMPLE, "replied_to": "4", "thread": "5"}))


_PEOPLE = st.sampled_from(
    [
        "",
        " ",
        "ana.silva@example.org",
        "ANA.SILVA@example.org",
        "U024BE7LH",
        "5104",
        "Ben Okafor",
        " Ben  Okafor ",
        "Zoë Ñandú",
        "no_space_id",
    ]
)
#: kinds and times that refuse a file are rare, so most generated files are imported
_KINDS = st.sampled_from(
    ["post", "Comment", "reply", "like", "Page view", "topic"] * 4 + ["edited", ""]
)
_THREADS = st.sampled_from(["", "t1", "Week 1, intro", "two\nlines", "x" * 130])
#: a format for the whole file, then the day/hour written in it
_FORMATS = {
    "iso": lambda d, h, m: f"2024-03-{d:02d}T{h:02d}:{m:02d}:00",
    "iso-zone": lambda d, h, m: f"2024-03-{d:02d}T{h:02d}:{m:02d}:00+01:00",
    "day-first": lambda d, h, m: f"{d}/03/2024 {h}:{m:02d}",
    "month-first": lambda d, h, m: f"3/{d}/24 {h}:{m:02d}",
    "unix": lambda d, h, m: str(1709251200 + d * 86400 + h * 3600 + m * 60),
}
_ROW = st.tuples(
    _PEOPLE,
    st.integers(1, 28),
    st.integers(0, 23),
    st.integers(0, 59),
    _KINDS,
    _PEOPLE,
    _THREADS,
    st.sampled_from([None] * 40 + ["", "soon", "31/31/2024"]),
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(_ROW, min_size=0, max_size=30),
    style=st.sampled_from(sorted(_FORMATS)),
    crlf=st.booleans(),
    default=st.sampled_from([None, EventKind.VIEW]),
)
def test_generated_files_give_the_same_answers(
    tmp_path: Path,
    rows: list[tuple[str, int, int, int, str, str, str, str | None]],
    style: str,
    crlf: bool,
    default: EventKind | None,
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(["who", "when", "kind", "answers", "thread"])
    for who, day, hour, minute, kind, answers, thread, odd_time in rows:
        when = _FORMATS[style](day, hour, minute) if odd_time is None else odd_time
        writer.writerow([who, when, kind, answers, thread])
    path = tmp_path / "generated.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    mapping = {**SIMPLE, "replied_to": "answers", "thread": "thread"}
    _same(tmp_path, path, FORMAT, _options(mapping, kind=default))
