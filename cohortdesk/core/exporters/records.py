"""What an export contains, worked out once and handed to every format's writer.

`collect` reads the cohort, its members with their activity in the period (the roster's
counts, `core/metrics/counts.py`, over the export's period), their latest motivation and their
nudges; `iter_events` streams the period's events in time order, so a million-event cohort is
never held in memory.
When pseudonymising, names, emails, message text (event details) and the cohort's name and
description are dropped here, before any writer sees them, and people, threads and the cohort
are given their pseudonyms: a writer cannot leak what it is never given.

The period is a range of calendar days in the cohort's time zone, judged as of one day
(`core/metrics/period.py`): `from` (by default the first activity) at local midnight to the
end of `to` (by default the as-of day: today, or the cohort's end once it has ended). Stage
and access are as they are now (they are not history).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from cohortdesk.core.enums import EventKind
from cohortdesk.core.exporters.pseudonym import Pseudonymiser
from cohortdesk.core.metrics.counts import MemberCounts, counts_of, member_counts
from cohortdesk.core.metrics.period import Period, cohort_period
from cohortdesk.core.metrics.terms import nudge_counts
from cohortdesk.core.models import ActivityEvent, Membership, MotivationCheck, Person, utcnow
from cohortdesk.core.name_order import by_name
from cohortdesk.core.schemas import CohortRow, ExportMember, ExportOptions, NudgeOutcome
from cohortdesk.core.services.messaging import nudges
from cohortdesk.core.services.people import cohorts

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EVENT_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class PersonRef:
    """How an export names someone: a member, or a person one of them replied to."""

    person_id: int
    label: str
    name: str
    email: str


class ExportEvent(NamedTuple):
    """One event as exported (a tuple: there may be a million of them).

    Attributes:
        key: what makes the event unique in the cohort (source and source id, else the
            database id), for deterministic statement ids; never written itself.
        thread: the thread's name, or its pseudonym.
        detail: the one-line description; empty when pseudonymised.
    """

    event_id: int
    person_id: int
    member: str
    occurred_at: datetime
    kind: EventKind
    source: str
    key: str
    thread: str | None
    replied_to_id: int | None
    replied_to: str | None
    word_count: int | None
    detail: str


@dataclass(frozen=True)
class ExportData:
    """The cohort, the period and the members of one export."""

    cohort: CohortRow
    options: ExportOptions
    zone: ZoneInfo
    period: Period
    start: datetime | None
    end: datetime | None
    period_from: date | None
    period_to: date
    generated_at: datetime
    members: tuple[ExportMember, ...]
    left_out: int
    event_count: int
    people: Mapping[int, PersonRef] = field(default_factory=dict)
    pseudonymiser: Pseudonymiser | None = None

    @property
    def pseudonymised(self) -> bool:
        return self.pseudonymiser is not None

    def local(self, moment: datetime) -> datetime:
        """A stored (UTC) time in the cohort's time zone."""
        return moment.astimezone(self.zone)

    def period_text(self) -> str:
        """`1 Sep 2026 – 30 Oct 2026`, or `up to 30 Oct 2026` without a start."""
        if self.period_from is None:
            return f"up to {day_text(self.period_to)}"
        return f"{day_text(self.period_from)} – {day_text(self.period_to)}"


