"""Importing a file into a cohort, listing past imports, undoing one.

One import is one transaction: the parser streams items, people are matched or created, events
are inserted in chunks that skip any event already stored (same cohort, source and key), and
the batch row records what happened. A bad row anywhere raises `ImportRejectedError` and the
caller's transaction rolls everything back; so does a cancel (the progress callback raising).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    bindparam,
    delete,
    exists,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session

from cohortdesk.core.collector import collect_newest, collect_young, collector_paused
from cohortdesk.core.dates import is_kept, outside_reason
from cohortdesk.core.enums import AccessStatus, StageChangeSource
from cohortdesk.core.errors import KnownError, NotFoundError
from cohortdesk.core.importers.base import (
    ActivityRecord,
    ImportItem,
    ImportOptions,
    PersonKey,
    PersonRecord,
    Skipped,
    SourceFile,
    person_name,
)
from cohortdesk.core.importers.read_ahead import read_ahead
from cohortdesk.core.importers.registry import get_format
from cohortdesk.core.metrics.terms import access_evidence_sql
from cohortdesk.core.models import (
    ActivityEvent,
    Base,
    Cohort,
    ImportBatch,
    Membership,
    Person,
    StageChange,
    utcnow,
)
from cohortdesk.core.name_order import name_key
from cohortdesk.core.schemas import (
    Changed,
    Changes,
    ImportBatchRow,
    ImportPreviewRow,
    ImportSummary,
    ProposedStaff,
    UndoneImport,
)
from cohortdesk.core.services.activity import rollups
from cohortdesk.core.services.activity.event_writers import CHUNK, EventWriter, StagedEvents
from cohortdesk.core.services.people.cohorts import delete_orphans
from cohortdesk.core.services.people.identities import MAX_NAME, PeopleMatcher
from cohortdesk.core.services.privacy.registry import REGISTRY
from cohortdesk.core.text import plural, short_date

#: rows of the file shown in a preview
SAMPLE_ROWS = 50
#: ids named in one statement (SQLite takes at most 32,766 parameters)
_IDS_PER_STATEMENT = 10_000

#: called with the items read so far, the bytes of the file read (0 when not known) and the
#: file's size; raise from it to cancel the import
ProgressCallback = Callable[[int, int, int], None]


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _sample_rows(
    items: list[ImportItem], matcher: PeopleMatcher, unnamed_label: str
) -> list[ImportPreviewRow]:
    """The preview's rows: each person by the name of the member the import matched them
    to, or else as a new member is named (`person_name`: "Moodle user 5104")."""
    keys = [item.who for item in items if isinstance(item, ActivityRecord | PersonRecord)]
    found = matcher.names_found(keys)

    def who(key: PersonKey) -> str:
        return found.get(key) or person_name(key, unnamed_label)

    return [_sample_row(item, who) for item in items]


def _sample_row(item: ImportItem, who: Callable[[PersonKey], str]) -> ImportPreviewRow:
    if isinstance(item, ActivityRecord):
        return ImportPreviewRow(
            row=item.row,
            outcome="event",
            who=who(item.who),
            when=item.occurred_at,
            kind=item.kind,
            detail=item.detail,
        )
    if isinstance(item, PersonRecord):
        role = item.role.value if item.role else ""
        return ImportPreviewRow(
            row=item.row,
            outcome="person",
            who=who(item.who),
            when=None,
            kind=None,
            detail=role,
        )
    return ImportPreviewRow(
        row=item.row,
        outcome="unattributed" if item.unattributed else "skipped",
        who="",
        when=None,
        kind=None,
        detail=item.reason,
    )


def _reason_counts(skipped: Any) -> list[tuple[str, int]]:
    """Each reason's rows in a batch of skipped rows, in the order first met."""
    import polars as pl

    counts = skipped.group_by("reason", maintain_order=True).agg(pl.len())
    return [(reason, int(count)) for reason, count in counts.iter_rows()]


