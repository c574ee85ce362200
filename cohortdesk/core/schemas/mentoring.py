"""Rows and inputs of mentoring, review packs, highlights, expertise and manager summaries.

Kept apart from `schemas` (which other features extend) but built the same way: frozen
pydantic models, safe to hand between threads, never live ORM objects.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from cohortdesk.core.enums import AccessStatus, HighlightKind, Role
from cohortdesk.core.schemas import AttentionReason, Frozen, Name
from cohortdesk.core.schemas.fields import KeptDate
from cohortdesk.core.text import plural


def split_tags(text: str) -> tuple[str, ...]:
    """`"Leadership, first post,,leadership"` -> `("Leadership", "first post")`."""
    seen: set[str] = set()
    tags = []
    for tag in (t.strip() for t in text.replace(";", ",").split(",")):
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tuple(tags)


def _tidy_tags(text: str) -> str:
    return ", ".join(split_tags(text))


LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
Tags = Annotated[str, StringConstraints(max_length=1000), AfterValidator(_tidy_tags)]


# ---- mentoring ------------------------------------------------------------------------------


class GroupInput(Frozen):
    """A mentoring group as the facilitator names it."""

    name: Annotated[Name, Field(title="Group name")]
    goal: LongText = ""


class GroupRow(Frozen):
    id: int
    uuid: str
    mentor_membership_id: int
    name: str
    goal: str
    #: names of the mentees in the group, by name
    mentees: tuple[str, ...]


class MentorRow(Frozen):
    """A member who mentors (role mentor, or anyone with mentees)."""

    membership_id: int
    person_id: int
    name: str
    email: str
    role: Role
    mentees: int
    groups: int
    last_reviewed_at: datetime | None

    @property
    def id(self) -> int:
        return self.membership_id


class AssignmentRow(Frozen):
    """A member of the cohort and their mentor, if any (for the mentoring dialog)."""

    membership_id: int
    name: str
    email: str
    role: Role
    stage: int
    mentor_membership_id: int | None
    mentor_name: str | None
    group_id: int | None
    group_name: str | None

    @property
    def id(self) -> int:
        return self.membership_id


class AssignResult(Frozen):
    """What assigning a mentor changed."""

    mentee_membership_id: int
    mentee_name: str
    mentor_name: str
    previous_mentor_name: str | None
    group_name: str | None

    def message(self) -> str:
        """`Ana Souza is now mentored by Ben Carter (was Dana Lee), in Leaders`."""
        text = f"{self.mentee_name} is now mentored by {self.mentor_name}"
        if self.previous_mentor_name and self.previous_mentor_name != self.mentor_name:
            text += f" (was {self.previous_mentor_name})"
        if self.group_name:
            text += f", in the group {self.group_name}"
        return text


class SessionInput(Frozen):
    """A mentoring session as the mentor writes it: with one mentee, or with a group."""

    held_on: Annotated[KeptDate, Field(title="Date")]
    mentee_membership_id: Annotated[int | None, Field(title="Mentee")] = None
    group_id: Annotated[int | None, Field(title="Group")] = None
    notes: LongText = ""
    goals: LongText = ""
    next_steps: Annotated[LongText, Field(title="Next steps")] = ""

    @model_validator(mode="after")
    def _complete(self) -> SessionInput:
        if self.mentee_membership_id is None and self.group_id is None:
            raise ValueError("choose the mentee or the group the session was with")
        if not (self.notes or self.goals or self.next_steps):
            raise ValueError("write some notes, goals or next steps")
        return self


class SessionRow(Frozen):
    """One of a mentor's sessions, as only that mentor sees it."""

    id: int
    uuid: str
    mentor_membership_id: int
    mentee_membership_id: int | None
    mentee_name: str | None
    group_id: int | None
    group_name: str | None
    held_on: date
    notes: str
    goals: str
    next_steps: str
    created_at: datetime
    updated_at: datetime

    @property
    def with_whom(self) -> str:
        """`Ana Souza`, or `Group: Leaders`."""
        if self.mentee_name is not None:
            return self.mentee_name
        return f"Group: {self.group_name or '?'}"


class ChangeLine(Frozen):
    """One thing that changed for a mentee since the mentor's last review."""

    kind: str  # "stage", "activity", "motivation", "access", "highlight"
    at: datetime | None
    text: str


class MenteeOverview(Frozen):
    """What a mentor sees about one mentee: progress, reasons, their own notes, what changed."""

    membership_id: int
    person_id: int
    name: str
    email: str
    stage: int
    stage_since: datetime
    access: AccessStatus
    open_access_issues: int
    motivation: int | None
    motivation_change: int | None
    posts: int
    peer_replies: int
    last_active: date | None
    #: events in the `recent_days` up to the day of the overview
    recent_events: int
    recent_posts: int
    group_name: str | None
    reasons: tuple[AttentionReason, ...]
    changes: tuple[ChangeLine, ...]
    sessions: tuple[SessionRow, ...]

    @property
    def id(self) -> int:
        return self.membership_id

    @property
    def goals(self) -> str:
        """The goals of the latest session that set any."""
        return next((s.goals for s in self.sessions if s.goals), "")

    @property
    def next_steps(self) -> str:
        """The next steps of the latest session that set any."""
        return next((s.next_steps for s in self.sessions if s.next_steps), "")


