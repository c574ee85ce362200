"""The hostile corpus (`tests/fixtures/hostile/`): each file is rejected with its file, row and
reason, or imported correctly; never half-imported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from cohortdesk.core.importers.base import ImportOptions, ImportRejectedError
from cohortdesk.core.models import ActivityEvent, ImportBatch, Membership, Person
from cohortdesk.core.schemas import CohortInput
from cohortdesk.core.services.activity import imports
from cohortdesk.core.services.people import cohorts
from cohortdesk.core.storage.db import Database

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
MANIFEST: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text("utf-8"))
MAPPING = {
    "who": "Author",
    "when": "Posted at",
    "kind": "Action",
    "replied_to": "In reply to",
    "thread": "Topic",
}


def test_the_corpus_is_large_and_every_file_has_an_expectation() -> None:
    files = sorted(
        p.name
        for p in CORPUS.iterdir()
        if p.name not in ("manifest.json", "README.md", "generate.py")
    )
    assert files == sorted(entry["file"] for entry in MANIFEST)
    assert len(files) >= 30
    assert sum(entry["expect"] == "rejected" for entry in MANIFEST) >= 20


def _counts(db: Database) -> tuple[int, int, int, int]:
    with db.read() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (ImportBatch, ActivityEvent, Person, Membership)
        )


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_a_hostile_file_is_rejected_clearly_or_imported_whole(
    db: Database, entry: dict[str, Any]
) -> None:
    with db.write() as session:
        cohort = cohorts.create_cohort(
            session, CohortInput(name="Hostile", timezone="Europe/London")
        ).value
    path = CORPUS / entry["file"]
    options = ImportOptions(
        timezone=ZoneInfo("Europe/London"),
        mapping=MAPPING if entry["format"] == "activity-csv" else None,
    )
    before = _counts(db)
    if entry["expect"] == "rejected":
        with pytest.raises(ImportRejectedError) as caught, db.write() as session:
            imports.import_file(session, cohort.id, path, entry["format"], options)
        error = caught.value
        assert error.file == path.name
        assert error.row == entry["row"]
        assert entry["reason"] in error.reason
        message = str(error)
        assert message.startswith(f"{path.name}: ")
        if entry["row"] is not None:
            assert f"row {entry['row']}: " in message
        assert _counts(db) == before, "a rejected file left something behind"
        return
    with db.write() as session:
        summary = imports.import_file(session, cohort.id, path, entry["format"], options)
    assert (summary.read, summary.inserted, summary.people_created) == (
        entry["read"],
        entry["events"],
        entry["people"],
    )
    batches, events, _people, _members = _counts(db)
    assert batches == before[0] + 1
    assert events == before[1] + entry["events"]
    with db.read() as session:
        batch = session.get(ImportBatch, summary.batch_id)
        assert batch is not None and batch.inserted == entry["events"]
