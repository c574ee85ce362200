"""Imports: the preview of a file, what an import did, and the list of past imports."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from cohortdesk.core.enums import EventKind
from cohortdesk.core.schemas.fields import Frozen
from cohortdesk.core.text import plural


class ImportPreviewRow(Frozen):
    """One row of a file as the import will treat it, for the import dialog's preview."""

    row: int
    outcome: str  # "event", "person", "skipped" or "unattributed"
    who: str
    when: datetime | None
    kind: EventKind | None
    detail: str


class ProposedStaff(Frozen):
    """Someone whose activity in the file looks like a teacher's: proposed as staff, made a
    facilitator only when the facilitator confirms (`import --staff ID,...`, or the dialog)."""

    source_id: str
    #: how the product names them by their id ("Moodle user 394"), as a new member would be
    who: str
    name: str | None
    rows: int
    #: the staff-like things they did, with how many times, most first
    patterns: list[tuple[str, int]]

    def describe(self) -> str:
        """`Moodle user 394 (148 rows: viewed the participant list 23×, ...)`."""
        did = ", ".join(f"{what} {count}×" for what, count in self.patterns)
        who = self.who + (f", {self.name}" if self.name else "")
        return f"{who} ({self.rows} rows: {did})"


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
    #: people the file suggests are staff, for the facilitator to confirm
    proposed_staff: list[ProposedStaff] = Field(default_factory=list)
    #: the first and last day of the file's activity, in the cohort's time zone
    activity_first: date | None = None
    activity_last: date | None = None
    #: the file's activity lies (partly) outside the cohort's dates, or the cohort has none
    outside_dates: bool = False

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
            "proposed_staff": [p.model_dump(mode="json") for p in self.proposed_staff],
            "activity_first": self.activity_first.isoformat() if self.activity_first else None,
            "activity_last": self.activity_last.isoformat() if self.activity_last else None,
            "outside_dates": self.outside_dates,
            "notes": list(self.notes),
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


class UndoneImport(Frozen):
    """What undoing an import removed, exactly."""

    file_name: str
    events: int
    #: the members it had added who had nothing else recorded, so went with it
    people_removed: tuple[str, ...]
    #: the members it had added who stay, because something was recorded about them since
    people_kept: tuple[str, ...]

    def message(self) -> str:
        text = f"Undid the import of {self.file_name}: {plural(self.events, 'event')} removed"
        if self.people_removed:
            text += f", {plural(len(self.people_removed), 'member')} it had added removed"
        if self.people_kept:
            kept = ", ".join(self.people_kept[:5]) + (" ..." if len(self.people_kept) > 5 else "")
            text += f"; kept {kept}: recorded since by hand"
        return text
