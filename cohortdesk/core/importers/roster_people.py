"""A roster's rows, in batches of columns, turned into `PersonRecord`s (see `roster` for what
the columns mean): every check on a row is a column operation, or a reading of each distinct
value once (names, emails, roles, flags), and the first row that fails one refuses the file
with its reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from cohortdesk.core.enums import Role
from cohortdesk.core.importers.base import PersonKey, PersonRecord, SourceFile
from cohortdesk.core.importers.columnar import ColumnBatch
from cohortdesk.core.importers.columnar_events import column, with_readings
from cohortdesk.core.importers.roster_layout import (
    EMPTY_MAX_LEN,
    EMPTY_WORDS,
    WHOLE_NUMBER,
    Layout,
    read_flag,
    read_role,
    shown,
    tidy_name,
    valid_email,
)

if TYPE_CHECKING:
    import polars as pl

#: the ids a person may be listed under once only: column -> (key kind, as a message says it)
_IDS = {
    "external": ("external", "id"),
    "moodle": ("moodle", "Moodle ID"),
    "slack": ("slack", "Slack ID"),
}


def _value(text: pl.Expr) -> pl.Expr:
    """A cell, "" when it says "nothing here" (NULL, N/A, -)."""
    import polars as pl

    empty = (text.str.len_chars() <= EMPTY_MAX_LEN) & text.str.to_lowercase().is_in(
        sorted(EMPTY_WORDS)
    )
    return pl.when(empty).then(pl.lit("")).otherwise(text)


def _identifier(text: pl.Expr) -> pl.Expr:
    """An id cell, Excel's whole numbers without their `.0`."""
    import polars as pl

    value = _value(text)
    return (
        pl.when(value.str.contains(WHOLE_NUMBER))
        .then(value.str.extract(WHOLE_NUMBER, 1))
        .otherwise(value)
    )


