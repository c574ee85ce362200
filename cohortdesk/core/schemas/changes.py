"""What a write changed, handed back with its result so that each screen can decide to reload.

A write use case returns `Changes` (when it has nothing else to say) or `Changed[T]` (its
result with the changes). The GUI's task runner gives the changes to the change notifier, which
tells the views; nothing announces a change by hand. The command line reads `.value` and
ignores the rest.

The fields say what a facilitator would see change, at the grain the views need to tell
"this concerns me" from "this does not":

    cohorts      the list of cohorts (a cohort added, deleted, renamed, archived, or its counts)
    rosters      cohorts whose members or their figures changed as a whole (an import, a merge,
                 the cohort's settings): every view of the cohort reloads
    members      single members (cohort id, membership id): their record and their row
    nudges       cohorts whose nudge log changed
    templates    the message templates
    mentoring    cohorts whose mentor links, groups, session notes or reviews changed
    highlights   cohorts whose highlights changed
    everything   the whole database was replaced (a restore): nothing on screen still holds

Activity events count as the member's (or, for a whole file, the roster's): every view that
shows activity already follows those two.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import Generic, TypeVar

from cohortdesk.core.schemas.fields import Frozen

T = TypeVar("T")
U = TypeVar("U")


class Changes(Frozen):
    """What one write changed. Empty by default; merge two with `a | b`."""

    cohorts: bool = False
    rosters: frozenset[int] = frozenset()
    members: frozenset[tuple[int, int]] = frozenset()
    nudges: frozenset[int] = frozenset()
    templates: bool = False
    mentoring: frozenset[int] = frozenset()
    highlights: frozenset[int] = frozenset()
    everything: bool = False

    def __or__(self, other: Changes) -> Changes:
        # Every field is a flag or a set, so "or" is the union field by field.
        fields = type(self).model_fields
        return Changes(**{name: getattr(self, name) | getattr(other, name) for name in fields})

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in type(self).model_fields)

    @classmethod
    def merged(cls, parts: Iterable[Changes]) -> Changes:
        """All of `parts` in one (empty when there are none)."""
        return reduce(or_, parts, cls())

    @classmethod
    def of_member(cls, cohort_id: int, membership_id: int) -> Changes:
        """One member's record changed."""
        return cls(members=frozenset({(cohort_id, membership_id)}))

    @classmethod
    def of_roster(cls, *cohort_ids: int) -> Changes:
        """These cohorts' rosters changed as a whole."""
        return cls(rosters=frozenset(cohort_ids))


class Changed(Frozen, Generic[T]):
    """A write's result together with what it changed (`value` is what the caller asked for)."""

    value: T
    changes: Changes

    def with_value(self, value: U) -> Changed[U]:
        """The same changes with another result (what a caller made of this one)."""
        return Changed(value=value, changes=self.changes)
