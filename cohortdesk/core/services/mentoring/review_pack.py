"""A review pack: a cohortdesk database holding one mentor's mentees and nothing else.

The facilitator makes it; the mentor opens it with cohortdesk (`cohortdesk --db FILE` or
File > Open), reviews, writes session notes and sends back a notes file
(`services.mentoring.review_notes`). It is a new SQLite file built from scratch by the
migrations, then filled with exactly:

- the cohort (name, dates, time zone, description) and its attention and evidence thresholds;
- the mentor and their mentees (name, email, expertise) and their memberships;
- the mentees' stage history, access issues, motivation check-ins and activity events;
- the mentor's groups, links, reviews and own sessions (with those mentees or groups).

Nothing else: no other member, no facilitator notes, no nudges, no identities, no import
batches, no highlights. A reply to someone outside the pack points at a stand-in, "Another
learner" (a fellow learner) or "Cohort staff" (the facilitator, another mentor...), so peer
replies and the stage evidence read the same as in the facilitator's database, without naming
anyone. Free text copied into the pack (event details and threads, notes of check-ins and
access issues, stage reasons, session notes) has every other member's name, name parts, email
and platform identity replaced by "[another member]": an activity export's detail line often
names the person replied to ("reply to Ben Carter"), and a Slack message mentions people.

The file is written beside its destination and renamed into place only when complete
(`storage.safefile`), readable by its owner only, and compacted with VACUUM in rollback-
journal mode, so it is one self-contained file whose free pages hold nothing.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cohortdesk.core.enums import AccessStatus, Role
from cohortdesk.core.errors import ErrorKind, KnownError, NotFoundError
from cohortdesk.core.models import (
    AccessIssue,
    ActivityEvent,
    Base,
    Cohort,
    Identity,
    Membership,
    MentoringGroup,
    MentoringSession,
    MentorLink,
    MentorReview,
    MotivationCheck,
    Person,
    ReviewPackInfo,
    StageChange,
    utcnow,
)
from cohortdesk.core.paths import sqlite_url
from cohortdesk.core.schemas import CohortRules
from cohortdesk.core.schemas.mentoring import ReviewPackInfoRow, ReviewPackResult
from cohortdesk.core.services.activity import rollups
from cohortdesk.core.services.attention.rules import get_rules, save_rules
from cohortdesk.core.services.mentoring import mentoring
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.safefile import atomic_path

ANOTHER_LEARNER = "Another learner"
COHORT_STAFF = "Cohort staff"
SCRUBBED = "[another member]"
#: shorter name parts and ids are too likely to be ordinary words or numbers
MIN_TERM = 3

Step = Callable[[int, int, str], None]
STEPS = 4


def _values(record: Base, **changes: Any) -> dict[str, Any]:
    values = {c.key: getattr(record, c.key) for c in record.__table__.columns}
    values.update(changes)
    return values


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Scrubber:
    """Replaces other people's names, name parts, emails and identities in free text."""

    def __init__(self, others: Iterable[str], names: Iterable[str], keep: Iterable[str]) -> None:
        """
        Args:
            others: whole strings to remove (full names, emails, platform identities).
            names: other people's full names, whose parts are removed too.
            keep: the names of people in the pack, whose parts are never removed.
        """
        kept = {_plain(part).casefold() for name in keep for part in name.split()}
        terms: set[str] = set()
        for text in others:
            text = _nfc(text.strip())
            if len(text) >= MIN_TERM:
                terms.update({text, _plain(text)})
        for name in names:
            for part in _nfc(name).split():
                part = part.strip(".,()'\"")
                if len(part) >= MIN_TERM and _plain(part).casefold() not in kept:
                    terms.update({part, _plain(part)})
        ordered = sorted(terms, key=lambda t: (-len(t), t))
        self._pattern = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(t) for t in ordered) + r")(?!\w)",
                re.IGNORECASE,
            )
            if ordered
            else None
        )

    def __call__(self, text: str | None) -> Any:
        if not text or self._pattern is None:
            return text
        return self._pattern.sub(SCRUBBED, _nfc(text))


