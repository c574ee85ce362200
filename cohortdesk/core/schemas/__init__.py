"""Immutable rows the services hand out, and validated inputs they accept.

Services never return live ORM objects: the GUI and CLI get these frozen pydantic models,
which are safe to pass between threads. One module per domain; every name is re-exported
here, so `from cohortdesk.core.schemas import MemberRow` works whichever module holds it:

    fields       the frozen base model and validated field types (Name, Email, time zones...)
    validation   `validated` and `friendly_error`: a validation failure as one plain line
    cohorts      cohort input and list rows
    members      member and event input, roster rows, the member panel's detail
    imports      import preview, summary and past batches
    rules        a cohort's adjustable rules: attention, stage evidence, message facts
    attention    the attention list and its reasons
    evidence     stage evidence and suggested stage moves
    templates    prompt templates, placeholders, rendered messages
    nudges       nudges as sent, with their outcome
    exports      participation records and reports
    changes      what a write changed, handed back with its result
    team         the logins of a shared server (team mode)
    copying      what copying cohorts between databases did
"""

from __future__ import annotations

from cohortdesk.core.enums import ExportFormat
from cohortdesk.core.schemas.attention import (
    AttentionGroup,
    AttentionItem,
    AttentionReason,
    ReasonCode,
)
from cohortdesk.core.schemas.changes import Changed, Changes
from cohortdesk.core.schemas.cohorts import CohortInput, CohortRow
from cohortdesk.core.schemas.copying import CopySummary
from cohortdesk.core.schemas.evidence import EvidenceLine, MemberEvidence, StageSuggestion
from cohortdesk.core.schemas.exports import (
    MIN_EXPORT_KEY_CHARS,
    ExportMember,
    ExportOptions,
    ExportPreview,
    ExportResult,
)
from cohortdesk.core.schemas.fields import (
    AwareDateTime,
    Email,
    Frozen,
    Name,
    OptionalText,
    Rating,
    StageNumber,
    TimeZoneName,
)
from cohortdesk.core.schemas.imports import (
    ImportBatchRow,
    ImportPreviewRow,
    ImportSummary,
    ProposedStaff,
    UndoneImport,
)
from cohortdesk.core.schemas.members import (
    AccessIssueRow,
    EventInput,
    EventRow,
    MemberDetail,
    MemberInput,
    MemberRow,
    MotivationRow,
    NoteRow,
    PersonChoice,
    StageChangeRow,
)
from cohortdesk.core.schemas.nudges import DraftNudge, NudgeInput, NudgeOutcome, NudgeRow
from cohortdesk.core.schemas.rules import (
    AttentionSettings,
    CohortRules,
    EvidenceThresholds,
    MessageSettings,
)
from cohortdesk.core.schemas.team import TeamMember
from cohortdesk.core.schemas.templates import (
    MAX_MESSAGE_CHARS,
    MAX_SUBJECT_CHARS,
    MessageContext,
    Placeholder,
    RenderedMessage,
    TemplateInput,
    TemplateRow,
)
from cohortdesk.core.schemas.validation import ModelT, friendly_error, validated

__all__ = [
    "MAX_MESSAGE_CHARS",
    "MAX_SUBJECT_CHARS",
    "MIN_EXPORT_KEY_CHARS",
    "AccessIssueRow",
    "AttentionGroup",
    "AttentionItem",
    "AttentionReason",
    "AttentionSettings",
    "AwareDateTime",
    "Changed",
    "Changes",
    "CohortInput",
    "CohortRow",
    "CohortRules",
    "CopySummary",
    "DraftNudge",
    "Email",
    "EventInput",
    "EventRow",
    "EvidenceLine",
    "EvidenceThresholds",
    "ExportFormat",
    "ExportMember",
    "ExportOptions",
    "ExportPreview",
    "ExportResult",
    "Frozen",
    "ImportBatchRow",
    "ImportPreviewRow",
    "ImportSummary",
    "MemberDetail",
    "MemberEvidence",
    "MemberInput",
    "MemberRow",
    "MessageContext",
    "MessageSettings",
    "ModelT",
    "MotivationRow",
    "Name",
    "NoteRow",
    "NudgeInput",
    "NudgeOutcome",
    "NudgeRow",
    "OptionalText",
    "PersonChoice",
    "Placeholder",
    "ProposedStaff",
    "Rating",
    "ReasonCode",
    "RenderedMessage",
    "StageChangeRow",
    "StageNumber",
    "StageSuggestion",
    "TeamMember",
    "TemplateInput",
    "TemplateRow",
    "TimeZoneName",
    "UndoneImport",
    "friendly_error",
    "validated",
]