def import_file(
    session: Session,
    cohort_id: int,
    path: Path,
    format_name: str,
    options: ImportOptions | None = None,
    *,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
    columnar: bool = True,
) -> ImportSummary:
    """Import `path` into the cohort within `session`'s transaction.

    The caller commits (or, for a dry run, rolls back: the counts are exactly what a real
    import would do). Raises `ImportRejectedError` for a bad file, `NotFoundError` for an
    unknown cohort, and whatever `progress` raises to cancel.
    """
    module = get_format(format_name)
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFoundError(f"No cohort with id {cohort_id}")
    zone = ZoneInfo(cohort.timezone)
    opts = options or ImportOptions(timezone=zone)
    when = now or utcnow()
    source = SourceFile(path)
    size = source.check_size(opts.max_bytes)
    sha = file_sha256(path)
    earlier = session.scalar(
        select(ImportBatch.imported_at)
        .where(
            ImportBatch.cohort_id == cohort_id,
            ImportBatch.sha256 == sha,
            ImportBatch.undone_at.is_(None),
        )
        .order_by(ImportBatch.imported_at.desc())
        .limit(1)
    )
    if earlier is not None:
        source.note(
            f"This file was imported before, on {short_date(earlier.astimezone(zone).date())}."
        )
    batch = ImportBatch(
        cohort_id=cohort_id,
        format=module.FORMAT,
        file_name=path.name[:400],
        sha256=sha,
        timezone=opts.timezone.key,
        imported_at=when,
    )
    session.add(batch)
    session.flush()
    matcher = PeopleMatcher(
        session,
        cohort_id,
        identity_source=module.IDENTITY_SOURCE,
        unnamed_label=module.UNNAMED_LABEL,
        batch_id=batch.id,
        joined_on=cohort.start_date or when.astimezone(zone).date(),
        now=when,
    )
    writer = EventWriter(session)
    source_name = module.FORMAT
    skipped: Counter[str] = Counter()
    sample: list[ImportItem] = []
    read = unattributed = ignored = 0
    first: datetime | None = None
    last: datetime | None = None
    parse_batches = getattr(module, "parse_batches", None) if columnar else None
    # parsed rows are freed by reference counting; a full collection over the import's
    # caches would hold the interpreter, and the GUI thread, for a tenth of a second
    with collector_paused():
        if parse_batches is not None:
            staged = StagedEvents(session, cohort_id, source_name, batch.id, when)
            # the next batch is parsed while the database stores this one
            batches = closing(read_ahead(parse_batches(source, opts)))
            with batches as items, staged.storing():
                for batch_item in items:
                    if isinstance(batch_item, PersonRecord):
                        read += 1
                        if len(sample) < SAMPLE_ROWS:
                            sample.append(batch_item)
                        staged.settle()  # the matcher writes on the connection
                        matcher.apply(batch_item)
                        continue
                    read += batch_item.items
                    if progress is not None:  # where a cancel stops the import, batch by batch
                        progress(read, batch_item.bytes_read, size)
                    for item in batch_item.sample:
                        if len(sample) < SAMPLE_ROWS:
                            sample.append(item)
                    reasons = batch_item.skipped
                    if reasons.height:
                        for reason, count in _reason_counts(reasons):
                            skipped[reason] += count
                        gone = int(reasons.get_column("unattributed").sum())
                        unattributed += gone
                        ignored += reasons.height - gone
                    share = batch_item.bytes_read / size if size else 0.0
                    span = staged.add(batch_item.events, matcher, share)
                    if span is not None:
                        if first is None or span[0] < first:
                            first = span[0]
                        if last is None or span[1] > last:
                            last = span[1]
                    collect_newest()
            writer.records = staged.records
            staged.close()
        else:
            for item in module.parse(source, opts):
                read += 1
                if len(sample) < SAMPLE_ROWS:
                    sample.append(item)
                if isinstance(item, ActivityRecord):
                    moment = item.occurred_at
                    if not is_kept(moment):
                        raise source.reject(item.row, outside_reason(moment))
                    if first is None or moment < first:
                        first = moment
                    if last is None or moment > last:
                        last = moment
                    person_id = matcher.resolve(item.who)
                    replied_to = matcher.resolve(item.replied_to) if item.replied_to else None
                    writer.add(
                        (
                            cohort_id,
                            person_id,
                            item.occurred_at,
                            item.kind.value,
                            source_name,
                            item.key,
                            item.thread,
                            None if replied_to == person_id else replied_to,
                            item.word_count,
                            item.detail,
                            when,
                            batch.id,
                        )
                    )
                elif isinstance(item, PersonRecord):
                    matcher.apply(item)
                elif isinstance(item, Skipped):
                    skipped[item.reason] += 1
                    if item.unattributed:
                        unattributed += 1
                    else:
                        ignored += 1
                if read % CHUNK == 0:
                    collect_newest()
                    if progress is not None:
                        progress(read, 0, size)
            writer.flush()
        matcher.finish()
        collect_young()  # what the stretch kept, walked once here rather than by the GUI's
    if matcher.shortened_names:
        source.note(
            f"{plural(matcher.shortened_names, 'name was', 'names were')} longer than "
            f"{MAX_NAME} characters and shortened, ending in …"
        )
    if matcher.matched_by_name_count:
        shown = ", ".join(matcher.matched_by_name)
        more = matcher.matched_by_name_count - len(matcher.matched_by_name)
        source.note(
            f"{plural(matcher.matched_by_name_count, 'person was', 'people were')} matched by "
            f"name alone, with no email or id already known: {shown}"
            + (f" and {more} more" if more > 0 else "")
            + ". Two people with one name and different emails or ids are kept apart."
        )
    session.flush()
    rollups.add_batch(session, batch.id)
    inserted = _count_events(session, batch.id)
    _follow_the_data(session, cohort, batch.id, zone)
    days = _activity_days(source, cohort, first, last, zone)
    batch.encoding = source.encoding
    batch.read = read
    batch.inserted = inserted
    batch.duplicates = writer.records - inserted
    batch.unattributed = unattributed
    batch.ignored = ignored
    batch.people_created = matcher.created_count
    batch.notes = "\n".join(source.notes)
    session.flush()
    if progress is not None:
        progress(read, size, size)
    return ImportSummary(
        format=module.FORMAT,
        file_name=path.name,
        encoding=source.encoding,
        read=read,
        inserted=inserted,
        duplicates=writer.records - inserted,
        unattributed=unattributed,
        ignored=ignored,
        people_created=matcher.created_count,
        batch_id=None if dry_run else batch.id,
        dry_run=dry_run,
        notes=list(source.notes),
        skipped_reasons=dict(skipped.most_common()),
        new_people=matcher.created,
        sample=_sample_rows(sample, matcher, module.UNNAMED_LABEL),
        proposed_staff=[
            ProposedStaff(
                source_id=p.source_id,
                who=person_name(PersonKey(source_id=p.source_id), module.UNNAMED_LABEL),
                name=p.name,
                rows=p.rows,
                patterns=list(p.patterns),
            )
            for p in source.staff_proposals
        ],
        activity_first=days[0] if days else None,
        activity_last=days[1] if days else None,
        outside_dates=days is not None and outside_dates(cohort, *days),
    )


