"""A small, realistic cohort for the member panel tests, built through the core services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from cohortdesk.core.enums import EventKind, Role
from cohortdesk.core.paths import AppPaths
from cohortdesk.core.schemas import CohortInput, EventInput, MemberInput
from cohortdesk.core.services.people import cohorts, members, tracking
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.changes import ChangeNotifier
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.tasks import TaskRunner

TODAY = date(2026, 10, 20)
TIMEZONE = "Europe/Lisbon"  # UTC+1 until 25 Oct 2026


def at(day: int, hour: int = 10, minute: int = 0, month: int = 10) -> datetime:
    """A UTC moment in autumn 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@dataclass(frozen=True)
class Cohort:
    cohort_id: int
    ana: int
    ben: int
    chioma: int
    dev: int
    ana_person: int
    ben_person: int
    chioma_person: int


def make_context(db: Database, paths: AppPaths) -> AppContext:
    changes = ChangeNotifier()
    return AppContext(
        db=db, paths=paths, runner=TaskRunner(db, changes), changes=changes, today=TODAY
    )


def make_cohort(db: Database) -> Cohort:
    """Leading Online Learning: three learners and their facilitator, just joined."""
    with db.write() as s:
        cohort = cohorts.create_cohort(
            s,
            CohortInput(
                name="Leading Online Learning", start_date=date(2026, 9, 28), timezone=TIMEZONE
            ),
        ).value

        def add(name: str, email: str, role: Role = Role.LEARNER, expertise: str = "") -> int:
            data = MemberInput(full_name=name, email=email, role=role, expertise=expertise)
            return members.add_member(
                s, cohort.id, data, joined_on=date(2026, 9, 28), now=at(28, 8, month=9)
            ).value

        ana = add(
            "Ana Souza",
            "ana.souza@example.org",
            expertise="Nursing education, simulation, Portuguese",
        )
        ben = add("Ben Okafor", "ben@example.org", expertise="Moodle, assessment design")
        chioma = add("Chioma Eze", "chioma@example.org")
        dev = add("Dev Patel", "dev@example.org", Role.FACILITATOR, "E-moderating")
        ids = {mid: members.member_detail(s, mid).row.person_id for mid in (ana, ben, chioma)}
    return Cohort(cohort.id, ana, ben, chioma, dev, ids[ana], ids[ben], ids[chioma])


def tell_ana_story(db: Database, c: Cohort) -> None:
    """Three weeks of Ana: an access problem, two stage changes, check-ins, posts, notes."""
    with db.write() as s:
        issue = tracking.open_access_issue(
            s, c.ana, "Password reset email never arrived", now=at(29, 9, 15, month=9)
        ).value
        tracking.resolve_access_issue(
            s, issue.id, "Found it in her spam folder; logged in", now=at(30, 11, 40, month=9)
        )
        tracking.add_motivation(
            s, c.ana, 2, "Worried about finding the time", checked_on=date(2026, 9, 29)
        )
        tracking.add_motivation(s, c.ana, 3, "", checked_on=date(2026, 10, 5))
        tracking.add_motivation(
            s, c.ana, 4, "Enjoying the case discussion", checked_on=date(2026, 10, 12)
        )
        tracking.add_motivation(s, c.ana, 4, "Busy week on the ward", checked_on=date(2026, 10, 19))
        tracking.change_stage(s, c.ana, 2, "Posted her introduction in the café", now=at(2, 14, 20))
        tracking.change_stage(
            s,
            c.ana,
            3,
            "Replied to Ben and Chioma in the week 2 e-tivity with examples from her ward",
            now=at(12, 17, 5),
        )
        events = [
            EventInput(kind=EventKind.LOGIN, occurred_at=at(30, 11, 42, month=9)),
            EventInput(
                kind=EventKind.POST,
                occurred_at=at(2, 13, 58),
                thread="Café: introduce yourself",
                word_count=142,
                detail="Introduction",
            ),
            EventInput(
                kind=EventKind.REPLY,
                occurred_at=at(9, 20, 11),
                thread="Week 2: what makes a good e-tivity?",
                replied_to_person_id=c.ben_person,
                word_count=88,
            ),
            EventInput(
                kind=EventKind.REPLY,
                occurred_at=at(12, 16, 47),
                thread="Week 2: what makes a good e-tivity?",
                replied_to_person_id=c.chioma_person,
                word_count=205,
                detail="Shared her simulation checklist",
            ),
            EventInput(kind=EventKind.LOGIN, occurred_at=at(18, 7, 30)),
            EventInput(
                kind=EventKind.REACTION,
                occurred_at=at(18, 7, 34),
                thread="Week 3: weaving",
                replied_to_person_id=c.ben_person,
            ),
        ]
        for event in events:
            tracking.add_event(s, c.ana, event, source="moodle")
        tracking.add_note(
            s, c.ana, "Sent a welcome message and the access guide", now=at(28, 9, month=9)
        )
        tracking.add_note(
            s,
            c.ana,
            "Ask her to summarise the week 2 thread: she weaves ideas well.",
            now=at(13, 8, 30),
        )
