"""The schema (SQLAlchemy 2.0 typed ORM), one module per domain, every name re-exported here.

Import models from this package (`from cohortdesk.core.models import Membership`), not from
its modules: importing the package defines every table, so `Base.metadata` is always the
whole schema wherever it is used (Alembic, the privacy registry, salvage, erase, merges).

- `base`: the declarative `Base`, the naming convention, `UTCDateTime`, `utcnow`, enum columns
- `cohortdesk.core.enums` (outside this package, so that DTOs and screens use them without
  defining any table): roles, access, event kinds and the other values in enum columns
- `cohorts`: cohorts, people, memberships, identities and import batches
- `activity`: activity events
- `tracking`: motivation checks, access issues, stage changes, member notes
- `nudges`: cohort rules, dismissed suggestions, prompt templates, interventions
- `mentoring`: mentoring groups, links, sessions, reviews, review packs, highlights
- `rollups`: the daily rollups and their `LocalDay` type
- `team`: server logins and their team roles (team mode on PostgreSQL)

Times are stored as naive UTC and handed out as aware UTC datetimes (`UTCDateTime`); calendar
dates (a cohort's start, a motivation check-in) are plain dates. Counts, last active and peer
replies are never stored: they are derived from `ActivityEvent` rows.

The tables have no ORM relationships, so within one flush SQLAlchemy inserts rows of different
classes in the order of "module.ClassName". The module names keep that order as it was when
the schema was one module wherever it put a parent table first (cohorts and memberships before
the rules, nudges and mentoring records that point at them): rename a module with care, and
flush a parent before adding rows that refer to it by an id given in advance.
"""

from cohortdesk.core.enums import (
    AccessStatus,
    EventKind,
    HighlightKind,
    NudgeChannel,
    NudgeStatus,
    Role,
    StageChangeSource,
    TeamRole,
    TemplatePurpose,
)
from cohortdesk.core.models.activity import ActivityEvent
from cohortdesk.core.models.base import NAMING_CONVENTION, Base, UTCDateTime, utcnow
from cohortdesk.core.models.cohorts import Cohort, Identity, ImportBatch, Membership, Person
from cohortdesk.core.models.mentoring import (
    Highlight,
    MentoringGroup,
    MentoringSession,
    MentorLink,
    MentorReview,
    ReviewPackInfo,
)
from cohortdesk.core.models.nudges import (
    CohortRules,
    Intervention,
    PromptTemplate,
    SuggestionDismissal,
)
from cohortdesk.core.models.rollups import (
    DAILY_KIND_COLUMNS,
    DailyActivity,
    DailyReplies,
    DailyTotals,
    LocalDay,
)
from cohortdesk.core.models.team import TeamLogin
from cohortdesk.core.models.tracking import AccessIssue, MemberNote, MotivationCheck, StageChange

__all__ = [
    "DAILY_KIND_COLUMNS",
    "NAMING_CONVENTION",
    "AccessIssue",
    "AccessStatus",
    "ActivityEvent",
    "Base",
    "Cohort",
    "CohortRules",
    "DailyActivity",
    "DailyReplies",
    "DailyTotals",
    "EventKind",
    "Highlight",
    "HighlightKind",
    "Identity",
    "ImportBatch",
    "Intervention",
    "LocalDay",
    "MemberNote",
    "Membership",
    "MentorLink",
    "MentorReview",
    "MentoringGroup",
    "MentoringSession",
    "MotivationCheck",
    "NudgeChannel",
    "NudgeStatus",
    "Person",
    "PromptTemplate",
    "ReviewPackInfo",
    "Role",
    "StageChange",
    "StageChangeSource",
    "SuggestionDismissal",
    "TeamLogin",
    "TeamRole",
    "TemplatePurpose",
    "UTCDateTime",
    "utcnow",
]