def outside_dates(cohort: Cohort, first: date, last: date) -> bool:
    """Whether activity from `first` to `last` falls outside the cohort's dates: before its
    start or after its end, or the cohort has neither (an open-ended cohort has no end)."""
    if cohort.start_date is None and cohort.end_date is None:
        return True
    return (cohort.start_date is not None and first < cohort.start_date) or (
        cohort.end_date is not None and last > cohort.end_date
    )


def _activity_days(
    source: SourceFile,
    cohort: Cohort,
    first: datetime | None,
    last: datetime | None,
    zone: ZoneInfo,
) -> tuple[date, date] | None:
    """The file's first and last day of activity in the cohort's zone; notes when they fall
    outside the cohort's dates."""
    if first is None or last is None:
        return None
    days = first.astimezone(zone).date(), last.astimezone(zone).date()
    if outside_dates(cohort, *days):
        span = f"{short_date(days[0])} to {short_date(days[1])}"
        if cohort.start_date is None and cohort.end_date is None:
            where = "the cohort has no dates yet"
        else:
            start = short_date(cohort.start_date) if cohort.start_date else "no start"
            end = short_date(cohort.end_date) if cohort.end_date else "no end"
            where = f"outside the cohort's dates ({start} to {end})"
        source.note(
            f"The file's activity runs from {span}; {where}. Figures count the cohort's "
            "dates only: set them from the file."
        )
    return days


