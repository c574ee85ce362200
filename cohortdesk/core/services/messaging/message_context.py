"""The values a prompt template's placeholders take for a real member (see `rendering`).

Everything is read as of the end of a day in the cohort's time zone, so a preview, the
attention list and the command line agree. `contexts_for` builds many members' values with a
fixed number of grouped queries; `context_for` is the one-member case.

The peer (`{peer_name}`) is a fellow learner worth connecting with, chosen among the learners
who posted in the `metrics.period.RECENT_DAYS` days before the day:

- for a member at stages 1 to 4, someone at a higher stage: a step or two ahead, someone to
  answer who is not out of reach;
- for a member at stage 5, a newcomer (stage 2, else 1) they could help;

preferring someone who shares one of the member's expertise keywords, then the nearest such
stage, then the most recent poster; failing that, any other recent poster; failing that,
the fallback 'a fellow learner'.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cohortdesk.core.enums import Role
from cohortdesk.core.errors import NotFoundError
from cohortdesk.core.metrics.counts import counts_of, member_counts
from cohortdesk.core.metrics.period import RECENT_DAYS, Period, day_end
from cohortdesk.core.metrics.terms import CONTRIBUTION_KINDS, THREAD_KINDS, kind_in
from cohortdesk.core.models import ActivityEvent, Cohort, Membership, Person
from cohortdesk.core.rendering import day_label
from cohortdesk.core.schemas import MessageContext
from cohortdesk.core.services.attention.rules import get_rules
from cohortdesk.core.stages import FIRST_STAGE, LAST_STAGE, stage

NEWCOMER_STAGE = 2
FALLBACKS = {
    "facilitator": "your facilitator",
    "last_thread": "this week's thread",
    "peer_name": "a fellow learner",
    "peer_first_name": "a fellow learner",
    "peer_thread": "this week's thread",
    "next_etivity": "the next activity",
    "next_date": "[date]",
    "space_link": "the course space",
}
_HONORIFICS = {"dr", "mr", "mrs", "ms", "mx", "miss", "prof", "professor", "sir", "dame"}
_KEYWORD_SPLIT = re.compile(r"[,;/\n]+")


def first_name(full_name: str) -> str:
    """The first word of a name that is not a title (`Dr Ann Lee` -> `Ann`); the whole name
    when it holds a number: exports name people they know only by number ("Participant 12",
    "Moodle user 394"), and their first word would greet everyone alike ("Hi Participant")."""
    words = full_name.split()
    if any(word.isdecimal() for word in words):
        return " ".join(words)
    for word in words[:-1]:
        if word.rstrip(".").lower() not in _HONORIFICS:
            return word
    return words[-1] if words else ""


def keywords(expertise: str) -> frozenset[str]:
    """Expertise keywords, lower-cased: the text split at commas, semicolons and slashes."""
    return frozenset(k.strip().lower() for k in _KEYWORD_SPLIT.split(expertise) if k.strip())


@dataclass(frozen=True)
class _Member:
    membership_id: int
    person_id: int
    name: str
    role: Role
    stage: int
    joined_on: date
    keywords: frozenset[str]


@dataclass(frozen=True)
class _Post:
    at: datetime
    thread: str | None


def context_for(session: Session, membership_id: int, as_of: date) -> MessageContext:
    """The placeholder values for one member as of the end of `as_of`.

    Raises:
        NotFoundError: no such member.
    """
    cohort_id = session.scalar(select(Membership.cohort_id).where(Membership.id == membership_id))
    if cohort_id is None:
        raise NotFoundError(f"No member with id {membership_id}")
    return contexts_for(session, cohort_id, [membership_id], as_of)[membership_id]


def contexts_for(
    session: Session, cohort_id: int, membership_ids: Collection[int] | None, as_of: date
) -> dict[int, MessageContext]:
    """The placeholder values of several members (all with None), with grouped queries.

    Raises:
        NotFoundError: the cohort does not exist.
    """
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFoundError(f"No cohort with id {cohort_id}")
    zone = ZoneInfo(cohort.timezone)
    cutoff = day_end(as_of, zone)
    people = _members(session, cohort_id)
    wanted = [m for m in people if membership_ids is None or m.membership_id in membership_ids]
    if not wanted:
        return {}
    period = Period(as_of=as_of, last=as_of, zone=zone)
    counts = member_counts(session, cohort_id, period, [m.person_id for m in wanted])
    posts = _latest_posts(session, cohort_id, cutoff)
    messages = get_rules(session, cohort_id).messages
    staff = [m for m in people if m.role is Role.FACILITATOR]
    facilitator = staff[0].name if staff else ""
    etivity = messages.next_etivity or _latest_facilitator_thread(session, cohort_id, cutoff)
    shared = {
        "cohort": cohort.name,
        "facilitator": facilitator,
        "facilitator_first_name": first_name(facilitator),
        "next_etivity": etivity,
        "next_date": day_label(messages.next_date, as_of) if messages.next_date else "",
        "space_link": messages.space_link,
        "today": day_label(as_of, as_of),
    }
    peers = _PeerFinder(people, posts, cutoff - timedelta(days=RECENT_DAYS))
    start = cohort.start_date
    result = {}
    for member in wanted:
        seen_day = counts_of(counts, member.person_id).last_active
        reference = max(start or member.joined_on, member.joined_on)
        since = seen_day or reference
        own = posts.get(member.person_id)
        peer = peers.peer_for(member)
        peer_post = posts.get(peer.person_id) if peer else None
        fields = shared | {
            "first_name": first_name(member.name),
            "full_name": member.name,
            "stage": str(member.stage),
            "stage_name": stage(member.stage).name,
            "next_stage_name": stage(min(member.stage + 1, LAST_STAGE)).name,
            "days_since_active": str(max(0, (as_of - since).days)),
            "last_active": day_label(seen_day, as_of) if seen_day else "not yet",
            "last_thread": (own.thread if own else None) or "",
            "peer_name": peer.name if peer else "",
            "peer_first_name": first_name(peer.name) if peer else "",
            "peer_thread": (peer_post.thread if peer_post else None) or "",
        }
        fallbacks = frozenset(k for k, v in fields.items() if not v and k in FALLBACKS)
        for key in fallbacks:
            fields[key] = FALLBACKS[key]
        result[member.membership_id] = MessageContext(fields=fields, fallbacks=fallbacks)
    return result


def _members(session: Session, cohort_id: int) -> list[_Member]:
    stmt = (
        select(
            Membership.id,
            Membership.person_id,
            Person.full_name,
            Membership.role,
            Membership.stage,
            Membership.joined_on,
            Person.expertise,
        )
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.cohort_id == cohort_id)
        .order_by(Membership.id)
    )
    return [
        _Member(mid, pid, name, role, stage_number, joined, keywords(expertise))
        for mid, pid, name, role, stage_number, joined, expertise in session.execute(stmt)
    ]


def _latest_posts(session: Session, cohort_id: int, cutoff: datetime) -> dict[int, _Post]:
    """Each person's latest contribution before `cutoff`: when, and in which thread."""
    ranked = (
        select(
            ActivityEvent.person_id,
            ActivityEvent.occurred_at,
            ActivityEvent.thread,
            func.row_number()
            .over(
                partition_by=ActivityEvent.person_id,
                order_by=(ActivityEvent.occurred_at.desc(), ActivityEvent.id.desc()),
            )
            .label("rank"),
        )
        .where(
            ActivityEvent.cohort_id == cohort_id,
            kind_in(ActivityEvent.kind, CONTRIBUTION_KINDS),
            ActivityEvent.occurred_at < cutoff,
        )
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.person_id, ranked.c.occurred_at, ranked.c.thread).where(ranked.c.rank == 1)
    )
    return {pid: _Post(at, thread) for pid, at, thread in rows}


