"""A mentor's notes file: their sessions out of a review pack, into the facilitator's database.

The mentor exports a JSON file from their pack (`export_notes`); the facilitator imports it
(`import_notes`). Every session and group carries a UUID given when it was first written, so
importing the same file twice, or a later file with more sessions, never duplicates one:

- a session not yet known is added;
- a known session whose text is the same is left alone (unchanged);
- a known session edited in the file after it was last changed here is updated;
- a known session changed here more recently than in the file is kept (newer here).

People are found by the membership id the pack kept, checked against the email (or the name
when there is no email), and otherwise by email or name in the cohort: a member merged or
re-added since the pack was made is still found.

File layout (version 1)::

    {"format": "cohortdesk-review-notes", "version": 1, "exported_at": "...",
     "cohort": {"name": "..."},
     "mentor": {"membership_id": 7, "name": "...", "email": "..."},
     "groups": [{"uuid": "...", "name": "...", "goal": "..."}],
     "sessions": [{"uuid": "...", "held_on": "2026-10-01",
                   "mentee": {"membership_id": 12, "name": "...", "email": "..."} | null,
                   "group_uuid": "..." | null, "notes": "...", "goals": "...",
                   "next_steps": "...", "created_at": "...", "updated_at": "..."}],
     "reviews": ["2026-10-02T09:00:00+00:00"]}
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cohortdesk.core.errors import ErrorKind, KnownError, NotFoundError
from cohortdesk.core.models import (
    Cohort,
    Membership,
    MentoringGroup,
    MentoringSession,
    MentorReview,
    Person,
    utcnow,
)
from cohortdesk.core.schemas import Changed, Changes, friendly_error
from cohortdesk.core.schemas.mentoring import NotesExportResult, NotesImportResult
from cohortdesk.core.services.mentoring import mentoring
from cohortdesk.core.storage.safefile import write_file

FORMAT = "cohortdesk-review-notes"
VERSION = 1
MAX_BYTES = 50 * 1024 * 1024


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class NotesPerson(_Strict):
    membership_id: int | None = None
    name: str
    email: str = ""


class NotesGroup(_Strict):
    uuid: Annotated[str, Field(min_length=8, max_length=36)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    goal: str = ""


class NotesSession(_Strict):
    uuid: Annotated[str, Field(min_length=8, max_length=36)]
    held_on: date
    mentee: NotesPerson | None = None
    group_uuid: str | None = None
    notes: str = ""
    goals: str = ""
    next_steps: str = ""
    created_at: AwareDatetime
    updated_at: AwareDatetime


class NotesCohort(_Strict):
    name: str


class NotesFile(_Strict):
    format: Literal["cohortdesk-review-notes"]
    version: Literal[1]
    exported_at: AwareDatetime
    cohort: NotesCohort
    mentor: NotesPerson
    groups: list[NotesGroup] = []
    sessions: list[NotesSession] = []
    reviews: list[AwareDatetime] = []


def _person(session: Session, membership_id: int) -> NotesPerson:
    membership = session.get(Membership, membership_id)
    assert membership is not None
    person = session.get(Person, membership.person_id)
    assert person is not None
    return NotesPerson(membership_id=membership.id, name=person.full_name, email=person.email or "")


def notes_document(session: Session, mentor_membership_id: int, now: datetime) -> NotesFile:
    """The mentor's sessions, groups and reviews as a notes file."""
    mentor = session.get(Membership, mentor_membership_id)
    if mentor is None:
        raise NotFoundError(f"No member with id {mentor_membership_id}")
    cohort = session.get(Cohort, mentor.cohort_id)
    assert cohort is not None
    groups = {g.id: g for g in mentoring.list_groups(session, mentor.id)}
    sessions = [
        NotesSession(
            uuid=s.uuid,
            held_on=s.held_on,
            mentee=_person(session, s.mentee_membership_id) if s.mentee_membership_id else None,
            group_uuid=groups[s.group_id].uuid if s.group_id in groups else None,
            notes=s.notes,
            goals=s.goals,
            next_steps=s.next_steps,
            created_at=s.created_at,
            updated_at=s.updated_at,
        )
        for s in reversed(mentoring.list_sessions(session, mentor.id))
    ]
    reviews = session.scalars(
        select(MentorReview.reviewed_at)
        .where(MentorReview.mentor_membership_id == mentor.id)
        .order_by(MentorReview.reviewed_at)
    ).all()
    return NotesFile(
        format=FORMAT,
        version=VERSION,
        exported_at=now,
        cohort=NotesCohort(name=cohort.name),
        mentor=_person(session, mentor.id),
        groups=[NotesGroup(uuid=g.uuid, name=g.name, goal=g.goal) for g in groups.values()],
        sessions=sessions,
        reviews=list(reviews),
    )


