"""Exports: participation records and reports (what to include, the preview, the result)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from cohortdesk.core.enums import AccessStatus, ExportFormat, Role
from cohortdesk.core.schemas.fields import Frozen, KeptDate
from cohortdesk.core.text import plural

MIN_EXPORT_KEY_CHARS = 16
"""A pseudonymisation key shorter than this is refused: person ids are small numbers."""


def _check_export_key(value: str | None) -> str | None:
    if value is None:
        return None
    if len(value) < MIN_EXPORT_KEY_CHARS:
        raise ValueError(f"a key needs at least {MIN_EXPORT_KEY_CHARS} characters")
    if any(c in value for c in "\r\n"):
        raise ValueError("a key is one line")
    return value


class ExportOptions(Frozen):
    """What to include in an export, and how.

    Attributes:
        pseudonymise: leave out names, emails, notes and message text; each member is known
            by a pseudonym (an HMAC of their id with `key`).
        key: the pseudonymisation key; None makes a random one for this export only, so two
            exports cannot be linked. The same key gives the same pseudonyms every time.
        as_of: the day the export is judged as of (`core/metrics/period.py`); by default
            today, or the cohort's end once it has ended.
        date_from: the first day of activity counted (in the cohort's time zone); by default
            the first activity.
        date_to: the last day of activity counted (in the cohort's time zone); by default
            the as-of day.
        include_inactive: keep members with no activity in the period.
        with_events: also write every event (CSV: a second file; XLSX: a second sheet).
    """

    pseudonymise: bool = False
    key: Annotated[str | None, AfterValidator(_check_export_key), Field(title="Key")] = None
    as_of: Annotated[KeptDate | None, Field(title="As of")] = None
    date_from: Annotated[KeptDate | None, Field(title="From")] = None
    date_to: Annotated[KeptDate | None, Field(title="To")] = None
    include_inactive: bool = True
    with_events: bool = False

    @model_validator(mode="after")
    def _period_in_order(self) -> ExportOptions:
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValueError("the period ends before it starts (To is before From)")
        return self


class ExportMember(Frozen):
    """One member as an export shows them, with their activity in the exported period.

    Attributes:
        label: the name, or the pseudonym when pseudonymised.
        name: empty when pseudonymised.
        email: empty when pseudonymised.
        pseudonym: None unless pseudonymised.
        motivation: the latest check-in up to the end of the period.
        nudges_received: nudges sent to them in the period.
        nudges_answered: of those, the ones they responded to (own activity in time).
    """

    membership_id: int
    person_id: int
    label: str
    name: str
    email: str
    pseudonym: str | None
    role: Role
    stage: int
    access: AccessStatus
    joined_on: date
    motivation: int | None
    logins: int
    threads: int
    replies: int
    peer_replies: int
    events: int
    first_active: date | None
    last_active: date | None
    nudges_received: int
    nudges_answered: int


class ExportPreview(Frozen):
    """What an export will include, for the export dialog before it runs.

    Attributes:
        members: members included.
        left_out: members left out (no activity in the period, when inactive are excluded).
        events: events in the period.
        columns: the member table's columns, as written.
        rows: its first rows, as written (pseudonymised when chosen).
        files: the files the export will write.
    """

    members: int
    left_out: int
    events: int
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    files: tuple[Path, ...]
    period: str


class ExportResult(Frozen):
    """What an export wrote."""

    format: ExportFormat
    cohort: str
    files: tuple[Path, ...]
    members: int
    events: int
    pseudonymised: bool

    def message(self) -> str:
        """One line for the status bar and the command line."""
        what = plural(self.members, "member")
        if self.format is ExportFormat.XAPI or self.events:
            what += f" and {self.events} event{'s' * (self.events != 1)}"
        files = " and ".join(path.name for path in self.files)
        extra = " (pseudonymised)" if self.pseudonymised else ""
        return f"Exported {what} of {self.cohort} to {files}{extra}"
