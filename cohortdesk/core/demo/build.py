"""A believable demo cohort, written through the same services a facilitator's actions use.

`create_demo` tells an eight-week story (by default) of a course for new e-moderators: a
facilitator posting a weekly e-tivity, two mentors, and learners spread over Salmon's five
stages, among them people who never got in, one with an open access problem, lurkers, a
dominant voice, someone whose motivation dips, someone who went quiet and a late joiner,
and three nudges the facilitator sent (see `demo_nudges`).
Everything comes from one `random.Random(seed)` and explicit times, so the same seed and end
date always give the same data. The people and their activity are made up (`example.org`).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from pydantic import BaseModel, ConfigDict, model_validator
from sqlalchemy.orm import Session

from cohortdesk.core.demo.nudges import record_nudges
from cohortdesk.core.demo.people import (
    BLOCKED,
    DIPPER,
    EXCHANGER,
    LATE,
    QUIET,
    READER,
    Archetype,
    DemoPerson,
    content,
    learner_mix,
    pick_people,
)
from cohortdesk.core.demo.plan import (
    FRIDAY,
    TIMEZONE,
    Actor,
    Plan,
    Story,
    local,
    local_date,
    minutes,
    next_workday,
    plan_learner,
    plan_staff,
    resolve_replies,
)
from cohortdesk.core.enums import Role, StageChangeSource
from cohortdesk.core.errors import KnownError
from cohortdesk.core.models import Membership, Person
from cohortdesk.core.schemas import (
    Changed,
    CohortInput,
    CohortRow,
    EventInput,
    MemberInput,
    validated,
)
from cohortdesk.core.services.people import cohorts, members, tracking

SOURCE = "demo"
MIN_MEMBERS, MAX_MEMBERS, MIN_DAYS = 8, 2000, 14
STAFF = 3  # one facilitator and two mentors
_HOURS = (7, 8, 12, 13, 19, 20, 21)  # when people with a day job find time to learn
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class DemoSpec(BaseModel):
    """What demo cohort to make.

    Attributes:
        cohort: its name.
        members: people in it, counting the facilitator and two mentors (8 to 2000).
        days: length of the activity window, at least 14.
        seed: the same seed and end date give exactly the same cohort.
        end: the last day of activity; None means today. The cohort starts `days` days earlier.
    """

    model_config = ConfigDict(frozen=True)

    cohort: str = "Leading Online Learning (demo)"
    members: int = 24
    days: int = 56
    seed: int = 7
    end: date | None = None

    @model_validator(mode="after")
    def _in_range(self) -> DemoSpec:
        # KnownError is not a ValueError, so pydantic lets it through as it is.
        if not MIN_MEMBERS <= self.members <= MAX_MEMBERS:
            raise KnownError(
                f"A demo cohort has {MIN_MEMBERS} to {MAX_MEMBERS} members, not {self.members}"
            )
        if self.days < MIN_DAYS:
            raise KnownError(f"A demo cohort runs for at least {MIN_DAYS} days, not {self.days}")
        return self


def create_demo(session: Session, spec: DemoSpec) -> CohortRow:
    """Create the demo cohort described by `spec` in `session`; the caller commits.

    The cohort runs in Europe/London from `days` days before the end day and is planned to
    last two weeks beyond it, so it reads as a course in progress. Nothing is dated later
    than 09:30 on the end day: "today" has only had its morning.

    Returns:
        The new cohort.

    Raises:
        ConflictError: a cohort with that name exists.
        KnownError: the name is empty or too long.
    """
    rng = random.Random(spec.seed)
    end = spec.end or date.today()
    story = Story(rng, end - timedelta(days=spec.days), end)
    weeks = len(story.weeks)
    cohort = cohorts.create_cohort(
        session,
        validated(
            CohortInput,
            name=spec.cohort,
            description=(
                f"Demo: an online course for new e-moderators, week {weeks} of {weeks + 2}. "
                f"The people and their activity are made up (seed {spec.seed}): explore, "
                "edit or delete freely."
            ),
            start_date=story.start,
            end_date=end + timedelta(weeks=2),
            timezone=TIMEZONE,
        ),
    ).value
    kinds: list[Archetype | None] = [None] * STAFF
    kinds += learner_mix(spec.members - STAFF)
    people = pick_people(rng, spec.members)
    # The services look up the membership (and the person replied to) for every event;
    # holding the rows here keeps them in the session's identity map, so that costs nothing.
    warm: list[object] = []
    actors = [
        _enrol(session, story, cohort.id, index, person, kind, warm)
        for index, (person, kind) in enumerate(zip(people, kinds, strict=True))
    ]
    facilitator, mentors, learners = actors[0], actors[1:STAFF], actors[STAFF:]
    blocked = [a for a in learners if a.kind is BLOCKED]
    # As many others could not get in on day one either; fixed the next day, they start late.
    settled = [a for a in learners if a.kind is EXCHANGER][: len(blocked)]
    for actor in settled:
        actor.first_day += timedelta(days=2)
    for learner in learners:
        plan_learner(story, learner)
    plan_staff(story, facilitator, mentors, learners)
    for plan in resolve_replies(story, facilitator, mentors):
        tracking.add_event(session, plan.actor.membership_id, _event(plan), source=SOURCE)
    for learner in learners:
        _record_stages(session, story, learner)
        _record_motivation(session, story, learner)
    _record_issues(session, story, blocked, settled)
    _record_notes(session, story, learners, mentors)
    record_nudges(session, story, learners, settled)
    return cohorts.get_cohort(session, cohort.id)


def create_demo_cohort(session: Session, spec: DemoSpec | None = None) -> Changed[CohortRow]:
    """The demo cohort of `spec` under a name not yet taken ("… (2)" when that one exists).

    What the app's "Create the demo cohort" does, however often it is asked.
    """
    spec = spec or DemoSpec()
    taken = {c.name.casefold() for c in cohorts.list_cohorts(session)}
    name, number = spec.cohort, 1
    while name.casefold() in taken:
        number += 1
        name = f"{spec.cohort} ({number})"
    row = create_demo(session, spec.model_copy(update={"cohort": name}))
    return Changed(value=row, changes=cohorts.LIST_CHANGED)


def _enrol(
    session: Session,
    story: Story,
    cohort_id: int,
    index: int,
    who: DemoPerson,
    kind: Archetype | None,
    warm: list[object],
) -> Actor:
    rng, start, end = story.rng, story.start, story.end
    role = Role.FACILITATOR if index == 0 else Role.MENTOR if index < STAFF else Role.LEARNER
    first_day, last_day = start, end
    if kind is LATE:
        first_day = max(start + timedelta(days=2), end - timedelta(days=12))
    elif kind is BLOCKED:
        first_day = max(start, end - timedelta(days=9))
    elif kind is QUIET:  # went silent for the last two weeks
        last_day = max(start + (end - start) / 2, end - timedelta(days=15))
    joined = first_day - timedelta(days=rng.randint(1, 10) if first_day == start else 1)
    staff = content().staff_expertise
    if role is Role.LEARNER:
        keywords = rng.choice(content().expertise) if rng.random() < 0.5 else ""
    else:
        joined = start - timedelta(days=14 if index == 0 else 7)
        keywords = staff.facilitator if index == 0 else staff.mentor[index % len(staff.mentor)]
    membership_id = members.add_member(
        session,
        cohort_id,
        MemberInput(full_name=who.full_name, email=who.email, role=role, expertise=keywords),
        stage=1 if role is Role.LEARNER else 5,
        joined_on=joined,
        now=local(joined, rng.randint(9, 17), rng.randint(0, 59)),
    ).value
    membership = session.get(Membership, membership_id)
    assert membership is not None
    warm += [membership, session.get(Person, membership.person_id)]
    hour = rng.choice(_HOURS)
    return Actor(membership_id, membership.person_id, who, role, kind, first_day, last_day, hour)


def _event(plan: Plan) -> EventInput:
    target = plan.to.person_id if isinstance(plan.to, Actor) else None
    return EventInput(
        kind=plan.kind,
        occurred_at=plan.at,
        detail=plan.detail,
        thread=plan.thread,
        replied_to_person_id=target,
        word_count=plan.words,
    )


def _review(story: Story, moment: datetime) -> datetime:
    """When the facilitator, reading the forum the next working morning, records what they saw."""
    day = next_workday(local_date(moment) + timedelta(days=1))
    return min(local(day, 8, story.rng.randint(10, 55)), story.cutoff)


def _stage_moves(story: Story, actor: Actor) -> list[tuple[datetime, str, dict[str, str] | None]]:
    """When and why a learner climbed to their archetype's stage, with evidence if any."""
    assert actor.kind is not None
    target, start, span = actor.kind.stage, story.start, story.end - story.start
    moves: list[tuple[datetime, str, dict[str, str] | None]] = []
    if target >= 2:
        if actor.kind is READER:
            when = local(start + span * 0.45, 9, 5)
            moves.append((when, "Reads every thread and spoke up at the live session", None))
        elif intro := actor.first_post:
            evidence = {"first_post": f"{local_date(intro.at)}", "thread": intro.thread or ""}
            reason = f"Posted an introduction in {intro.thread}"
            moves.append((_review(story, intro.at), reason, evidence))
        else:
            when = local(start + timedelta(days=2), 8, 30)
            moves.append((when, "Introduced themselves at the first live session", None))
    if target >= 3:
        if reply := actor.first_exchange:
            moves.append((_review(story, reply.at), f"Replying to peers in {reply.thread}", None))
        else:
            when = local(start + span * 0.3, 8, 45)
            title = story.week_at(when).title
            moves.append((when, f"Sharing resources and answering questions in {title}", None))
    later = (
        (0.5, "Building on others' ideas in {}: sustained exchanges with several peers"),
        (0.72, "Reflective posts on using e-tivities at work; helping newcomers in {}"),
    )
    for fraction, reason in later[: max(0, target - 3)]:
        day = next_workday(start + span * (fraction + story.rng.uniform(-0.05, 0.05)))
        when = local(day, 8, story.rng.randint(10, 55))
        moves.append((when, reason.format(story.week_at(when).title), None))
    return moves


