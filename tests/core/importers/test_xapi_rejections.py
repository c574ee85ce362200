"""The xAPI importer refusing what it cannot read: hostile files, malformed statements, empty
or undecodable bytes, and arbitrary input that must only ever be rejected."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohortdesk.core.importers import xapi
from cohortdesk.core.importers.base import (
    ImportRejectedError,
)
from tests.core.importers.xapi_support import (
    FIXTURES,
    parse,
    statement,
    write_json,
)

# --- rejections -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "row", "reason"),
    [
        ("hostile_deep_nesting.json", None, "JSON nested deeper than 64 levels"),
        ("hostile_nan.json", None, "invalid JSON (NaN is not a number JSON allows)"),
        ("hostile_huge_number.json", None, "invalid JSON (a number with 5000 digits is too large)"),
        (
            "hostile_duplicate_keys.json",
            None,
            "invalid JSON (the key 'actor' appears twice in one object)",
        ),
        ("hostile_non_object_statement.json", 2, "the statement is not a JSON object"),
        ("hostile_missing_verb.json", 2, "the statement has no verb id"),
        ("hostile_missing_timestamp.json", 2, "the statement has no timestamp"),
        (
            "hostile_group_actor.json",
            1,
            "the actor cannot be imported: it is a group, not one person",
        ),
        (
            "hostile_two_identifiers.json",
            1,
            "the actor cannot be imported: it has 2 identifiers (mbox, account); xAPI allows one",
        ),
        (
            "hostile_no_identifier.json",
            1,
            "the actor cannot be imported: it has no identifier "
            "(mbox, mbox_sha1sum, openid or account)",
        ),
        ("hostile_bad_statement_id.json", 2, "the statement id is not a UUID"),
        ("hostile_broken_json_line.jsonl", 2, "invalid JSON (Expecting value, column 1)"),
    ],
)
def test_hostile_files_are_rejected_with_a_reason(name: str, row: int | None, reason: str) -> None:
    with pytest.raises(ImportRejectedError) as caught:
        parse(FIXTURES / name)

    assert (caught.value.row, caught.value.reason) == (row, reason)
    assert caught.value.file == name


@pytest.mark.parametrize(
    ("data", "row", "reason"),
    [
        (42, None, "not xAPI statements: expected a JSON array, an LRS page or JSON lines"),
        ({"statements": {}}, None, "the LRS page's statements are not a JSON array"),
        ([statement(object=None)], 1, "the statement has no object"),
        ([statement(verb={"display": {"en": "x"}})], 1, "the statement has no verb id"),
        (
            [statement(timestamp="yesterday")],
            1,
            "the timestamp 'yesterday' is not an ISO 8601 date and time",
        ),
        (
            [statement(timestamp="2025-03-03")],
            1,
            "the timestamp '2025-03-03' is not an ISO 8601 date and time",
        ),
        (
            [statement(timestamp="0001-01-01T00:00:00+14:00")],
            1,
            "the timestamp '0001-01-01T00:00:00+14:00' is not an ISO 8601 date and time",
        ),
        ([statement(timestamp=20250303)], 1, "the statement has no timestamp"),
        ([statement(id=7)], 1, "the statement id is not a UUID"),
        ([statement(actor="ann")], 1, "the actor is missing or not an object"),
        (
            [statement(actor={"mbox": "ann"})],
            1,
            "the actor cannot be imported: its mbox is not a mailto: email address",
        ),
        ([statement(context=[])], 1, "the statement's context is not an object"),
        ([statement(context={"contextActivities": []})], 1, "contextActivities is not an object"),
        (
            [statement(context={"contextActivities": {"parent": "x"}})],
            1,
            "the parent activities are not an object or a list",
        ),
        (
            [statement(context={"contextActivities": {"parent": [{"name": "x"}]}})],
            1,
            "a parent activity has no id",
        ),
        ([statement(context={"extensions": []})], 1, "the context extensions are not an object"),
        (
            [
                statement(
                    verb={"id": "http://id.tincanapi.com/verb/replied"},
                    context={"extensions": {xapi.REPLIED_TO_EXTENSION: {"name": "Bob"}}},
                )
            ],
            1,
            "the person replied to cannot be imported: it has no identifier "
            "(mbox, mbox_sha1sum, openid or account)",
        ),
        (
            [statement(verb={"id": xapi.VOIDED}, object={"id": "x"})],
            1,
            "a voiding statement must point at a statement (a StatementRef with an id)",
        ),
        (
            [{"statements": [statement()]}],
            1,
            "an LRS page where a single statement should be",
        ),
    ],
)
def test_statements_that_cannot_be_read_are_rejected_with_a_reason(
    tmp_path: Path, data: object, row: int | None, reason: str
) -> None:
    with pytest.raises(ImportRejectedError) as caught:
        parse(write_json(tmp_path, data))

    assert (caught.value.row, caught.value.reason) == (row, reason)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"  \n", "the file is empty"),
        (b'[{"a": "\xff"}]', "not UTF-8 text (byte 8)"),
    ],
)
def test_empty_and_undecodable_files_are_rejected(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "statements.json"
    path.write_bytes(data)

    with pytest.raises(ImportRejectedError) as caught:
        parse(path)

    assert caught.value.reason == reason


def test_a_json_line_that_is_an_lrs_page_is_refused(tmp_path: Path) -> None:
    page = json.dumps({"statements": [statement()]})
    path = tmp_path / "pages.jsonl"
    path.write_text(f"{json.dumps(statement())}\n{page}\n", encoding="utf-8")

    with pytest.raises(ImportRejectedError) as caught:
        parse(path)

    assert (caught.value.row, caught.value.reason) == (
        2,
        "an LRS page where a single statement should be",
    )


# --- hostile bytes ----------------------------------------------------------------------------


_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=12),
    st.sampled_from(
        [
            "mailto:a@example.org",
            "2025-03-03T09:00:00Z",
            "2025-03-03T09:00:00",
            "http://id.tincanapi.com/verb/replied",
            xapi.VOIDED,
            "StatementRef",
            "Group",
            "6f1c2a3e-0000-4000-8000-000000000001",
        ]
    ),
)
_KEYS = st.sampled_from(
    [
        "id",
        "actor",
        "verb",
        "object",
        "timestamp",
        "stored",
        "context",
        "contextActivities",
        "parent",
        "extensions",
        xapi.REPLIED_TO_EXTENSION,
        "mbox",
        "account",
        "homePage",
        "name",
        "objectType",
        "result",
        "response",
        "display",
        "definition",
        "statements",
    ]
)
_JSON = st.recursive(
    _SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=5),
    max_leaves=25,
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_JSON, lines=st.booleans())
def test_arbitrary_statement_shaped_json_never_raises_anything_but_a_rejection(
    tmp_path: Path, data: object, lines: bool
) -> None:
    path = tmp_path / "any.json"
    if lines and isinstance(data, list):
        path.write_text("\n".join(json.dumps(item) for item in data), encoding="utf-8")
    else:
        path.write_text(json.dumps(data), encoding="utf-8")
    with contextlib.suppress(ImportRejectedError):
        parse(path)
