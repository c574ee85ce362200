"""What a row of a Moodle Logs report is, from its Description (never translated): whose it
is (the first user id), what kind of activity, in which discussion, and the name to keep.

The column operations here are the only place these rules live; polars is imported only
when a file is read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cohortdesk.core.enums import EventKind

if TYPE_CHECKING:
    import polars as pl

#: "Real Name as Other Name" in the languages of the report's headers (report_log's
#: `eventloggedas`)
LOGGED_AS = (" as ", " como ", " en tant que ", " als ", " come ")

#: how a Moodle user is named by their id ("Moodle user 5104"; `base.person_name`)
UNNAMED_LABEL = "Moodle user"
USER_ID = re.compile(r"[Uu]ser with (?:the )?id '(\d+)'")
LEADING_ID = "The user with id '"
DISCUSSION_CREATED = re.compile(r"has created the discussion with (?:the )?id '(\d+)'")
IN_DISCUSSION = re.compile(r"in the discussion with (?:the )?id '(\d+)'")
#: Moodle's "not logged in" user (0) and its guest account (1: the first user an install makes)
NOBODY_IDS = frozenset({"0", "1"})

#: EventKind values by name, for the kind column
_VIEW, _POST, _REPLY, _LOGIN, _SUBMIT = (
    k.value
    for k in (EventKind.VIEW, EventKind.POST, EventKind.REPLY, EventKind.LOGIN, EventKind.SUBMIT)
)


def clean_name(raw: str) -> tuple[str | None, bool]:
    """The name to keep and whether it was a login-as ("Real as Other" -> "Other")."""
    if not raw or raw == "-":
        return None, False
    for separator in LOGGED_AS:
        real, found, other = raw.partition(separator)
        if found and real.strip() and other.strip():
            return other.strip(), True
    return raw, False


def user_id_column(d: pl.Expr) -> pl.Expr:
    """The row's person: the first user id in Description `d` (a leading "The user with id
    '5104'" first), or null."""
    import polars as pl

    leading = d.str.starts_with(LEADING_ID)
    closed = d.str.extract(r"^The user with id '([^']*)'", 1)
    unclosed = d.str.slice(18, (d.str.len_chars() - 19).clip(lower_bound=0))
    lead_uid = pl.coalesce(closed, unclosed)
    return (
        pl.when(leading & lead_uid.str.contains(r"^[0-9]+$"))
        .then(lead_uid)
        .when(d.str.contains("ser with", literal=True))
        .then(d.str.extract(USER_ID.pattern, 1))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def kind_columns(d: pl.Expr, event: pl.Expr) -> list[pl.Expr]:
    """`kind`, `thread` and `posted` (a duplicate notice) from Description, as `_items`."""
    import polars as pl

    def has(text: str) -> pl.Expr:
        return d.str.contains(text, literal=True)

    none = pl.lit(None, dtype=pl.String)
    viewed = has("viewed the")
    created = ~viewed & has("has created the discussion with")
    replied = ~viewed & ~created & has("has created the post with")
    posted = ~viewed & ~created & ~replied & has("has posted content")
    earlier = viewed | created | replied | posted
    logged = ~earlier & has("has logged in")
    submitted = (
        ~earlier
        & ~logged
        & (
            has("has submitted")
            | (event == "Add Submission")
            | d.str.starts_with("User submission sent to Turnitin")
        )
    )
    kind = (
        pl.when(
            viewed
            & (
                has("viewed the course with id")
                | has("' activity with course module id")
                | has("viewed the discussion with id")
            )
        )
        .then(pl.lit(_VIEW))
        .when(created)
        .then(pl.lit(_POST))
        .when(replied)
        .then(pl.lit(_REPLY))
        .when(logged & ~has("has logged in as"))
        .then(pl.lit(_LOGIN))
        .when(submitted)
        .then(pl.lit(_SUBMIT))
        .otherwise(none)
    )
    thread = (
        pl.when(created)
        .then(d.str.extract(DISCUSSION_CREATED.pattern, 1))
        .when(replied)
        .then(d.str.extract(IN_DISCUSSION.pattern, 1))
        .otherwise(none)
    )
    return [kind.alias("kind"), thread.alias("thread"), posted.alias("posted")]
