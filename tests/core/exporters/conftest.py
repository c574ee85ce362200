"""A small cohort with every kind of data an export must handle, or must leave out."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from cohortdesk.core.enums import EventKind, NudgeChannel, Role
from cohortdesk.core.schemas import EventInput, NudgeInput
from cohortdesk.core.services.messaging import nudges
from cohortdesk.core.services.people import tracking
from cohortdesk.core.storage.db import Database
from tests.core.builders import add, make_cohort, person_of

#: "now" for every export in these tests (the cohort's last day is in June)
NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday; London is on GMT


@dataclass
class Sample:
    """The sample cohort: ids, and every private string that must never leak."""

    cohort_id: int
    name: str
    members: dict[str, int]
    secrets: list[str] = field(default_factory=list)


def _event(
    session: Session,
    membership_id: int,
    kind: EventKind,
    at: datetime,
    *,
    to: int | None = None,
    thread: str | None = None,
    detail: str = "",
    words: int | None = None,
) -> None:
    data = EventInput(
        kind=kind,
        occurred_at=at,
        thread=thread,
        detail=detail,
        replied_to_person_id=person_of(session, to) if to is not None else None,
        word_count=words,
    )
    tracking.add_event(session, membership_id, data)


def build_sample(session: Session) -> Sample:
    cohort = make_cohort(
        session, "Spring cohort", timezone="Europe/London", start_date=date(2025, 3, 3)
    )
    people = {
        "ann": ("Ann Archer", Role.LEARNER),
        "ben": ("Ben Brook", Role.LEARNER),
        "cara": ("Cara Colé", Role.LEARNER),
        "dev": ("Dev Dunn", Role.LEARNER),
        "fay": ("Fay Fox", Role.FACILITATOR),
    }
    ids = {key: add(session, cohort.id, name, role) for key, (name, role) in people.items()}
    ann, ben, dev, fay = ids["ann"], ids["ben"], ids["dev"], ids["fay"]
    thread = "Week 1: introductions SECRET-THREAD"
    day = timedelta(days=1)
    _event(session, ann, EventKind.LOGIN, START)
    _event(
        session,
        ann,
        EventKind.POST,
        START + timedelta(minutes=5),
        thread=thread,
        detail="Hello from SECRET-DETAIL-ANN",
        words=120,
    )
    _event(session, fay, EventKind.POST, START - timedelta(hours=1), thread="Welcome")
    _event(session, ben, EventKind.LOGIN, START + timedelta(hours=1))
    _event(
        session,
        ben,
        EventKind.REPLY,
        START + timedelta(hours=2),
        to=ann,
        thread=thread,
        detail="SECRET-DETAIL-BEN reply",
        words=40,
    )
    _event(session, ben, EventKind.REPLY, START + day, to=ann, thread=thread)
    _event(session, ann, EventKind.REPLY, START + day + timedelta(hours=1), to=ben, thread=thread)
    _event(session, ann, EventKind.REPLY, START + 2 * day, to=fay, thread="Welcome")
    _event(
        session,
        fay,
        EventKind.REPLY,
        START + 2 * day + timedelta(hours=1),
        to=ann,
        thread="Welcome",
    )
    _event(session, ben, EventKind.VIEW, START + 3 * day, thread=thread)
    _event(session, ann, EventKind.REACTION, START + 3 * day, thread=thread)
    _event(session, ann, EventKind.SHARE, START + 4 * day, detail="SECRET-LINK shared")
    _event(session, ann, EventKind.ATTEND, START + 5 * day)
    _event(session, ann, EventKind.SUBMIT, START + 6 * day, detail="Submitted: task")
    # Dev is active only late: 2 June 00:30 in London (BST) is 1 June 23:30 UTC.
    _event(session, dev, EventKind.LOGIN, datetime(2025, 6, 1, 23, 30, tzinfo=UTC))
    _event(session, dev, EventKind.POST, datetime(2025, 6, 3, 8, 0, tzinfo=UTC))

    tracking.add_motivation(
        session, ann, 4, "SECRET-MOTIVATION feeling good", checked_on=date(2025, 3, 4)
    )
    tracking.add_motivation(session, ann, 2, "SECRET-MOTIVATION-LATE", checked_on=date(2025, 6, 10))
    tracking.add_note(session, ann, "SECRET-NOTE about Ann")
    tracking.open_access_issue(session, ids["cara"], "SECRET-ACCESS cannot log in")
    nudge = "SECRET-NUDGE please come back"
    nudges.log_nudge(
        session,
        ben,
        NudgeInput(
            subject="SECRET-SUBJECT",
            body=nudge,
            channel=NudgeChannel.EMAIL,
            sent_at=START + timedelta(minutes=30),
        ),
    )
    nudges.log_nudge(
        session,
        ids["cara"],
        NudgeInput(body=nudge, channel=NudgeChannel.CLIPBOARD, sent_at=START),
    )
    secrets = [name for name, _ in people.values()]
    secrets += [f"{name.lower().replace(' ', '.')}@example.org" for name, _ in people.values()]
    secrets += ["Archer", "Brook", "SECRET"]
    return Sample(cohort.id, cohort.name, ids, secrets)


@pytest.fixture
def sample(db: Database) -> Iterator[Sample]:
    with db.write() as session:
        built = build_sample(session)
    yield built
