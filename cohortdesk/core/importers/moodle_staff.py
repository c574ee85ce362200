"""Who in a Moodle log looks like staff: teachers leave a trace learners rarely do (they look
at the participant list and other people's profiles, grade, read the course's reports).

Someone with at least `STAFF_MIN_ROWS` such rows making at least `STAFF_MIN_SHARE` of their
rows is PROPOSED as staff (`SourceFile.staff_proposals`); only the ids the facilitator
confirms (`ImportOptions.staff`) join as facilitators.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from cohortdesk.core.enums import Role
from cohortdesk.core.importers.base import (
    PersonKey,
    PersonRecord,
    SourceFile,
    StaffProposal,
    person_name,
)
from cohortdesk.core.importers.moodle_kinds import UNNAMED_LABEL, USER_ID
from cohortdesk.core.text import plural

if TYPE_CHECKING:
    import polars as pl

#: What a teacher does and a learner rarely does, as Moodle's (never translated) Description
#: says it: a phrase in Description -> what the import summary calls it. Viewing one's own
#: profile is not among them.
STAFF_PATTERNS: dict[str, str] = {
    "viewed the list of users in the course": "viewed the participant list",
    "viewed the profile for the user with id": "viewed another person's profile",
    "viewed the grader report": "viewed the grader report",
    "viewed the grading table": "viewed the grading table",
    "viewed the grading form": "viewed the grading form",
    "has graded the submission": "graded a submission",
    "updated the grade with id": "graded someone",
    "viewed the log report": "viewed the course logs",
    "viewed the live log": "viewed the course logs",
    "viewed the outline activity report": "viewed a course report",
    "viewed the complete activity report": "viewed a course report",
    "viewed the participation report": "viewed a course report",
    "viewed the statistics": "viewed a course report",
    "viewed the user log report": "viewed a course report",
    "enrolled the user with id": "enrolled someone",
    "assigned the role with id": "assigned a role",
    "updated the course with id": "edited the course settings",
}
#: staff-like rows someone needs at least, and the share of their rows they must make, to be
#: proposed as staff (a learner may glance at the participant list once or twice)
STAFF_MIN_ROWS = 5
STAFF_MIN_SHARE = 0.10


class StaffTally:
    """Everyone's rows and staff-like rows, for the staff proposal."""

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}
        self.first_row: dict[str, int] = {}
        self.names: dict[str, str | None] = {}
        self.patterns: dict[str, dict[str, int]] = {}

    def first_seen(self, uid: str, row: int, name: str | None) -> None:
        """The first row of `uid` (the caller counts their rows in `rows`)."""
        self.first_row[uid] = row
        self.names[uid] = name

    def count(self, frame: pl.DataFrame) -> None:
        """Count the rows of a batch's people (`uid`, `row`, `name`: rows naming somebody)."""
        import polars as pl

        named = frame.filter(pl.col("uid").is_not_null())
        if named.height == 0:
            return
        counts = named.group_by("uid", maintain_order=True).agg(
            pl.len().alias("n"), pl.col("row").first(), pl.col("name").first()
        )
        rows = self.rows
        for uid, n, row, name in counts.iter_rows():
            seen = rows.get(uid)
            if seen is None:
                rows[uid] = n
                self.first_seen(uid, row, name)
            else:
                rows[uid] = seen + n

    def tally(self, frame: pl.DataFrame) -> None:
        """Count the staff-like rows (`staff_like`) among a batch's rows that are not
        participation (`uid`, `description`)."""
        import polars as pl

        d = pl.col("description")
        second = d.str.extract_all(USER_ID.pattern).list.get(1, null_on_oob=True)
        second_id = second.str.extract(USER_ID.pattern, 1)
        label: pl.Expr = pl.lit(None, dtype=pl.String)
        for phrase, text in reversed(STAFF_PATTERNS.items()):
            value: pl.Expr = pl.lit(text)
            if phrase.startswith("viewed the profile"):
                value = (
                    pl.when(second_id.is_not_null() & (second_id == pl.col("uid")))
                    .then(pl.lit(None, dtype=pl.String))
                    .otherwise(pl.lit(text))
                )
            label = pl.when(d.str.contains(phrase, literal=True)).then(value).otherwise(label)
        found = (
            frame.filter(pl.col("uid").is_not_null())
            .select("uid", label.alias("label"))
            .filter(pl.col("label").is_not_null())
        )
        if found.height == 0:
            return
        for uid, text, n in (
            found.group_by("uid", "label", maintain_order=True).agg(pl.len()).iter_rows()
        ):
            mine = self.patterns.setdefault(uid, {})
            mine[text] = mine.get(text, 0) + n

    def proposals(self) -> list[StaffProposal]:
        found: list[StaffProposal] = []
        for uid, patterns in self.patterns.items():
            staffish = sum(patterns.values())
            if staffish >= STAFF_MIN_ROWS and staffish >= STAFF_MIN_SHARE * self.rows[uid]:
                ordered = sorted(patterns.items(), key=lambda item: (-item[1], item[0]))
                found.append(
                    StaffProposal(uid, self.names.get(uid), self.rows[uid], tuple(ordered))
                )
        return sorted(found, key=lambda p: (-p.rows, p.source_id))

    def finish(self, source: SourceFile, confirmed: frozenset[str]) -> Iterator[PersonRecord]:
        """Propose staff; make the confirmed ids facilitators.

        Raises:
            ImportRejectedError: a confirmed id is not in the file.
        """
        missing = sorted(confirmed - self.rows.keys())
        if missing:
            raise source.reject(
                None, f"no user with id {', '.join(repr(uid) for uid in missing)} in the file"
            )
        source.staff_proposals = self.proposals()
        waiting = [p.source_id for p in source.staff_proposals if p.source_id not in confirmed]
        if waiting:
            ids = _named(waiting)
            source.note(
                f"{plural(len(waiting), 'person looks', 'people look')} like staff (participant "
                f"lists, profiles, grading or reports): {ids}. Nobody was made staff: "
                "confirm who is."
            )
        for uid in sorted(confirmed, key=lambda u: self.first_row[u]):
            who = PersonKey(source_id=uid, name=self.names.get(uid))
            yield PersonRecord(self.first_row[uid], who, role=Role.FACILITATOR)
        if confirmed:
            source.note(f"Made facilitators as confirmed: {_named(sorted(confirmed))}.")


def _named(ids: list[str]) -> str:
    """`Moodle user 394, Moodle user 12`: ids as the product names their people."""
    return ", ".join(person_name(PersonKey(source_id=uid), UNNAMED_LABEL) for uid in ids)


def staff_like(uid: str, description: str) -> str | None:
    """What staff-like thing a row records (`STAFF_PATTERNS`), or None.

    Args:
        uid: the row's person (viewing one's own profile is not staff-like).
        description: the row's Description.
    """
    for phrase, label in STAFF_PATTERNS.items():
        if phrase in description:
            own = phrase.startswith("viewed the profile") and (
                USER_ID.findall(description)[1:2] == [uid]
            )
            return None if own else label
    return None
