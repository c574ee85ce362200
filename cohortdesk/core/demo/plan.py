"""The demo cohort's activity, planned in memory before anything is written.

Each member's weeks are planned from their archetype (how often they log in, read, post and
reply); then one pass in time order decides whom each reply answers, from who has already
spoken in that thread, so the reply network looks like a real discussion.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from cohortdesk.core.demo.people import DIPPER, Archetype, DemoPerson, Etivity, Span, content
from cohortdesk.core.enums import EventKind, Role

TIMEZONE = "Europe/London"
_ZONE = ZoneInfo(TIMEZONE)
WEDNESDAY, FRIDAY, SATURDAY = 2, 4, 5
# Whom a reply should answer, until the time-ordered pass picks a person.
STAFF_TARGET, PEER_TARGET, LEARNER_TARGET = "staff", "peer", "learner"


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in the cohort's time zone on `day`, as an aware UTC datetime."""
    return datetime.combine(day, time(hour, minute), _ZONE).astimezone(UTC)


def local_date(moment: datetime) -> date:
    """The calendar day of `moment` in the cohort's time zone."""
    return moment.astimezone(_ZONE).date()


def minutes(n: int) -> timedelta:
    """`n` minutes."""
    return timedelta(minutes=n)


def next_workday(day: date) -> date:
    """`day`, or the Monday after it when it falls on a weekend."""
    while day.weekday() >= SATURDAY:
        day += timedelta(days=1)
    return day


@dataclass(eq=False)
class Actor:
    """One member while the story is written: who, how they behave, when they can be active."""

    membership_id: int
    person_id: int
    person: DemoPerson
    role: Role
    kind: Archetype | None
    first_day: date
    last_day: date
    hour: int
    first_post: Plan | None = None
    first_exchange: Plan | None = None  # first reply to a peer after the introductions


@dataclass(eq=False)
class Plan:
    """An event to record. A reply's `to` is a target kind (`peer`...) until resolved."""

    at: datetime
    actor: Actor
    kind: EventKind
    detail: str = ""
    thread: str | None = None
    to: Actor | str | None = None
    words: int | None = None


@dataclass(frozen=True)
class Week:
    """One cohort week: its e-tivity and when the facilitator opens its thread."""

    index: int
    first_day: date
    title: str
    etivity: Etivity

    @property
    def released(self) -> datetime:
        """When the e-tivity thread is posted."""
        return local(self.first_day, 8, 30)