def _record_stages(session: Session, story: Story, actor: Actor) -> None:
    """Move a learner up the staircase, a few days at least on each step."""
    previous: datetime | None = None
    for stage, (when, reason, proof) in enumerate(_stage_moves(story, actor), start=2):
        if previous is not None:
            when = min(max(when, previous + timedelta(days=3)), story.cutoff)
            when = max(when, previous + minutes(10))
        previous = when
        accepted = proof is not None and story.rng.random() < 0.5  # some came as suggestions
        tracking.change_stage(
            session,
            actor.membership_id,
            stage,
            reason,
            source=StageChangeSource.SUGGESTION if accepted else StageChangeSource.MANUAL,
            evidence=proof if accepted else None,
            now=when,
        )


def _record_motivation(session: Session, story: Story, actor: Actor) -> None:
    """Friday check-ins; the dipper's last one falls by two."""
    assert actor.kind is not None
    base, rng, texts = actor.kind.motivation, story.rng, content()
    if base is None:
        return
    dipping = actor.kind is DIPPER
    low, high = (base if dipping else max(1, base - 1)), min(5, base + 1)
    first, last = max(actor.first_day, story.start), min(actor.last_day, story.end)
    fridays = [
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + timedelta(days=n)).weekday() == FRIDAY
    ]
    rating = base
    for n, friday in enumerate(fridays):
        if not dipping and rng.random() < 0.25:
            continue  # weekly-ish: people skip one now and then
        step = rng.choice((-1, 0, 0, 1))
        if rating != base and rng.random() < 0.5:
            step = 1 if rating < base else -1  # moods drift back to the usual
        rating = max(low, min(high, rating + step))
        note = rng.choice(texts.mood_notes.get(rating, ("",))) if rng.random() < 0.5 else ""
        if dipping and n >= len(fridays) - 2:
            note = texts.dip_notes[n - len(fridays) + 2]
            rating = base - 2 if n == len(fridays) - 1 else rating
        recorded = min(local(friday, 17, rng.randint(0, 50)), story.cutoff)
        tracking.add_motivation(
            session, actor.membership_id, rating, note, checked_on=friday, now=recorded
        )