def day_text(day: date) -> str:
    """`30 Oct 2026`, the same in every locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _in_period(start: datetime | None, end: datetime | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if start is not None:
        where.append(ActivityEvent.occurred_at >= start)
    if end is not None:
        where.append(ActivityEvent.occurred_at < end)
    return where


def collect(
    session: Session, cohort_id: int, options: ExportOptions, *, now: datetime | None = None
) -> ExportData:
    """Everything an export of the cohort needs except the events (see `iter_events`).

    Args:
        session: an open session (a read is enough).
        cohort_id: the cohort.
        options: the period, pseudonymisation and inactive members.
        now: the current time (for tests and screenshots); by default the clock.

    Raises:
        NotFoundError: the cohort does not exist.
    """
    cohort = cohorts.get_cohort(session, cohort_id)
    zone = ZoneInfo(cohort.timezone)
    generated_at = (now or utcnow()).astimezone(zone)
    period = cohort_period(
        session,
        cohort_id,
        as_of=options.as_of,
        first=options.date_from,
        last=options.date_to,
        now=now,
    )
    start, end = period.utc_bounds()
    pseudonymiser = Pseudonymiser(options.key) if options.pseudonymise else None
    if pseudonymiser is not None:  # no free text a person typed leaves a pseudonymised export
        cohort = cohort.model_copy(
            update={"name": pseudonymiser.cohort(cohort.id), "description": ""}
        )
    counts = member_counts(session, cohort_id, period)
    members = _members(session, cohort, counts, pseudonymiser)
    _add_motivation_and_nudges(session, cohort, period, members, start, now)
    rows = [ExportMember.model_validate(values) for values in members]
    kept = tuple(r for r in rows if options.include_inactive or r.events > 0)
    people = {
        r.person_id: PersonRef(r.person_id, r.label, r.name, r.email) for r in rows
    } | _replied_to_people(
        session, cohort.id, start, end, {r.person_id for r in rows}, pseudonymiser
    )
    return ExportData(
        cohort=cohort,
        options=options,
        zone=zone,
        period=period,
        start=start,
        end=end,
        period_from=period.first or first_counted_day(cohort.start_date, rows),
        period_to=period.last,
        generated_at=generated_at,
        members=kept,
        left_out=len(rows) - len(kept),
        event_count=sum(r.events for r in rows),
        people=people,
        pseudonymiser=pseudonymiser,
    )


def first_counted_day(start: date | None, members: Iterable[ExportMember]) -> date | None:
    """The first day a period without a set start counts: the first activity, or the cohort's
    start when nothing happened before it."""
    firsts = [m.first_active for m in members if m.first_active is not None]
    earliest = min(firsts, default=None)
    if start is None or (earliest is not None and earliest < start):
        return earliest
    return start


def _members(
    session: Session,
    cohort: CohortRow,
    counts: Mapping[int, MemberCounts],
    pseudonymiser: Pseudonymiser | None,
) -> list[dict[str, object]]:
    """Each member with their counts in the period (the roster's, see `participation`)."""
    stmt = (
        select(Membership, Person)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.cohort_id == cohort.id)
    )
    rows: list[dict[str, object]] = []
    for membership, person in by_name(session.execute(stmt).all()):
        pseudonym = pseudonymiser.person(person.id) if pseudonymiser else None
        did = counts_of(counts, person.id)
        rows.append(
            {
                "membership_id": membership.id,
                "person_id": person.id,
                "label": pseudonym or person.full_name,
                "name": "" if pseudonym else person.full_name,
                "email": "" if pseudonym else (person.email or ""),
                "pseudonym": pseudonym,
                "role": membership.role,
                "stage": membership.stage,
                "access": membership.access,
                "joined_on": membership.joined_on,
                "motivation": None,
                "logins": did.logins,
                "threads": did.threads,
                "replies": did.replies,
                "peer_replies": did.peer_replies,
                "events": did.events,
                "first_active": did.first_active,
                "last_active": did.last_active,
                "nudges_received": 0,
                "nudges_answered": 0,
            }
        )
    if pseudonymiser is not None:  # by pseudonym: name order would hint at who is who
        rows.sort(key=lambda r: str(r["label"]))
    return rows


