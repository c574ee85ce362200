"""Writing the user's files safely: a complete file readable by its owner only, or no file at all.

Every file cohortdesk writes for the user to keep (exports, `.eml` messages, manager
summaries, review packs and notes, settings) and the note of a running import go through
here. Each file is written to a temporary file in the destination folder (so the final rename stays
on one file system), flushed to disk with fsync, made readable by the owner only (0600) and
renamed over the destination with `os.replace`, which is atomic. If writing fails or is
interrupted (an exception, Cancel, Ctrl+C), the temporary file is removed and an existing file
at the destination is left as it was. An export of several files (a CSV and its events) renames
them only once all of them are written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from cohortdesk.core.errors import ErrorKind, KnownError
from cohortdesk.core.paths import check_regular_file
from cohortdesk.core.storage.db import OWNER_ONLY
from cohortdesk.core.storage.errors import from_os_error

_FOLDER_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}


def _cannot(path: Path, exc: OSError, doing: str = "write") -> KnownError:
    # A full disk or a read-only folder reads the same as everywhere else in cohortdesk.
    storage = from_os_error(exc, path.parent if exc.errno in _FOLDER_ERRNOS else path)
    if storage is not None:
        return storage
    reason = exc.strerror or str(exc)
    return KnownError(f"{path}: cannot {doing} the file ({reason})", ErrorKind.BAD_FILE)


def _check_destination(path: Path) -> None:
    check_regular_file(path)  # never rename over a device, a folder or a pipe
    if not path.parent.is_dir():
        raise KnownError(f"{path}: the folder {path.parent} does not exist", ErrorKind.BAD_FILE)


def _temporary(path: Path) -> Path:
    """An empty owner-only file beside `path` (mkstemp creates it 0600 on POSIX)."""
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    except OSError as exc:
        raise _cannot(path, exc) from exc
    os.close(fd)
    return Path(name)


def _sync(path: Path) -> None:
    """Flush a written file to disk and make it owner-only (0600)."""
    with path.open("rb+") as handle:
        handle.flush()
        os.fsync(handle.fileno())
    path.chmod(OWNER_ONLY)


def sync_folder(folder: Path) -> None:
    """Make renames into `folder` durable (POSIX; folders cannot be opened this way on Windows).

    A file system that refuses to sync a folder (some network shares) is let be: the files
    themselves were synced before their rename.
    """
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_paths(paths: Sequence[Path]) -> Iterator[list[Path]]:
    """Temporary paths to write `paths` through; they replace `paths` when the block ends.

    Write each temporary path completely inside the block (a library may open it by name).
    On leaving the block normally, every file is synced, made 0600 and renamed into place;
    on any exception, every temporary file is removed and the destinations are untouched.

    Raises:
        KnownError: a missing folder, a destination that is a folder, or a write error
            (disk full, no permission), naming the file.
    """
    for path in paths:
        _check_destination(path)
    temporaries: list[Path] = []
    try:
        for path in paths:
            temporaries.append(_temporary(path))
        yield list(temporaries)
        for path, temporary in zip(paths, temporaries, strict=True):
            try:
                _sync(temporary)
            except OSError as exc:
                raise _cannot(path, exc) from exc
        for path, temporary in zip(paths, temporaries, strict=True):
            try:
                temporary.replace(path)
            except OSError as exc:
                raise _cannot(path, exc, "rename into") from exc
        for folder in {path.parent for path in paths}:
            sync_folder(folder)
    except OSError as exc:  # a write inside the block: name the file, keep it one line
        raise _cannot(paths[0], exc) from exc
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """One file's temporary path; see `atomic_paths`."""
    with atomic_paths([path]) as temporaries:
        yield temporaries[0]


def write_file(path: Path, content: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write `content` to `path` through `atomic_path`: complete and owner-only, or not at all.

    Args:
        path: the destination; its folder must exist.
        content: text (written with `encoding`, in text mode) or bytes.
        encoding: the text's encoding.

    Returns:
        `path`.

    Raises:
        KnownError: a missing folder, a destination that is a folder, or a write error
            (disk full, no permission), naming the file.
    """
    with atomic_path(path) as temporary:
        if isinstance(content, bytes):
            temporary.write_bytes(content)
        else:
            temporary.write_text(content, encoding=encoding)
    return path
