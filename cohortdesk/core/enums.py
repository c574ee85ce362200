"""The schema's vocabulary: roles, access, event kinds, stage-change sources, template purposes,
nudge channels and highlight kinds.

Each is stored by value in an enum column (see `models.base.enum_type`); the UI, the importers
and the DTOs use them without touching any table.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A member's role in one cohort."""

    LEARNER = "learner"
    MENTOR = "mentor"
    FACILITATOR = "facilitator"
    MANAGER = "manager"


class TeamRole(StrEnum):
    """What a login may see and change on a shared server (enforced by the server itself)."""

    FACILITATOR = "facilitator"
    MENTOR = "mentor"
    TRAINER = "trainer"


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


class NudgeStatus(StrEnum):
    """Whether a nudge went out: cohortdesk cannot see the facilitator press Send.

    A message copied, opened in the mail client or saved as an `.eml` file is a *draft* until
    the facilitator says it was sent (or not sent); only a sent nudge counts.
    """

    DRAFT = "draft"
    SENT = "sent"
    NOT_SENT = "not_sent"


class HighlightKind(StrEnum):
    """A success story (what someone achieved) or a quote (what someone said)."""

    STORY = "story"
    QUOTE = "quote"


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
