"""Who is in the demo cohort: names, emails, and the learner archetypes that tell its story.

The content (names by region, jobs, e-tivities, snippets of posts) lives in
`resources/demo_cohort.json`; this module picks from it with a seeded `random.Random`, so the
same seed always gives the same people.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

# ---- content --------------------------------------------------------------------------------


class _Content(BaseModel):
    model_config = ConfigDict(frozen=True)


class Region(_Content):
    first: tuple[str, ...]
    last: tuple[str, ...]
    places: tuple[str, ...]


class Etivity(_Content):
    title: str
    spark: str
    task: str | None = None


class StaffExpertise(_Content):
    facilitator: str
    mentor: tuple[str, ...]


class ResolvedIssue(_Content):
    note: str
    resolution: str


class DemoContent(_Content):
    """Everything the demo says, as written in `demo_cohort.json`."""

    regions: tuple[Region, ...]
    jobs: tuple[str, ...]
    expertise: tuple[str, ...]
    staff_expertise: StaffExpertise
    etivities: tuple[Etivity, ...]
    post_subjects: tuple[str, ...]
    reflections: tuple[str, ...]
    reply_gists: tuple[str, ...]
    intro_gists: tuple[str, ...]
    staff_gists: tuple[str, ...]
    welcome_gists: tuple[str, ...]
    share_links: tuple[str, ...]
    notes: dict[str, str]
    open_issues: tuple[str, ...]
    resolved_issue: ResolvedIssue
    mood_notes: dict[int, tuple[str, ...]]
    dip_notes: tuple[str, str]


@cache
def content() -> DemoContent:
    """The demo's names and texts, loaded once from the package resources."""
    text = resources.files("cohortdesk.resources").joinpath("demo_cohort.json").read_text("utf-8")
    return DemoContent.model_validate(json.loads(text))


