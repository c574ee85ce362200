"""Immutable rows the services hand out, and validated inputs they accept.

Services never return live ORM objects: the GUI and CLI get these frozen pydantic models,
which are safe to pass between threads.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from cohortdesk.core.errors import KnownError
from cohortdesk.core.models import AccessStatus, EventKind, Role, StageChangeSource


def _check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {name!r} (use an IANA name like Europe/London)"
        ) from exc
    return name


def _check_aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("a time needs its time zone")
    return value


TimeZoneName = Annotated[
    str, StringConstraints(strip_whitespace=True), AfterValidator(_check_timezone)
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=320, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$"
    ),
]
StageNumber = Annotated[int, Field(ge=1, le=5)]
Rating = Annotated[int, Field(ge=1, le=5)]
AwareDateTime = Annotated[datetime, AfterValidator(_check_aware)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


ModelT = TypeVar("ModelT", bound=BaseModel)


def validated(model: type[ModelT], **values: object) -> ModelT:
    """Build `model` from `values`, turning a validation failure into a one-line `KnownError`."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "value"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise KnownError(f"{field}: {message}") from exc


# ---- inputs ---------------------------------------------------------------------------------


class CohortInput(Frozen):
    """What a facilitator types to create or edit a cohort."""

    name: Name
    description: str = ""
    start_date: date | None = None
    end_date: date | None = None
    timezone: TimeZoneName = "UTC"

    @model_validator(mode="after")
    def _dates_in_order(self) -> CohortInput:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("the end date is before the start date")
        return self


class MemberInput(Frozen):
    """A person to add to a cohort, or their edited details."""

    full_name: Name
    email: Email = ""
    role: Role = Role.LEARNER
    expertise: str = ""


class EventInput(Frozen):
    """An activity event entered by hand."""

    kind: EventKind
    occurred_at: AwareDateTime
    detail: str = ""
    thread: str | None = None
    replied_to_person_id: int | None = None
    word_count: Annotated[int, Field(ge=0)] | None = None


# ---- rows -----------------------------------------------------------------------------------


class CohortRow(Frozen):
    id: int
    name: str
    description: str
    start_date: date | None
    end_date: date | None
    timezone: str
    archived: bool
    members: int
    learners: int


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
    threads: int
    replies: int
    peer_replies: int
    events: int
    last_active: date | None

    @property
    def posts(self) -> int:
        """Threads started plus replies written."""
        return self.threads + self.replies


class StageChangeRow(Frozen):
    id: int
    from_stage: int | None
    to_stage: int
    changed_at: datetime
    reason: str
    source: StageChangeSource


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
    joined_on: date
    stage_since: datetime
    expertise: str
    stage_history: tuple[StageChangeRow, ...]
    access_issues: tuple[AccessIssueRow, ...]
    motivation: tuple[MotivationRow, ...]
    events: tuple[EventRow, ...]
    events_total: int
    notes: tuple[NoteRow, ...]


class PersonChoice(Frozen):
    """A member offered in a picker (for "replied to" on an event, say)."""

    person_id: int
    name: str
    role: Role