@dataclass
class _Pack:
    """Everything read from the facilitator's database, ready to write."""

    cohort: dict[str, Any]
    rules: CohortRules
    people: list[dict[str, Any]]
    memberships: list[dict[str, Any]]
    records: list[tuple[type[Base], dict[str, Any]]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    #: the stand-ins needed, by role: Role.LEARNER and/or Role.FACILITATOR
    stand_ins: set[Role] = field(default_factory=set)
    sessions: int = 0


def make_review_pack(
    session: Session,
    mentor_membership_id: int,
    output: Path,
    *,
    now: datetime | None = None,
    on_step: Step | None = None,
) -> ReviewPackResult:
    """Write the review pack of one mentor to `output` (replacing it when complete).

    Args:
        session: a session on the facilitator's database (only read).
        mentor_membership_id: the mentor, in the cohort the pack is for.
        output: the file to write.
        now: when the pack is made (for its info row).
        on_step: called with (done, total, what) between steps; it may raise to cancel, and
            then no file is left behind.

    Raises:
        NotFoundError: no such member.
        KnownError: the mentor has no mentees, or the file cannot be written.
    """
    step = on_step or (lambda _d, _t, _w: None)
    step(0, STEPS, "Reading the mentees")
    pack = _read(session, mentor_membership_id)
    mentor_name = next(
        p["full_name"] for p in pack.people if p["id"] == _mentor_person(pack, mentor_membership_id)
    )
    step(1, STEPS, "Creating the pack")
    with atomic_path(output) as temporary:
        database = migrate.open_database(sqlite_url(temporary), None)
        try:
            step(2, STEPS, "Copying the mentees' records")
            with database.write() as target:
                _write(target, pack, mentor_membership_id, now or utcnow())
        finally:
            database.dispose()
        step(3, STEPS, "Compacting the file")
        _compact(temporary, output)
    step(STEPS, STEPS, "Done")
    return ReviewPackResult(
        path=str(output),
        cohort_name=pack.cohort["name"],
        mentor_name=mentor_name,
        mentees=len(pack.memberships) - 1,
        events=len(pack.events),
        sessions=pack.sessions,
        size_bytes=output.stat().st_size,
    )


def _mentor_person(pack: _Pack, mentor_membership_id: int) -> int:
    return int(next(m["person_id"] for m in pack.memberships if m["id"] == mentor_membership_id))


def _read(session: Session, mentor_membership_id: int) -> _Pack:
    mentor = session.get(Membership, mentor_membership_id)
    if mentor is None:
        raise NotFoundError(f"No member with id {mentor_membership_id}")
    cohort = session.get(Cohort, mentor.cohort_id)
    assert cohort is not None
    mentees = mentoring.mentee_ids(session, mentor.id)
    if not mentees:
        name = session.scalar(select(Person.full_name).where(Person.id == mentor.person_id))
        raise KnownError(
            f"{name} has no mentees in {cohort.name}: assign some before making a review pack"
        )
    inside = [mentor.id, *mentees]
    memberships = list(session.scalars(select(Membership).where(Membership.id.in_(inside))))
    person_ids = {m.person_id for m in memberships}
    people = list(session.scalars(select(Person).where(Person.id.in_(person_ids))))
    everyone = session.execute(
        select(Membership.person_id, Membership.role).where(Membership.cohort_id == cohort.id)
    ).all()
    role_of = dict(everyone)
    # Stand-in roles keep peer replies (learner to learner) and replies to staff apart.
    rules = get_rules(session, cohort.id)
    pack = _Pack(
        cohort=_values(cohort, archived=False),
        rules=CohortRules(attention=rules.attention, evidence=rules.evidence),
        people=[_values(p) for p in people],
        memberships=[_values(m, import_batch_id=None) for m in memberships],
    )
    scrub = _scrubber(session, cohort.id, person_ids, [p.full_name for p in people])
    pack.cohort["description"] = scrub(cohort.description)
    for model, texts in (
        (StageChange, ("reason", "evidence")),
        (AccessIssue, ("note", "resolution")),
        (MotivationCheck, ("note",)),
    ):
        for record in session.scalars(select(model).where(model.membership_id.in_(mentees))):
            values = _values(record, id=None)
            for name in texts:
                values[name] = scrub(values[name])
            pack.records.append((model, values))
    for event in session.scalars(
        select(ActivityEvent)
        .where(ActivityEvent.cohort_id == cohort.id, ActivityEvent.person_id.in_(person_ids))
        .where(ActivityEvent.person_id != mentor.person_id)
        .order_by(ActivityEvent.occurred_at, ActivityEvent.id)
    ):
        # The importers' event keys hash the row, names included: a guessable name could be
        # confirmed against one, so the pack keeps none (nothing is imported into a pack).
        values = _values(event, id=None, import_batch_id=None, source_event_id=None)
        values["thread"], values["detail"] = scrub(event.thread), scrub(event.detail)
        target = event.replied_to_id
        if target is not None and target not in person_ids:
            role = role_of.get(target)
            if role is None:
                values["replied_to_id"] = None
            else:
                stand_in = Role.LEARNER if role is Role.LEARNER else Role.FACILITATOR
                pack.stand_ins.add(stand_in)
                values["replied_to_id"] = stand_in
        pack.events.append(values)
    _read_mentoring(session, pack, mentor.id, set(mentees), scrub)
    return pack


def _read_mentoring(
    session: Session, pack: _Pack, mentor_id: int, mentees: set[int], scrub: Scrubber
) -> None:
    """The mentor's own groups, links to these mentees, reviews and sessions."""
    for group in session.scalars(
        select(MentoringGroup).where(MentoringGroup.mentor_membership_id == mentor_id)
    ):
        pack.records.append(
            (MentoringGroup, _values(group, name=scrub(group.name), goal=scrub(group.goal)))
        )
    for link in mentoring.current_links(session, pack.cohort["id"]).values():
        if link.mentee_membership_id in mentees:
            pack.records.append((MentorLink, _values(link, id=None)))
    for review in session.scalars(
        select(MentorReview).where(MentorReview.mentor_membership_id == mentor_id)
    ):
        pack.records.append((MentorReview, _values(review, id=None)))
    for record in session.scalars(
        select(MentoringSession).where(MentoringSession.mentor_membership_id == mentor_id)
    ):
        if record.mentee_membership_id is not None and record.mentee_membership_id not in mentees:
            continue  # a former mentee's: not in the pack
        values = _values(record)
        for name in ("notes", "goals", "next_steps"):
            values[name] = scrub(values[name])
        pack.records.append((MentoringSession, values))
        pack.sessions += 1


def _scrubber(
    session: Session, cohort_id: int, inside: set[int], inside_names: list[str]
) -> Scrubber:
    """A scrubber for everyone of the cohort outside the pack."""
    outside = select(Membership.person_id).where(
        Membership.cohort_id == cohort_id, Membership.person_id.not_in(inside)
    )
    others = session.execute(
        select(Person.full_name, Person.email).where(Person.id.in_(outside))
    ).all()
    identities = session.scalars(
        select(Identity.external_id).where(Identity.person_id.in_(outside))
    ).all()
    emails = [e for _, e in others if e]
    whole = [n for n, _ in others] + emails + [e.split("@")[0] for e in emails] + list(identities)
    return Scrubber(whole, [name for name, _ in others], inside_names)


def _write(target: Session, pack: _Pack, mentor_membership_id: int, now: datetime) -> None:
    target.add(Cohort(**pack.cohort))
    target.flush()
    save_rules(target, pack.cohort["id"], pack.rules, now=now)
    for person in pack.people:
        target.add(Person(**person))
    target.flush()
    for membership in pack.memberships:
        target.add(Membership(**membership))
    target.flush()
    stand_ins = _stand_ins(target, pack, now)
    # Tables without ORM relationships flush in no particular order: groups go first, as
    # links and sessions point at them.
    for first in (True, False):
        for model, values in pack.records:
            if (model is MentoringGroup) == first:
                target.add(model(**values))
        target.flush()
    for values in pack.events:
        replied = values["replied_to_id"]
        if isinstance(replied, Role):
            values = {**values, "replied_to_id": stand_ins[replied]}
        target.add(ActivityEvent(**values))
    target.flush()
    rollups.rebuild(target, pack.cohort["id"])  # the dashboards read these, not the events
    target.add(
        ReviewPackInfo(
            cohort_id=pack.cohort["id"], mentor_membership_id=mentor_membership_id, made_at=now
        )
    )
    target.flush()


def _stand_ins(target: Session, pack: _Pack, now: datetime) -> dict[Role, int]:
    """Create the stand-in people replies to outsiders point at; their person ids by role."""
    joined = min(m["joined_on"] for m in pack.memberships)
    found = {}
    for role in sorted(pack.stand_ins):
        person = Person(
            full_name=ANOTHER_LEARNER if role is Role.LEARNER else COHORT_STAFF,
            email=None,
            expertise="",
            created_at=now,
        )
        target.add(person)
        target.flush()
        # Marked as having access, so the stand-ins never appear on an attention list.
        target.add(
            Membership(
                cohort_id=pack.cohort["id"],
                person_id=person.id,
                role=role,
                stage=1,
                stage_since=now,
                access=AccessStatus.ACCESSED,
                joined_on=joined,
                created_at=now,
            )
        )
        found[role] = person.id
    target.flush()
    return found


def _compact(temporary: Path, output: Path) -> None:
    """One self-contained file (no write-ahead log) whose free pages hold nothing."""
    try:
        with closing(sqlite3.connect(temporary, isolation_level=None)) as raw:
            raw.execute("PRAGMA journal_mode=DELETE")
            raw.execute("VACUUM")
            verdict = raw.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.Error as exc:
        raise KnownError(
            f"{output}: cannot write the review pack ({exc})", ErrorKind.BAD_FILE
        ) from exc
    if verdict != "ok":
        raise KnownError(
            f"{output}: the review pack failed its check ({verdict})", ErrorKind.BAD_FILE
        )
    for suffix in ("-wal", "-shm", "-journal"):
        temporary.with_name(temporary.name + suffix).unlink(missing_ok=True)


def pack_info(session: Session) -> ReviewPackInfoRow | None:
    """What this database says about itself if it is a review pack, else None."""
    row = session.execute(
        select(ReviewPackInfo, Cohort.name, Person.full_name, Person.email)
        .join(Cohort, Cohort.id == ReviewPackInfo.cohort_id)
        .join(Membership, Membership.id == ReviewPackInfo.mentor_membership_id)
        .join(Person, Person.id == Membership.person_id)
        .order_by(ReviewPackInfo.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    info, cohort_name, mentor_name, email = row
    return ReviewPackInfoRow(
        cohort_id=info.cohort_id,
        cohort_name=cohort_name,
        mentor_membership_id=info.mentor_membership_id,
        mentor_name=mentor_name,
        mentor_email=email or "",
        made_at=info.made_at,
    )
