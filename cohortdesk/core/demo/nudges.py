"""The nudges the demo's facilitator sent: one answered, one unanswered, one recent.

Each message is a built-in template filled in for its learner as of the day it went out, and
logged as the facilitator would log it, so the Today list and the nudge outcomes have a story:

- on the first morning, an access-help email to a learner who could not get in; they got in
  two days later (*responded*);
- a week after the quiet learner fell silent, a "gone quiet" email; nothing since (*no
  response*: they are back on the list with that reason too);
- on the last evening (or the last morning, after their latest visit), a de-lurking message
  to the reader, pasted into the course space (*no response yet*: they sink down the list,
  marked as recently nudged).

No random numbers are drawn here, so adding the nudges changes nothing else in the demo.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cohortdesk.core.demo.people import QUIET, READER
from cohortdesk.core.demo.plan import Actor, Story, local, local_date, minutes
from cohortdesk.core.enums import NudgeChannel
from cohortdesk.core.models import PromptTemplate
from cohortdesk.core.schemas import AttentionSettings, NudgeInput
from cohortdesk.core.services.messaging import nudges, templates

ACCESS_HELP, GONE_QUIET, DELURK = "access-help", "silent-again", "de-lurk"


def record_nudges(
    session: Session, story: Story, learners: list[Actor], settled: list[Actor]
) -> None:
    """Log the demo's three nudges (those whose learner the cohort has; see the module doc)."""
    keys = {ACCESS_HELP, GONE_QUIET, DELURK}
    ids = dict(
        session.execute(
            select(PromptTemplate.key, PromptTemplate.id).where(PromptTemplate.key.in_(keys))
        ).all()
    )
    rules = AttentionSettings()
    planned: list[tuple[Actor, str, NudgeChannel, datetime]] = []
    if settled:
        planned.append((settled[0], ACCESS_HELP, NudgeChannel.EMAIL, local(story.start, 10, 15)))
    quiet = next((a for a in learners if a.kind is QUIET), None)
    if quiet is not None and (last := _last_activity(story, quiet)) is not None:
        flagged = local_date(last) + timedelta(days=rules.silent_days)
        latest = story.end - timedelta(days=rules.response_days)  # unanswered by the end
        day = max(local_date(last) + timedelta(days=1), min(flagged, latest))
        planned.append((quiet, GONE_QUIET, NudgeChannel.EMAIL, local(day, 8, 40)))
    reader = next((a for a in learners if a.kind is READER), None)
    if reader is not None:
        evening = local(story.end - timedelta(days=1), 18, 30)
        last = _last_activity(story, reader)
        after = last + minutes(20) if last is not None else evening
        planned.append(
            (reader, DELURK, NudgeChannel.CLIPBOARD, min(max(evening, after), story.cutoff))
        )
    for actor, key, channel, sent in planned:
        template_id = ids.get(key)
        if template_id is None:
            continue  # the library has no such template (never the case for a fresh database)
        message = templates.render_for(session, template_id, actor.membership_id, local_date(sent))
        nudges.log_nudge(
            session,
            actor.membership_id,
            NudgeInput(
                template_id=template_id,
                subject=message.subject,
                body=message.body,
                channel=channel,
                sent_at=sent,
            ),
        )


def _last_activity(story: Story, actor: Actor) -> datetime | None:
    return max((p.at for p in story.plans if p.actor is actor), default=None)
