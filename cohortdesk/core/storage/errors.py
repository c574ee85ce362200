"""Storage problems (disk full, read-only folder, no permission, a damaged file) as one-line
messages: the one place that turns `OSError` errnos and SQLite result codes into `KnownError`s.

The CLI prints a `StorageError` as one line and the GUI shows it as a message; both say what
happened ("the disk is full"), where (the file or folder), and that nothing was half-written:
every caller is inside a transaction or an atomic write, so the failed action left nothing.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from cohortdesk.core.errors import ErrorKind, KnownError

#: Below this much free space a write error from SQLite is taken for a full disk.
LOW_SPACE_BYTES = 64 * 1024 * 1024

_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_DENIED_ERRNOS = {errno.EACCES, errno.EPERM}

# SQLite primary result codes (the low byte of an extended code).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


class Problem(StrEnum):
    """What kind of storage problem a `StorageError` reports."""

    DISK_FULL = "disk_full"
    READ_ONLY = "read_only"
    DENIED = "denied"
    DAMAGED = "damaged"
    BUSY = "busy"
    IO = "io"


class StorageError(KnownError):
    """The disk or file system refused: full, read-only, no permission, damaged or busy.

    Attributes:
        path: the file or folder concerned.
        problem: which kind of refusal.
    """

    def __init__(self, path: Path | str, problem: Problem, message: str) -> None:
        super().__init__(message, ErrorKind.DATABASE)
        self.path = Path(path)
        self.problem = problem


def _size_limited() -> bool:
    """True when this process may not grow files without limit (RLIMIT_FSIZE set)."""
    try:
        import resource  # POSIX only
    except ImportError:  # pragma: no cover - Windows
        return False
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    return soft != resource.RLIM_INFINITY


def _nearest_folder(path: Path) -> Path:
    folder = path if path.is_dir() else path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _space_is_low(path: Path) -> bool:
    try:
        return shutil.disk_usage(_nearest_folder(path)).free < LOW_SPACE_BYTES
    except OSError:
        return False


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) if path.exists() else True


def disk_full(path: Path | str) -> StorageError:
    """The one message for a full disk (or a file grown past the allowed size)."""
    return StorageError(
        path,
        Problem.DISK_FULL,
        f"{path}: cannot save: the disk is full. Nothing was changed; free some space "
        "and try again.",
    )


def cannot_write(path: Path | str, reason: str, problem: Problem = Problem.DENIED) -> StorageError:
    """`cannot write to FOLDER (reason)`, for read-only folders and missing permission."""
    return StorageError(path, problem, f"cannot write to {path} ({reason}). Nothing was changed.")


def from_os_error(exc: OSError, path: Path | str | None = None) -> StorageError | None:
    """The `StorageError` for an `OSError` about storage, or None for any other error."""
    where = Path(path if path is not None else (exc.filename or "the disk"))
    code = exc.errno
    if code in _FULL_ERRNOS:
        return disk_full(where)
    if code == errno.EROFS:
        return cannot_write(_nearest_folder(where), "the disk is read-only", Problem.READ_ONLY)
    if code in _DENIED_ERRNOS:
        return cannot_write(where, "permission denied")
    return None


def _sqlite_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code if isinstance(code, int) else None


def from_sqlite_error(exc: BaseException, file: Path | None) -> StorageError | None:
    """The `StorageError` for an SQLite error about storage, or None (a bug, a constraint...).

    Args:
        exc: an `sqlite3.Error`, or an SQLAlchemy `DBAPIError` wrapping one.
        file: the database file, to name in the message and to look at (its folder's free
            space and permissions tell a full disk from a failing one).
    """
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    if not isinstance(original, sqlite3.Error):
        return None
    code = _sqlite_code(original)
    text = str(original)
    where: Path | str = file if file is not None else "the database"
    primary = code & 0xFF if code is not None else None
    if primary == SQLITE_FULL or "database or disk is full" in text:
        return disk_full(where)
    if primary in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in text:
        return StorageError(
            where,
            Problem.BUSY,
            f"{where}: the database is busy (another cohortdesk or program is writing to it); "
            "try again in a moment. Nothing was changed.",
        )
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in text:
        return StorageError(
            where,
            Problem.DAMAGED,
            f"{where} is damaged ({text}). Run `cohortdesk check`; opening cohortdesk offers "
            "the newest good backup.",
        )
    folder = file.parent if file is not None else None
    if primary == SQLITE_READONLY or "readonly database" in text:
        if folder is not None and not _writable(folder):
            return cannot_write(folder, "the folder is read-only")
        return cannot_write(where, "the file is read-only", Problem.READ_ONLY)
    if primary == SQLITE_CANTOPEN or "unable to open database file" in text:
        if folder is not None and not _writable(folder):
            return cannot_write(folder, "the folder is read-only")
        if file is not None and not _writable(file):
            return cannot_write(file, "the file is read-only", Problem.READ_ONLY)
        return StorageError(where, Problem.IO, f"{where}: cannot open the database ({text})")
    if primary == SQLITE_IOERR or "disk I/O error" in text:
        if _size_limited() or (file is not None and _space_is_low(file)):
            return disk_full(where)
        if folder is not None and not _writable(folder):
            return cannot_write(folder, "the folder is read-only")
        return StorageError(
            where,
            Problem.IO,
            f"{where}: the disk reported an error while writing ({text}). Nothing was "
            "changed; check the disk and try again.",
        )
    return None


def as_storage_error(exc: BaseException, file: Path | None) -> StorageError | None:
    """`from_os_error` or `from_sqlite_error`, whichever applies to `exc`."""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, OSError):
        return from_os_error(exc, file if exc.filename is None else None)
    return from_sqlite_error(exc, file)


@contextmanager
def storage_errors(file: Path | None) -> Iterator[None]:
    """Re-raise storage failures inside the block as `StorageError`; anything else as it is."""
    try:
        yield
    except (OSError, sqlite3.Error, DBAPIError) as exc:
        mapped = as_storage_error(exc, file)
        if mapped is None:
            raise
        raise mapped from exc