class MentorOverview(Frozen):
    """The mentor view: one mentor's mentees and nothing about anyone else."""

    mentor: MentorRow
    cohort_id: int
    cohort_name: str
    timezone: str
    as_of: date
    recent_days: int
    #: the cohort's low-motivation rating (its attention settings): at or below it shows red
    low_motivation: int
    #: the mentor's last review; None before the first
    since: datetime | None
    mentees: tuple[MenteeOverview, ...]
    groups: tuple[GroupRow, ...]
    #: sessions with a group (also listed under each of its members)
    group_sessions: tuple[SessionRow, ...]


# ---- review packs and notes -----------------------------------------------------------------


class ReviewPackInfoRow(Frozen):
    """What a review pack says about itself (present only in a pack)."""

    cohort_id: int
    cohort_name: str
    mentor_membership_id: int
    mentor_name: str
    mentor_email: str
    made_at: datetime


class ReviewPackResult(Frozen):
    """A review pack written: where, for whom, and what it holds."""

    path: str
    cohort_name: str
    mentor_name: str
    mentees: int
    events: int
    sessions: int
    size_bytes: int

    def message(self) -> str:
        return (
            f"Wrote the review pack for {self.mentor_name} to {self.path}: "
            f"{plural(self.mentees, 'mentee')}, {plural(self.events, 'event')}, "
            f"{plural(self.sessions, 'session note')}"
        )


class NotesExportResult(Frozen):
    path: str
    mentor_name: str
    sessions: int
    groups: int
    reviews: int

    def message(self) -> str:
        return (
            f"Wrote {plural(self.sessions, 'session')} of {self.mentor_name} to {self.path}; "
            "send this file to your facilitator"
        )


class NotesImportResult(Frozen):
    """What importing a mentor's notes file did: never a duplicate, by each session's id."""

    file_name: str
    cohort_name: str
    mentor_name: str
    inserted: int
    updated: int
    unchanged: int
    #: the database already held a newer version of these sessions
    kept_newer: int
    groups_added: int
    reviews_added: int
    notes: tuple[str, ...] = ()

    def message(self) -> str:
        return (
            f"Imported {self.file_name} ({self.mentor_name}, {self.cohort_name}): "
            f"{self.inserted} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.kept_newer} kept (newer here)"
        )

    def cli_json(self) -> dict[str, object]:
        return self.model_dump(mode="json")


# ---- highlights -----------------------------------------------------------------------------


class HighlightInput(Frozen):
    """A success story or quote as the facilitator captures it."""

    membership_id: Annotated[int, Field(title="Member")]
    kind: HighlightKind = HighlightKind.STORY
    happened_on: Annotated[KeptDate, Field(title="Date")]
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
    tags: Tags = ""
    event_id: int | None = None


class HighlightRow(Frozen):
    id: int
    membership_id: int
    cohort_id: int
    cohort_name: str
    member_name: str
    kind: HighlightKind
    happened_on: date
    text: str
    tags: tuple[str, ...]
    event_id: int | None
    created_at: datetime

    @property
    def tag_text(self) -> str:
        return ", ".join(self.tags)


# ---- expertise ------------------------------------------------------------------------------


class ExpertRow(Frozen):
    """A person whose expertise matches a search, with where to find them."""

    person_id: int
    name: str
    email: str
    #: their keywords as typed, in their order
    keywords: tuple[str, ...]
    #: the keywords the search matched
    matched: tuple[str, ...]
    #: `Spring 2026 (learner)`, by cohort name
    cohorts: tuple[str, ...]
    score: int

    @property
    def id(self) -> int:
        return self.person_id


class PeerSuggestion(Frozen):
    """A fellow member who shares expertise with someone: a bridge worth building."""

    membership_id: int
    person_id: int
    name: str
    role: Role
    stage: int
    shared: tuple[str, ...]


# ---- manager summary ------------------------------------------------------------------------


class SummaryHighlight(Frozen):
    happened_on: date
    kind: HighlightKind
    text: str


class ManagerSummary(Frozen):
    """A short summary of one learner for their line manager: never private notes."""

    learner: str
    cohort: str
    start_date: date | None
    end_date: date | None
    as_of: date
    stage: int
    stage_name: str
    stage_since: date
    joined_on: date
    logins: int
    threads: int
    replies: int
    peer_replies: int
    active_days: int
    active_weeks: int
    last_active: date | None
    highlights: tuple[SummaryHighlight, ...]
