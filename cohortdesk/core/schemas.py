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


# ---- attention, stage evidence, prompt templates and nudges ---------------------------------
# This section's imports sit here so the top of the file stays free for concurrent changes;
# they can move up with the others.

from enum import StrEnum  # noqa: E402

from cohortdesk.core.models import NudgeChannel, TemplatePurpose  # noqa: E402

MAX_MESSAGE_CHARS = 20_000
"""The longest template body or rendered message cohortdesk accepts."""
MAX_SUBJECT_CHARS = 300


def _check_link(value: str) -> str:
    if any(c in value for c in "\r\n"):
        raise ValueError("a link is one line")
    return value


class AttentionSettings(Frozen):
    """When a learner belongs on the attention list. Days are calendar days in the cohort's zone.

    Attributes:
        never_accessed_days: days after the cohort starts (or they join, if later) before a
            learner with no activity at all is listed.
        silent_days: days without any activity, after having been active, before they are listed.
        reading_period_days: days after the start (or joining) during which reading without
            posting is the legitimate stage-2 behaviour; a reader who has not posted after
            it is listed.
        facilitator_only_replies: replies (all to staff, none to a peer) before that is listed.
        low_motivation: a latest check-in at or below this rating is listed.
        motivation_drop: a fall of this much or more between the last two check-ins is listed.
        response_days: days a nudge waits for a response (any own activity) before it counts
            as unanswered.
        recently_nudged_days: a learner nudged within this many days sinks down the list,
            unless a new reason has appeared since.
    """

    never_accessed_days: Annotated[int, Field(ge=0, le=365, title="Days without access")] = 5
    silent_days: Annotated[int, Field(ge=1, le=365, title="Days silent")] = 7
    reading_period_days: Annotated[int, Field(ge=0, le=365, title="Reading period")] = 14
    facilitator_only_replies: Annotated[int, Field(ge=1, le=100, title="Replies only to staff")] = 3
    low_motivation: Annotated[int, Field(ge=1, le=4, title="Low motivation")] = 2
    motivation_drop: Annotated[int, Field(ge=1, le=4, title="Motivation drop")] = 2
    response_days: Annotated[int, Field(ge=1, le=90, title="Days to respond to a nudge")] = 7
    recently_nudged_days: Annotated[int, Field(ge=0, le=90, title="Recently nudged")] = 3


class EvidenceThresholds(Frozen):
    """The numbers behind each stage's evidence (see `services.evidence` for the rules).

    Attributes:
        content_words: a post or reply of at least this many words carries content (one of
            unknown length counts too: imports do not always say).
        exchange_peer_replies: stage 3: replies to other learners.
        exchange_content_posts: stage 3: posts or replies carrying content.
        construction_peers: stage 4: peers with a sustained two-way exchange.
        construction_replies_each_way: stage 4: replies each way between two learners for
            their exchange to count as sustained (a real back-and-forth, not one answer).
        construction_answered_threads: stage 4: threads they started that another learner
            answered them in.
        development_helping_replies: stage 5: replies to newcomers (learners at stage
            `development_newcomer_stage` or below when answered), written once at stage 4.
        development_newcomer_stage: the highest stage that counts as a newcomer.
        development_span_days: stage 5: days between their first and latest peer reply.
    """

    content_words: Annotated[int, Field(ge=0, le=10_000, title="Words for content")] = 50
    exchange_peer_replies: Annotated[int, Field(ge=1, le=1000, title="Peer replies")] = 2
    exchange_content_posts: Annotated[int, Field(ge=0, le=1000, title="Content posts")] = 2
    construction_peers: Annotated[int, Field(ge=1, le=100, title="Two-way peers")] = 3
    construction_replies_each_way: Annotated[int, Field(ge=1, le=100, title="Replies each way")] = 2
    construction_answered_threads: Annotated[
        int, Field(ge=0, le=100, title="Threads answered by peers")
    ] = 1
    development_helping_replies: Annotated[
        int, Field(ge=1, le=1000, title="Replies to newcomers")
    ] = 4
    development_newcomer_stage: Annotated[int, Field(ge=1, le=4, title="Newcomer stage")] = 2
    development_span_days: Annotated[int, Field(ge=0, le=365, title="Days of peer replies")] = 28


