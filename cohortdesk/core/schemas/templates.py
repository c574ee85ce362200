"""Prompt templates and messages: templates as written and listed, placeholders, and a
template filled in for one member."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from cohortdesk.core.enums import TemplatePurpose
from cohortdesk.core.schemas.fields import Frozen, Name, StageNumber

MAX_MESSAGE_CHARS = 20_000
"""The longest template body or rendered message cohortdesk accepts."""
MAX_SUBJECT_CHARS = 300


class TemplateInput(Frozen):
    """A prompt template as the facilitator writes it."""

    name: Name
    purpose: TemplatePurpose
    stage: Annotated[StageNumber | None, Field(title="Stage")] = None
    subject: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_SUBJECT_CHARS)]
    body: Annotated[str, StringConstraints(min_length=1, max_length=MAX_MESSAGE_CHARS)]


class TemplateRow(Frozen):
    """A prompt template, for the template library and pickers."""

    id: int
    key: str | None
    name: str
    purpose: TemplatePurpose
    stage: int | None
    subject: str
    body: str
    builtin: bool
    retired: bool
    created_at: datetime
    updated_at: datetime
    uses: int


class Placeholder(Frozen):
    """A field a template may use, as the template editor documents it."""

    name: str
    description: str
    example: str

    @property
    def token(self) -> str:
        """How it is written in a template: `{first_name}`."""
        return "{" + self.name + "}"


class RenderedMessage(Frozen):
    """A template filled in for one member.

    Attributes:
        fallback_fields: placeholders the template uses that had no value of their own for
            this member and got their documented fallback ('the course space', '[date]'...),
            so the editor can warn before the message goes out.
    """

    subject: str
    body: str
    fallback_fields: tuple[str, ...] = ()


class MessageContext(Frozen):
    """The placeholder values for one member, and which of them are fallbacks.

    Attributes:
        fields: a value for every documented placeholder (see `rendering.PLACEHOLDERS`).
        fallbacks: the placeholders that got their documented fallback rather than a value
            of their own ('the course space' when no link is set, say).
    """

    fields: dict[str, str]
    fallbacks: frozenset[str] = frozenset()
