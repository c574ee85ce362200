"""Cohorts: what a facilitator types to create one, and the row the cohort list shows."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from cohortdesk.core.schemas.fields import Frozen, KeptDate, Name, TimeZoneName


class CohortInput(Frozen):
    """What a facilitator types to create or edit a cohort."""

    name: Name
    description: str = ""
    start_date: KeptDate | None = None
    end_date: KeptDate | None = None
    timezone: Annotated[TimeZoneName, Field(title="Time zone")] = "UTC"

    @model_validator(mode="after")
    def _dates_in_order(self) -> CohortInput:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("the end date is before the start date")
        return self


class CohortRow(Frozen):
    id: int
    name: str
    description: str
    start_date: date | None
    end_date: date | None
    timezone: str
    archived: bool
    members: int
    learners: int
    #: the cohort's version as read: an edit made from this copy is refused once someone else
    #: saved the cohort (`update_cohort(seen=...)`); not part of what is printed
    version: int = Field(default=1, exclude=True)
