"""The activity counts that stage evidence is judged on, for every learner of a cohort at once.

A fixed number of grouped queries, whatever the cohort's size. Only activity before the
cutoff counts. Each word is defined in `core/metrics/terms.py` (a *peer* is another learner of
the same cohort):

- `events`: anything they did; `replies_received`: replies others wrote to them (with
  `events`, the evidence of access); `posts`: contributions (threads started and replies);
- `peer_replies`: replies to a peer; `content_posts`: contributions of at least
  `content_words` words; `unknown_length_posts`: contributions whose length the export did
  not say (never counted as content);
- `two_way_peers`: peers with a sustained two-way exchange: at least `replies_each_way`
  replies from each to the other;
- `answered_threads`: threads they started (a post) in which a peer later replied to them;
- `helping_replies`: replies to a peer who was at stage `newcomer_stage` or below, written
  once the replier had reached stage `HELPER_STAGE` (both read from the stage history at the
  time of the reply): an experienced member helping a newcomer, not two newcomers talking;
- `peer_reply_span_days`: days from their first to their latest peer reply.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session, aliased

from cohortdesk.core.enums import AccessStatus, Role
from cohortdesk.core.metrics.terms import (
    CONTRIBUTION_KINDS,
    REPLY_KINDS,
    THREAD_KINDS,
    content_sql,
    kind_in,
    peer_reply_sql,
    unknown_length_sql,
)
from cohortdesk.core.models import ActivityEvent, Membership, Person, StageChange

HELPER_STAGE = 4


@dataclass
class LearnerFacts:
    """One learner and the counts their stage evidence is judged on."""

    membership_id: int
    person_id: int
    name: str
    email: str
    stage: int
    access: AccessStatus
    events: int = 0
    replies_received: int = 0
    first_event: datetime | None = None
    posts: int = 0
    first_post: datetime | None = None
    peer_replies: int = 0
    content_posts: int = 0
    unknown_length_posts: int = 0
    two_way_peers: int = 0
    answered_threads: int = 0
    helping_replies: int = 0
    first_peer_reply: datetime | None = None
    last_peer_reply: datetime | None = None

    @property
    def peer_reply_span_days(self) -> int:
        """Days from the first to the latest peer reply (0 with fewer than two)."""
        if self.first_peer_reply is None or self.last_peer_reply is None:
            return 0
        return (self.last_peer_reply - self.first_peer_reply).days


def learner_facts(
    session: Session,
    cohort_id: int,
    cutoff: datetime,
    *,
    content_words: int,
    replies_each_way: int,
    newcomer_stage: int,
    membership_id: int | None = None,
) -> dict[int, LearnerFacts]:
    """The facts of every learner of the cohort (or of one), keyed by person id."""
    where = [Membership.cohort_id == cohort_id, Membership.role == Role.LEARNER]
    if membership_id is not None:
        where.append(Membership.id == membership_id)
    learners = {
        pid: LearnerFacts(mid, pid, name, email or "", stage, access)
        for mid, pid, name, email, stage, access in session.execute(
            select(
                Membership.id,
                Membership.person_id,
                Person.full_name,
                Person.email,
                Membership.stage,
                Membership.access,
            )
            .join(Person, Person.id == Membership.person_id)
            .where(*where)
        )
    }
    if not learners:
        return {}
    _totals(session, cohort_id, cutoff, content_words, learners)
    pairs = _peer_reply_pairs(session, cohort_id, cutoff)
    _two_way(pairs, replies_each_way, learners)
    _answered_threads(session, cohort_id, cutoff, learners)
    _helping(session, cohort_id, cutoff, newcomer_stage, learners)
    return learners


def _totals(
    session: Session,
    cohort_id: int,
    cutoff: datetime,
    content_words: int,
    learners: dict[int, LearnerFacts],
) -> None:
    event, sender, target = ActivityEvent, aliased(Membership), aliased(Membership)
    is_post = kind_in(event.kind, CONTRIBUTION_KINDS)
    peer = peer_reply_sql(
        event.person_id, sender.role, event.replied_to_id, target.role, event.kind
    )
    content = content_sql(event.kind, event.word_count, content_words)
    unknown = unknown_length_sql(event.kind, event.word_count)
    stmt = (
        select(
            event.person_id,
            func.count(event.id),
            func.min(event.occurred_at),
            func.count(event.id).filter(is_post),
            func.min(event.occurred_at).filter(is_post),
            func.count(event.id).filter(peer),
            func.count(event.id).filter(content),
            func.count(event.id).filter(unknown),
            func.min(event.occurred_at).filter(peer),
            func.max(event.occurred_at).filter(peer),
        )
        .join(
            sender,
            and_(sender.cohort_id == event.cohort_id, sender.person_id == event.person_id),
        )
        .outerjoin(
            target,
            and_(target.cohort_id == event.cohort_id, target.person_id == event.replied_to_id),
        )
        .where(event.cohort_id == cohort_id, event.occurred_at < cutoff)
        .group_by(event.person_id)
    )
    for row in session.execute(stmt):
        pid, events, first, posts, first_post, peers, contents, unknowns, p_first, p_last = row
        if (facts := learners.get(pid)) is None:
            continue
        facts.events, facts.first_event = events, first
        facts.posts, facts.first_post = posts, first_post
        facts.peer_replies, facts.content_posts = peers, contents
        facts.unknown_length_posts = unknowns
        facts.first_peer_reply, facts.last_peer_reply = p_first, p_last
    received = (
        select(event.replied_to_id, func.count(event.id))
        .where(
            event.cohort_id == cohort_id,
            kind_in(event.kind, REPLY_KINDS),
            event.replied_to_id != event.person_id,
            event.occurred_at < cutoff,
        )
        .group_by(event.replied_to_id)
    )
    for answered, count in session.execute(received):
        if answered is not None and (facts := learners.get(answered)) is not None:
            facts.replies_received = count


def _peer_replies_where(
    cohort_id: int, cutoff: datetime
) -> tuple[type[Membership], list[ColumnElement[bool]]]:
    """The learners' replies to a peer: the replied-to member (to join) and the conditions.

    Only learners' facts are ever read, so the sender is a learner; the rest is
    `metrics.terms.peer_reply_sql`.
    """
    target = aliased(Membership)
    event = ActivityEvent
    return target, [
        event.cohort_id == cohort_id,
        event.occurred_at < cutoff,
        peer_reply_sql(event.person_id, Role.LEARNER, event.replied_to_id, target.role, event.kind),
    ]


def _peer_reply_pairs(
    session: Session, cohort_id: int, cutoff: datetime
) -> Counter[tuple[int, int]]:
    """Replies from one learner to another, counted per (replier, replied-to) pair."""
    target, where = _peer_replies_where(cohort_id, cutoff)
    stmt = (
        select(ActivityEvent.person_id, ActivityEvent.replied_to_id, func.count())
        .join(
            target,
            and_(
                target.cohort_id == ActivityEvent.cohort_id,
                target.person_id == ActivityEvent.replied_to_id,
            ),
        )
        .where(*where)
        .group_by(ActivityEvent.person_id, ActivityEvent.replied_to_id)
    )
    return Counter({(a, b): n for a, b, n in session.execute(stmt) if b is not None})


def _two_way(
    pairs: Counter[tuple[int, int]], replies_each_way: int, learners: dict[int, LearnerFacts]
) -> None:
    partners: defaultdict[int, int] = defaultdict(int)
    for (a, b), forth in pairs.items():
        if forth >= replies_each_way and pairs.get((b, a), 0) >= replies_each_way:
            partners[a] += 1
    for pid, count in partners.items():
        if pid in learners:
            learners[pid].two_way_peers = count


def _answered_threads(
    session: Session, cohort_id: int, cutoff: datetime, learners: dict[int, LearnerFacts]
) -> None:
    started = (
        select(
            ActivityEvent.person_id.label("author"),
            ActivityEvent.thread.label("thread"),
            func.min(ActivityEvent.occurred_at).label("at"),
        )
        .where(
            ActivityEvent.cohort_id == cohort_id,
            kind_in(ActivityEvent.kind, THREAD_KINDS),
            ActivityEvent.thread.is_not(None),
            ActivityEvent.occurred_at < cutoff,
        )
        .group_by(ActivityEvent.person_id, ActivityEvent.thread)
        .subquery()
    )
    replier = aliased(Membership)
    stmt = (
        select(started.c.author, func.count(func.distinct(started.c.thread)))
        .join(
            ActivityEvent,
            and_(
                ActivityEvent.cohort_id == cohort_id,
                kind_in(ActivityEvent.kind, REPLY_KINDS),
                ActivityEvent.replied_to_id == started.c.author,
                ActivityEvent.thread == started.c.thread,
                ActivityEvent.occurred_at > started.c.at,
                ActivityEvent.occurred_at < cutoff,
                ActivityEvent.person_id != started.c.author,
            ),
        )
        .join(
            replier,
            and_(
                replier.cohort_id == cohort_id,
                replier.person_id == ActivityEvent.person_id,
                replier.role == Role.LEARNER,
            ),
        )
        .group_by(started.c.author)
    )
    for pid, count in session.execute(stmt):
        if pid in learners:
            learners[pid].answered_threads = count


def _helping(
    session: Session,
    cohort_id: int,
    cutoff: datetime,
    newcomer_stage: int,
    learners: dict[int, LearnerFacts],
) -> None:
    """Count replies to peers who were newcomers when answered (from the stage history)."""
    timeline: defaultdict[int, tuple[list[datetime], list[int]]] = defaultdict(lambda: ([], []))
    history = session.execute(
        select(Membership.person_id, StageChange.changed_at, StageChange.to_stage)
        .join(Membership, Membership.id == StageChange.membership_id)
        .where(Membership.cohort_id == cohort_id, Membership.role == Role.LEARNER)
        .order_by(Membership.person_id, StageChange.changed_at, StageChange.id)
    )
    for pid, when, stage in history:
        times, stages = timeline[pid]
        times.append(when)
        stages.append(stage)
    target, where = _peer_replies_where(cohort_id, cutoff)
    replies = session.execute(
        select(ActivityEvent.person_id, ActivityEvent.replied_to_id, ActivityEvent.occurred_at)
        .join(
            target,
            and_(
                target.cohort_id == ActivityEvent.cohort_id,
                target.person_id == ActivityEvent.replied_to_id,
            ),
        )
        .where(*where)
    )

    def stage_at(pid: int, when: datetime) -> int:
        times, stages = timeline.get(pid, ([], []))
        index = bisect_right(times, when) - 1
        return stages[index] if index >= 0 else 1  # before any record, stage 1

    for pid, to, when in replies:
        facts = learners.get(pid)
        if facts is None or to is None:
            continue
        if stage_at(pid, when) >= HELPER_STAGE and stage_at(to, when) <= newcomer_stage:
            facts.helping_replies += 1
