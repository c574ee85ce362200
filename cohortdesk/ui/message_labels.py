"""How prompt templates, nudges and attention reasons read on screen."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtGui import QColor

from cohortdesk.core.enums import NudgeChannel, NudgeStatus, TemplatePurpose
from cohortdesk.core.schemas import (
    AttentionGroup,
    AttentionReason,
    NudgeOutcome,
    NudgeRow,
    ReasonCode,
)
from cohortdesk.core.stages import stage as stage_info
from cohortdesk.ui import format as fmt

PURPOSE_LABELS = {
    TemplatePurpose.WELCOME: "Welcome",
    TemplatePurpose.GETTING_IN: "Getting in",
    TemplatePurpose.ACCESS_HELP: "Access help",
    TemplatePurpose.MOTIVATION: "Motivation",
    TemplatePurpose.DELURK: "De-lurk",
    TemplatePurpose.CONNECT_PEERS: "Connect with peers",
    TemplatePurpose.SILENT: "Gone quiet",
    TemplatePurpose.FOLLOW_UP: "Follow-up",
    TemplatePurpose.BRIDGE: "Bridge two people",
    TemplatePurpose.THANKS: "Thanks",
    TemplatePurpose.SUMMARY: "Summary",
    TemplatePurpose.WEAVE: "Weave",
    TemplatePurpose.REFLECTION: "Reflection",
    TemplatePurpose.INVITE_TO_HELP: "Invite to help",
    TemplatePurpose.CLOSE: "Close an e-tivity",
    TemplatePurpose.ETIVITY: "E-tivity invitation",
}

CHANNEL_LABELS = {
    NudgeChannel.CLIPBOARD: "Copied",
    NudgeChannel.EMAIL: "Mail client",
    NudgeChannel.EML: ".eml file",
    NudgeChannel.OTHER: "Other",
}

CHANNEL_TIPS = {
    NudgeChannel.CLIPBOARD: "Copied to the clipboard (to paste into the course space or a chat)",
    NudgeChannel.EMAIL: "Opened in the mail client with a mailto: link",
    NudgeChannel.EML: "Saved as an .eml file for the mail client to open",
    NudgeChannel.OTHER: "Sent some other way",
}

STATUS_LABELS = {
    NudgeStatus.DRAFT: "Draft: sent?",
    NudgeStatus.SENT: "Sent",
    NudgeStatus.NOT_SENT: "Not sent",
}

STATUS_TIPS = {
    NudgeStatus.DRAFT: (
        "Copied, opened or saved, but not confirmed as sent: it does not count until you "
        "mark it sent"
    ),
    NudgeStatus.SENT: "You confirmed it was sent",
    NudgeStatus.NOT_SENT: "You said it was not sent: it does not count",
}

STATUS_COLOUR = QColor("#80868b")

OUTCOME_LABELS = {
    NudgeOutcome.RESPONDED: "Responded",
    NudgeOutcome.WAITING: "Waiting",
    NudgeOutcome.NO_RESPONSE: "No response",
}

OUTCOME_COLOURS = {
    NudgeOutcome.RESPONDED: QColor("#2e9d5b"),
    NudgeOutcome.WAITING: QColor("#c98a12"),
    NudgeOutcome.NO_RESPONSE: QColor("#d93f3f"),
}

REASON_LABELS = {
    ReasonCode.ACCESS_PROBLEM: "Access problem",
    ReasonCode.NEVER_ACCESSED: "Never logged in",
    ReasonCode.LOW_MOTIVATION: "Low motivation",
    ReasonCode.NO_RESPONSE: "No response to a nudge",
    ReasonCode.SILENT: "Gone quiet",
    ReasonCode.READS_NOT_POSTING: "Reads, does not post",
    ReasonCode.FACILITATOR_ONLY: "Replies only to staff",
    ReasonCode.RECENTLY_NUDGED: "Recently nudged",
}

REASON_CHIPS = {
    ReasonCode.ACCESS_PROBLEM: "Access problem",
    ReasonCode.NEVER_ACCESSED: "Never in",
    ReasonCode.LOW_MOTIVATION: "Low motivation",
    ReasonCode.NO_RESPONSE: "No response",
    ReasonCode.SILENT: "Quiet",
    ReasonCode.READS_NOT_POSTING: "Reads only",
    ReasonCode.FACILITATOR_ONLY: "Staff only",
    ReasonCode.RECENTLY_NUDGED: "Nudged",
}
"""Each reason in a word or two, for a chip on a one-line row (the tooltip has the rest)."""

GROUP_WORDS = {
    ReasonCode.ACCESS_PROBLEM: ("with an access problem", "with an access problem"),
    ReasonCode.NEVER_ACCESSED: ("never logged in", "never logged in"),
    ReasonCode.LOW_MOTIVATION: ("with low motivation", "with low motivation"),
    ReasonCode.NO_RESPONSE: ("not answering a nudge", "not answering a nudge"),
    ReasonCode.SILENT: ("gone quiet", "gone quiet"),
    ReasonCode.READS_NOT_POSTING: ("reads, does not post", "read, do not post"),
    ReasonCode.FACILITATOR_ONLY: ("replies only to staff", "reply only to staff"),
    ReasonCode.RECENTLY_NUDGED: ("nudged recently, waiting", "nudged recently, waiting"),
}
"""How a group of the attention list reads after its count: one, then several."""


def group_label(group: AttentionGroup) -> str:
    """`19 never logged in`, `12 gone quiet since week 3`: a group of the attention list."""
    count = len(group.membership_ids)
    one, many = GROUP_WORDS[group.code]
    text = f"{count} {one if count == 1 else many}"
    if group.week is not None:
        text += f" since week {group.week}"
    return text


REASON_PARTS = {
    ReasonCode.ACCESS_PROBLEM: "access problem open {days}",
    ReasonCode.NEVER_ACCESSED: "not logged in, {days} since the start",
    ReasonCode.LOW_MOTIVATION: "motivation {number} of 5",
    ReasonCode.NO_RESPONSE: "no response to a nudge of {days} ago",
    ReasonCode.SILENT: "silent {days}",
    ReasonCode.READS_NOT_POSTING: "reads, no post in {days}",
    ReasonCode.FACILITATOR_ONLY: "{number} replies, all to staff",
    ReasonCode.RECENTLY_NUDGED: "nudged {ago}",
}
"""Each reason as a short part of a priority; the figures come from the reason itself."""


def reason_words(reason: AttentionReason) -> str:
    """`silent 12 days`, `nudged 2 days ago`: a reason in a few plain words with its figure."""
    days = fmt.plural(reason.days or 0, "day")
    ago = "today" if not reason.days else f"{days} ago"
    words = REASON_PARTS[reason.code].format(days=days, number=reason.number, ago=ago)
    if reason.code is ReasonCode.RECENTLY_NUDGED and reason.weight == 0:
        words += ", but worse since"
    return words


def priority_part(reason: AttentionReason) -> str:
    """`+35 silent 12 days`, `-150 nudged 2 days ago`: one part of a priority."""
    return f"{reason.weight:+d} {reason_words(reason)}"


def priority_parts(reasons: tuple[AttentionReason, ...] | list[AttentionReason]) -> list[str]:
    """A priority's parts, one per reason, as `priority_part` words them."""
    return [priority_part(r) for r in reasons]