@dataclass
class Story:
    """The cohort's calendar, its random source, and every event planned so far."""

    rng: random.Random
    start: date
    end: date
    weeks: list[Week] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)

    def __post_init__(self) -> None:
        etivities = content().etivities
        for n in range((self.end - self.start).days // 7 + 1):
            # Past the list, the middle e-tivities come round again (never the introductions).
            etivity = etivities[n if n < len(etivities) else 1 + n % (len(etivities) - 1)]
            first = self.start + timedelta(weeks=n)
            self.weeks.append(Week(n, first, f"Week {n + 1} · {etivity.title}", etivity))

    @property
    def cutoff(self) -> datetime:
        """Nothing happens later than this: the last day has only had its morning."""
        return local(self.end, 9, 30)

    def days(self, actor: Actor, week: Week) -> list[date]:
        """The days of `week` on which `actor` can be active."""
        lo = max(week.first_day, actor.first_day, self.start)
        hi = min(week.first_day + timedelta(days=6), actor.last_day, self.end)
        return [lo + timedelta(days=n) for n in range((hi - lo).days + 1)]

    def week_at(self, moment: datetime) -> Week:
        """The newest week whose thread is out at `moment` (the first week before that)."""
        current = self.weeks[0]
        for week in self.weeks:
            if week.released <= moment:
                current = week
        return current

    def thread_at(self, moment: datetime, catch_up: float = 0.0) -> str:
        """The thread someone is in at `moment`; with chance `catch_up`, last week's."""
        week = self.week_at(moment)
        if week.index > 1 and self.rng.random() < catch_up:
            week = self.weeks[week.index - 1]
        return week.title

    def add(
        self,
        at: datetime,
        actor: Actor,
        kind: EventKind,
        detail: str = "",
        *,
        thread: str | None = None,
        to: Actor | str | None = None,
        words: Span | None = None,
    ) -> Plan | None:
        """Plan an event, unless it falls after the cutoff; `words` is a span to draw from."""
        if at > self.cutoff:
            return None
        count = self.rng.randint(*words) if words else None
        plan = Plan(at, actor, kind, detail, thread, to, count)
        self.plans.append(plan)
        return plan

    def count(self, span: Span, scale: float = 1.0) -> int:
        """A number drawn from `span` and scaled (for part weeks), rounded at random."""
        value = self.rng.randint(*span) * scale
        return int(value) + (self.rng.random() < value - int(value))

    def sessions(self, actor: Actor, days: list[date], count: int) -> list[datetime]:
        """When `actor` logs in on `count` of `days`, weekends half as likely."""
        rng = self.rng
        weight = {d: 0.5 if d.weekday() >= SATURDAY else 1.0 for d in days}
        chosen = sorted(days, key=lambda d: rng.random() ** (1 / weight[d]), reverse=True)
        return [
            local(d, min(22, max(6, actor.hour + rng.choice((-1, 0, 0, 1)))), rng.randint(0, 50))
            for d in sorted(chosen[:count])
        ]

    def later(self, sessions: list[datetime]) -> datetime:
        """A moment inside one of `sessions`."""
        return self.rng.choice(sessions) + minutes(self.rng.randint(6, 45))

    def browse(self, actor: Actor, sessions: list[datetime], views: Span) -> None:
        """Log in and read a few threads in each session."""
        for moment in sessions:
            self.add(moment, actor, EventKind.LOGIN)
            for n in range(self.count(views)):
                thread = self.thread_at(moment, 0.3)
                self.add(moment + minutes(2 + 3 * n), actor, EventKind.VIEW, thread=thread)

    def replies(self, actor: Actor, sessions: list[datetime], count: int, peer: float) -> None:
        """`count` replies; each answers a peer with chance `peer` (staff answer learners)."""
        for _ in range(count):
            at = self.later(sessions)
            if actor.role is not Role.LEARNER:
                to = LEARNER_TARGET
            else:
                to = PEER_TARGET if self.rng.random() < peer else STAFF_TARGET
            self.add(at, actor, EventKind.REPLY, thread=self.thread_at(at, 0.25), to=to)

    def extras(self, actor: Actor, sessions: list[datetime], reactions: int, shares: int) -> None:
        """Likes and shared links, spread over the week's sessions."""
        for _ in range(reactions):
            at = self.later(sessions)
            thread = self.thread_at(at, 0.2)
            self.add(at, actor, EventKind.REACTION, f"Liked a post in {thread}", thread=thread)
        links = content().share_links
        for link in self.rng.sample(links, min(shares, len(links))):
            at = self.later(sessions)
            detail = f"Shared a link: {link}"
            self.add(at, actor, EventKind.SHARE, detail, thread=self.thread_at(at))

    def live_session(self, actor: Actor, days: list[date], week: Week, chance: float) -> None:
        """Join the week's live session (Wednesday, 18:00) with probability `chance`."""
        wednesday = [d for d in days if d.weekday() == WEDNESDAY]
        if wednesday and self.rng.random() < chance:
            host = "Hosted" if actor.role is Role.FACILITATOR else "Joined"
            at = local(wednesday[0], 18, self.rng.randint(0, 6))
            self.add(
                at, actor, EventKind.ATTEND, f"{host} the live session · Week {week.index + 1}"
            )


def plan_learner(story: Story, actor: Actor) -> None:
    """Plan a learner's weeks from their archetype: an introduction first, then the rest."""
    kind, rng, who = actor.kind, story.rng, actor.person
    assert kind is not None
    subjects = content().reflections if kind.stage == 5 else content().post_subjects
    for week in story.weeks:
        days = story.days(actor, week)
        scale = len(days) / 7
        if kind is DIPPER and week.first_day >= story.end - timedelta(days=20):
            scale *= 0.4  # the month work took over
        sessions = story.sessions(actor, days, story.count(kind.sessions, scale))
        if not sessions:
            continue
        story.browse(actor, sessions, kind.views)
        if kind.posts_intro and actor.first_post is None:
            at = sessions[0] + minutes(5)
            intro = f"Hello from {who.place}: {who.first}, {who.job}"
            plan = story.add(at, actor, EventKind.POST, intro, thread=story.thread_at(at))
            actor.first_post = plan
            if plan:
                plan.words = rng.randint(*kind.words)
        else:
            for _ in range(story.count(kind.posts, scale)):
                at = story.later(sessions)
                words = (kind.words[0], kind.words[1] * 3 // 2)
                thread = story.thread_at(at)
                story.add(
                    at, actor, EventKind.POST, rng.choice(subjects), thread=thread, words=words
                )
        story.replies(actor, sessions, story.count(kind.replies, scale), kind.peer)
        story.extras(
            actor, sessions, story.count(kind.reactions, scale), story.count(kind.shares, scale)
        )
        story.live_session(actor, days, week, kind.attend)
        task = week.etivity.task
        if task and rng.random() < kind.submit:
            at = story.later(sessions[-1:])
            story.add(at, actor, EventKind.SUBMIT, f"Submitted: {task}", thread=week.title)


def plan_staff(
    story: Story, facilitator: Actor, mentors: list[Actor], learners: list[Actor]
) -> None:
    """Plan the facilitator's weeks (e-tivity, replies, summary, live session) and the mentors'.

    Run after the learners: in the first week the facilitator welcomes each introduction.
    """
    rng = story.rng
    for week in story.weeks:
        spark, title = week.etivity.spark, week.title
        story.add(week.released, facilitator, EventKind.POST, spark, thread=title, words=(150, 300))
        days = story.days(facilitator, week)
        workdays = [d for d in days if d.weekday() < SATURDAY]
        story.browse(facilitator, [local(d, 8, rng.randint(0, 25)) for d in workdays], (0, 2))
        office = [local(d, rng.randint(9, 16), rng.randint(0, 59)) for d in workdays]
        if office and week.index:
            story.replies(facilitator, office, story.count((4, 7), len(days) / 7), 1.0)
        for friday in (d for d in workdays if d.weekday() == FRIDAY):
            summary = "Summary of the week: thanks, three ideas to keep, a question for next week"
            at = local(friday, 16, rng.randint(0, 50))
            story.add(at, facilitator, EventKind.POST, summary, thread=title, words=(250, 450))
        if office:
            story.extras(facilitator, office, story.count((0, 2)), 0)
        story.live_session(facilitator, days, week, 1.0)
        for mentor in mentors:
            days = story.days(mentor, week)
            sessions = story.sessions(mentor, days, story.count((2, 3), len(days) / 7))
            if sessions:
                story.browse(mentor, sessions, (1, 2))
                story.replies(mentor, sessions, story.count((1, 3)), 1.0)
                story.extras(mentor, sessions, story.count((0, 2)), story.count((0, 1)))
                story.live_session(mentor, days, week, 0.6)
    for learner in learners:
        if intro := learner.first_post:
            who, at = learner.person, _answer_time(rng, intro.at)
            welcome = f"Welcome, {who.first}! Lovely to have you with us from {who.place}"
            thread = intro.thread
            kind = EventKind.REPLY
            story.add(at, facilitator, kind, welcome, thread=thread, to=learner, words=(40, 90))


def _answer_time(rng: random.Random, moment: datetime) -> datetime:
    """A few hours later, within the facilitator's day (08:00 to 21:00)."""
    answer = moment + minutes(rng.randint(40, 300))
    wall = answer.astimezone(_ZONE)
    if 8 <= wall.hour < 21:
        return answer
    day = wall.date() + timedelta(days=1 if wall.hour >= 21 else 0)
    return local(day, 8, rng.randint(5, 55))


def resolve_replies(story: Story, facilitator: Actor, mentors: list[Actor]) -> list[Plan]:
    """Decide, in time order, whom each reply answers; return the plans in time order.

    A learner's peer reply answers someone who has already posted in that thread, picked per
    post so the talkative are answered more (as in real forums), else the facilitator. Staff
    answer the learners in the thread, the facilitator favouring those answered least; a
    staff reply in a thread no learner has spoken in yet is dropped.
    """
    rng, intro_thread = story.rng, story.weeks[0].title
    voices: defaultdict[str | None, list[Actor]] = defaultdict(list)
    answered: Counter[int] = Counter()
    kept: list[Plan] = []
    for plan in sorted(story.plans, key=lambda p: p.at):
        me = plan.actor
        if plan.kind is EventKind.REPLY and not isinstance(plan.to, Actor):
            others = [v for v in voices[plan.thread] if v is not me]  # once per post
            peers = list(dict.fromkeys(others))
            if plan.to == PEER_TARGET:
                plan.to = rng.choice(others) if others else facilitator
            elif plan.to == STAFF_TARGET:
                plan.to = facilitator if rng.random() < 0.8 else rng.choice(mentors)
            elif not peers:
                continue
            elif me is facilitator:
                plan.to = min(peers, key=lambda p: (answered[p.person_id], rng.random()))
            else:
                plan.to = rng.choice(peers)
            plan.words = plan.words or _reply_words(rng, me)
        if isinstance(plan.to, Actor):
            answered[plan.to.person_id] += me.role is not Role.LEARNER
            gists = _gists(plan.thread == intro_thread, plan.to.role is not Role.LEARNER)
            plan.detail = plan.detail or rng.choice(gists).format(name=plan.to.person.first)
            exchange = plan.to.role is Role.LEARNER and plan.thread != intro_thread
            if exchange and me.role is Role.LEARNER and me.first_exchange is None:
                me.first_exchange = plan
        if me.role is Role.LEARNER and plan.kind in (EventKind.POST, EventKind.REPLY):
            voices[plan.thread].append(me)
        kept.append(plan)
    return kept


def _gists(introductions: bool, to_staff: bool) -> tuple[str, ...]:
    texts = content()
    if introductions:
        return texts.welcome_gists if to_staff else texts.intro_gists
    return texts.staff_gists if to_staff else texts.reply_gists


def _reply_words(rng: random.Random, actor: Actor) -> int:
    return rng.randint(*actor.kind.words) if actor.kind else rng.randint(60, 200)