class MessageSettings(Frozen):
    """Cohort facts the message placeholders use (`{space_link}`, `{next_etivity}`...)."""

    space_link: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_check_link)
    ] = ""
    next_etivity: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=200), Field(title="Next e-tivity")
    ] = ""
    next_date: Annotated[date | None, Field(title="Next date")] = None


class CohortRules(Frozen):
    """Everything adjustable per cohort about attention, stage evidence and messages."""

    attention: AttentionSettings = AttentionSettings()
    evidence: EvidenceThresholds = EvidenceThresholds()
    messages: MessageSettings = MessageSettings()


class ReasonCode(StrEnum):
    """Why a learner is on the attention list."""

    ACCESS_PROBLEM = "access_problem"
    NEVER_ACCESSED = "never_accessed"
    LOW_MOTIVATION = "low_motivation"
    NO_RESPONSE = "no_response"
    SILENT = "silent"
    READS_NOT_POSTING = "reads_not_posting"
    FACILITATOR_ONLY = "facilitator_only"
    RECENTLY_NUDGED = "recently_nudged"


class AttentionReason(Frozen):
    """One reason, in plain words with its numbers, and what it adds to the priority.

    Attributes:
        code: which rule.
        detail: the evidence as a facilitator would say it.
        weight: its share of the priority (negative for "recently nudged", which sinks).
        since: the day the reason became true (a reason newer than the last nudge means
            things got worse); None when it has no single day.
    """

    code: ReasonCode
    detail: str
    weight: int
    since: date | None = None


class AttentionItem(Frozen):
    """One learner who needs the facilitator, with why, how urgently, and what to say."""

    membership_id: int
    person_id: int
    name: str
    email: str
    stage: int
    priority: int
    reasons: tuple[AttentionReason, ...]
    last_nudged_at: datetime | None
    recently_nudged: bool
    suggested_template_id: int | None
    suggested_template: str | None
    subject: str
    message: str

    def cli_json(self) -> dict[str, object]:
        """The fields `cohortdesk attention --json` prints for this learner."""
        return {
            "name": self.name,
            "email": self.email,
            "stage": self.stage,
            "priority": self.priority,
            "reasons": [{"code": r.code.value, "detail": r.detail} for r in self.reasons],
            "suggested_template": self.suggested_template,
            "message": self.message,
        }


class EvidenceLine(Frozen):
    """One rule of one stage for one member: met or not, with the number and the threshold."""

    stage: int
    rule: str
    met: bool
    value: int
    needed: int
    detail: str


class MemberEvidence(Frozen):
    """What a member's activity shows, stage by stage (for the member panel)."""

    membership_id: int
    name: str
    current_stage: int
    evidence_stage: int
    lines: tuple[EvidenceLine, ...]
    counts: dict[str, int]


class StageSuggestion(Frozen):
    """A suggested move up the staircase, with the evidence that supports it.

    Attributes:
        counts: the evidence counts behind it; a dismissal stores them, and the suggestion
            returns only when one of them has grown.
    """

    membership_id: int
    person_id: int
    name: str
    email: str
    from_stage: int
    to_stage: int
    summary: str
    evidence: tuple[EvidenceLine, ...]
    counts: dict[str, int]


class TemplateInput(Frozen):
    """A prompt template as the facilitator writes it."""

    name: Name
    purpose: TemplatePurpose
    stage: Annotated[StageNumber | None, Field(title="Stage")] = None
    subject: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_SUBJECT_CHARS)]
    body: Annotated[str, StringConstraints(min_length=1, max_length=MAX_MESSAGE_CHARS)]


class TemplateRow(Frozen):
    """A prompt template, for the template library and pickers."""

    id: int
    key: str | None
    name: str
    purpose: TemplatePurpose
    stage: int | None
    subject: str
    body: str
    builtin: bool
    retired: bool
    created_at: datetime
    updated_at: datetime
    uses: int


class Placeholder(Frozen):
    """A field a template may use, as the template editor documents it."""

    name: str
    description: str
    example: str

    @property
    def token(self) -> str:
        """How it is written in a template: `{first_name}`."""
        return "{" + self.name + "}"