def _add_motivation_and_nudges(
    session: Session,
    cohort: CohortRow,
    period: Period,
    members: list[dict[str, object]],
    start: datetime | None,
    now: datetime | None,
) -> None:
    by_id = {int(str(m["membership_id"])): m for m in members}
    if not by_id:
        return
    checks = select(MotivationCheck.membership_id, MotivationCheck.rating).where(
        MotivationCheck.membership_id.in_(by_id)
    )
    checks = checks.where(MotivationCheck.checked_on <= period.last)
    checks = checks.order_by(MotivationCheck.checked_on, MotivationCheck.id)
    for membership_id, rating in session.execute(checks):
        by_id[membership_id]["motivation"] = rating  # the last one wins: the latest
    received: Counter[int] = Counter()
    answered: Counter[int] = Counter()
    for nudge in nudges.list_nudges(session, cohort.id, as_of=period.last, now=now):
        if (start is not None and nudge.sent_at < start) or not nudge_counts(nudge.status):
            continue
        received[nudge.membership_id] += 1
        if nudge.outcome is NudgeOutcome.RESPONDED:
            answered[nudge.membership_id] += 1
    for membership_id, member in by_id.items():
        member["nudges_received"] = received[membership_id]
        member["nudges_answered"] = answered[membership_id]


def _replied_to_people(
    session: Session,
    cohort_id: int,
    start: datetime | None,
    end: datetime | None,
    known: set[int],
    pseudonymiser: Pseudonymiser | None,
) -> dict[int, PersonRef]:
    """People replied to in the period who are not (or no longer) members."""
    replied = (
        select(ActivityEvent.replied_to_id)
        .where(
            ActivityEvent.cohort_id == cohort_id,
            ActivityEvent.replied_to_id.is_not(None),
            *_in_period(start, end),
        )
        .distinct()
    )
    ids = {pid for pid in session.scalars(replied) if pid is not None} - known
    if not ids:
        return {}
    people: dict[int, PersonRef] = {}
    for person in session.scalars(select(Person).where(Person.id.in_(ids))):
        if pseudonymiser is not None:
            people[person.id] = PersonRef(person.id, pseudonymiser.person(person.id), "", "")
        else:
            people[person.id] = PersonRef(
                person.id, person.full_name, person.full_name, person.email or ""
            )
    return people


def iter_events(session: Session, data: ExportData) -> Iterator[ExportEvent]:
    """The period's events of the cohort's members, oldest first, as exported.

    Streams from the database in chunks; the session must stay open while iterating.
    """
    stmt = (
        select(
            ActivityEvent.id,
            ActivityEvent.person_id,
            ActivityEvent.occurred_at,
            ActivityEvent.kind,
            ActivityEvent.source,
            ActivityEvent.source_event_id,
            ActivityEvent.thread,
            ActivityEvent.replied_to_id,
            ActivityEvent.word_count,
            ActivityEvent.detail,
        )
        .join(
            Membership,
            and_(
                Membership.cohort_id == ActivityEvent.cohort_id,
                Membership.person_id == ActivityEvent.person_id,
            ),
        )
        .where(ActivityEvent.cohort_id == data.cohort.id, *_in_period(data.start, data.end))
        .order_by(ActivityEvent.occurred_at, ActivityEvent.id)
        .execution_options(yield_per=_EVENT_CHUNK)
    )
    people = data.people
    pseudonymiser = data.pseudonymiser
    threads: dict[str, str] = {}
    for row in session.execute(stmt):
        event_id, person_id, occurred_at, kind, source, source_id, thread, to_id, words, detail = (
            row
        )
        person = people.get(person_id)
        target = people.get(to_id) if to_id is not None else None
        if thread is not None and pseudonymiser is not None:
            shown = threads.get(thread)
            if shown is None:
                shown = threads[thread] = pseudonymiser.thread(thread)
            thread = shown
        yield ExportEvent(
            event_id=event_id,
            person_id=person_id,
            member=person.label if person else "",
            occurred_at=occurred_at,
            kind=kind,
            source=source,
            key=f"{source}|{source_id}" if source_id else f"event|{event_id}",
            thread=thread,
            replied_to_id=to_id if target is not None else None,
            replied_to=target.label if target is not None else None,
            word_count=words,
            detail="" if pseudonymiser is not None else detail,
        )
