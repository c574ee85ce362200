"""Immutable rows the services hand out, and validated inputs they accept.

Services never return live ORM objects: the GUI and CLI get these frozen pydantic models,
which are safe to pass between threads. One module per domain; every name is re-exported
here, so `from cohortdesk.core.schemas import MemberRow` works whichever module holds it
(each module is imported when one of its names is first used):

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

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

#: Where each name lives, as a module of this package (or a full name): a module is imported
#: the first time one of its names is asked for, so a start that needs only a few schemas
#: (Today's) does not build the pydantic models of all the others.
_HOMES: dict[str, str] = {
    "ExportFormat": "cohortdesk.core.enums",
    "AttentionGroup": "attention",
    "AttentionItem": "attention",
    "AttentionReason": "attention",
    "ReasonCode": "attention",
    "Changed": "changes",
    "Changes": "changes",
    "CohortInput": "cohorts",
    "CohortRow": "cohorts",
    "CopySummary": "copying",
    "EvidenceLine": "evidence",
    "MemberEvidence": "evidence",
    "StageSuggestion": "evidence",
    "MIN_EXPORT_KEY_CHARS": "exports",
    "ExportMember": "exports",
    "ExportOptions": "exports",
    "ExportPreview": "exports",
    "ExportResult": "exports",
    "AwareDateTime": "fields",
    "Email": "fields",
    "Frozen": "fields",
    "Name": "fields",
    "OptionalText": "fields",
    "Rating": "fields",
    "StageNumber": "fields",
    "TimeZoneName": "fields",
    "ImportBatchRow": "imports",
    "ImportPreviewRow": "imports",
    "ImportSummary": "imports",
    "ProposedStaff": "imports",
    "UndoneImport": "imports",
    "AccessIssueRow": "members",
    "EventInput": "members",
    "EventRow": "members",
    "MemberDetail": "members",
    "MemberInput": "members",
    "MemberRow": "members",
    "MotivationRow": "members",
    "NoteRow": "members",
    "PersonChoice": "members",
    "StageChangeRow": "members",
    "DraftNudge": "nudges",
    "NudgeInput": "nudges",
    "NudgeOutcome": "nudges",
    "NudgeRow": "nudges",
    "AttentionSettings": "rules",
    "CohortRules": "rules",
    "EvidenceThresholds": "rules",
    "MessageSettings": "rules",
    "TeamMember": "team",
    "MAX_MESSAGE_CHARS": "templates",
    "MAX_SUBJECT_CHARS": "templates",
    "MessageContext": "templates",
    "Placeholder": "templates",
    "RenderedMessage": "templates",
    "TemplateInput": "templates",
    "TemplateRow": "templates",
    "ModelT": "validation",
    "friendly_error": "validation",
    "validated": "validation",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home if "." in home else f"{__name__}.{home}"), name)
    globals()[name] = value  # found directly from now on
    return value


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
