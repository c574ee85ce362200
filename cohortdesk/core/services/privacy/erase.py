"""Erase a person everywhere: their rows, their mentions, the free pages and the write-ahead log.

`erase_person` runs inside the caller's transaction and follows
`services.privacy.registry.REGISTRY`: the person's row goes (and with it, by ON DELETE CASCADE,
their memberships, identities, events, notes, check-ins, nudges, mentoring records and
highlights), replies to them lose their pointer, derived rollups naming them are deleted, and
every mention of them (full name, given or family name, email: whole words, any case, with or
without accents; `privacy.mentions`) is replaced by "[erased]" in the free text that remains
(another member's message, a note about someone else, a highlight, a nudge). After the
commit, `purge_deleted_text` checkpoints and truncates the write-ahead log and VACUUMs (in
memory), so no page of the database, its -wal or -shm still holds what was erased
(`secure_delete` zeroes deleted cells as they go, too).

Backups made before the erase still hold the person: `backups_holding` finds them among every
automatic backup cohortdesk made, whichever database (`--db`) they were made for.
`erase_everywhere`, which the CLI and the GUI call, erases, deletes those backups and makes a
fresh one.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Table, delete, func, or_, select, update
from sqlalchemy.orm import Session

from cohortdesk.core.errors import KnownError, NotFoundError
from cohortdesk.core.models import ActivityEvent, Base, Cohort, Identity, Membership, Person
from cohortdesk.core.schemas import Changed, Changes
from cohortdesk.core.services.activity import rollups
from cohortdesk.core.services.privacy.mentions import Mentions, fold
from cohortdesk.core.services.privacy.registry import ERASED, REGISTRY, Erase
from cohortdesk.core.storage.backup import BackupKind, list_backups, make_backup
from cohortdesk.core.storage.db import Database, connect_sqlite
from cohortdesk.core.storage.errors import storage_errors

_CHECKPOINT_TRIES = 50


@dataclass(frozen=True)
class ErasedPerson:
    """What erasing one person removed."""

    person_id: int
    name: str
    email: str | None
    cohorts: tuple[str, ...]
    events: int
    mentions_scrubbed: int
    #: the cohorts (ids) they were a member of
    cohort_ids: tuple[int, ...]

    def message(self) -> str:
        where = ", ".join(self.cohorts) if self.cohorts else "no cohort"
        return (
            f"Erased {self.name} ({where}): {self.events} events and every note, check-in, "
            f"nudge and mentoring record about them; {self.mentions_scrubbed} mentions "
            "elsewhere replaced by [erased]"
        )


def people_with_email(session: Session, email: str) -> list[int]:
    """The people known by `email` (as their address or as a second one), in id order."""
    wanted = email.strip().lower()
    if not wanted:
        return []
    direct = select(Person.id).where(func.lower(Person.email) == wanted)
    second = select(Identity.person_id).where(
        Identity.source == "email", func.lower(Identity.external_id) == wanted
    )
    return sorted(set(session.scalars(direct)) | set(session.scalars(second)))


def person_summary(session: Session, person_id: int) -> str:
    """`Ana Silva <ana@example.org> (Spring cohort): 42 events`, to confirm an erase."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(f"No person with id {person_id}")
    cohorts = list(
        session.scalars(
            select(Cohort.name)
            .join(Membership, Membership.cohort_id == Cohort.id)
            .where(Membership.person_id == person_id)
            .order_by(Cohort.name)
        )
    )
    events = session.scalar(
        select(func.count()).select_from(ActivityEvent).where(ActivityEvent.person_id == person_id)
    )
    email = f" <{person.email}>" if person.email else ""
    where = ", ".join(cohorts) if cohorts else "no cohort"
    return f"{person.full_name}{email} ({where}): {events or 0} events"


def _scrub(session: Session, table: Table, columns: Iterable[str], mentions: Mentions) -> int:
    """Replace every mention (`privacy.mentions`) in `columns` of every row; return how many.

    Every non-empty cell is read: accents and case make SQL's LIKE miss mentions, and erasing
    is rare enough to afford reading the text once.
    """
    keys = list(table.primary_key.columns)
    replaced = 0
    for name in columns:
        column = table.c[name]
        changes: list[tuple[list[object], str]] = []
        rows = session.execute(select(*keys, column).where(column.is_not(None), column != ""))
        for *key, value in rows:
            cleaned, count = mentions.replace(str(value), ERASED)
            if count:
                changes.append((key, cleaned))
                replaced += count
        for key, cleaned in changes:
            where = [k == v for k, v in zip(keys, key, strict=True)]
            session.execute(update(table).where(*where).values({name: cleaned}))
    return replaced