class PeopleReader:
    """Turns batches of a roster's columns into people, remembering who earlier rows were."""

    def __init__(self, source: SourceFile, layout: Layout) -> None:
        self.source = source
        self.layout = layout
        #: (key kind, value) -> the first row listing it; emails by their casefold
        self.first_rows: dict[tuple[str, str], int] = {}
        self.name_only: set[str] = set()
        self.repeated_names = 0
        self.roles: dict[str, tuple[str | None, str | None]] = {}

    def read(self, batch: ColumnBatch) -> Iterator[PersonRecord]:
        """The batch's people, in file order.

        Raises:
            ImportRejectedError: for the first row that names nobody, has a malformed email,
                an unknown role or facilitator flag, or repeats a person of an earlier row.
        """
        frame = self._cells(batch.frame)
        frame = self._checked(frame)
        for row, external, email, name, role, expertise, moodle, slack in frame.select(
            "row", "external", "email", "name", "role", "expertise", "moodle", "slack"
        ).iter_rows():
            identities = tuple(
                (kind, value) for kind, value in (("moodle", moodle), ("slack", slack)) if value
            )
            yield PersonRecord(
                row=row,
                who=PersonKey(source_id=external or None, email=email or None, name=name or None),
                role=Role(role) if role else None,
                expertise=expertise,
                identities=identities,
            )

    def _cells(self, frame: pl.DataFrame) -> pl.DataFrame:
        import polars as pl

        at = self.layout
        name = _value(column(frame, at.name))
        if at.first is not None or at.last is not None:
            first, last = _value(column(frame, at.first)), _value(column(frame, at.last))
            joined = (
                pl.when((first != "") & (last != ""))
                .then(first + pl.lit(" ") + last)
                .when(first != "")
                .then(first)
                .otherwise(last)
            )
            name = pl.when(name != "").then(name).otherwise(joined)
        if len(at.expertise) == 1:
            expertise = _value(column(frame, at.expertise[0]))
        elif at.expertise:
            expertise = pl.concat_list([_value(column(frame, i)) for i in at.expertise])
            expertise = expertise.list.eval(pl.element().filter(pl.element() != "")).list.join("; ")
        else:
            expertise = pl.lit("", dtype=pl.String)
        return frame.select(
            "row",
            name.alias("raw_name"),
            _value(column(frame, at.email)).alias("email"),
            _identifier(column(frame, at.external)).alias("external"),
            _identifier(column(frame, at.moodle)).alias("moodle"),
            _identifier(column(frame, at.slack)).alias("slack"),
            _value(column(frame, at.role)).alias("role_text"),
            _value(column(frame, at.flag)).alias("flag_text"),
            expertise.alias("expertise"),
        )

    def _checked(self, frame: pl.DataFrame) -> pl.DataFrame:
        """`frame` with `name`, `role`; refuses the file at the first bad row."""
        import polars as pl

        frame = with_readings(frame, "raw_name", lambda v: (tidy_name(v),), {"name": pl.String})
        frame = with_readings(
            frame,
            "email",
            lambda v: (
                v.casefold(),
                None if not v or valid_email(v) else f"{shown(v)} is not an email address",
            ),
            {"email_key": pl.String, "email_problem": pl.String},
        )
        frame = with_readings(
            frame, "role_text", self._role, {"role": pl.String, "role_problem": pl.String}
        )
        frame = with_readings(
            frame,
            "flag_text",
            read_flag,
            {"flag": pl.Boolean, "flag_problem": pl.String},
        )
        frame = frame.with_columns(
            pl.when(pl.col("flag"))
            .then(pl.lit(Role.FACILITATOR.value))
            .otherwise(pl.col("role"))
            .alias("role")
        )
        email, external = pl.col("email"), pl.col("external")
        alone = (
            pl.when((pl.col("moodle") != "") | (pl.col("slack") != ""))
            .then(pl.lit(" (a Moodle or Slack id alone is not enough)"))
            .otherwise(pl.lit(""))
        )
        problem: Any = (
            pl.when(pl.col("email_problem").is_not_null())
            .then(pl.col("email_problem"))
            .when((pl.col("name") == "") & (email == "") & (external == ""))
            .then(pl.lit("the row has no name, email or id") + alone)
        )
        repeats = [("email_key", "email", "email", None)] + [
            (name, name, kind, label) for name, (kind, label) in _IDS.items()
        ]
        for key, shown_as, kind, label in repeats:
            earlier = self._earlier(frame, key, kind)
            frame = frame.with_columns(earlier.alias(f"{key}_earlier"))
            first = pl.col(f"{key}_earlier")
            said = pl.col(shown_as) if label is None else pl.lit(f"{label} ") + pl.col(shown_as)
            problem = problem.when((pl.col(key) != "") & (first < pl.col("row"))).then(
                pl.lit("repeats row ") + first.cast(pl.String) + pl.lit(": ") + said
            )
        problem = (
            problem.when(pl.col("role_problem").is_not_null())
            .then(pl.col("role_problem"))
            .when(pl.col("flag_problem").is_not_null())
            .then(pl.col("flag_problem"))
            .otherwise(pl.lit(None, dtype=pl.String))
        )
        bad = frame.filter(problem.is_not_null()).select("row", problem.alias("problem"))
        if bad.height:
            row, reason = bad.row(0)
            raise self.source.reject(row, reason)
        self._remember(frame)
        return frame

    def _role(self, text: str) -> tuple[str | None, str | None]:
        known = self.roles.get(text)
        if known is None:
            role, problem = read_role(text)
            known = self.roles[text] = (None if role is None else role.value, problem)
        return known

    def _earlier(self, frame: pl.DataFrame, key: str, kind: str) -> pl.Expr:
        """The first row listing each row's `key` (earlier batches first)."""
        import polars as pl

        values = frame.get_column(key).unique().to_list()
        prior = {v: self.first_rows[(kind, v)] for v in values if (kind, v) in self.first_rows}
        here = pl.col("row").min().over(key)
        if not prior:
            return here
        known = pl.col(key).replace_strict(prior, default=None, return_dtype=pl.Int64)
        return pl.coalesce(known, here)

    def _remember(self, frame: pl.DataFrame) -> None:
        import polars as pl

        for key, kind in (("email_key", "email"), *((n, k) for n, (k, _l) in _IDS.items())):
            firsts = (
                frame.filter(pl.col(key) != "")
                .group_by(key, maintain_order=True)
                .agg(pl.col("row").min())
            )
            for value, row in firsts.iter_rows():
                self.first_rows.setdefault((kind, value), row)
        unnamed = frame.filter((pl.col("email") == "") & (pl.col("external") == ""))
        for name in unnamed.get_column("name").to_list():
            if name in self.name_only:
                self.repeated_names += 1
            else:
                self.name_only.add(name)
