"""Members of a cohort: their details and events as typed, the roster row, the member panel."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from cohortdesk.core.enums import AccessStatus, EventKind, Role, StageChangeSource
from cohortdesk.core.schemas.fields import AwareDateTime, Email, Frozen, Name, OptionalText


class MemberInput(Frozen):
    """A person to add to a cohort, or their edited details."""

    full_name: Annotated[Name, Field(title="Name")]
    email: Email = ""
    role: Role = Role.LEARNER
    expertise: str = ""


class EventInput(Frozen):
    """An activity event entered by hand."""

    kind: Annotated[EventKind, Field(title="What")]
    occurred_at: Annotated[AwareDateTime, Field(title="When")]
    detail: str = ""
    thread: OptionalText = None
    replied_to_person_id: Annotated[int | None, Field(title="Replied to")] = None
    word_count: Annotated[int | None, Field(ge=0, title="Words")] = None


class MemberRow(Frozen):
    """One line of the roster: who, where on the staircase, and what they have done."""

    membership_id: int
    person_id: int
    name: str
    email: str
    role: Role
    stage: int
    access: AccessStatus
    open_access_issues: int
    motivation: int | None
    motivation_change: int | None
    logins: int
    #: threads started, replies and their sum (`core/metrics/terms.py`)
    threads: int
    replies: int
    posts: int
    peer_replies: int
    events: int
    last_active: date | None


class StageChangeRow(Frozen):
    """One change of stage; `changed_at` is when it was recorded.

    `joined_on` is set on the row of joining: the day the member joined the cohort, which the
    history is dated by (an import records the row on the day it runs, years after the course).
    """

    id: int
    from_stage: int | None
    to_stage: int
    changed_at: datetime
    reason: str
    source: StageChangeSource
    joined_on: date | None = None


class AccessIssueRow(Frozen):
    id: int
    opened_at: datetime
    note: str
    resolved_at: datetime | None
    resolution: str

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class MotivationRow(Frozen):
    id: int
    checked_on: date
    rating: int
    note: str


class EventRow(Frozen):
    id: int
    occurred_at: datetime
    kind: EventKind
    source: str
    detail: str
    thread: str | None
    replied_to_name: str | None
    word_count: int | None


class NoteRow(Frozen):
    id: int
    created_at: datetime
    body: str


class MemberDetail(Frozen):
    """Everything the member panel shows about one member of one cohort."""

    row: MemberRow
    cohort_id: int
    cohort_name: str
    timezone: str
    #: the cohort's low-motivation rating (its attention settings): at or below it shows red
    low_motivation: int
    joined_on: date
    stage_since: datetime
    expertise: str
    stage_history: tuple[StageChangeRow, ...]
    access_issues: tuple[AccessIssueRow, ...]
    motivation: tuple[MotivationRow, ...]
    events: tuple[EventRow, ...]
    events_total: int
    notes: tuple[NoteRow, ...]
    #: the versions of the person and the membership as read: an edit made from this copy is
    #: refused if someone else saved either since (`update_member`)
    versions: tuple[int, int] = (1, 1)


class PersonChoice(Frozen):
    """A member offered in a picker (for "replied to" on an event, say)."""

    person_id: int
    name: str
    role: Role