def _latest_facilitator_thread(session: Session, cohort_id: int, cutoff: datetime) -> str:
    """The thread of the newest post (a thread start) by a facilitator before `cutoff`."""
    thread = session.scalar(
        select(ActivityEvent.thread)
        .join(
            Membership,
            (Membership.cohort_id == ActivityEvent.cohort_id)
            & (Membership.person_id == ActivityEvent.person_id),
        )
        .where(
            ActivityEvent.cohort_id == cohort_id,
            kind_in(ActivityEvent.kind, THREAD_KINDS),
            ActivityEvent.thread.is_not(None),
            ActivityEvent.occurred_at < cutoff,
            Membership.role == Role.FACILITATOR,
        )
        .order_by(ActivityEvent.occurred_at.desc(), ActivityEvent.id.desc())
        .limit(1)
    )
    return thread or ""


class _PeerFinder:
    """Picks `{peer_name}` for each member from the learners who posted recently.

    Candidates are kept by stage (and by keyword and stage), most recent first, so each
    member costs a few look-ups however large the cohort.
    """

    def __init__(self, people: list[_Member], posts: dict[int, _Post], since: datetime) -> None:
        recent = [
            m
            for m in people
            if m.role is Role.LEARNER
            and (p := posts.get(m.person_id)) is not None
            and p.at >= since
        ]
        # Most recent first; ties by name so the choice is the same every time.
        recent.sort(key=lambda m: (-posts[m.person_id].at.timestamp(), m.name, m.membership_id))
        self._recent = recent
        self._order = {m.membership_id: n for n, m in enumerate(recent)}
        self._by_stage: defaultdict[int, list[_Member]] = defaultdict(list)
        self._by_keyword: defaultdict[tuple[str, int], list[_Member]] = defaultdict(list)
        for member in recent:
            self._by_stage[member.stage].append(member)
            for keyword in member.keywords:
                self._by_keyword[keyword, member.stage].append(member)

    @staticmethod
    def _stages(member: _Member) -> list[int]:
        """The stages to look in, nearest first: above theirs, or newcomers' for stage 5."""
        if member.stage >= LAST_STAGE:
            return list(range(NEWCOMER_STAGE, FIRST_STAGE - 1, -1))
        return list(range(member.stage + 1, LAST_STAGE + 1))

    @staticmethod
    def _first_other(candidates: list[_Member], member: _Member) -> _Member | None:
        return next((p for p in candidates if p.membership_id != member.membership_id), None)

    def peer_for(self, member: _Member) -> _Member | None:
        """The peer to suggest to `member`, or None when nobody posted recently.

        One sharing an expertise keyword first, then the nearest stage, then the most recent.
        """
        for wanted in (True, False):
            for number in self._stages(member):
                if wanted:
                    found = [
                        p
                        for k in sorted(member.keywords)
                        if (p := self._first_other(self._by_keyword[k, number], member))
                    ]
                    if found:
                        return min(found, key=lambda p: self._order[p.membership_id])
                elif peer := self._first_other(self._by_stage[number], member):
                    return peer
        return self._first_other(self._recent, member)
