"""What the xAPI importer tests share: the fixture folders, the people in them, and helpers."""

from __future__ import annotations

import json
from pathlib import Path

from cohortdesk.core.importers import xapi
from cohortdesk.core.importers.base import (
    ActivityRecord,
    ImportItem,
    ImportOptions,
    SourceFile,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "xapi"
FORUM_FIXTURES = FIXTURES.parent / "moodle_forum"
REAL = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "real"
HOME = "https://lms.example.org"
D11 = f"{HOME}/mod/forum/discuss.php?d=11"
ANN_MBOX = "mbox:mailto:ann.lee@example.org"
BOB = f"account:{HOME}|u-6"
CLEO = "sha1:a9993e364706816aba3e25717850c26c9cd0d89d"
FRAN = "openid:https://id.example.org/fran"


def parse(path: Path) -> tuple[list[ImportItem], SourceFile]:
    source = SourceFile(path)
    return list(xapi.parse(source, ImportOptions())), source


def records(items: list[ImportItem]) -> list[ActivityRecord]:
    return [item for item in items if isinstance(item, ActivityRecord)]


def statement(**changes: object) -> dict[str, object]:
    """A valid statement (Ann attended a session), with `changes` applied (None deletes)."""
    base: dict[str, object] = {
        "id": "6f1c2a3e-0000-4000-8000-000000000001",
        "actor": {"name": "Ann Lee", "mbox": "mailto:ann@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": f"{HOME}/session/1"},
        "timestamp": "2025-03-03T09:00:00Z",
    }
    for key, value in changes.items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base


def write_json(tmp_path: Path, data: object, name: str = "statements.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path