def _count_events(session: Session, batch_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(ActivityEvent)
            .where(ActivityEvent.import_batch_id == batch_id)
        )
        or 0
    )


def _follow_the_data(session: Session, cohort: Cohort, batch_id: int, zone: ZoneInfo) -> None:
    """Imported activity shows who got in (`metrics.terms`: their own activity, or being
    replied to); members the import added joined when they began."""
    # The people first, then the members by person: just after a large import the server
    # has no statistics on the new rows, and a plan for the two as one statement can run
    # the whole evidence again for each member.
    active = sorted(session.scalars(access_evidence_sql(ActivityEvent.import_batch_id == batch_id)))
    for start in range(0, len(active), _IDS_PER_STATEMENT):
        session.execute(
            update(Membership)
            .where(
                Membership.cohort_id == cohort.id,
                Membership.access == AccessStatus.NOT_YET,
                Membership.person_id.in_(active[start : start + _IDS_PER_STATEMENT]),
            )
            .values(access=AccessStatus.ACCESSED)
            .execution_options(synchronize_session=False)
        )
    if cohort.start_date is not None:
        return
    # each member's first event: one step down the (cohort, person, time) index per member
    first_event = (
        select(func.min(ActivityEvent.occurred_at))
        .where(
            ActivityEvent.cohort_id == Membership.cohort_id,
            ActivityEvent.person_id == Membership.person_id,
        )
        .correlate(Membership)
        .scalar_subquery()
    )
    firsts = session.execute(
        select(Membership.id, Membership.joined_on, first_event).where(
            Membership.import_batch_id == batch_id
        )
    ).all()
    earlier = [
        {"member": member, "day": day}
        for member, joined_on, first in firsts
        if first is not None and (day := first.astimezone(zone).date()) < joined_on
    ]
    if earlier:  # one statement for all (an update per member is a round trip each)
        session.connection().execute(
            update(Membership)
            .where(Membership.id == bindparam("member"))
            .values(joined_on=bindparam("day"), version=Membership.version + 1),
            earlier,
        )


def list_batches(session: Session, cohort_id: int) -> list[ImportBatchRow]:
    """The cohort's imports, newest first, with how many of their events remain."""
    events_now = (
        select(func.count())
        .select_from(ActivityEvent)
        .where(ActivityEvent.import_batch_id == ImportBatch.id)
        .correlate(ImportBatch)
        .scalar_subquery()
    )
    rows = session.execute(
        select(ImportBatch, events_now)
        .where(ImportBatch.cohort_id == cohort_id)
        .order_by(ImportBatch.imported_at.desc(), ImportBatch.id.desc())
    ).all()
    return [
        ImportBatchRow(
            id=batch.id,
            format=batch.format,
            file_name=batch.file_name,
            sha256=batch.sha256,
            imported_at=batch.imported_at,
            read=batch.read,
            inserted=batch.inserted,
            duplicates=batch.duplicates,
            unattributed=batch.unattributed,
            ignored=batch.ignored,
            people_created=batch.people_created,
            events_now=count or 0,
            undone_at=batch.undone_at,
        )
        for batch, count in rows
    ]


