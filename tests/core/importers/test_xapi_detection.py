"""Detecting xAPI statements among other files, and the real exports of other formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cohortdesk.core.importers import xapi
from cohortdesk.core.importers.base import (
    ImportRejectedError,
)
from tests.core.importers.xapi_support import (
    FIXTURES,
    FORUM_FIXTURES,
    REAL,
    parse,
    statement,
)

# --- detection --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [p for p in sorted(FIXTURES.iterdir()) if p.name != "hostile_deep_nesting.json"],
    ids=lambda p: p.name,
)
def test_every_statement_fixture_is_detected(path: Path) -> None:
    assert xapi.detect(path.name, path.read_bytes()[: 64 * 1024])


@pytest.mark.parametrize("path", sorted(FORUM_FIXTURES.iterdir()), ids=lambda p: p.name)
def test_forum_exports_are_not_statements(path: Path) -> None:
    assert not xapi.detect(path.name, path.read_bytes()[: 64 * 1024])


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"[]",
        b"[1, 2]",
        b'{"users": []}',
        b"\xff\xfe[",
        b'[{"actor": {"mbox": "mailto:a@example.org"}}]',
        b"[" * 5000,
    ],
)
def test_other_json_is_not_detected(head: bytes) -> None:
    assert not xapi.detect("data.json", head)


def test_statements_saved_in_windows_1252_are_recognised_and_refused_as_not_utf8(
    tmp_path: Path,
) -> None:
    # Detection used to give up on the first byte that is not UTF-8, so the file was "of an
    # unknown format"; now it reads as statements and the import says what is wrong with it.
    path = tmp_path / "statements.json"
    path.write_bytes(
        json.dumps([statement()], ensure_ascii=False).replace("Ann", "Anaïs").encode("cp1252")
    )
    assert xapi.detect(path.name, path.read_bytes())
    with pytest.raises(ImportRejectedError, match="not UTF-8"):
        parse(path)


def test_a_long_lrs_page_cut_by_the_detection_window_is_still_detected() -> None:
    head = b'{"more": "/xapi/statements?more=1", "statements": [' + b'{"actor": {' + b" " * 70000

    assert xapi.detect("page.json", head[: 64 * 1024])


# --- real exports -----------------------------------------------------------------------------


def test_real_exports_of_other_formats_are_not_taken_for_statements() -> None:
    if not REAL.is_dir():
        pytest.skip(f"real exports not found at {REAL}")
    for path in sorted(REAL.iterdir()):
        assert not xapi.detect(path.name, path.read_bytes()[: 64 * 1024]), path.name
    with pytest.raises(ImportRejectedError):
        parse(REAL / "slack_export_2016.zip")