# ---- people ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPerson:
    """A made-up person: name, email, and what they say about themselves."""

    first: str
    last: str
    place: str
    job: str
    number: int = 1

    @property
    def full_name(self) -> str:
        """First and last name."""
        return f"{self.first} {self.last}"

    @property
    def email(self) -> str:
        """`firstname.lastname@example.org` in plain ASCII (numbered past the name pool)."""
        suffix = str(self.number) if self.number > 1 else ""
        return f"{_ascii(self.first)}.{_ascii(self.last)}{suffix}@example.org"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def pick_people(rng: random.Random, count: int) -> list[DemoPerson]:
    """`count` people with distinct emails, taking the regions in turn so any group is mixed.

    Within a region, names are paired as a Latin square, so the first people drawn never
    share a first name. Past the pool (over a thousand people) emails get a number.
    """
    regions = list(content().regions)
    rng.shuffle(regions)
    queues: list[list[tuple[str, str, Region]]] = []
    for region in regions:
        firsts, lasts = list(region.first), list(region.last)
        rng.shuffle(firsts)
        rng.shuffle(lasts)
        queues.append(
            [
                (first, lasts[(i + k) % len(lasts)], region)
                for k in range(len(lasts))
                for i, first in enumerate(firsts)
            ]
        )
    pool = [q[i] for i in range(max(map(len, queues))) for q in queues if i < len(q)]
    jobs = content().jobs
    return [
        DemoPerson(first, last, rng.choice(region.places), rng.choice(jobs), n // len(pool) + 1)
        for n, (first, last, region) in ((n, pool[n % len(pool)]) for n in range(count))
    ]


# ---- archetypes -----------------------------------------------------------------------------

Span = tuple[int, int]


@dataclass(frozen=True)
class Archetype:
    """How one kind of learner behaves, per week unless said otherwise.

    Attributes:
        key: a short name (`lurker`, `dominant`...).
        stage: the stage they have reached by the end of the demo.
        sessions: days a week they log in.
        views: pages read per session.
        posts: new threads a week after the introduction week.
        replies: replies a week.
        peer: the share of replies that answer another learner rather than the facilitator.
        reactions: likes a week.
        shares: links shared a week.
        attend: chance of joining each live session.
        submit: chance of handing in each task.
        words: word count of a post or reply.
        motivation: usual motivation rating, or None for no check-ins.
    """

    key: str
    stage: int
    sessions: Span
    views: Span
    posts: Span
    replies: Span
    peer: float
    reactions: Span
    shares: Span
    attend: float
    submit: float
    words: Span
    motivation: int | None

    @property
    def posts_intro(self) -> bool:
        """Whether they introduce themselves (everyone who ever posts does)."""
        return self.replies[1] > 0 or self.posts[1] > 0


# Learner archetypes, per week: spans are "low-high", chances 0 to 1, `-` for no check-ins.
# key        stage sessions views posts replies peer reactions shares attend submit words   mood
_TABLE = """
never        1     0-0      0-0   0-0   0-0     0    0-0       0-0    0      0      0-0     -
blocked      1     0-0      0-0   0-0   0-0     0    0-0       0-0    0      0      0-0     -
lurker       1     2-4      1-2   0-0   0-0     0    0-1       0-0    .3     0      0-0     3
reader       2     2-4      1-2   0-0   0-0     0    0-1       0-0    .5     .4     0-0     3
late         2     3-4      1-2   0-0   1-2     .4   0-1       0-0    .7     .6     40-150  4
socialiser   2     2-3      0-1   0-0   1-2     .3   0-1       0-0    .5     .6     30-120  3
exchanger    3     2-3      0-1   0-1   2-4     .7   0-1       0-1    .6     .8     60-220  4
dipper       3     2-4      0-1   0-1   2-3     .7   0-1       0-0    .6     .8     60-200  4
quiet        3     2-4      0-1   0-1   2-4     .7   0-1       0-1    .7     .9     60-220  4
constructor  4     3-4      0-1   0-1   3-4     .85  0-2       0-1    .8     .9     120-320 4
dominant     4     5-6      0-1   2-3   10-13   .75  1-2       0-2    1      1      150-420 5
developer    5     2-4      0-1   1-1   2-3     .9   0-1       0-1    .7     1      180-480 4
"""


def _span(text: str) -> Span:
    low, high = text.split("-")
    return int(low), int(high)


def _parse(line: str) -> Archetype:
    key, stage, sessions, views, posts, replies, peer, *rest = line.split()
    reactions, shares, attend, submit, words, mood = rest
    return Archetype(
        key=key,
        stage=int(stage),
        sessions=_span(sessions),
        views=_span(views),
        posts=_span(posts),
        replies=_span(replies),
        peer=float(peer),
        reactions=_span(reactions),
        shares=_span(shares),
        attend=float(attend),
        submit=float(submit),
        words=_span(words),
        motivation=None if mood == "-" else int(mood),
    )


ARCHETYPES = {kind.key: kind for kind in map(_parse, _TABLE.strip().splitlines())}
NEVER, BLOCKED, LURKER, READER, LATE, SOCIALISER = (
    ARCHETYPES[key] for key in ("never", "blocked", "lurker", "reader", "late", "socialiser")
)
EXCHANGER, DIPPER, QUIET, CONSTRUCTOR, DOMINANT, DEVELOPER = (
    ARCHETYPES[key]
    for key in ("exchanger", "dipper", "quiet", "constructor", "dominant", "developer")
)

# The first few come first when the cohort is tiny, so every stage still shows up.
PRIORITY: tuple[Archetype, ...] = (EXCHANGER, NEVER, SOCIALISER, CONSTRUCTOR, DEVELOPER)
PRIORITY += (LURKER, DOMINANT, BLOCKED, DIPPER, QUIET, LATE, READER)
# Of 21 learners (the default): a dominant voice and 20 others in these numbers.
WEIGHTS = {NEVER: 2, BLOCKED: 1, LURKER: 1, READER: 1, LATE: 1, SOCIALISER: 3, EXCHANGER: 4}
WEIGHTS |= {DIPPER: 1, QUIET: 1, CONSTRUCTOR: 3, DEVELOPER: 2}


def learner_mix(count: int) -> list[Archetype]:
    """The archetypes of `count` learners, in the proportions of the default 21.

    There is always exactly one dominant voice once the cohort has room for one; below 12
    learners the list is cut from `PRIORITY`, which puts all five stages first.
    """
    if count <= len(PRIORITY):
        return list(PRIORITY[:count])
    others = count - 1
    total = sum(WEIGHTS.values())
    shares = {kind: weight * others / total for kind, weight in WEIGHTS.items()}
    numbers = {kind: int(share) for kind, share in shares.items()}
    by_remainder = sorted(WEIGHTS, key=lambda kind: numbers[kind] - shares[kind])
    for kind in by_remainder[: others - sum(numbers.values())]:
        numbers[kind] += 1
    for kind in WEIGHTS:
        if numbers[kind] == 0:
            richest = max(WEIGHTS, key=lambda k: numbers[k])
            numbers[richest] -= 1
            numbers[kind] = 1
    mix = [DOMINANT]
    for kind in PRIORITY:
        mix.extend([kind] * numbers.get(kind, 0))
    return mix
