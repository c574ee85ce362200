"""Who needs the facilitator today: the attention list, most urgent first, with reasons.

Only learners are listed (never mentors, facilitators or managers), and only those who had
joined by the day asked about. Everything is judged as of the end of `as_of` in the cohort's
time zone: activity, access issues, check-ins and nudges after that do not count, so the list
for a given day is always the same. Days are calendar days in the cohort's time zone; the
*reference* day of a learner is the later of the cohort's start and the day they joined.

Each reason carries a documented weight; a learner's priority is the sum of their reasons'
weights, so it is always explained by the lines shown with it:

=====================  ======  =====================================================
reason                 weight  when
=====================  ======  =====================================================
access_problem             60  an access issue is open
never_accessed             50  no activity at all `never_accessed_days` after the
                               reference day (and no open issue, and not marked as
                               having access by hand)
low_motivation             40  the latest check-in is at most `low_motivation`, or fell
                               by `motivation_drop` or more from the one before
no_response                35  the last sent nudge is `response_days` days old or more
                               and there has been no activity of theirs since it
silent                     30  active before, but nothing for `silent_days`
reads_not_posting          20  logs in or reads, but no post or reply yet,
                               `reading_period_days` after the reference day
facilitator_only           15  `facilitator_only_replies` replies or more, all to the
                               facilitator or mentors, none to a peer
recently_nudged          -150  a nudge sent in the last `recently_nudged_days` days and no
                               reason has appeared since: they sink below everyone not
                               nudged, so nobody is nagged twice in a few days (0 when
                               a new reason appeared: things got worse)
=====================  ======  =====================================================

Only sent nudges count (`metrics.terms.nudge_counts`): a message copied or mailed is a draft
until the facilitator confirms it. Each reason carries its figures (`days`, `number`) so a
screen can say what a priority is made of ("+35 silent 12 days, -150 nudged 2 days ago").

Ties are broken by the longest-standing reason (earliest `since`), then by name.

Each learner also gets the template for their weightiest reason (see `REASON_PURPOSE` and
`core/services/messaging/templates.py: pick_template`) filled in for them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from cohortdesk.core.enums import AccessStatus, TemplatePurpose
from cohortdesk.core.errors import NotFoundError
from cohortdesk.core.metrics.period import cohort_period, days_silent, is_silent
from cohortdesk.core.metrics.terms import reads_without_posting
from cohortdesk.core.models import Cohort
from cohortdesk.core.rendering import TemplateError, day_label, render_message
from cohortdesk.core.schemas import (
    AttentionItem,
    AttentionReason,
    AttentionSettings,
    NudgeRow,
    ReasonCode,
)
from cohortdesk.core.schemas.attention import WEIGHTS
from cohortdesk.core.services.attention import attention_facts as facts
from cohortdesk.core.services.attention.attention_facts import Learner
from cohortdesk.core.services.attention.rules import get_rules
from cohortdesk.core.services.messaging import nudges
from cohortdesk.core.services.messaging.message_context import contexts_for
from cohortdesk.core.services.messaging.templates import list_templates, pick_template
from cohortdesk.core.text import plural

REASON_PURPOSE: dict[ReasonCode, TemplatePurpose] = {
    ReasonCode.ACCESS_PROBLEM: TemplatePurpose.ACCESS_HELP,
    ReasonCode.NEVER_ACCESSED: TemplatePurpose.GETTING_IN,
    ReasonCode.LOW_MOTIVATION: TemplatePurpose.MOTIVATION,
    ReasonCode.NO_RESPONSE: TemplatePurpose.FOLLOW_UP,
    ReasonCode.SILENT: TemplatePurpose.SILENT,
    ReasonCode.READS_NOT_POSTING: TemplatePurpose.DELURK,
    ReasonCode.FACILITATOR_ONLY: TemplatePurpose.CONNECT_PEERS,
}
"""Which kind of template answers each reason."""

_NOTE_SHOWN = 70


def attention(
    session: Session,
    cohort_id: int,
    as_of: date | None = None,
    settings: AttentionSettings | None = None,
) -> list[AttentionItem]:
    """The learners who need the facilitator as of the end of `as_of`, most urgent first.

    Args:
        session: the open session.
        cohort_id: the cohort.
        as_of: the day to judge (in the cohort's time zone); later activity is ignored. By
            default today, or the cohort's end once it has ended (`core/metrics/period.py`);
            a day after the end is taken as the end.
        settings: the thresholds; by default the cohort's own (`attention/rules.py`).

    Raises:
        NotFoundError: the cohort does not exist.
    """
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFoundError(f"No cohort with id {cohort_id}")
    rules = settings or get_rules(session, cohort_id).attention
    zone = ZoneInfo(cohort.timezone)
    period = cohort_period(session, cohort_id, as_of=as_of)
    as_of, cutoff = period.as_of, period.cutoff
    learners = facts.learners(session, cohort_id, as_of)
    if not learners:
        return []
    facts.count_activity(session, cohort_id, period, learners)
    judge = _Judge(as_of, zone, rules, cohort.start_date)
    issues = facts.open_issues(session, cohort_id, cutoff)
    checks = facts.last_two_checks(session, cohort_id, as_of)
    latest = nudges.latest_per_member(nudges.list_nudges(session, cohort_id, as_of=as_of))
    for learner in learners.values():
        judge.access(learner, issues.get(learner.membership_id, []))
        judge.activity(learner)
        judge.motivation(learner, checks.get(learner.membership_id, []))
    _facilitator_only(session, cohort_id, cutoff, judge, learners)
    for learner in learners.values():
        if nudge := latest.get(learner.membership_id):
            judge.nudged(learner, nudge)
    listed = [learner for learner in learners.values() if _positive(learner)]
    return _items(session, cohort_id, as_of, listed, latest)


def _positive(learner: Learner) -> bool:
    return any(r.weight > 0 for r in learner.reasons)


class _Judge:
    """Applies each rule to one learner, adding reasons in plain words with their numbers."""

    def __init__(
        self, as_of: date, zone: ZoneInfo, rules: AttentionSettings, start: date | None
    ) -> None:
        self.as_of, self.zone, self.rules, self.start = as_of, zone, rules, start

    def _day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def _label(self, day: date) -> str:
        return day_label(day, self.as_of)

    def _reference(self, learner: Learner) -> tuple[date, str]:
        if self.start is None or learner.joined_on > self.start:
            return learner.joined_on, "joining"
        return self.start, "the cohort started"

    @staticmethod
    def _add(
        learner: Learner,
        code: ReasonCode,
        detail: str,
        since: date | None,
        *,
        days: int | None = None,
        number: int | None = None,
    ) -> None:
        learner.reasons.append(
            AttentionReason(
                code=code,
                detail=detail,
                weight=WEIGHTS[code],
                since=since,
                days=days,
                number=number,
            )
        )

    def access(self, learner: Learner, issues: list[tuple[datetime, str]]) -> None:
        """An open access problem; else no activity at all some days after the start."""
        if issues:
            opened, note = max(issues)
            day = self._day(opened)
            days = (self.as_of - day).days
            many = f"{len(issues)} open access problems, the latest" if len(issues) > 1 else ""
            lead = f"{many} open for" if many else "Open access problem for"
            detail = f"{lead} {plural(days, 'day')} (since {self._label(day)})"
            if note := " ".join(note.split()):
                shown = note if len(note) <= _NOTE_SHOWN else note[: _NOTE_SHOWN - 1] + "…"
                detail += f": “{shown}”"
            self._add(learner, ReasonCode.ACCESS_PROBLEM, detail, day, days=days)
            return
        marked_by_hand = learner.access is AccessStatus.ACCESSED and not learner.ever_active
        if learner.counts.accessed or marked_by_hand:
            return
        reference, what = self._reference(learner)
        waited = (self.as_of - reference).days
        if waited >= self.rules.never_accessed_days:
            detail = (
                f"Not logged in yet: {plural(waited, 'day')} since {what} "
                f"({self._label(reference)})"
            )
            since = reference + timedelta(days=self.rules.never_accessed_days)
            self._add(learner, ReasonCode.NEVER_ACCESSED, detail, since, days=waited)

    def activity(self, learner: Learner) -> None:
        """Silent after being active; reading without posting past the reading period."""
        did = learner.counts
        last = did.last_active
        if last is not None and is_silent(last, self.as_of, self.rules.silent_days):
            quiet = days_silent(last, self.as_of)
            before = plural(did.posts, "post") if did.posts else plural(did.events, "visit")
            detail = (
                f"Silent for {plural(quiet, 'day')}, since {self._label(last)}; active before, "
                f"with {before}"
            )
            since = last + timedelta(days=self.rules.silent_days)
            self._add(learner, ReasonCode.SILENT, detail, since, days=quiet)
        if reads_without_posting(did.events, did.posts):
            reference, what = self._reference(learner)
            waited = (self.as_of - reference).days
            if waited >= self.rules.reading_period_days:
                reads = f"{plural(did.logins, 'login')} and {plural(did.views, 'view')}"
                detail = (
                    f"Reads but has not posted: {reads} in the {plural(waited, 'day')} since "
                    f"{what} (reading period {plural(self.rules.reading_period_days, 'day')})"
                )
                since = reference + timedelta(days=self.rules.reading_period_days)
                self._add(learner, ReasonCode.READS_NOT_POSTING, detail, since, days=waited)

    def motivation(self, learner: Learner, checks: list[tuple[date, int, str]]) -> None:
        """The latest check-in low, or fallen sharply since the one before."""
        if not checks:
            return
        day, rating, note = checks[0]
        before = checks[1] if len(checks) > 1 else None
        low = rating <= self.rules.low_motivation
        fell = before is not None and before[1] - rating >= self.rules.motivation_drop
        if not (low or fell):
            return
        if fell and before is not None:
            detail = (
                f"Motivation {rating} of 5 at the check-in on {self._label(day)}, down from "
                f"{before[1]} on {self._label(before[0])}"
            )
        else:
            detail = f"Motivation {rating} of 5 at the last check-in ({self._label(day)})"
        if note := " ".join(note.split()):
            shown = note if len(note) <= _NOTE_SHOWN else note[: _NOTE_SHOWN - 1] + "…"
            detail += f": “{shown}”"
        self._add(learner, ReasonCode.LOW_MOTIVATION, detail, day, number=rating)

    def facilitator_only(self, learner: Learner, since: date) -> None:
        """Replies, but only ever to the facilitator or mentors."""
        replies = plural(learner.counts.replies_to_staff, "reply", "replies")
        detail = f"{replies}, all to the facilitator or mentors, none to a fellow learner"
        count = learner.counts.replies_to_staff
        self._add(learner, ReasonCode.FACILITATOR_ONLY, detail, since, number=count)

    def nudged(self, learner: Learner, nudge: NudgeRow) -> None:
        """No response to the last sent nudge; or nudged recently, which sinks them (drafts are
        not passed here: see `nudges.latest_per_member`)."""
        sent = self._day(nudge.sent_at)
        ago = (self.as_of - sent).days
        what = f"“{nudge.subject}”" if nudge.subject else nudge.channel.value
        window_closed = ago >= self.rules.response_days
        if window_closed and nudge.active_again_at is None:
            detail = (
                f"No response to the nudge of {self._label(sent)} ({what}): no activity in "
                f"the {plural(ago, 'day')} since"
            )
            since = sent + timedelta(days=self.rules.response_days)
            self._add(learner, ReasonCode.NO_RESPONSE, detail, since, days=ago)
        if ago > self.rules.recently_nudged_days or not _positive(learner):
            return
        when = "today" if ago == 0 else f"{plural(ago, 'day')} ago"
        newer = [r for r in learner.reasons if r.since is not None and r.since > sent]
        if newer:
            codes = ", ".join(r.code.value.replace("_", " ") for r in newer)
            detail = f"Nudged {when} ({self._label(sent)}, {what}), but since then: {codes}"
            weight = 0
        else:
            detail = f"Nudged {when} ({self._label(sent)}, {what}): give them time to respond"
            weight = WEIGHTS[ReasonCode.RECENTLY_NUDGED]
        learner.reasons.append(
            AttentionReason(
                code=ReasonCode.RECENTLY_NUDGED, detail=detail, weight=weight, since=sent, days=ago
            )
        )


def _facilitator_only(
    session: Session, cohort_id: int, cutoff: datetime, judge: _Judge, learners: dict[int, Learner]
) -> None:
    """Flag learners whose replies all went to staff, dated by the reply that made it so."""
    needed = judge.rules.facilitator_only_replies
    candidates = {
        pid: learner
        for pid, learner in learners.items()
        if learner.counts.replies_to_staff >= needed and learner.counts.peer_replies == 0
    }
    reached = facts.nth_staff_reply(session, cohort_id, cutoff, candidates, needed)
    for pid, moment in reached.items():
        judge.facilitator_only(candidates[pid], moment.astimezone(judge.zone).date())


def _items(
    session: Session,
    cohort_id: int,
    as_of: date,
    listed: list[Learner],
    latest: dict[int, NudgeRow],
) -> list[AttentionItem]:
    templates = list_templates(session)
    contexts = contexts_for(session, cohort_id, [x.membership_id for x in listed], as_of)
    items = []
    for learner in listed:
        reasons = sorted(learner.reasons, key=lambda r: -r.weight)
        main = reasons[0].code
        template = pick_template(templates, REASON_PURPOSE[main], learner.stage)
        subject = message = ""
        if template is not None:
            context = contexts[learner.membership_id]
            try:
                rendered = render_message(template.subject, template.body, context.fields)
                subject, message = rendered.subject, rendered.body
            except TemplateError as exc:
                message = f"(The template “{template.name}” cannot be filled in: {exc})"
        nudge = latest.get(learner.membership_id)
        recent = any(r.code is ReasonCode.RECENTLY_NUDGED for r in reasons)
        items.append(
            AttentionItem(
                membership_id=learner.membership_id,
                person_id=learner.person_id,
                name=learner.name,
                email=learner.email,
                stage=learner.stage,
                priority=sum(r.weight for r in reasons),
                reasons=tuple(reasons),
                last_nudged_at=nudge.sent_at if nudge else None,
                recently_nudged=recent,
                suggested_template_id=template.id if template else None,
                suggested_template=template.name if template else None,
                subject=subject,
                message=message,
                suggested_for=reasons[0] if template else None,
            )
        )
    items.sort(key=_urgency)
    return items


def _urgency(item: AttentionItem) -> tuple[int, date, str, int]:
    oldest = min((r.since for r in item.reasons if r.since is not None), default=date.max)
    return (-item.priority, oldest, item.name.lower(), item.membership_id)
