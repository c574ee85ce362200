"""Expertise location: who knows about something, across every cohort.

A person's expertise is free text of keywords ("Moodle, rubrics; coaching"), split at commas,
semicolons, slashes and new lines. A search ignores case and accents (`Évaluation` finds
`evaluation`) and needs every word of the query (short linking words aside) to start a word of
the person's keywords: `online facil` finds "Online facilitation". The best matches come
first: a keyword equal to the whole query, then whole words, then beginnings of words.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cohortdesk.core.enums import Role
from cohortdesk.core.errors import NotFoundError
from cohortdesk.core.models import Cohort, Membership, Person
from cohortdesk.core.schemas.mentoring import ExpertRow, PeerSuggestion

_KEYWORD_SPLIT = re.compile(r"[,;/|\n]+")
_WORD = re.compile(r"\w+")
#: words a query may contain that say nothing about a topic
STOP_WORDS = frozenset({"a", "an", "and", "&", "for", "in", "of", "on", "or", "the", "to", "with"})
_SIGNIFICANT = 4
PEER_LIMIT = 5


def fold(text: str) -> str:
    """`"Évaluation Formative"` -> `"evaluation formative"`: no accents, no case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def keywords(expertise: str) -> tuple[str, ...]:
    """The keywords as typed, in order, without blanks or repeats (ignoring case, accents)."""
    seen: set[str] = set()
    found = []
    for keyword in (k.strip() for k in _KEYWORD_SPLIT.split(expertise)):
        if keyword and fold(keyword) not in seen:
            seen.add(fold(keyword))
            found.append(keyword)
    return tuple(found)


def words(text: str) -> list[str]:
    """The folded words of `text`."""
    return _WORD.findall(fold(text))


def query_words(query: str) -> list[str]:
    """The words of a search that must match (linking words dropped unless alone)."""
    found = words(query)
    meaningful = [w for w in found if w not in STOP_WORDS]
    return meaningful or found


def _score(query: list[str], keyword_words: list[list[str]]) -> tuple[int, list[int]]:
    """How well the keywords match every query word (0: not all matched), and which did."""
    phrase = " ".join(query)
    score, matched = 0, set()
    for word in query:
        best = 0
        for index, kw in enumerate(keyword_words):
            if word in kw:
                best = max(best, 2)
                matched.add(index)
            elif any(w.startswith(word) for w in kw):
                best = max(best, 1)
                matched.add(index)
        if best == 0:
            return 0, []
        score += best
    for kw in keyword_words:
        joined = " ".join(kw)
        if joined == phrase:
            score += 5
        elif len(query) > 1 and f" {phrase} " in f" {joined} ":
            score += 3
    return score, sorted(matched)


def find_experts(session: Session, query: str) -> list[ExpertRow]:
    """People whose expertise matches `query`, best first, with the cohorts they are in.

    An empty query finds nobody (not everybody: this is a search, not a list).
    """
    wanted = query_words(query)
    if not wanted:
        return []
    people = session.execute(
        select(Person.id, Person.full_name, Person.email, Person.expertise).where(
            Person.expertise != ""
        )
    ).all()
    hits: list[tuple[int, int, str, str, tuple[str, ...], tuple[str, ...]]] = []
    for pid, name, email, expertise in people:
        own = keywords(expertise)
        score, matched = _score(wanted, [words(k) for k in own])
        if score:
            hits.append((score, pid, name, email or "", own, tuple(own[i] for i in matched)))
    cohorts_of = _cohorts_of(session, [h[1] for h in hits])
    hits.sort(key=lambda h: (-h[0], fold(h[2]), h[1]))
    return [
        ExpertRow(
            person_id=pid,
            name=name,
            email=email,
            keywords=own,
            matched=matched,
            cohorts=tuple(cohorts_of.get(pid, ())),
            score=score,
        )
        for score, pid, name, email, own, matched in hits
    ]


def _cohorts_of(session: Session, person_ids: list[int]) -> dict[int, list[str]]:
    if not person_ids:
        return {}
    stmt = (
        select(Membership.person_id, Cohort.name, Membership.role)
        .join(Cohort, Cohort.id == Membership.cohort_id)
        .where(Membership.person_id.in_(person_ids))
        .order_by(Cohort.archived, func.lower(Cohort.name))
    )
    found: defaultdict[int, list[str]] = defaultdict(list)
    for pid, cohort, role in session.execute(stmt):
        found[pid].append(f"{cohort} ({role.value})")
    return found


def _shares(mine: list[tuple[str, set[str]]], keyword: str) -> bool:
    folded = fold(keyword)
    significant = {w for w in words(keyword) if len(w) >= _SIGNIFICANT and w not in STOP_WORDS}
    return any(folded == theirs or significant & their_words for theirs, their_words in mine)


def peers_with_shared_expertise(
    session: Session, membership_id: int, *, limit: int = PEER_LIMIT
) -> list[PeerSuggestion]:
    """Fellow learners of the same cohort who share expertise with this member, best first.

    For the bridging template ("{peer_name} also works on rubrics"). A keyword is shared when
    it is the same (ignoring case and accents) or has a significant word in common
    ("online facilitation" and "facilitation skills"). More shared keywords first, then the
    higher stage (someone a step ahead), then by name.

    Raises:
        NotFoundError: no such member.
    """
    membership = session.get(Membership, membership_id)
    if membership is None:
        raise NotFoundError(f"No member with id {membership_id}")
    own = session.scalar(select(Person.expertise).where(Person.id == membership.person_id)) or ""
    mine = [
        (fold(k), {w for w in words(k) if len(w) >= _SIGNIFICANT and w not in STOP_WORDS})
        for k in keywords(own)
    ]
    if not mine:
        return []
    stmt = (
        select(Membership, Person)
        .join(Person, Person.id == Membership.person_id)
        .where(
            Membership.cohort_id == membership.cohort_id,
            Membership.role == Role.LEARNER,
            Membership.person_id != membership.person_id,
            Person.expertise != "",
        )
    )
    found = []
    for other, person in session.execute(stmt):
        shared = tuple(k for k in keywords(person.expertise) if _shares(mine, k))
        if shared:
            found.append(
                PeerSuggestion(
                    membership_id=other.id,
                    person_id=person.id,
                    name=person.full_name,
                    role=other.role,
                    stage=other.stage,
                    shared=shared,
                )
            )
    found.sort(key=lambda p: (-len(p.shared), -p.stage, fold(p.name), p.membership_id))
    return found[:limit]