def export_notes(
    session: Session, mentor_membership_id: int, output: Path, *, now: datetime | None = None
) -> NotesExportResult:
    """Write the mentor's notes file (complete or not at all, readable by its owner only)."""
    document = notes_document(session, mentor_membership_id, now or utcnow())
    text = json.dumps(document.model_dump(mode="json"), indent=2, ensure_ascii=False)
    write_file(output, text + "\n")
    return NotesExportResult(
        path=str(output),
        mentor_name=document.mentor.name,
        sessions=len(document.sessions),
        groups=len(document.groups),
        reviews=len(document.reviews),
    )


def read_notes(path: Path) -> NotesFile:
    """Read and check a notes file.

    Raises:
        KnownError: it cannot be read or is not a cohortdesk notes file, naming what is wrong.
    """
    try:
        if path.stat().st_size > MAX_BYTES:
            raise KnownError(f"{path}: too large for a notes file", ErrorKind.BAD_FILE)
        raw = path.read_bytes()
    except OSError as exc:
        raise KnownError(
            f"{path}: cannot read the file ({exc.strerror or exc})", ErrorKind.BAD_FILE
        ) from exc
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise KnownError(f"{path}: not a notes file (not UTF-8 text)", ErrorKind.BAD_FILE) from exc
    except json.JSONDecodeError as exc:
        raise KnownError(
            f"{path}: not a notes file (line {exc.lineno}: {exc.msg})", ErrorKind.BAD_FILE
        ) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise KnownError(
            f"{path}: not a cohortdesk notes file (export one from the mentor view)",
            ErrorKind.BAD_FILE,
        )
    try:
        notes = NotesFile.model_validate(document)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise KnownError(
            f"{path}: {where}: {friendly_error(NotesFile, error)}", ErrorKind.BAD_FILE
        ) from exc
    seen: set[str] = set()
    for number, item in enumerate(notes.sessions, start=1):
        if item.uuid in seen:
            raise KnownError(
                f"{path}: session {number} repeats the id {item.uuid}", ErrorKind.BAD_FILE
            )
        seen.add(item.uuid)
    return notes


def _find(session: Session, cohort: Cohort, who: NotesPerson) -> int | None:
    """The membership in `cohort` of someone named in a notes file, or None."""
    if who.membership_id is not None:
        membership = session.get(Membership, who.membership_id)
        if membership is not None and membership.cohort_id == cohort.id:
            person = session.get(Person, membership.person_id)
            assert person is not None
            same_email = who.email and (person.email or "").casefold() == who.email.casefold()
            same_name = not who.email and person.full_name.casefold() == who.name.casefold()
            if same_email or same_name:
                return membership.id
    for wanted in (who.email, who.name):
        if wanted:
            try:
                return mentoring.find_member(session, cohort.id, wanted)
            except KnownError:
                continue
    return None


def _same(
    record: MentoringSession, item: NotesSession, mentee: int | None, group: int | None
) -> bool:
    return (
        record.held_on == item.held_on
        and record.mentee_membership_id == mentee
        and record.group_id == group
        and (record.notes, record.goals, record.next_steps)
        == (item.notes, item.goals, item.next_steps)
    )


