"""A shared server's refusals as one-line messages: the one place that turns PostgreSQL's
"permission denied", "row-level security" and lost connections, and a save from an out-of-date
copy, into `KnownError`s.

The CLI prints them as one line and exits 1; the GUI shows them as its usual message. In every
case nothing was half-written: the refused statement's transaction was rolled back whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from cohortdesk.core.errors import ConflictError, ErrorKind, KnownError

if TYPE_CHECKING:
    from cohortdesk.core.models import TeamRole

#: SQLSTATE of "permission denied" and of a row refused by row-level security
INSUFFICIENT_PRIVILEGE = "42501"
#: SQLSTATE classes and codes of a connection the server ended or never made
_GONE_CLASSES = ("08",)
_GONE_CODES = {"57P01", "57P02", "57P03"}

_TABLE = re.compile(r'(?:table|relation|sequence) "?([A-Za-z0-9_]+)"?')
#: how the refusal names a table, in the words of the screens
TABLE_WORDS = {
    "memberships": "members",
    "member_notes": "notes",
    "activity_events": "activity",
    "motivation_checks": "motivation check-ins",
    "interventions": "nudges",
    "prompt_templates": "templates",
    "cohort_rules": "cohort rules",
    "import_batches": "imports",
    "mentor_links": "mentor assignments",
    "mentoring_sessions": "mentoring sessions",
    "daily_activity": "activity",
    "daily_totals": "activity",
    "daily_replies": "activity",
}


class RefusedError(KnownError):
    """The server refused a change the login's team role may not make."""

    def __init__(self, message: str, role: TeamRole | None, table: str | None) -> None:
        super().__init__(message, ErrorKind.DATABASE)
        self.role = role
        self.table = table


class ServerUnavailableError(KnownError):
    """The server went away (restarted, the network dropped): nothing was saved."""

    def __init__(self, message: str) -> None:
        super().__init__(message, ErrorKind.DATABASE)


class StaleEditError(ConflictError):
    """Someone else saved this record since it was opened: the save was not made."""


STALE_MESSAGE = (
    "{what}: changed by someone else since you opened it; nothing was saved. "
    "Their version is now shown: re-apply your edit to it and save again."
)


def stale(what: str) -> StaleEditError:
    """The one message for a save from an out-of-date copy of `what` ("Amina's record")."""
    return StaleEditError(STALE_MESSAGE.format(what=what))


def _sqlstate(exc: DBAPIError) -> str | None:
    code = getattr(exc.orig, "sqlstate", None)
    return code if isinstance(code, str) else None


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc).__name__


def refused(table: str | None, role: TeamRole | None) -> RefusedError:
    """The one line for a refused change: "your team role, mentor, cannot change cohorts"."""
    what = TABLE_WORDS.get(table or "", (table or "this").replace("_", " "))
    who = f"your team role, {role.value}," if role is not None else "your login"
    return RefusedError(f"{who} cannot change {what}. Nothing was changed.", role, table)


_NO_CONNECT = re.compile(r'permission denied for database "?([^"\s]+)"?')


def not_in_team(exc: BaseException, where: str) -> KnownError | None:
    """The one line for a login the server does not let into this database (each database on a
    server is its own team), or None for any other error."""
    if not isinstance(exc, DBAPIError) or exc.orig is None:
        return None
    if _NO_CONNECT.search(str(exc.orig)) is None:
        return None
    return KnownError(
        f"{where}: this login is not in the team of this database, so the server does not let "
        "it in; the database's owner adds it with `cohortdesk team add-user`. Nothing was changed.",
        ErrorKind.DATABASE,
    )


def is_server_gone(exc: BaseException) -> bool:
    """True for an error meaning the connection to the server was lost or never made."""
    if not isinstance(exc, DBAPIError):
        return False
    code = _sqlstate(exc)
    if code is not None:
        return code in _GONE_CODES or code.startswith(_GONE_CLASSES)
    return bool(exc.connection_invalidated) or type(exc.orig).__name__ == "OperationalError"


def from_server_error(
    exc: BaseException, where: str, role_of: Callable[[], TeamRole | None]
) -> KnownError | None:
    """The `KnownError` for a server's refusal or a lost server, or None for anything else.

    Args:
        exc: the error raised inside a unit of work.
        where: the server, as titles show it (the URL without its password).
        role_of: looks up the login's team role (called only for a refusal).
    """
    if isinstance(exc, StaleDataError):
        return stale("This record")  # a save racing another in the same instant
    if not isinstance(exc, DBAPIError) or exc.orig is None:
        return None
    if type(exc.orig).__module__.split(".")[0] != "psycopg":
        return None
    if _sqlstate(exc) == INSUFFICIENT_PRIVILEGE:
        found = _TABLE.search(str(exc.orig))
        table = found.group(1) if found else None
        if table is not None and table.endswith("_id_seq"):
            table = table.removesuffix("_id_seq")
        try:
            role = role_of()
        except Exception:  # the refusal is the message; the role only words it
            role = None
        return refused(table, role)
    refused_login = not_in_team(exc, where)
    if refused_login is not None:
        return refused_login
    if is_server_gone(exc):
        return ServerUnavailableError(
            f"the server {where} cannot be reached ({_first_line(exc)}). Nothing was saved; "
            "your edit is kept: try again once the server is back."
        )
    return None


@contextmanager
def server_errors(where: str, role_of: Callable[[], TeamRole | None]) -> Iterator[None]:
    """Re-raise a server's refusal, a lost server or a stale save inside the block as a
    `KnownError`; anything else as it is."""
    try:
        yield
    except (DBAPIError, StaleDataError) as exc:
        mapped = from_server_error(exc, where, role_of)
        if mapped is None:
            raise
        raise mapped from exc
