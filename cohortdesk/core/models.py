"""The schema, in one readable file (SQLAlchemy 2.0 typed ORM).

Times are stored as naive UTC and handed out as aware UTC datetimes (`UTCDateTime`); calendar
dates (a cohort's start, a motivation check-in) are plain dates. Counts, last active and peer
replies are never stored: they are derived from `ActivityEvent` rows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Role(StrEnum):
    """A member's role in one cohort."""

    LEARNER = "learner"
    MENTOR = "mentor"
    FACILITATOR = "facilitator"
    MANAGER = "manager"


class AccessStatus(StrEnum):
    """Whether a member has got into the cohort's space."""

    NOT_YET = "not_yet"
    ACCESSED = "accessed"
    PROBLEM = "problem"


class EventKind(StrEnum):
    """What a member did. `post` starts a thread; `reply` answers someone."""

    LOGIN = "login"
    VIEW = "view"
    POST = "post"
    REPLY = "reply"
    REACTION = "reaction"
    SHARE = "share"
    ATTEND = "attend"
    SUBMIT = "submit"


class StageChangeSource(StrEnum):
    """Why a stage was set: on joining, by the facilitator, or by accepting a suggestion."""

    JOINED = "joined"
    MANUAL = "manual"
    SUGGESTION = "suggestion"


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as naive UTC, portable across SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC time is needed")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


def _enum(enum_class: type[StrEnum], name: str) -> Enum:
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Cohort(Base):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    expertise: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


Index("ix_people_email_lower", func.lower(Person.email))


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("cohort_id", "person_id"),
        CheckConstraint("stage BETWEEN 1 AND 5", name="stage_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), default=Role.LEARNER)
    stage: Mapped[int] = mapped_column(Integer, default=1)
    stage_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    access: Mapped[AccessStatus] = mapped_column(
        _enum(AccessStatus, "access_status"), default=AccessStatus.NOT_YET
    )
    joined_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the import that added this member, so undoing it can remove them again
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )


