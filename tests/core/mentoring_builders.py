"""A cohort with two mentors, their mentees, other learners and private notes, for issue 7 tests.

Mei Tanaka mentors Ana Souza and Tomás Reyes; Oskar Lindqvist mentors Priya Natarajan. Ben
Carter and Zoë Adebayo have no mentor; Grace Okafor facilitates. Walter Hargreaves is in
another cohort. Private things that must never leave the facilitator's database carry a
`SECRET` marker.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from cohortdesk.core.enums import EventKind, NudgeChannel, Role
from cohortdesk.core.models import Identity
from cohortdesk.core.schemas import EventInput, NudgeInput
from cohortdesk.core.schemas.mentoring import GroupInput, SessionInput
from cohortdesk.core.services.mentoring import mentoring
from cohortdesk.core.services.messaging import nudges
from cohortdesk.core.services.people import tracking
from tests.core.builders import MONDAY, add, event, make_cohort, person_of

FACILITATOR_NOTE = "SECRET facilitator note: Ana is moving house"
NUDGE_TEXT = "SECRET nudge text for Ana"
OSKAR_SESSION = "SECRET Oskar session with Priya"
BEN_IDENTITY = "bcarter77"


class MentoringStory:
    """Builds the story through the real services; ids are membership ids."""

    def __init__(self, session: Session) -> None:
        self.cohort = make_cohort(session, "Spring", start_date=date(2025, 2, 24)).id
        self.other_cohort = make_cohort(session, "Autumn").id
        c = self.cohort
        self.grace = add(session, c, "Grace Okafor", Role.FACILITATOR)
        self.mei = add(session, c, "Mei Tanaka", Role.MENTOR, expertise="coaching")
        self.oskar = add(session, c, "Oskar Lindqvist", Role.MENTOR)
        self.ana = add(session, c, "Ana Souza", expertise="Moodle, rubrics, online facilitation")
        self.tomas = add(session, c, "Tomás Reyes", email="tomas@example.org", expertise="Rubrics")
        self.ben = add(session, c, "Ben Carter", expertise="peer review; rubrics")
        self.zoe = add(session, c, "Zoë Adebayo", email="zoe.a@example.org", expertise="Évaluation")
        self.priya = add(session, c, "Priya Natarajan", expertise="facilitation skills")
        self.walter = add(
            session, self.other_cohort, "Walter Hargreaves", expertise="Online facilitation"
        )

        session.add(
            Identity(
                person_id=person_of(session, self.ben), source="moodle", external_id=BEN_IDENTITY
            )
        )
        mentoring.assign_mentor(session, self.mei, self.ana)
        mentoring.assign_mentor(session, self.mei, self.tomas)
        mentoring.assign_mentor(session, self.oskar, self.priya)
        self.group = mentoring.create_group(
            session, self.mei, GroupInput(name="Leaders", goal="Lead a discussion by week 6")
        ).value.id
        mentoring.set_mentee_group(session, self.ana, self.group)

        day = MONDAY
        event(session, self.ana, EventKind.LOGIN, day)
        event(session, self.ana, EventKind.POST, day, thread="Week 1")
        event(session, self.ben, EventKind.REPLY, day, to=self.ana, thread="Week 1")
        event(
            session,
            self.ana,
            EventKind.REPLY,
            day + timedelta(hours=1),
            to=self.ben,
            thread="Week 1",
        )
        event(session, self.ana, EventKind.REPLY, day + timedelta(hours=2), to=self.grace)
        event(session, self.ana, EventKind.REPLY, day + timedelta(hours=3), to=self.tomas)
        event(session, self.tomas, EventKind.REPLY, day + timedelta(hours=4), to=self.mei)
        tracking.add_event(
            session,
            self.ana,
            EventInput(
                kind=EventKind.REPLY,
                occurred_at=day + timedelta(hours=5),
                thread="Ben Carter's question",
                detail="reply to Ben Carter (bcarter77) in thread Week 1, cc zoe.a@example.org",
                replied_to_person_id=person_of(session, self.zoe),
            ),
        )
        event(session, self.zoe, EventKind.POST, day, thread="Zoë's intro")
        event(session, self.mei, EventKind.REPLY, day, to=self.ben)

        tracking.add_note(session, self.ana, FACILITATOR_NOTE, now=day)
        tracking.add_note(session, self.ben, "SECRET note about Ben", now=day)
        tracking.add_motivation(
            session,
            self.ana,
            2,
            "Worried about what Priya said",
            checked_on=date(2025, 3, 3),
            now=day,
        )
        tracking.open_access_issue(session, self.tomas, "Cannot log in from the office", now=day)
        tracking.change_stage(session, self.ana, 3, "Replies to Ben and Zoë", now=day)
        nudges.log_nudge(
            session, self.ana, NudgeInput(body=NUDGE_TEXT, channel=NudgeChannel.EMAIL, sent_at=day)
        )
        self.mei_session = mentoring.add_session(
            session,
            self.mei,
            SessionInput(
                held_on=date(2025, 3, 4),
                mentee_membership_id=self.ana,
                notes="Ana wants to start a thread of her own",
                goals="Start a thread by Friday",
                next_steps="Share the rubric draft",
            ),
            now=day,
        ).value
        mentoring.add_session(
            session,
            self.oskar,
            SessionInput(
                held_on=date(2025, 3, 4), mentee_membership_id=self.priya, notes=OSKAR_SESSION
            ),
            now=day,
        )

    @property
    def outsiders(self) -> list[int]:
        """Everyone a review pack for Mei must not name."""
        return [self.grace, self.oskar, self.ben, self.zoe, self.priya, self.walter]