def priority_legend(weights: dict[ReasonCode, int]) -> str:
    """`Points: access problem +60 · … · recently nudged −150`."""
    parts = [f"{REASON_LABELS[code].lower()} {weight:+d}" for code, weight in weights.items()]
    return "Points: " + " · ".join(parts).replace("-", "−")


def suggestion_reason(reason: AttentionReason | None, stage: int) -> str:
    """`suggested: silent 12 days at stage 2`: why a template was suggested."""
    if reason is None:
        return ""
    return f"suggested: {reason_words(reason)} at stage {stage}"


def nudge_state(row: NudgeRow) -> str:
    """The outcome of a sent nudge; otherwise its status (`Draft: sent?`, `Not sent`)."""
    return OUTCOME_LABELS[row.outcome] if row.outcome is not None else STATUS_LABELS[row.status]


def nudge_state_tip(row: NudgeRow) -> str:
    """What the state means, in a sentence."""
    return outcome_tip(row.outcome) if row.outcome is not None else STATUS_TIPS[row.status]


def nudge_state_colour(row: NudgeRow) -> QColor:
    return OUTCOME_COLOURS[row.outcome] if row.outcome is not None else STATUS_COLOUR


def template_stage_text(stage: int | None) -> str:
    """`2 · Socialisation`, or `Any stage`."""
    return "Any stage" if stage is None else f"{stage} · {stage_info(stage).short}"


def days_ago(moment: datetime, timezone: str, today: date) -> str:
    """`today`, `1 day ago`, `8 days ago`: how long since a nudge, in the cohort's days."""
    days = (today - fmt.local_date(moment, timezone)).days
    if days <= 0:
        return "today"
    return f"{fmt.plural(days, 'day')} ago"


def outcome_tip(outcome: NudgeOutcome, response_days: int | None = None) -> str:
    """What an outcome means, in a sentence."""
    window = f"within {response_days} days" if response_days else "in time"
    return {
        NudgeOutcome.RESPONDED: f"They were active again {window} of the nudge",
        NudgeOutcome.WAITING: "Still inside the response window: no activity of theirs yet",
        NudgeOutcome.NO_RESPONSE: "No activity of theirs in the response window",
    }[outcome]
