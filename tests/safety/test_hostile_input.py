"""Hostile input: no file makes an importer, or a template the renderer, fail any other way than
with its clear rejection (`ImportRejectedError`, `TemplateError`: `KnownError`s naming the file,
row and reason, or the place in the template).

Files are made by mutating real exports (bytes inserted, deleted, replaced, lines cut, doubled
or swapped, the file truncated) and by filling real headers with hostile cells. Examples per
test: `COHORTDESK_FUZZ_EXAMPLES` (default 40; `make stress` runs more). The same examples run
every time unless `COHORTDESK_FUZZ_RANDOM=1`.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cohortdesk.core.errors import KnownError
from cohortdesk.core.importers.base import ImportOptions, ImportRejectedError, SourceFile
from cohortdesk.core.importers.registry import FORMATS, get_format
from cohortdesk.core.rendering import (
    PLACEHOLDER_NAMES,
    TemplateError,
    check,
    render,
    render_message,
)
from tests.safety.fuzz import FUZZ

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ACTIVITY_MAPPING = {
    "who": "Author",
    "when": "Posted at",
    "kind": "Action",
    "replied_to": "In reply to",
    "thread": "Topic",
}


def _slack_zip(
    folder: str = "realistic", mutate: Callable[[str, bytes], bytes] | None = None
) -> bytes:
    buffer = io.BytesIO()
    root = FIXTURES / "slack" / folder
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(root.rglob("*")):
            if file.is_file():
                member = file.relative_to(root).as_posix()
                data = file.read_bytes()
                archive.writestr(member, mutate(member, data) if mutate else data)
    return buffer.getvalue()


#: format -> (file name, seed content: a real export that imports cleanly)
SEEDS: dict[str, list[tuple[str, bytes]]] = {
    "moodle-log": [("logs.csv", (FIXTURES / "moodle_log" / "realistic_en_bom.csv").read_bytes())],
    "moodle-forum": [
        ("forum.csv", (FIXTURES / "moodle_forum" / "realistic_export.csv").read_bytes()),
        ("forum.json", (FIXTURES / "moodle_forum" / "realistic_export.json").read_bytes()),
    ],
    "activity-csv": [
        ("activity.csv", (FIXTURES / "activity_csv" / "realistic_forum_export.csv").read_bytes())
    ],
    "roster": [("roster.csv", (FIXTURES / "roster" / "realistic_cohort.csv").read_bytes())],
    "xapi": [
        ("statements.json", (FIXTURES / "xapi" / "realistic_array.json").read_bytes()),
        ("statements.jsonl", (FIXTURES / "xapi" / "json_lines.jsonl").read_bytes()),
    ],
    "slack": [("export.zip", _slack_zip())],
}
assert set(SEEDS) == set(FORMATS), "every import format needs a seed file here"

NASTY = [
    "",
    " ",
    '"',
    '""',
    "'",
    ",",
    ";",
    "\t",
    "\r",
    "\n",
    "\x00",
    "\ufeff",
    "\u202e",  # right-to-left override
    "é",
    "e\u0301",  # e + combining accent
    "😀",
    '=HYPERLINK("http://x")',
    "-1",
    "0",
    "1e309",
    "99999999999999999999999999999999999",
    "NaN",
    "null",
    "None",
    "-",
    "1/1/1",
    "31/02/24, 09:12:45",
    "2024-13-45T99:99:99Z",
    "14/03/24, 09:12:45",
    "2024-03-14T09:12:45Z",
    "1710407565",
    "Robert'); DROP TABLE people;--",
    "a@b",
    "mailto:a@b.c",
    "x" * 5000,
    "{",
    "[",
    "}",
    "<p>&amp;</p>",
]

mutation = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "truncate", "cut_line", "double_line", "swap"]),
    st.floats(min_value=0, max_value=1, allow_nan=False),
    st.binary(max_size=12)
    | st.sampled_from([b'"', b",", b"\n", b"\r", b"\x00", b"{", b"]", b"\xff\xfe", b"\xe9"]),
)


def _mutated(data: bytes, steps: list[tuple[str, float, bytes]]) -> bytes:
    for op, where, chunk in steps:
        at = int(where * len(data))
        lines = data.split(b"\n")
        line = min(int(where * len(lines)), len(lines) - 1)
        if op == "insert":
            data = data[:at] + chunk + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + 1 + len(chunk) :]
        elif op == "replace":
            data = data[:at] + chunk + data[at + len(chunk) :]
        elif op == "truncate":
            data = data[:at]
        elif op == "cut_line" and lines:
            data = b"\n".join(lines[:line] + lines[line + 1 :])
        elif op == "double_line" and lines:
            data = b"\n".join(lines[: line + 1] + lines[line:])
        elif op == "swap" and len(lines) > 1:
            other = (line + 1) % len(lines)
            lines[line], lines[other] = lines[other], lines[line]
            data = b"\n".join(lines)
    return data


def _options(format_name: str) -> ImportOptions:
    mapping = ACTIVITY_MAPPING if format_name == "activity-csv" else None
    return ImportOptions(timezone=ZoneInfo("Europe/London"), mapping=mapping)


def parse_or_reject(path: Path, format_name: str) -> int:
    """Parse the whole file; returns the items read. Only a KnownError may escape."""
    module = get_format(format_name)
    try:
        return sum(1 for _ in module.parse(SourceFile(path), _options(format_name)))
    except ImportRejectedError as exc:
        assert exc.file == path.name
        assert exc.reason and "\n" not in exc.reason.strip("\n")
        raise
    except KnownError:
        raise


def _expect_clean_outcome(path: Path, format_name: str) -> None:
    try:
        parse_or_reject(path, format_name)
    except KnownError as exc:
        assert str(exc), "a rejection says why"


@pytest.mark.parametrize("format_name", FORMATS)
def test_every_seed_imports_cleanly(format_name: str, tmp_path: Path) -> None:
    for name, data in SEEDS[format_name]:
        path = tmp_path / name
        path.write_bytes(data)
        assert parse_or_reject(path, format_name) > 0


@pytest.mark.parametrize("format_name", FORMATS)
@FUZZ
@given(data=st.data())
def test_a_mangled_export_is_imported_or_rejected_never_a_crash(
    format_name: str, tmp_path: Path, data: st.DataObject
) -> None:
    name, seed = data.draw(st.sampled_from(SEEDS[format_name]), label="seed")
    steps = data.draw(st.lists(mutation, min_size=1, max_size=6), label="mutations")
    path = tmp_path / name
    if format_name == "slack":
        member = data.draw(st.sampled_from(_slack_members()), label="member")
        path.write_bytes(_slack_zip(mutate=lambda m, b: _mutated(b, steps) if m == member else b))
    else:
        path.write_bytes(_mutated(seed, steps))
    _expect_clean_outcome(path, format_name)


def _slack_members() -> list[str]:
    root = FIXTURES / "slack" / "realistic"
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


CSV_FORMATS = ["moodle-log", "moodle-forum", "activity-csv", "roster"]


@pytest.mark.parametrize("format_name", CSV_FORMATS)
@pytest.mark.parametrize("bom", [b"\xfe\xff", b"\xff\xfe"], ids=["utf-16-be", "utf-16-le"])
@FUZZ
@given(tail=st.binary(max_size=64))
def test_a_utf16_mark_over_bytes_that_are_not_utf16_is_rejected(
    format_name: str, bom: bytes, tmp_path: Path, tail: bytes
) -> None:
    # A byte-order mark in front of a UTF-8 export (or of anything) used to escape as a
    # UnicodeDecodeError: it is read as UTF-16, or refused with the file and a reason.
    name, seed = SEEDS[format_name][0]
    path = tmp_path / name
    path.write_bytes(bom + seed[:200] + tail)
    _expect_clean_outcome(path, format_name)


@pytest.mark.parametrize("format_name", CSV_FORMATS)
@FUZZ
@given(data=st.data())
def test_a_real_header_over_hostile_cells_is_imported_or_rejected(
    format_name: str, tmp_path: Path, data: st.DataObject
) -> None:
    name, seed = SEEDS[format_name][0]
    header = seed.decode("utf-8-sig").splitlines()[0]
    width = header.count(",") + 1
    cell = st.sampled_from(NASTY) | st.text(max_size=30)
    rows = data.draw(
        st.lists(st.lists(cell, min_size=0, max_size=width + 2), min_size=0, max_size=8),
        label="rows",
    )
    quote = data.draw(st.booleans(), label="quote every cell")

    def line(cells: list[str]) -> str:
        if quote:
            return ",".join('"' + c.replace('"', '""') + '"' for c in cells)
        return ",".join(cells)

    text = "\r\n".join([header, *(line(r) for r in rows)])
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    path = tmp_path / name
    path.write_bytes(text.encode(encoding, "replace"))
    _expect_clean_outcome(path, format_name)


@FUZZ
@given(
    statement=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "id",
                        "actor",
                        "verb",
                        "object",
                        "timestamp",
                        "mbox",
                        "name",
                        "account",
                        "homePage",
                        "context",
                        "extensions",
                        "objectType",
                        "display",
                        "result",
                    ]
                )
                | st.text(max_size=8),
                children,
                max_size=5,
            )
        ),
        max_leaves=25,
    )
)
def test_any_json_shape_as_xapi_is_imported_or_rejected(tmp_path: Path, statement: object) -> None:
    import json

    path = tmp_path / "statements.json"
    path.write_text(json.dumps([statement], allow_nan=True), encoding="utf-8")
    _expect_clean_outcome(path, "xapi")


# ---- the template renderer -----------------------------------------------------------------

_PIECES = [*"{}_ab \n!.:0", "first_name", "{first_name}", "{{", "}}", "{ first_name }", "{0}"]
template_text = st.lists(st.sampled_from(_PIECES), max_size=20).map("".join) | st.text(max_size=60)
field_values = st.text(max_size=40) | st.sampled_from(["{first_name}", "{{", "}", "{0.__class__}"])


@FUZZ
@given(
    text=template_text,
    values=st.dictionaries(st.sampled_from(sorted(PLACEHOLDER_NAMES)), field_values),
)
def test_any_template_is_rendered_or_rejected_with_its_place(
    text: str, values: dict[str, str]
) -> None:
    fields = dict.fromkeys(PLACEHOLDER_NAMES, "x") | values
    try:
        used = check(text)
    except TemplateError as exc:
        assert exc.line >= 1 and exc.column >= 1
        assert 0 <= exc.offset <= len(text)
        with pytest.raises(TemplateError):
            render(text, fields)
        return
    rendered = render(text, fields)
    for name in used:
        assert fields[name] in rendered  # values go in as they are, never read as template
    message = render_message(text, text, fields)
    assert "\n" not in message.subject


@FUZZ
@given(text=st.text(max_size=200))
def test_unknown_names_and_stray_braces_never_escape_as_other_errors(text: str) -> None:
    with contextlib.suppress(TemplateError):
        render(text, {"first_name": "Amina"})