def erase_person(session: Session, person_id: int) -> ErasedPerson:
    """Remove the person and every record of them, within the caller's transaction.

    Raises:
        NotFoundError: no such person.
    """
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(f"No person with id {person_id}")
    name, email = person.full_name, person.email
    cohorts = tuple(
        session.scalars(
            select(Cohort.name)
            .join(Membership, Membership.cohort_id == Cohort.id)
            .where(Membership.person_id == person_id)
            .order_by(Cohort.name)
        )
    )
    events = session.scalar(
        select(func.count()).select_from(ActivityEvent).where(ActivityEvent.person_id == person_id)
    )
    cohort_ids = list(
        session.scalars(select(Membership.cohort_id).where(Membership.person_id == person_id))
    )
    tables = Base.metadata.tables
    for table_name, handling in REGISTRY.items():
        if handling.erase is Erase.BY_COLUMNS and table_name in tables:
            table = tables[table_name]
            naming = [table.c[column] == person_id for column in handling.person_columns]
            session.execute(delete(table).where(or_(*naming)))
    session.execute(
        update(ActivityEvent)
        .where(ActivityEvent.replied_to_id == person_id)
        .values(replied_to_id=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        delete(Person).where(Person.id == person_id).execution_options(synchronize_session=False)
    )
    session.expunge_all()  # rows the cascade removed must not be flushed back
    # The cohorts' daily sums counted their events: recompute them without the person.
    rollups.refresh_people(session, [person_id], cohort_ids=cohort_ids)
    mentions = Mentions(name, email)
    scrubbed = sum(
        _scrub(session, tables[t], h.text_columns, mentions)
        for t, h in REGISTRY.items()
        if h.text_columns and t in tables
    )
    session.flush()
    return ErasedPerson(
        person_id, name, email, cohorts, events or 0, scrubbed, tuple(sorted(set(cohort_ids)))
    )


def purge_deleted_text(db: Database) -> None:
    """Make what was deleted unreadable on disk: checkpoint, VACUUM, truncate the log.

    Runs outside any transaction (VACUUM cannot run inside one). The VACUUM builds its copy in
    memory, so no temporary file elsewhere on the disk holds the data.

    Raises:
        KnownError: another program kept reading the database the whole time.
        StorageError: the disk is full (VACUUM needs room for a copy of the database).
    """
    if db.engine.dialect.name != "sqlite":
        return
    with storage_errors(db.file), db.engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        _checkpoint(raw, db)
        raw.execute("PRAGMA temp_store=MEMORY")
        try:
            raw.execute("VACUUM")
        finally:
            raw.execute("PRAGMA temp_store=DEFAULT")
        _checkpoint(raw, db)


def _checkpoint(raw: sqlite3.Connection, db: Database) -> None:
    for _ in range(_CHECKPOINT_TRIES):
        busy = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if not busy:
            return
        time.sleep(0.1)  # a reader is still on an old snapshot: let it finish
    raise KnownError(
        f"{db.display_name}: another program kept reading the database, so the erased text "
        "may remain in its write-ahead log until cohortdesk is closed"
    )


def erase(db: Database, person_ids: Iterable[int]) -> list[ErasedPerson]:
    """Erase these people in one transaction, then purge the deleted text from the disk."""
    with db.write() as session:
        erased = [erase_person(session, pid) for pid in person_ids]
    purge_deleted_text(db)
    return erased


def backups_holding(folder: Path, people: Iterable[ErasedPerson]) -> list[Path]:
    """Every automatic backup in `folder` (of any database) that still holds one of these
    people: their name (any case or accents) or their email."""
    names = {fold(p.name) for p in people}
    emails = {p.email.casefold() for p in people if p.email}
    holding: list[Path] = []
    for backup in list_backups(folder):
        try:
            with closing(connect_sqlite(backup.path, read_only=True)) as raw:
                rows = raw.execute("SELECT full_name, email FROM people").fetchall()
        except sqlite3.Error:
            holding.append(backup.path)  # unreadable: it may hold them, and it is no use
            continue
        if any(fold(name) in names or (email or "").casefold() in emails for name, email in rows):
            holding.append(backup.path)
    return holding


@dataclass(frozen=True)
class Erasure:
    """What erasing people everywhere did: who went, and the backups that went with them."""

    people: tuple[ErasedPerson, ...]
    #: backups that still held one of them, deleted
    backups_deleted: int
    #: the backup made afterwards, which holds none of them (None: backups were kept)
    fresh_backup: Path | None


def server_keeps(where: str) -> str:
    """What erasing cannot reach on a database server (`where`, as titles show it): said the
    same way by the command line and the app."""
    return (
        f"{where} is a database server: the rows are deleted; its own backups and archived "
        "logs may still hold them until they expire (ask its administrator)"
    )


def erase_everywhere(
    db: Database, person_ids: Iterable[int], backup_dir: Path, *, keep_backups: bool = False
) -> Changed[Erasure]:
    """Erase these people, then the backups that still hold them, and make a fresh backup.

    Args:
        db: the open database.
        person_ids: who to erase.
        backup_dir: the automatic backups' folder.
        keep_backups: leave the backups alone (nothing is deleted, none is made).

    Raises:
        NotFoundError: one of them does not exist (nobody is erased).
        KnownError: the deleted text could not be purged from the disk, or a backup failed.
    """
    people = tuple(erase(db, person_ids))
    deleted, fresh = 0, None
    if not keep_backups and db.file is not None:
        stale = backups_holding(backup_dir, people)
        for path in stale:
            path.unlink(missing_ok=True)
        deleted = len(stale)
        fresh = make_backup(db.file, backup_dir, BackupKind.DAILY)
    cohort_ids = frozenset(c for person in people for c in person.cohort_ids)
    changes = Changes(cohorts=True, rosters=cohort_ids)
    return Changed(value=Erasure(people, deleted, fresh), changes=changes)
