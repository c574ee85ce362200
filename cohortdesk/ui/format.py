"""How values read on screen: labels, colours and dates, the same in every view."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtGui import QColor

from cohortdesk.core.enums import AccessStatus, EventKind, Role, StageChangeSource
from cohortdesk.core.stages import stage
from cohortdesk.core.text import plural as plural  # the views say counts as `fmt.plural`
from cohortdesk.core.text import short_date as short_date  # and days as `fmt.short_date`

ROLE_LABELS = {
    Role.LEARNER: "Learner",
    Role.MENTOR: "Mentor",
    Role.FACILITATOR: "Facilitator",
    Role.MANAGER: "Manager",
}

ACCESS_LABELS = {
    AccessStatus.NOT_YET: "Not yet",
    AccessStatus.ACCESSED: "Accessed",
    AccessStatus.PROBLEM: "Problem",
}

ACCESS_COLOURS = {
    AccessStatus.NOT_YET: QColor("#9aa0a6"),
    AccessStatus.ACCESSED: QColor("#2e9d5b"),
    AccessStatus.PROBLEM: QColor("#d93f3f"),
}

EVENT_LABELS = {
    EventKind.LOGIN: "Logged in",
    EventKind.VIEW: "Viewed",
    EventKind.POST: "Started a thread",
    EventKind.REPLY: "Replied",
    EventKind.REACTION: "Reacted",
    EventKind.SHARE: "Shared",
    EventKind.ATTEND: "Attended",
    EventKind.SUBMIT: "Submitted",
}

MOTIVATION_LABELS = {1: "Very low", 2: "Low", 3: "Steady", 4: "Good", 5: "High"}


def stage_label(number: int) -> str:
    """`3 · Information exchange`."""
    return stage(number).label


def stage_colour(number: int) -> QColor:
    return QColor(stage(number).colour)


def motivation_text(rating: int | None, change: int | None) -> str:
    """`4 ↑` (rose since the last check-in), `2 ↓`, `3 →`, or an em dash when never asked."""
    if rating is None:
        return "—"
    if change is None:
        return str(rating)
    arrow = "↑" if change > 0 else "↓" if change < 0 else "→"
    return f"{rating} {arrow}"


def motivation_colour(rating: int | None, low: int) -> QColor | None:
    """Red at or below `low` (the cohort's low-motivation rating), amber just above, else green."""
    if rating is None:
        return None
    if rating <= low:
        return QColor("#d93f3f")
    if rating == low + 1:
        return QColor("#c98a12")
    return QColor("#2e9d5b")


def relative_day(day: date | None, today: date | None = None) -> str:
    """`today`, `yesterday`, `5 days ago`, or a short date beyond two weeks; `never`."""
    if day is None:
        return "never"
    today = today or date.today()
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 1 < days <= 14:
        return f"{days} days ago"
    return short_date(day)


def event_text(kind: EventKind, replied_to: str | None = None) -> str:
    """`Started a thread`, or `Replied to Ben Okafor` when a reply names whom it answers."""
    if kind is EventKind.REPLY and replied_to:
        return f"Replied to {replied_to}"
    return EVENT_LABELS[kind]


def local_time(moment: datetime, zone: str) -> str:
    """A UTC moment shown in the cohort's time zone: `3 Oct 2026 14:05`."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{short_date(local.date())} {local:%H:%M}"


STAGE_SOURCE_LABELS = {
    StageChangeSource.JOINED: "Joined",
    StageChangeSource.MANUAL: "By hand",
    StageChangeSource.SUGGESTION: "Suggested",
}

STAGE_SOURCE_TIPS = {
    StageChangeSource.JOINED: "The stage they joined the cohort at",
    StageChangeSource.MANUAL: "Set by hand by the facilitator",
    StageChangeSource.SUGGESTION: "A suggestion from their activity, accepted by the facilitator",
}


def stage_change_text(from_stage: int | None, to_stage: int) -> str:
    """`2 → 3`, or `Started at 1` for the stage someone joined at."""
    if from_stage is None:
        return f"Started at {to_stage}"
    return f"{from_stage} → {to_stage}"


def local_date(moment: datetime, zone: str) -> date:
    """The calendar day a UTC moment falls on in the cohort's time zone."""
    return moment.astimezone(ZoneInfo(zone)).date()