class Identity(Base):
    """How a person is known on another platform, so re-imports find them again."""

    __tablename__ = "identities"
    # Not unique across people: "moodle 5104" on two Moodle sites are two people. Importers
    # match an identity only among the members of the cohort being imported into.
    __table_args__ = (
        UniqueConstraint("person_id", "source", "external_id"),
        Index("ix_identities_source_external_id", "source", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(200))


class ActivityEvent(Base):
    __tablename__ = "activity_events"
    __table_args__ = (
        UniqueConstraint("cohort_id", "source", "source_event_id"),
        Index("ix_activity_events_cohort_person_time", "cohort_id", "person_id", "occurred_at"),
        Index("ix_activity_events_cohort_time", "cohort_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind, "event_kind"))
    source: Mapped[str] = mapped_column(String(32), default="manual")
    source_event_id: Mapped[str | None] = mapped_column(String(200))
    thread: Mapped[str | None] = mapped_column(String(200))
    replied_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    word_count: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the import that brought this event in (None for events typed in by hand)
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), index=True
    )


class ImportBatch(Base):
    """One import of one file: its provenance, its counts, and the unit that can be undone."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    format: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(400))
    sha256: Mapped[str] = mapped_column(String(64))
    encoding: Mapped[str | None] = mapped_column(String(32))
    timezone: Mapped[str] = mapped_column(String(64))
    read: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    unattributed: Mapped[int] = mapped_column(Integer, default=0)
    ignored: Mapped[int] = mapped_column(Integer, default=0)
    people_created: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MotivationCheck(Base):
    __tablename__ = "motivation_checks"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    checked_on: Mapped[date] = mapped_column(Date)
    rating: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AccessIssue(Base):
    __tablename__ = "access_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str] = mapped_column(Text, default="")


class StageChange(Base):
    __tablename__ = "stage_changes"
    __table_args__ = (
        CheckConstraint("to_stage BETWEEN 1 AND 5", name="to_stage_range"),
        CheckConstraint(
            "from_stage IS NULL OR from_stage BETWEEN 1 AND 5", name="from_stage_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[int | None] = mapped_column(Integer)
    to_stage: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[StageChangeSource] = mapped_column(
        _enum(StageChangeSource, "stage_change_source"), default=StageChangeSource.MANUAL
    )
    evidence: Mapped[str | None] = mapped_column(Text)


class MemberNote(Base):
    """The facilitator's own note about a member of a cohort."""

    __tablename__ = "member_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    body: Mapped[str] = mapped_column(Text)


# ---- attention, stage evidence, prompt templates and nudges (issue 4) -----------------------


class TemplatePurpose(StrEnum):
    """What a prompt template is for; the attention list picks templates by purpose."""

    WELCOME = "welcome"
    GETTING_IN = "getting_in"
    ACCESS_HELP = "access_help"
    MOTIVATION = "motivation"
    DELURK = "delurk"
    CONNECT_PEERS = "connect_peers"
    SILENT = "silent"
    FOLLOW_UP = "follow_up"
    BRIDGE = "bridge"
    THANKS = "thanks"
    SUMMARY = "summary"
    WEAVE = "weave"
    REFLECTION = "reflection"
    INVITE_TO_HELP = "invite_to_help"
    CLOSE = "close"
    ETIVITY = "etivity"


class NudgeChannel(StrEnum):
    """How a nudge left cohortdesk."""

    CLIPBOARD = "clipboard"
    EMAIL = "email"
    EML = "eml"
    OTHER = "other"


class CohortRules(Base):
    """A cohort's adjustable thresholds (attention, stage evidence) and message settings.

    One row per cohort at most, holding a JSON document validated by `schemas.CohortRules`:
    a new threshold needs no migration, and a cohort without a row uses the defaults.
    """

    __tablename__ = "cohort_rules"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    settings: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SuggestionDismissal(Base):
    """A stage suggestion the facilitator turned down, with the evidence counts it showed.

    The same suggestion comes back only when one of those counts has grown since.
    """

    __tablename__ = "suggestion_dismissals"
    __table_args__ = (CheckConstraint("to_stage BETWEEN 1 AND 5", name="to_stage_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    to_stage: Mapped[int] = mapped_column(Integer)
    counts: Mapped[str] = mapped_column(Text)
    dismissed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PromptTemplate(Base):
    """A message a facilitator sends (or adapts): built in, or written by the facilitator.

    Built-in templates carry the `key` they ship under, so seeding is idempotent; they are
    never edited in place (duplicate one to adapt it) and never deleted, only retired.
    """

    __tablename__ = "prompt_templates"
    __table_args__ = (
        CheckConstraint("stage IS NULL OR stage BETWEEN 1 AND 5", name="stage_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[TemplatePurpose] = mapped_column(_enum(TemplatePurpose, "template_purpose"))
    #: the stage it is written for, or None for any stage
    stage: Mapped[int | None] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Intervention(Base):
    """A nudge as sent: to whom, from which template, the exact text, how and when.

    Its outcome (responded, no response yet, no response) is derived from later activity.
    """

    __tablename__ = "interventions"
    __table_args__ = (Index("ix_interventions_membership_sent", "membership_id", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("prompt_templates.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    channel: Mapped[NudgeChannel] = mapped_column(_enum(NudgeChannel, "nudge_channel"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# ---- mentoring, review packs and highlights (issue 7) -----------------------------------------
# Every table here refers to memberships, never to people directly: merging two people moves
# their rows generically (`services.people.member_record_columns`), so none of these may be
# unique per membership. "One mentor per mentee" is kept by `services.mentoring` instead.


class HighlightKind(StrEnum):
    """A success story (what someone achieved) or a quote (what someone said)."""

    STORY = "story"
    QUOTE = "quote"


class MentoringGroup(Base):
    """A mentor's group of mentees sharing a goal (group mentoring)."""

    __tablename__ = "mentoring_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable across review packs and notes files, so a group is never duplicated by a merge
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    mentor_membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    goal: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MentorLink(Base):
    """A mentee's mentor in one cohort, optionally within one of the mentor's groups."""

    __tablename__ = "mentor_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    mentee_membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentoring_groups.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MentoringSession(Base):
    """A mentor's own record of a session with a mentee or a group: private to that mentor."""

    __tablename__ = "mentoring_sessions"
    __table_args__ = (
        CheckConstraint(
            "mentee_membership_id IS NOT NULL OR group_id IS NOT NULL", name="with_someone"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable across review packs and notes files: the key that merges notes without duplicates
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    mentor_membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    mentee_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentoring_groups.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MentorReview(Base):
    """A mentor marked their mentees as reviewed: "what changed" counts from the latest."""

    __tablename__ = "mentor_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReviewPackInfo(Base):
    """Present only in a review pack: the cohort and mentor it was made for, and when."""

    __tablename__ = "review_pack_info"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    mentor_membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Highlight(Base):
    """A success story or quote worth telling, with its member, day and tags."""

    __tablename__ = "highlights"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    # Server defaults too: the PDF report's tests (and any script) may insert a highlight
    # with only its member, day and text.
    kind: Mapped[HighlightKind] = mapped_column(
        _enum(HighlightKind, "highlight_kind"),
        default=HighlightKind.STORY,
        server_default=HighlightKind.STORY.value,
    )
    happened_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    #: comma-separated, as typed ("leadership, first post")
    tags: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: the event it was captured from, if any
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity_events.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, server_default=func.current_timestamp()
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, server_default=func.current_timestamp()
    )


# ---- daily rollups for the dashboards (issue 5) ---------------------------------------------
# Derived data: `services.rollups` keeps these tables equal to a GROUP BY over `activity_events`
# on every change (import, undo, events typed in or deleted, member removed, people merged,
# time zone changed) and can rebuild a cohort's rows from the events at any time. Person ids
# carry no foreign key on purpose: these rows are never a person's record (nothing to export,
# move on a merge or keep after erasing), only a cache of counts that the next refresh rewrites.


class LocalDay(TypeDecorator[date]):
    """A calendar day (local to a cohort) stored as whole days since 1970-01-01.

    Rollups group and count by day: integers compare and subtract in plain SQL on every
    database (week of cohort = (day - first day) / 7) and cost less to read than date text.
    """

    impl = Integer
    cache_ok = True
    EPOCH = date(1970, 1, 1).toordinal()

    @classmethod
    def number(cls, day: date) -> int:
        """`day` as stored."""
        return day.toordinal() - cls.EPOCH

    def process_bind_param(self, value: date | None, dialect: Dialect) -> int | None:
        return None if value is None else self.number(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> date | None:
        return None if value is None else date.fromordinal(int(value) + self.EPOCH)


class DailyActivity(Base):
    """One member's activity on one local day (in the cohort's time zone): events in all, by
    kind (one column per kind: a day is one row, so dashboards read a quarter of the rows a
    row per kind would take), and the words they wrote."""

    __tablename__ = "daily_activity"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy's own dict

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(LocalDay, primary_key=True)
    events: Mapped[int] = mapped_column(Integer)
    posts: Mapped[int] = mapped_column(Integer)
    replies: Mapped[int] = mapped_column(Integer)
    logins: Mapped[int] = mapped_column(Integer)
    views: Mapped[int] = mapped_column(Integer)
    reactions: Mapped[int] = mapped_column(Integer)
    shares: Mapped[int] = mapped_column(Integer)
    attendances: Mapped[int] = mapped_column(Integer)
    submissions: Mapped[int] = mapped_column(Integer)
    words: Mapped[int] = mapped_column(Integer)


#: the `daily_activity` column counting each kind of event
DAILY_KIND_COLUMNS: dict[EventKind, str] = {
    EventKind.LOGIN: "logins",
    EventKind.VIEW: "views",
    EventKind.POST: "posts",
    EventKind.REPLY: "replies",
    EventKind.REACTION: "reactions",
    EventKind.SHARE: "shares",
    EventKind.ATTEND: "attendances",
    EventKind.SUBMIT: "submissions",
}


class DailyTotals(Base):
    """The whole cohort's activity on one local day: the sums of its `daily_activity` rows,
    so the weekly chart of a cohort reads one row a day whatever its size."""

    __tablename__ = "daily_totals"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy's own dict

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(LocalDay, primary_key=True)
    events: Mapped[int] = mapped_column(Integer)
    posts: Mapped[int] = mapped_column(Integer)
    replies: Mapped[int] = mapped_column(Integer)
    logins: Mapped[int] = mapped_column(Integer)
    views: Mapped[int] = mapped_column(Integer)
    reactions: Mapped[int] = mapped_column(Integer)
    shares: Mapped[int] = mapped_column(Integer)
    attendances: Mapped[int] = mapped_column(Integer)
    submissions: Mapped[int] = mapped_column(Integer)
    words: Mapped[int] = mapped_column(Integer)


class DailyReplies(Base):
    """Replies from one member to another per local day: the reply network over time.

    Whether a reply is a peer reply or one to staff is decided when it is read, from the two
    members' roles then: a role changed later re-colours the past without a rebuild.
    """

    __tablename__ = "daily_replies"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy's own dict

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    from_person_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    to_person_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(LocalDay, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