def import_notes(session: Session, cohort_id: int, path: Path) -> Changed[NotesImportResult]:
    """Merge a mentor's notes file into the cohort, never duplicating a session.

    Runs in the caller's transaction: a problem with any session imports nothing.

    Raises:
        KnownError: the file is not a notes file, or names a mentor or mentee (or group)
            the cohort does not have, naming the file and the session.
    """
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFoundError(f"No cohort with id {cohort_id}")
    notes = read_notes(path)
    mentor_id = _find(session, cohort, notes.mentor)
    if mentor_id is None:
        raise KnownError(
            f"{path}: the mentor {notes.mentor.name} is not a member of {cohort.name}",
            ErrorKind.BAD_FILE,
        )
    remarks: list[str] = []
    if notes.cohort.name.casefold() != cohort.name.casefold():
        remarks.append(f"The file was written for the cohort {notes.cohort.name!r}")
    groups, groups_added = _merge_groups(session, mentor_id, notes)
    counts = {"inserted": 0, "updated": 0, "unchanged": 0, "kept_newer": 0}
    for number, item in enumerate(notes.sessions, start=1):
        what = f"{path}: session {number} ({item.held_on.isoformat()})"
        mentee = None
        if item.mentee is not None:
            mentee = _find(session, cohort, item.mentee)
            if mentee is None:
                raise KnownError(
                    f"{what}: {item.mentee.name} is not a member of {cohort.name}",
                    ErrorKind.BAD_FILE,
                )
        group = None
        if item.group_uuid is not None:
            group = groups.get(item.group_uuid)
            if group is None:
                raise KnownError(f"{what}: its group is not in the file", ErrorKind.BAD_FILE)
        if mentee is None and group is None:
            raise KnownError(f"{what}: it names neither a mentee nor a group", ErrorKind.BAD_FILE)
        counts[_merge_session(session, mentor_id, item, mentee, group, what)] += 1
    reviews_added = _merge_reviews(session, mentor_id, notes)
    session.flush()
    result = NotesImportResult(
        file_name=path.name,
        cohort_name=cohort.name,
        mentor_name=notes.mentor.name,
        groups_added=groups_added,
        reviews_added=reviews_added,
        notes=tuple(remarks),
        **counts,
    )
    return Changed(value=result, changes=Changes(mentoring=frozenset({cohort_id})))


def _merge_groups(session: Session, mentor_id: int, notes: NotesFile) -> tuple[dict[str, int], int]:
    """The file's groups by uuid -> group id here; a group not known by uuid or name is added."""
    found: dict[str, int] = {}
    added = 0
    for item in notes.groups:
        record = session.scalar(select(MentoringGroup).where(MentoringGroup.uuid == item.uuid))
        if record is None:
            record = session.scalar(
                select(MentoringGroup).where(
                    MentoringGroup.mentor_membership_id == mentor_id,
                    func.lower(MentoringGroup.name) == item.name.lower(),
                )
            )
        if record is None:
            record = MentoringGroup(
                uuid=item.uuid, mentor_membership_id=mentor_id, name=item.name, goal=item.goal
            )
            session.add(record)
            session.flush()
            added += 1
        elif record.mentor_membership_id != mentor_id:
            raise KnownError(
                f"The group {item.name} belongs to another mentor here", ErrorKind.CONFLICT
            )
        found[item.uuid] = record.id
    return found, added


def _merge_session(
    session: Session,
    mentor_id: int,
    item: NotesSession,
    mentee: int | None,
    group: int | None,
    what: str,
) -> str:
    record = session.scalar(select(MentoringSession).where(MentoringSession.uuid == item.uuid))
    if record is None:
        session.add(
            MentoringSession(
                uuid=item.uuid,
                mentor_membership_id=mentor_id,
                mentee_membership_id=mentee,
                group_id=group,
                held_on=item.held_on,
                notes=item.notes,
                goals=item.goals,
                next_steps=item.next_steps,
                created_at=item.created_at,
                updated_at=item.updated_at,
            )
        )
        return "inserted"
    if record.mentor_membership_id != mentor_id:
        raise KnownError(f"{what}: its id belongs to another mentor's session", ErrorKind.CONFLICT)
    if _same(record, item, mentee, group):
        return "unchanged"
    if item.updated_at <= record.updated_at:
        return "kept_newer"
    record.mentee_membership_id, record.group_id = mentee, group
    record.held_on = item.held_on
    record.notes, record.goals, record.next_steps = item.notes, item.goals, item.next_steps
    record.updated_at = item.updated_at
    return "updated"


def _merge_reviews(session: Session, mentor_id: int, notes: NotesFile) -> int:
    known = set(
        session.scalars(
            select(MentorReview.reviewed_at).where(MentorReview.mentor_membership_id == mentor_id)
        )
    )
    added = 0
    for moment in sorted(set(notes.reviews)):
        if moment not in known:
            session.add(MentorReview(mentor_membership_id=mentor_id, reviewed_at=moment))
            added += 1
    return added
