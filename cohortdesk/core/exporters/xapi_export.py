"""xAPI: the period's events as a JSON array of xAPI 1.0.3 statements, for a learning record store.

Each event becomes one statement:

- `id`: a UUID 5 of the event's source key, so exporting again gives the same ids and a store
  does not take the same event twice. When pseudonymising, the UUID namespace derives from the
  key: exports under different keys share no ids (shared ids would link their pseudonyms).
- `actor`: an Agent with exactly one identifier: `mbox` (with the name) when the person has an
  email, else a cohortdesk `account`; when pseudonymising, only `account{homePage, name}` with
  the pseudonym as the name.
- `verb`: the IRIs in docs/domain.md (`VERBS`); the importer reads every one back to the same kind.
- `object`: the thread as an Activity (discussion), a post of its own for a thread-less post,
  else the cohort (course) Activity.
- `timestamp`: ISO 8601 in the cohort's time zone, with its offset.
- `context.registration`: a UUID 5 per membership (the member's enrolment in the cohort);
  `contextActivities.parent` is the thread, `grouping` the cohort; for a reply, the person
  answered is an Agent in `context.extensions[REPLIED_TO_EXTENSION]` (the reply network).
- `result.extensions[WORD_COUNT_EXTENSION]`: the word count, when known (never the text).

Importing the file into an empty cohort gives every member the same counts (`roles` aside: a
statement does not carry one, so imported people are learners until the facilitator says).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from cohortdesk.core.enums import EventKind
from cohortdesk.core.exporters.pseudonym import COHORTDESK_NAMESPACE, PSEUDONYM_HOME_PAGE
from cohortdesk.core.exporters.records import ExportData, ExportEvent, PersonRef
from cohortdesk.core.exporters.xapi_rules import statement_problems
from cohortdesk.core.importers.xapi import REPLIED_TO_EXTENSION
from cohortdesk.core.metrics.terms import is_contribution
from cohortdesk.core.storage.safefile import atomic_path

Tick = Callable[[], None]
Statement = dict[str, Any]

BASE_IRI = "https://w3id.org/xapi/cohortdesk"
#: the `account.homePage` of people without an email (not pseudonymised)
PERSON_HOME_PAGE = f"{BASE_IRI}/person"
WORD_COUNT_EXTENSION = f"{BASE_IRI}/extensions/word-count"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
DISCUSSION_TYPE = "http://id.tincanapi.com/activitytype/discussion"
POST_TYPE = "http://id.tincanapi.com/activitytype/forum-reply"

#: kind -> (verb IRI, display)
VERBS: Mapping[EventKind, tuple[str, str]] = {
    EventKind.LOGIN: ("https://w3id.org/xapi/adl/verbs/logged-in", "logged in"),
    EventKind.VIEW: ("http://id.tincanapi.com/verb/viewed", "viewed"),
    EventKind.POST: ("http://activitystrea.ms/schema/1.0/create", "created"),
    EventKind.REPLY: ("http://id.tincanapi.com/verb/replied", "replied"),
    EventKind.REACTION: ("http://activitystrea.ms/schema/1.0/like", "liked"),
    EventKind.SHARE: ("http://adlnet.gov/expapi/verbs/shared", "shared"),
    EventKind.ATTEND: ("http://adlnet.gov/expapi/verbs/attended", "attended"),
    EventKind.SUBMIT: ("https://w3id.org/xapi/dod-isd/verbs/submitted", "submitted"),
}


class StatementBuilder:
    """Turns exported events into statements for one export."""

    def __init__(self, data: ExportData) -> None:
        self._data = data
        self._pseudonymised = data.pseudonymiser is not None
        self._namespace = (
            data.pseudonymiser.namespace() if data.pseudonymiser else COHORTDESK_NAMESPACE
        )
        cohort_id = self._uuid(f"cohort|{data.cohort.id}")
        self._cohort_iri = f"{BASE_IRI}/cohorts/{cohort_id}"
        self._cohort = {
            "objectType": "Activity",
            "id": self._cohort_iri,
            "definition": {"name": {"en": data.cohort.name}, "type": COURSE_TYPE},
        }
        self._registrations = {
            m.person_id: str(self._uuid(f"registration|{m.membership_id}")) for m in data.members
        }
        self._agents: dict[int, dict[str, Any]] = {}
        self._threads: dict[str, dict[str, Any]] = {}

    def _uuid(self, text: str) -> uuid.UUID:
        return uuid.uuid5(self._namespace, text)

    def agent(self, person: PersonRef) -> dict[str, Any]:
        """The Agent of a person: exactly one identifier."""
        found = self._agents.get(person.person_id)
        if found is not None:
            return found
        agent: dict[str, Any] = {"objectType": "Agent"}
        if self._pseudonymised:
            agent["account"] = {"homePage": PSEUDONYM_HOME_PAGE, "name": person.label}
        else:
            agent["name"] = person.name
            email = person.email.strip()
            if "@" in email and " " not in email:
                agent["mbox"] = f"mailto:{email}"
            else:
                agent["account"] = {"homePage": PERSON_HOME_PAGE, "name": str(person.person_id)}
        self._agents[person.person_id] = agent
        return agent

    def _thread(self, thread: str) -> dict[str, Any]:
        found = self._threads.get(thread)
        if found is None:
            found = self._threads[thread] = {
                "objectType": "Activity",
                "id": f"{self._cohort_iri}/threads/{self._uuid(f'thread|{thread}')}",
                "definition": {"name": {"en": thread}, "type": DISCUSSION_TYPE},
            }
        return found

    def statement(self, event: ExportEvent) -> Statement:
        """The statement of one event."""
        people = self._data.people
        statement_id = self._uuid(f"statement|{self._data.cohort.id}|{event.key}")
        verb_id, display = VERBS[event.kind]
        thread = self._thread(event.thread) if event.thread else None
        target: dict[str, Any]
        if thread is not None:
            target = thread
        elif is_contribution(event.kind):
            target = {
                "objectType": "Activity",
                "id": f"{self._cohort_iri}/posts/{statement_id}",
                "definition": {"type": POST_TYPE},
            }
        else:
            target = self._cohort
        context: dict[str, Any] = {
            "platform": "cohortdesk",
            "contextActivities": {"grouping": [self._cohort]},
        }
        registration = self._registrations.get(event.person_id)
        if registration is not None:
            context["registration"] = registration
        if thread is not None:
            context["contextActivities"]["parent"] = [thread]
        if event.kind is EventKind.REPLY and event.replied_to_id is not None:
            replied_to = people.get(event.replied_to_id)
            if replied_to is not None:
                context["extensions"] = {REPLIED_TO_EXTENSION: self.agent(replied_to)}
        statement: Statement = {
            "id": str(statement_id),
            "actor": self.agent(people[event.person_id]),
            "verb": {"id": verb_id, "display": {"en-US": display}},
            "object": target,
            "timestamp": _timestamp(self._data.local(event.occurred_at)),
            "context": context,
        }
        if event.word_count is not None:
            statement["result"] = {"extensions": {WORD_COUNT_EXTENSION: event.word_count}}
        return statement


def _timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds" if moment.microsecond else "seconds")


def export_xapi(
    data: ExportData, events: Iterable[ExportEvent], path: Path, tick: Tick | None = None
) -> tuple[Path, ...]:
    """Write the statements as one JSON array, atomically; returns the file written.

    Every statement is checked against the xAPI rules before it is written; one that breaks
    them is a bug in cohortdesk (`AssertionError`), and nothing is written.
    """
    builder = StatementBuilder(data)
    with atomic_path(path) as temporary, temporary.open("w", encoding="utf-8") as handle:
        handle.write("[")
        separator = "\n"
        for event in events:
            statement = builder.statement(event)
            problems = statement_problems(statement)
            if problems:
                raise AssertionError(
                    f"invalid xAPI statement for event {event.event_id}: {problems}"
                )
            handle.write(separator)
            handle.write(json.dumps(statement, ensure_ascii=False, separators=(",", ":")))
            separator = ",\n"
            if tick is not None:
                tick()
        handle.write("\n]\n")
    return (path,)
