"""Errors the user can act on, as opposed to bugs.

A `KnownError` comes from the user's environment or input (a bad file, an unknown cohort, a
database made by a newer version). The CLI prints it as one line and exits 1; the GUI shows it
as a message. Anything else that escapes is a bug and is reported with its traceback.
"""

from __future__ import annotations

import sys
from enum import StrEnum


class ErrorKind(StrEnum):
    """What sort of problem a `KnownError` describes."""

    NOT_FOUND = "not_found"
    INVALID = "invalid"
    CONFLICT = "conflict"
    BAD_FILE = "bad_file"
    DATABASE = "database"


class KnownError(Exception):
    """A problem with the user's input or environment, shown as a message, never a traceback.

    Args:
        message: one line saying what is wrong, naming the file, row or value when there is one.
        kind: the category, so callers can react (e.g. the GUI picks an icon).
    """

    def __init__(self, message: str, kind: ErrorKind = ErrorKind.INVALID) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind

    def __str__(self) -> str:
        return self.message


class NotFoundError(KnownError):
    """Something the user named does not exist."""

    def __init__(self, message: str) -> None:
        super().__init__(message, ErrorKind.NOT_FOUND)


class ConflictError(KnownError):
    """The change would clash with existing data (a duplicate name, say)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, ErrorKind.CONFLICT)


class DatabaseVersionError(KnownError):
    """The database was made by a newer cohortdesk, or cannot be opened."""

    def __init__(self, message: str) -> None:
        super().__init__(message, ErrorKind.DATABASE)


def missing_package(exc: BaseException) -> str | None:
    """One line for a package this installation lacks (an environment made before cohortdesk
    needed it, say), or None when `exc` is not that: a module of cohortdesk's own that cannot
    be found is a bug."""
    if not isinstance(exc, ModuleNotFoundError) or not exc.name:
        return None
    package = exc.name.partition(".")[0]
    if package == "cohortdesk":
        return None
    return (
        f"this installation of cohortdesk lacks the package '{package}' it needs "
        f"(Python {sys.executable}): install cohortdesk again (`make run` in its folder, "
        "or `pip install cohortdesk`)"
    )