class RenderedMessage(Frozen):
    """A template filled in for one member.

    Attributes:
        fallback_fields: placeholders the template uses that had no value of their own for
            this member and got their documented fallback ('the course space', '[date]'...),
            so the editor can warn before the message goes out.
    """

    subject: str
    body: str
    fallback_fields: tuple[str, ...] = ()


class NudgeOutcome(StrEnum):
    """What followed a nudge, from the member's own activity afterwards."""

    RESPONDED = "responded"
    WAITING = "waiting"
    NO_RESPONSE = "no_response"

    @property
    def label(self) -> str:
        """In the facilitator's words."""
        return {"responded": "responded", "waiting": "no response yet"}.get(
            self.value, "no response"
        )


class NudgeInput(Frozen):
    """A nudge as it was sent."""

    template_id: int | None = None
    subject: Annotated[str, StringConstraints(max_length=MAX_SUBJECT_CHARS)] = ""
    body: Annotated[str, StringConstraints(min_length=1, max_length=MAX_MESSAGE_CHARS)]
    channel: NudgeChannel
    sent_at: Annotated[AwareDateTime | None, Field(title="Sent")] = None


class NudgeRow(Frozen):
    """One logged nudge with its outcome, for the member panel and the cohort's Nudges list.

    Attributes:
        outcome: responded (own activity within the response window), no response yet
            (window still open) or no response.
        active_again_at: the member's first own activity after the nudge, in the window or
            later; None if there has been none.
    """

    id: int
    membership_id: int
    person_id: int
    name: str
    email: str
    template_id: int | None
    template_name: str | None
    subject: str
    body: str
    channel: NudgeChannel
    sent_at: datetime
    outcome: NudgeOutcome
    active_again_at: datetime | None


class MessageContext(Frozen):
    """The placeholder values for one member, and which of them are fallbacks.

    Attributes:
        fields: a value for every documented placeholder (see `rendering.PLACEHOLDERS`).
        fallbacks: the placeholders that got their documented fallback rather than a value
            of their own ('the course space' when no link is set, say).
    """

    fields: dict[str, str]
    fallbacks: frozenset[str] = frozenset()


# ---- exports: participation records and reports ---------------------------------------------
# Imported here, like the section above, so the top of the file stays free for concurrent edits.

from pathlib import Path  # noqa: E402

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


class ExportFormat(StrEnum):
    """What an export writes."""

    CSV = "csv"
    XLSX = "xlsx"
    PDF = "pdf"
    XAPI = "xapi"

    @property
    def label(self) -> str:
        """In the user's words, for the export dialog."""
        return {
            "csv": "CSV (one row per member)",
            "xlsx": "Excel workbook (XLSX)",
            "pdf": "PDF report for management",
            "xapi": "xAPI statements (JSON, for a learning record store)",
        }[self.value]

    @property
    def suffix(self) -> str:
        """The file name ending it is usually given."""
        return ".json" if self is ExportFormat.XAPI else f".{self.value}"


class ExportOptions(Frozen):
    """What to include in an export, and how.

    Attributes:
        pseudonymise: leave out names, emails, notes and message text; each member is known
            by a pseudonym (an HMAC of their id with `key`).
        key: the pseudonymisation key; None makes a random one for this export only, so two
            exports cannot be linked. The same key gives the same pseudonyms every time.
        date_from: the first day of activity counted (in the cohort's time zone).
        date_to: the last day of activity counted (in the cohort's time zone).
        include_inactive: keep members with no activity in the period.
        with_events: also write every event (CSV: a second file; XLSX: a second sheet).
    """

    pseudonymise: bool = False
    key: Annotated[str | None, AfterValidator(_check_export_key), Field(title="Key")] = None
    date_from: Annotated[date | None, Field(title="From")] = None
    date_to: Annotated[date | None, Field(title="To")] = None
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
        what = f"{self.members} member{'s' * (self.members != 1)}"
        if self.format is ExportFormat.XAPI or self.events:
            what += f" and {self.events} event{'s' * (self.events != 1)}"
        files = " and ".join(path.name for path in self.files)
        extra = " (pseudonymised)" if self.pseudonymised else ""
        return f"Exported {what} of {self.cohort} to {files}{extra}"
