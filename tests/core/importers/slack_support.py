"""What the Slack importer tests share: the fixture archives, the people in them, and helpers.

Fixtures are folders of JSON under `tests/fixtures/slack/<trap>/` (see its README); `build_zip`
zips one into a temporary archive, optionally with extra or patched members, so the archive
traps (path traversal, zip bombs, damaged or encrypted members) are built in the tests.
"""

from __future__ import annotations

import struct
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cohortdesk.core.importers import slack
from cohortdesk.core.importers.base import (
    ActivityRecord,
    ImportItem,
    ImportOptions,
    ImportRejectedError,
    PersonKey,
    PersonRecord,
    Skipped,
    SourceFile,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "slack"
REAL = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "real"

ANA = PersonKey("U01ANA", "ana@example.org", "Ana Lima")
BEN = PersonKey("U02BEN", None, "Ben Okafor")
CHLOE = PersonKey("U03CHL", "chloe@example.org", "Chloé Martin")
USERS_AS_RECORDS = [PersonRecord(1, ANA), PersonRecord(2, BEN), PersonRecord(3, CHLOE)]


def build_zip(
    tmp_path: Path,
    fixture: str,
    *,
    prefix: str = "",
    extra: dict[str, bytes | str] | None = None,
    exclude: tuple[str, ...] = (),
    compression: int = zipfile.ZIP_DEFLATED,
    name: str = "export.zip",
) -> Path:
    """Zip `tests/fixtures/slack/<fixture>/` (members named by their relative path)."""
    folder = FIXTURES / fixture
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", compression) as archive:
        for file in sorted(folder.rglob("*")):
            member = file.relative_to(folder).as_posix()
            if file.is_file() and member not in exclude:
                archive.writestr(prefix + member, file.read_bytes())
        for member, data in (extra or {}).items():
            archive.writestr(member, data)
    return path


def patch_central(path: Path, member: str, offset: int, fmt: str, value: int) -> None:
    """Overwrite a field of `member`'s central-directory entry (what `zipfile` trusts)."""
    data = bytearray(path.read_bytes())
    start = data.index(b"PK\x01\x02")
    while True:
        name_len = struct.unpack_from("<H", data, start + 28)[0]
        extra_len, comment_len = struct.unpack_from("<HH", data, start + 30)
        if data[start + 46 : start + 46 + name_len].decode() == member:
            struct.pack_into(fmt, data, start + offset, value)
            path.write_bytes(bytes(data))
            return
        start += 46 + name_len + extra_len + comment_len


def run(path: Path, options: ImportOptions | None = None) -> tuple[list[ImportItem], SourceFile]:
    source = SourceFile(path)
    return list(slack.parse(source, options or ImportOptions())), source


def records(items: list[ImportItem]) -> list[ActivityRecord]:
    return [item for item in items if isinstance(item, ActivityRecord)]


def skipped(items: list[ImportItem]) -> Counter[tuple[str, bool]]:
    return Counter((i.reason, i.unattributed) for i in items if isinstance(i, Skipped))


def summary(items: list[ImportItem]) -> list[tuple[object, ...]]:
    """Each record as (kind, who id, thread, replied-to id, word count)."""
    return [
        (
            r.kind.value,
            r.who.source_id,
            r.thread,
            r.replied_to.source_id if r.replied_to else None,
            r.word_count,
        )
        for r in records(items)
    ]


def rejected(path: Path, options: ImportOptions | None = None) -> str:
    with pytest.raises(ImportRejectedError) as caught:
        run(path, options)
    assert caught.value.file == path.name
    return caught.value.reason


def utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
