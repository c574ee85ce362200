"""Nudges: a message as it was sent, and what followed it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from cohortdesk.core.enums import NudgeChannel, NudgeStatus
from cohortdesk.core.schemas.fields import AwareDateTime, Frozen
from cohortdesk.core.schemas.templates import MAX_MESSAGE_CHARS, MAX_SUBJECT_CHARS


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
    """A nudge to log: sent (written down after the fact), or a draft put on its way.

    Attributes:
        status: sent for a nudge the facilitator logs as sent; a draft for a message that
            only left cohortdesk (copied, opened in the mail client, saved as `.eml`).
    """

    template_id: int | None = None
    subject: Annotated[str, StringConstraints(max_length=MAX_SUBJECT_CHARS)] = ""
    body: Annotated[str, StringConstraints(min_length=1, max_length=MAX_MESSAGE_CHARS)]
    channel: NudgeChannel
    sent_at: Annotated[AwareDateTime | None, Field(title="Sent")] = None
    status: NudgeStatus = NudgeStatus.SENT


class NudgeRow(Frozen):
    """One logged nudge with its outcome, for the member panel and the cohort's Nudges list.

    Attributes:
        sent_at: when it left cohortdesk (copied, opened in the mail client, saved, or
            logged as sent).
        status: draft until the facilitator confirms it was sent (or not).
        confirmed_at: when they did; None for a draft.
        outcome: for a sent nudge only (`metrics.terms.nudge_counts`): responded (own
            activity within the response window), no response yet (window still open) or
            no response. None for a draft or a message not sent.
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
    status: NudgeStatus
    confirmed_at: datetime | None
    outcome: NudgeOutcome | None
    active_again_at: datetime | None


class DraftNudge(Frozen):
    """A nudge put on its way but not confirmed as sent: what "Did you send these?" lists."""

    id: int
    cohort_id: int
    cohort_name: str
    timezone: str
    name: str
    subject: str
    body: str
    channel: NudgeChannel
    sent_at: datetime
