"""Copies of the database file made with SQLite's online backup API.

A copy is written beside its final name, checked with `PRAGMA integrity_check`, and only then
renamed into place, so a half-written backup never looks like a good one.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from cohortdesk.core.errors import KnownError


def backup_sqlite(source: Path, destination: Path) -> Path:
    """Copy the SQLite database at `source` to `destination`, atomically.

    Raises:
        KnownError: the copy cannot be written or does not pass the integrity check.
    """
    destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = destination.with_name(destination.name + ".partial")
    try:
        with (
            closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as src,
            closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
            verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise KnownError(f"{destination}: the backup copy failed its check ({verdict})")
        partial.chmod(0o600)
        partial.replace(destination)
    except (OSError, sqlite3.Error) as exc:
        raise KnownError(f"{destination}: cannot write the backup ({exc})") from exc
    finally:
        partial.unlink(missing_ok=True)
    return destination


def timestamped_name(stem: str, label: str, now: datetime | None = None) -> str:
    """`cohortdesk-before-0002-20261122-081500.sqlite`: sortable by time within a label."""
    moment = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return f"{stem}-{label}-{moment}.sqlite"


def prune(folder: Path, pattern: str, keep: int) -> list[Path]:
    """Delete all but the newest `keep` files matching `pattern`; return what was deleted."""
    files = sorted(folder.glob(pattern), key=lambda p: p.name, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)
    return files[keep:]
