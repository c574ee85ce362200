"""The Slack importer's archive side: detection, the ZIP's layout, and every archive trap.

The traps (path traversal, zip bombs, damaged, encrypted or deflate64 members, duplicate members)
are built here from the readable fixtures with `build_zip` and `patch_central`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from cohortdesk.core.importers import slack
from cohortdesk.core.importers.base import ImportOptions
from tests.core.importers.slack_support import build_zip, patch_central, rejected, run

# -- detection


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("export.zip", b"PK\x03\x04rest", True),
        ("Cohort Slack export Mar 1 2021 - Mar 5 2021.ZIP", b"PK\x03\x04", True),
        ("export.zip", b"not a zip", False),
        ("export.json", b"PK\x03\x04", False),
        ("log.csv", b"Time,User full name", False),
    ],
)
def test_detect(name: str, head: bytes, expected: bool) -> None:
    assert slack.detect(name, head) is expected


def test_module_constants() -> None:
    assert (slack.FORMAT, slack.IDENTITY_SOURCE, slack.UNNAMED_LABEL) == (
        "slack",
        "slack",
        "Slack user",
    )


# -- where the export sits in the ZIP


def test_export_zipped_inside_a_folder(tmp_path: Path) -> None:
    items, source = run(build_zip(tmp_path, "realistic", prefix="Cohort export/"))
    plain, _ = run(build_zip(tmp_path, "realistic", name="plain.zip"))
    assert items == plain
    assert source.notes[0] == "The export is inside the folder 'Cohort export/' of the ZIP."


# -- rejected files


def test_missing_users_json(tmp_path: Path) -> None:
    reason = rejected(build_zip(tmp_path, "missing_users"))
    assert reason == "users.json is missing: this is not a Slack workspace export"


def test_missing_channels_json(tmp_path: Path) -> None:
    reason = rejected(build_zip(tmp_path, "realistic", exclude=("channels.json",)))
    assert reason == "channels.json is missing: this is not a Slack workspace export"


def test_malformed_day_file_names_the_member(tmp_path: Path) -> None:
    reason = rejected(build_zip(tmp_path, "malformed_day_file"))
    assert reason.startswith("general/2021-03-02.json: line 3: invalid JSON (")


@pytest.mark.parametrize(
    "member",
    [
        "../evil.json",
        "general/../../evil.json",
        "/etc/cron.d/evil",
        "..\\evil.json",
        "C:/Windows/evil.json",
    ],
)
def test_path_traversal_member_is_refused(tmp_path: Path, member: str) -> None:
    reason = rejected(build_zip(tmp_path, "realistic", extra={member: "[]"}))
    assert reason == (
        f"the archive holds an unsafe file name ({member!r}) that points outside the archive; "
        "it was not read"
    )


def test_zip_bomb_declared_size(tmp_path: Path) -> None:
    """A member declaring 4 GB uncompressed is refused before anything is read."""
    path = build_zip(tmp_path, "realistic", compression=zipfile.ZIP_STORED)
    patch_central(path, "general/2021-03-01.json", 24, "<I", 0xFFFF_FFF0)
    assert rejected(path) == (
        "the archive would unpack to 4,295 MB, over the 537 MB limit (a damaged or malicious ZIP?)"
    )


def test_zip_bomb_compression_ratio(tmp_path: Path) -> None:
    """A small archive that unpacks to more than the cap is refused."""
    path = build_zip(
        tmp_path, "realistic", extra={"general/2021-03-03.json": "[" + " " * 300_000 + "]"}
    )
    assert path.stat().st_size < 100_000
    reason = rejected(path, ImportOptions(max_bytes=200_000))
    assert reason.startswith("the archive would unpack to 0 MB, over the 0 MB limit")


def test_too_many_members(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(slack, "MAX_MEMBERS", 5)
    reason = rejected(build_zip(tmp_path, "realistic"))
    assert reason == "the archive holds 6 files, over the limit of 5"


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(b"PK\x03\x04 but nothing else")
    assert rejected(path) == "not a readable ZIP archive (File is not a zip file)"


def test_damaged_member_crc(tmp_path: Path) -> None:
    path = build_zip(tmp_path, "realistic", compression=zipfile.ZIP_STORED)
    patch_central(path, "general/2021-03-01.json", 16, "<I", 0x1234_5678)
    reason = rejected(path)
    assert reason.startswith("general/2021-03-01.json is damaged (Bad CRC-32")


def test_encrypted_member(tmp_path: Path) -> None:
    path = build_zip(tmp_path, "realistic")
    patch_central(path, "users.json", 8, "<H", 0x0001)
    assert rejected(path) == (
        "users.json is encrypted (password-protected); export again without a password"
    )


def test_unsupported_compression(tmp_path: Path) -> None:
    path = build_zip(tmp_path, "realistic", compression=zipfile.ZIP_STORED)
    patch_central(path, "channels.json", 10, "<H", 9)  # deflate64, as Windows writes big files
    assert rejected(path) == (
        "channels.json is compressed with a method that cannot be read (method 9); zip the "
        "export again with standard compression"
    )


def test_duplicate_member(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        path = build_zip(tmp_path, "realistic", extra={"users.json": "[]"})
    assert rejected(path) == "the archive lists 'users.json' twice"


def test_oversized_archive_refused_before_opening(tmp_path: Path) -> None:
    path = build_zip(tmp_path, "realistic")
    reason = rejected(path, ImportOptions(max_bytes=100))
    assert reason.startswith("the file is 0 MB, over the 0 MB limit")
