"""Nudges: a message as it was sent, and what followed it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from cohortdesk.core.models import NudgeChannel
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
