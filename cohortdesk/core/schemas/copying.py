"""What copying cohorts from one database to another did."""

from __future__ import annotations

from cohortdesk.core.schemas.fields import Frozen
from cohortdesk.core.text import plural

#: the kinds of record whose one is not the plural without its last letter
_ONE = {"people": "person", "identities": "identity", "import batches": "import batch"}


class CopySummary(Frozen):
    """The cohorts copied and, per kind of record, how many were added to the destination
    and how many it already held (matched, left as they were)."""

    source: str
    destination: str
    cohorts: list[str]
    added: dict[str, int]
    matched: dict[str, int]

    def message(self) -> str:
        """One line: what was copied where."""
        total = sum(self.added.values())
        names = ", ".join(repr(name) for name in self.cohorts) or "no cohorts"
        if total == 0:
            return f"{self.destination} already held everything of {names}: nothing was added"
        parts = ", ".join(
            plural(count, _ONE.get(kind, kind.removesuffix("s")), kind)
            for kind, count in self.added.items()
            if count
        )
        return f"Copied {names} from {self.source} to {self.destination}: added {parts}"
