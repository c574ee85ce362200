"""The demo cohort: deterministic, and telling the story a facilitator would recognise."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from cohortdesk.core.demo import build
from cohortdesk.core.demo.build import DemoSpec, create_demo
from cohortdesk.core.enums import EventKind, Role
from cohortdesk.core.errors import ConflictError, KnownError
from cohortdesk.core.models import (
    AccessIssue,
    ActivityEvent,
    Intervention,
    MemberNote,
    Membership,
    MotivationCheck,
    Person,
    StageChange,
)
from cohortdesk.core.schemas import CohortRow, MemberRow, NudgeOutcome, validated
from cohortdesk.core.services.activity import participation
from cohortdesk.core.services.messaging import nudges
from cohortdesk.core.services.people import members
from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.db import Database

END = date(2025, 3, 14)
LONDON = ZoneInfo("Europe/London")


def _plain(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", folded.lower())


def _fresh_db(folder: Path) -> Database:
    folder.mkdir(parents=True, exist_ok=True)
    database = Database(f"sqlite:///{folder / 'demo.sqlite'}")
    migrate.upgrade(database)
    return database


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, CohortRow]]:
    """The default demo (fixed end date), built once for the read-only tests below."""
    database = _fresh_db(tmp_path_factory.mktemp("demo"))
    with database.write() as session:
        cohort = create_demo(session, DemoSpec(end=END))
    yield database, cohort
    database.dispose()


@pytest.fixture
def session(demo_db: tuple[Database, CohortRow]) -> Iterator[Session]:
    with demo_db[0].read() as s:
        yield s


@pytest.fixture
def cohort(demo_db: tuple[Database, CohortRow]) -> CohortRow:
    return demo_db[1]


@pytest.fixture
def learners(session: Session, cohort: CohortRow) -> list[MemberRow]:
    return [r for r in participation.roster(session, cohort.id) if r.role is Role.LEARNER]


def _snapshot(database: Database) -> dict[str, object]:
    """Everything the demo wrote, keyed by email rather than by id."""
    with database.read() as s:
        cohort_id = s.scalars(select(Membership.cohort_id)).first()
        assert cohort_id is not None
        target = aliased(Person)
        events = s.execute(
            select(
                Person.email,
                ActivityEvent.occurred_at,
                ActivityEvent.kind,
                ActivityEvent.thread,
                ActivityEvent.detail,
                ActivityEvent.word_count,
                target.email,
            )
            .join(Person, Person.id == ActivityEvent.person_id)
            .outerjoin(target, target.id == ActivityEvent.replied_to_id)
        ).all()
        history = s.execute(
            select(
                Person.email,
                StageChange.from_stage,
                StageChange.to_stage,
                StageChange.changed_at,
                StageChange.reason,
                StageChange.source,
                StageChange.evidence,
            )
            .join(Membership, Membership.id == StageChange.membership_id)
            .join(Person, Person.id == Membership.person_id)
        ).all()
        checks = s.execute(
            select(MotivationCheck.checked_on, MotivationCheck.rating, MotivationCheck.note)
        ).all()
        notes = s.execute(select(MemberNote.created_at, MemberNote.body)).all()
        issues = s.execute(
            select(AccessIssue.opened_at, AccessIssue.note, AccessIssue.resolved_at)
        ).all()
        sent = s.execute(
            select(
                Person.email,
                Intervention.template_id,
                Intervention.subject,
                Intervention.body,
                Intervention.channel,
                Intervention.sent_at,
            )
            .join(Membership, Membership.id == Intervention.membership_id)
            .join(Person, Person.id == Membership.person_id)
        ).all()
        return {
            "roster": participation.roster(s, cohort_id),
            "events": sorted(map(tuple, events), key=repr),
            "history": sorted(map(tuple, history), key=repr),
            "checks": sorted(map(tuple, checks), key=repr),
            "notes": sorted(map(tuple, notes), key=repr),
            "issues": sorted(map(tuple, issues), key=repr),
            "nudges": sorted(map(tuple, sent), key=repr),
        }


def test_same_seed_and_end_give_the_same_cohort(
    demo_db: tuple[Database, CohortRow], tmp_path: Path
) -> None:
    again = _fresh_db(tmp_path / "again")
    with again.write() as s:
        create_demo(s, DemoSpec(end=END))
    first, second = _snapshot(demo_db[0]), _snapshot(again)
    again.dispose()
    assert first["events"], "the demo recorded no events"
    for key in first:
        assert first[key] == second[key], f"{key} differ between two builds of the same spec"


def test_another_seed_gives_other_people(tmp_path: Path) -> None:
    names = []
    for seed in (1, 2):
        database = _fresh_db(tmp_path / str(seed))
        with database.write() as s:
            cohort = create_demo(s, DemoSpec(seed=seed, end=END, members=8, days=14))
            names.append({r.name for r in participation.roster(s, cohort.id)})
        database.dispose()
    assert names[0] != names[1]


def test_default_cohort_has_dates_time_zone_and_description(cohort: CohortRow) -> None:
    assert cohort.name == "Leading Online Learning (demo)"
    assert cohort.timezone == "Europe/London"
    assert cohort.start_date == END - timedelta(days=56)
    assert cohort.end_date is not None and cohort.end_date >= END
    assert cohort.description
    assert cohort.members == 24
    assert cohort.learners == 21


def test_roles_names_and_emails(session: Session, cohort: CohortRow) -> None:
    rows = participation.roster(session, cohort.id)
    roles = [r.role for r in rows]
    assert roles.count(Role.FACILITATOR) == 1
    assert roles.count(Role.MENTOR) == 2
    emails = [r.email for r in rows]
    assert len(set(emails)) == len(emails)
    for row in rows:
        first, last = row.name.split(" ", 1)
        assert row.email == f"{_plain(first)}.{_plain(last)}@example.org"
    expertise = [members.member_detail(session, r.membership_id).expertise for r in rows]
    assert sum(bool(e) for e in expertise) >= 5


def test_learners_span_all_five_stages_with_more_in_the_middle(learners: list[MemberRow]) -> None:
    by_stage = {n: sum(r.stage == n for r in learners) for n in range(1, 6)}
    assert all(by_stage[n] >= 1 for n in range(1, 6)), by_stage
    assert by_stage[2] + by_stage[3] > by_stage[1] + by_stage[5], by_stage


def test_stage_histories_are_plausible(
    session: Session, cohort: CohortRow, learners: list[MemberRow]
) -> None:
    end_of_demo = datetime.combine(END, time(23, 59), LONDON)
    for row in learners:
        history = list(reversed(members.member_detail(session, row.membership_id).stage_history))
        assert history[0].from_stage is None and history[0].to_stage == 1
        assert [h.to_stage for h in history] == list(range(1, row.stage + 1)), row.name
        times = [h.changed_at for h in history]
        assert times == sorted(times) and times[-1] <= end_of_demo, row.name
        assert all(h.reason.strip() for h in history)
    reasons = [
        h.reason
        for row in learners
        for h in members.member_detail(session, row.membership_id).stage_history
    ]
    assert any(r.startswith("Posted an introduction in Week 1 · ") for r in reasons)
    assert any(r.startswith("Replying to peers in Week ") for r in reasons)


def test_never_accessed_learners(learners: list[MemberRow]) -> None:
    never = [r for r in learners if r.access == "not_yet"]
    assert len(never) >= 2
    assert all(r.events == 0 and r.stage == 1 and r.last_active is None for r in never)


def test_open_access_problem_and_an_earlier_resolved_one(
    session: Session, learners: list[MemberRow]
) -> None:
    blocked = [r for r in learners if r.access == "problem"]
    assert len(blocked) == 1 and blocked[0].open_access_issues == 1
    issue = members.member_detail(session, blocked[0].membership_id).access_issues[0]
    assert issue.is_open and "IT ticket" in issue.note
    resolved = [
        i
        for r in learners
        if r.membership_id != blocked[0].membership_id
        for i in members.member_detail(session, r.membership_id).access_issues
        if not i.is_open
    ]
    assert resolved and resolved[0].resolution


def test_lurkers_read_but_never_post(learners: list[MemberRow]) -> None:
    lurkers = [r for r in learners if r.logins > 0 and r.posts == 0]
    assert len(lurkers) >= 2
    assert all(r.events > r.logins for r in lurkers)  # they read: views, not only logins


def test_one_dominant_voice(learners: list[MemberRow]) -> None:
    top, runner_up = sorted((r.posts for r in learners), reverse=True)[:2]
    assert top >= 2 * runner_up


def test_a_motivation_dip_and_weekly_check_ins(session: Session, learners: list[MemberRow]) -> None:
    dips = [r for r in learners if r.motivation_change is not None and r.motivation_change <= -2]
    assert dips
    notes = [m.note for m in members.member_detail(session, dips[0].membership_id).motivation]
    assert notes[0], "the dip comes with a note saying why"
    checked = [r for r in learners if r.motivation is not None]
    assert len(checked) >= len(learners) // 2


def test_peer_replies_and_replies_to_the_facilitator(
    session: Session, cohort: CohortRow, learners: list[MemberRow]
) -> None:
    assert sum(r.peer_replies for r in learners) > 0
    rows = participation.roster(session, cohort.id)
    facilitator = next(r for r in rows if r.role is Role.FACILITATOR)
    to_facilitator = session.scalar(
        select(ActivityEvent.id).where(
            ActivityEvent.kind == EventKind.REPLY,
            ActivityEvent.replied_to_id == facilitator.person_id,
        )
    )
    assert to_facilitator is not None


def test_facilitator_posts_weekly_etivities_and_mentors_take_part(
    session: Session, cohort: CohortRow
) -> None:
    rows = participation.roster(session, cohort.id)
    facilitator = next(r for r in rows if r.role is Role.FACILITATOR)
    posts = members.member_detail(session, facilitator.membership_id).events
    threads = {e.thread for e in posts if e.kind is EventKind.POST}
    assert {f"Week {n}" for n in range(1, 9)} <= {(t or "").split(" · ")[0] for t in threads}
    assert all(e.detail for e in posts if e.kind is EventKind.POST)
    assert facilitator.replies > 0
    assert all(r.events > 0 for r in rows if r.role is Role.MENTOR)


def test_every_kind_of_activity_at_plausible_times(session: Session, cohort: CohortRow) -> None:
    kinds = set(session.scalars(select(ActivityEvent.kind).distinct()))
    assert kinds == set(EventKind)
    start = datetime.combine(END - timedelta(days=56), time(0), LONDON)
    stop = datetime.combine(END, time(23, 59), LONDON)
    for moment, kind, thread, words in session.execute(
        select(
            ActivityEvent.occurred_at,
            ActivityEvent.kind,
            ActivityEvent.thread,
            ActivityEvent.word_count,
        )
    ):
        assert start <= moment <= stop
        assert 6 <= moment.astimezone(LONDON).hour <= 23
        if kind in (EventKind.POST, EventKind.REPLY):
            assert thread and words, (kind, moment)
    untargeted = session.scalar(
        select(ActivityEvent.id).where(
            ActivityEvent.kind == EventKind.REPLY, ActivityEvent.replied_to_id.is_(None)
        )
    )
    assert untargeted is None, "every reply says whom it answers"


def test_someone_went_quiet_and_someone_joined_late(learners: list[MemberRow]) -> None:
    quiet = [
        r
        for r in learners
        if r.posts > 5 and r.last_active and r.last_active <= END - timedelta(14)
    ]
    assert quiet
    assert any(0 < r.logins <= 10 and r.posts > 0 for r in learners), "no late joiner"


def test_three_nudges_one_answered_one_unanswered_one_recent(
    session: Session, cohort: CohortRow
) -> None:
    rows = nudges.list_nudges(session, cohort.id, as_of=END)
    assert [r.outcome for r in rows] == [
        NudgeOutcome.WAITING,
        NudgeOutcome.NO_RESPONSE,
        NudgeOutcome.RESPONDED,
    ]
    recent, unanswered, answered = rows
    assert (END - recent.sent_at.astimezone(LONDON).date()).days <= 1
    assert (END - unanswered.sent_at.astimezone(LONDON).date()).days >= 7
    assert answered.sent_at.astimezone(LONDON).date() == cohort.start_date
    for row in rows:
        first = row.name.split()[0]
        assert row.template_name and row.body.startswith(f"Hi {first},")
        assert "{" not in row.body and row.subject


def test_facilitator_notes(session: Session) -> None:
    notes = list(session.scalars(select(MemberNote.body)))
    assert len(notes) >= 4


@pytest.mark.parametrize("size", [8, 60])
def test_other_sizes(db: Database, size: int) -> None:
    with db.write() as s:
        cohort = create_demo(s, DemoSpec(members=size, end=END))
    with db.read() as s:
        rows = participation.roster(s, cohort.id)
    learners = [r for r in rows if r.role is Role.LEARNER]
    assert len(rows) == size and len(learners) == size - 3
    assert {r.stage for r in learners} == {1, 2, 3, 4, 5}


class _FixedToday(date):
    """A calendar whose today is END: the test cannot straddle midnight."""

    @classmethod
    def today(cls) -> date:
        return END


def test_default_end_is_today(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build, "date", _FixedToday)
    with db.write() as s:
        cohort = create_demo(s, DemoSpec(members=8, days=14))
    assert cohort.start_date == END - timedelta(days=14)


@pytest.mark.parametrize(
    "values", [{"members": 3}, {"members": 7}, {"members": 2001}, {"days": 13}]
)
def test_out_of_range_specs_are_known_errors(values: dict[str, int]) -> None:
    with pytest.raises(KnownError):
        DemoSpec.model_validate(values)
    with pytest.raises(KnownError):
        validated(DemoSpec, **values)


def test_duplicate_cohort_name_is_a_conflict(db: Database) -> None:
    spec = DemoSpec(members=8, days=14, end=END)
    with db.write() as s:
        create_demo(s, spec)
    with pytest.raises(ConflictError), db.write() as s:
        create_demo(s, spec.model_copy(update={"cohort": spec.cohort.upper()}))
