"""Imports: the preview of a file, what an import did, and the list of past imports."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from cohortdesk.core.models import EventKind
from cohortdesk.core.schemas.fields import Frozen


class ImportPreviewRow(Frozen):
    """One row of a file as the import will treat it, for the import dialog's preview."""

    row: int
    outcome: str  # "event", "person", "skipped" or "unattributed"
    who: str
    when: datetime | None
    kind: EventKind | None
    detail: str


class ImportSummary(Frozen):
    """What an import did (or, for a dry run, would do)."""

    format: str
    file_name: str
    encoding: str | None
    read: int
    inserted: int
    duplicates: int
    unattributed: int
    ignored: int
    people_created: int
    batch_id: int | None
    dry_run: bool
    notes: list[str] = Field(default_factory=list)
    #: why rows were left out, with how many of each
    skipped_reasons: dict[str, int] = Field(default_factory=dict)
    #: names of the people the import creates (the first 200)
    new_people: list[str] = Field(default_factory=list)
    #: the first rows of the file as the import reads them
    sample: list[ImportPreviewRow] = Field(default_factory=list)

    def cli_json(self) -> dict[str, object]:
        """The fields `cohortdesk import --json` prints."""
        return {
            "format": self.format,
            "encoding": self.encoding,
            "read": self.read,
            "inserted": self.inserted,
            "duplicates": self.duplicates,
            "unattributed": self.unattributed,
            "ignored": self.ignored,
            "people_created": self.people_created,
            "batch_id": self.batch_id,
        }


class ImportBatchRow(Frozen):
    """One past import of a cohort, for the Imports list."""

    id: int
    format: str
    file_name: str
    sha256: str
    imported_at: datetime
    read: int
    inserted: int
    duplicates: int
    unattributed: int
    ignored: int
    people_created: int
    events_now: int
    undone_at: datetime | None
