"""Any bytes at all, under every format's usual file names: each importer either reads them
or rejects the file with a reason. Nothing else escapes, and what is read is well formed."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohortdesk.core.importers.base import (
    ActivityRecord,
    ImportOptions,
    ImportRejectedError,
    SourceFile,
)
from cohortdesk.core.importers.registry import FORMATS, get_format

#: (format, file name, bytes the file starts with, options)
CASES = [
    ("roster", "any.csv", b"", ImportOptions()),
    ("roster", "any.xlsx", b"PK\x03\x04", ImportOptions()),  # past the zip signature
    ("slack", "export.zip", b"", ImportOptions()),
    ("xapi", "any.json", b"", ImportOptions()),
    ("moodle-forum", "any.csv", b"", ImportOptions()),
    ("moodle-log", "any.csv", b"", ImportOptions()),
    ("activity-csv", "any.csv", b"", ImportOptions(mapping={"who": "1", "when": "2", "kind": "3"})),
]


def test_every_format_is_covered() -> None:
    assert {case[0] for case in CASES} == set(FORMATS)


@pytest.mark.parametrize(("format_name", "name", "start", "options"), CASES)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_are_read_or_rejected_nothing_else(
    tmp_path: Path, format_name: str, name: str, start: bytes, options: ImportOptions, data: bytes
) -> None:
    module = get_format(format_name)
    path = tmp_path / name
    path.write_bytes(start + data)
    module.detect(path.name, start + data)
    with contextlib.suppress(ImportRejectedError):
        for item in module.parse(SourceFile(path), options):
            if isinstance(item, ActivityRecord):
                assert item.occurred_at.tzinfo is not None