def undo_batch(
    session: Session, batch_id: int, *, now: datetime | None = None
) -> Changed[UndoneImport]:
    """Remove exactly the events an import brought in, and the members it added who have
    nothing else recorded (`_has_records`: any row made since that names them). Returns what
    was removed and who was kept; the cohort's roster and the list of cohorts changed.

    Raises:
        NotFoundError: no such import.
        KnownError: the import was undone already.
    """
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFoundError(f"No import with id {batch_id}")
    if batch.undone_at is not None:
        raise KnownError(
            f"The import {batch_id} of {batch.file_name} was undone already, on "
            f"{batch.undone_at:%Y-%m-%d %H:%M} UTC"
        )
    removed = _count_events(session, batch_id)
    rollups.forget_batch(session, batch_id)  # before the delete: it reads the days touched
    session.execute(
        delete(ActivityEvent)
        .where(ActivityEvent.import_batch_id == batch_id)
        .execution_options(synchronize_session=False)
    )
    added = list(session.scalars(select(Membership).where(Membership.import_batch_id == batch_id)))
    leaving: list[Membership] = [m for m in added if not _has_records(session, m)]
    staying = [m for m in added if m not in leaving]
    named = select(Person.id, Person.full_name).where(Person.id.in_([m.person_id for m in added]))
    names: dict[int, str] = {row.id: row.full_name for row in session.execute(named)}
    person_ids = [m.person_id for m in leaving]
    for membership in leaving:
        session.delete(membership)
    session.flush()
    delete_orphans(session, person_ids)
    batch = session.get(ImportBatch, batch_id)
    assert batch is not None
    batch.undone_at = now or utcnow()
    session.flush()
    undone = UndoneImport(
        file_name=batch.file_name,
        events=removed,
        people_removed=tuple(sorted((names[p] for p in person_ids), key=name_key)),
        people_kept=tuple(sorted((names[m.person_id] for m in staying), key=name_key)),
    )
    return Changed(value=undone, changes=imported_into(batch.cohort_id))


def imported_into(cohort_id: int) -> Changes:
    """What an import (or its undoing) changes: the cohort's roster, and its counts in the list."""
    return Changes(cohorts=True, rosters=frozenset({cohort_id}))


#: rows an import itself makes about the people it adds: they go with the membership
_MADE_BY_THE_IMPORT = frozenset({"memberships", "identities", "import_batches"})
#: tables asked with their own conditions below
_ASKED_APART = frozenset({"activity_events", "stage_changes"})


def _has_records(session: Session, membership: Membership) -> bool:
    """Whether anything names this member besides what their import made: their events or
    replies to them in the cohort, a stage change past joining, or any row of any table
    pointing at the membership or the person (notes, check-ins, nudges, highlights,
    mentoring...).

    Every table the privacy registry lists is asked through its foreign keys, so a table
    added later is covered without a change here. Derived counts have no foreign key.
    """
    checks = [
        exists().where(
            ActivityEvent.cohort_id == membership.cohort_id,
            (ActivityEvent.person_id == membership.person_id)
            | (ActivityEvent.replied_to_id == membership.person_id),
        ),
        exists().where(
            StageChange.membership_id == membership.id,
            StageChange.source != StageChangeSource.JOINED,
        ),
    ]
    for table_name in REGISTRY:
        table = Base.metadata.tables.get(table_name)
        if table is None or table_name in _MADE_BY_THE_IMPORT | _ASKED_APART:
            continue
        for key in table.foreign_keys:
            target = key.column.table.name
            if target == "memberships":
                checks.append(exists().where(key.parent == membership.id))
            elif target == "people":
                checks.append(exists().where(key.parent == membership.person_id))
    return any(session.scalar(select(check)) for check in checks)
