"""Immutable rows the services hand out, and validated inputs they accept.

Services never return live ORM objects: the GUI and CLI get these frozen pydantic models,
which are safe to pass between threads.
"""

from __future__ import annotations

import re
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
from pydantic_core import ErrorDetails

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


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _check_email(value: str) -> str:
    if value and not _EMAIL.fullmatch(value):
        raise ValueError(f"not a valid email address ({_shown(value)})")
    return value


def _blank_to_none(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


TimeZoneName = Annotated[
    str, StringConstraints(strip_whitespace=True), AfterValidator(_check_timezone)
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=320), AfterValidator(_check_email)
]
OptionalText = Annotated[str | None, AfterValidator(_blank_to_none)]
"""Stripped text where blank means "none"."""
StageNumber = Annotated[int, Field(ge=1, le=5)]
Rating = Annotated[int, Field(ge=1, le=5)]
AwareDateTime = Annotated[datetime, AfterValidator(_check_aware)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


ModelT = TypeVar("ModelT", bound=BaseModel)


def validated(model: type[ModelT], **values: object) -> ModelT:
    """Build `model` from `values`, turning a validation failure into a one-line `KnownError`.

    The message names the field as a person would (its `title`, or its name in words) and
    says what is wrong in plain words, with the value when that helps:
    `Email: not a valid email address (ann@example)`, `Name: cannot be empty`.
    """
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise KnownError(friendly_error(model, exc.errors()[0])) from exc


_SHOWN_LENGTH = 40

# pydantic's error types in plain words; `{...}` takes a value from the error's context, and
# True means the rejected value is shown after the words.
_PLAIN_WORDS: dict[str, tuple[str, bool]] = {
    "missing": ("required", False),
    "string_too_long": ("too long (at most {max_length} characters)", False),
    "string_pattern_mismatch": ("not in the expected form", True),
    "string_type": ("not text", True),
    "int_parsing": ("not a whole number", True),
    "int_type": ("not a whole number", True),
    "int_from_float": ("not a whole number", True),
    "float_parsing": ("not a number", True),
    "float_type": ("not a number", True),
    "bool_parsing": ("not yes or no", True),
    "bool_type": ("not yes or no", True),
    "greater_than": ("must be more than {gt}", True),
    "greater_than_equal": ("must be at least {ge}", True),
    "less_than": ("must be less than {lt}", True),
    "less_than_equal": ("must be at most {le}", True),
    "date_type": ("not a valid YYYY-MM-DD date", True),
    "date_parsing": ("not a valid YYYY-MM-DD date", True),
    "date_from_datetime_parsing": ("not a valid YYYY-MM-DD date", True),
    "date_from_datetime_inexact": ("a date alone is expected, without a time of day", True),
    "datetime_type": ("not a valid date and time", True),
    "datetime_parsing": ("not a valid date and time", True),
    "datetime_from_date_parsing": ("not a valid date and time", True),
    "timezone_aware": ("needs its time zone", True),
    "enum": ("must be one of {expected}", True),
    "literal_error": ("must be one of {expected}", True),
    "too_short": ("needs at least {min_length}", False),
    "too_long": ("has more than {max_length}", False),
    "extra_forbidden": ("not expected here", False),
}


def friendly_error(model: type[BaseModel], error: ErrorDetails) -> str:
    """One pydantic error as one line: the field's label first, then what is wrong."""
    kind, context = error["type"], error.get("ctx", {})
    if kind in ("value_error", "assertion_error"):
        # Our own validators' words, which name the value themselves when it helps.
        words, show_input = str(context.get("error", error["msg"])), False
    elif kind == "string_too_short":
        minimum = context.get("min_length", 1)
        words = "cannot be empty" if minimum == 1 else f"needs at least {minimum} characters"
        show_input = False
    elif kind in _PLAIN_WORDS:
        template, show_input = _PLAIN_WORDS[kind]
        words = template.format(**{k: str(v).replace("'", "") for k, v in context.items()})
    else:
        words, show_input = str(error["msg"]), True
        words = words[:1].lower() + words[1:]
    if show_input and (shown := _shown(error["input"])):
        words += f" ({shown})"
    label = _label(model, error["loc"])
    line = f"{label}: {words}" if label else words[:1].upper() + words[1:]
    return " ".join(line.split())


def _label(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    """`Email`, `Time zone`, `Notes, item 2`; empty for an error about the whole input."""
    if not loc:
        return ""
    name = str(loc[0])
    field = model.model_fields.get(name)
    label = field.title if field is not None and field.title else name.replace("_", " ")
    label = label[:1].upper() + label[1:]
    items = [part for part in loc[1:] if isinstance(part, int)]
    return label + "".join(f", item {index + 1}" for index in items)


def _shown(value: object) -> str:
    """A rejected value as the message shows it: short, one line; empty for a non-scalar."""
    if not isinstance(value, str | int | float | date):
        return ""
    text = " ".join(str(value).split())
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 1] + "…"


# ---- inputs ---------------------------------------------------------------------------------


class CohortInput(Frozen):
    """What a facilitator types to create or edit a cohort."""

    name: Name
    description: str = ""
    start_date: date | None = None
    end_date: date | None = None
    timezone: Annotated[TimeZoneName, Field(title="Time zone")] = "UTC"

    @model_validator(mode="after")
    def _dates_in_order(self) -> CohortInput:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("the end date is before the start date")
        return self


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


# ---- imports --------------------------------------------------------------------------------


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
