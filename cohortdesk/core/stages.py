"""Salmon's five stages, loaded from `resources/stages.json`.

The stage belongs to each member and the facilitator can always set it: this module only
describes the stages, it does not enforce an order.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

FIRST_STAGE = 1
LAST_STAGE = 5


class Stage(BaseModel):
    """One step of the staircase."""

    model_config = ConfigDict(frozen=True)

    number: int
    name: str
    short: str
    emoderator_role: str
    technical_support: str
    typical_behaviour: str
    evidence: str
    typical_problems: tuple[str, ...]
    colour: str

    @property
    def label(self) -> str:
        """`3 · Information exchange`, as lists and tables show it."""
        return f"{self.number} · {self.name}"


class _StageFile(BaseModel):
    source: str
    stages: tuple[Stage, ...]


@cache
def all_stages() -> tuple[Stage, ...]:
    """The five stages in order."""
    text = resources.files("cohortdesk.resources").joinpath("stages.json").read_text("utf-8")
    stages = _StageFile.model_validate(json.loads(text)).stages
    numbers = [s.number for s in stages]
    if numbers != list(range(FIRST_STAGE, LAST_STAGE + 1)):
        raise ValueError(f"stages.json must list stages 1 to 5 in order, found {numbers}")
    return stages


def stage(number: int) -> Stage:
    """The stage with this number (1 to 5).

    Raises:
        ValueError: the number is outside 1 to 5.
    """
    if not FIRST_STAGE <= number <= LAST_STAGE:
        raise ValueError(f"stage must be 1 to 5, not {number}")
    return all_stages()[number - 1]