def _record_issues(
    session: Session, story: Story, blocked: list[Actor], settled: list[Actor]
) -> None:
    """An open problem for each learner who cannot get in; a solved one for each `settled`."""
    texts = content()
    for n, actor in enumerate(blocked):
        opened = min(local(actor.first_day + timedelta(days=2), 9, 40), story.cutoff)
        note = texts.open_issues[n % len(texts.open_issues)]
        tracking.open_access_issue(session, actor.membership_id, note, now=opened)
    for n, actor in enumerate(settled):
        issue = tracking.open_access_issue(
            session,
            actor.membership_id,
            texts.resolved_issue.note,
            now=local(story.start, 9, 40 + n % 20),
        ).value
        day_after = local(story.start + timedelta(days=1), 15, 5)
        tracking.resolve_access_issue(
            session, issue.id, texts.resolved_issue.resolution, now=day_after
        )


def _record_notes(
    session: Session, story: Story, learners: list[Actor], mentors: list[Actor]
) -> None:
    """The facilitator's note on the first learner of each notable kind."""
    texts, start, end = content().notes, story.start, story.end
    half = start + (end - start) / 2
    seen: set[str] = set()
    for actor in learners:
        key = actor.kind.key if actor.kind else ""
        if key in seen or key not in texts:
            continue
        seen.add(key)
        first, last = actor.first_day, actor.last_day
        written, mentioned = {  # when the note is written, and the day it mentions
            "never": (start + timedelta(days=3), start + timedelta(days=2)),
            "blocked": (first + timedelta(days=3), first + timedelta(days=2)),
            "lurker": (half, half),
            "reader": (half + timedelta(days=1), half),
            "late": (first - timedelta(days=1), first - timedelta(days=1)),
            "dominant": (start + (end - start) / 3, start),
            "dipper": (end - timedelta(days=1), next_workday(end + timedelta(days=1))),
            "quiet": (end - timedelta(days=2), last),
            "developer": (end - timedelta(days=4), end),
        }[key]
        body = texts[key].format(
            day=f"{mentioned.day} {_MONTHS[mentioned.month - 1]}",
            thread=story.week_at(local(written + timedelta(days=7), 12)).title,
            mentor=mentors[len(seen) % len(mentors)].person.full_name,
            first=actor.person.first,
        )
        when = min(local(max(written, start), 18, story.rng.randint(0, 50)), story.cutoff)
        tracking.add_note(session, actor.membership_id, body, now=when)
