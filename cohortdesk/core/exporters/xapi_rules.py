"""The xAPI 1.0.3 rules a statement must follow for a learning record store to accept it.

Not a full conformance suite: the rules that statements like cohortdesk's can break. The
exporter checks every statement it writes with `statement_problems` (a broken one is a bug,
never written), and the tests check whole files with `file_problems`.

Rules checked (xAPI 1.0.3, Data section 2.4):
- a statement is an object with only the properties the spec defines; `actor`, `verb` and
  `object` are required; `id`, when present, is a UUID (variant 2);
- an Agent has exactly one inverse functional identifier: `mbox` (a `mailto:` IRI),
  `mbox_sha1sum` (40 hex digits), `openid` (a URI) or `account` (`homePage`, an absolute URL,
  and `name`, a string); its `name`, when present, is a string;
- a verb has an `id` IRI and, optionally, a `display` language map;
- an Activity object has an `id` IRI; its definition's `name` and `description` are language
  maps, `type` an IRI, extension keys IRIs;
- `timestamp` is ISO 8601 with a time zone;
- `context.registration` is a UUID; context activities are Activities (one or a list);
  context extension keys are IRIs (an Agent value, as the replied-to extension, is checked as
  an Agent).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime

from cohortdesk.core.importers.xapi import REPLIED_TO_EXTENSION

STATEMENT_KEYS = frozenset(
    {
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
    }
)
AGENT_KEYS = frozenset({"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"})
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
CONTEXT_KEYS = frozenset(
    {
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    }
)
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
_URL = re.compile(r"https?://[^\s/]+\S*")
_SHA1 = re.compile(r"[0-9a-f]{40}")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def _is_iri(value: object) -> bool:
    return isinstance(value, str) and _IRI.fullmatch(value) is not None


def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return False
    return str(parsed) == value.lower() and parsed.variant == uuid.RFC_4122


def _language_map(value: object, where: str) -> list[str]:
    if not isinstance(value, Mapping) or not value:
        return [f"{where} is not a language map"]
    return [
        f"{where} has a bad language tag or text: {tag!r}"
        for tag, text in value.items()
        if not (isinstance(tag, str) and _LANGUAGE_TAG.fullmatch(tag) and isinstance(text, str))
    ]


def agent_problems(agent: object, where: str = "actor") -> list[str]:
    """What is wrong with an Agent (empty when it is valid)."""
    if not isinstance(agent, Mapping):
        return [f"{where} is not an object"]
    problems = [f"{where} has an unknown property {k!r}" for k in agent if k not in AGENT_KEYS]
    if agent.get("objectType", "Agent") != "Agent":
        problems.append(f"{where} is not an Agent")
    present = [name for name in IFIS if name in agent]
    if len(present) != 1:
        problems.append(f"{where} has {len(present)} identifiers; exactly one is required")
    if "name" in agent and not isinstance(agent["name"], str):
        problems.append(f"{where}.name is not a string")
    mbox = agent.get("mbox")
    if "mbox" in agent and not (
        isinstance(mbox, str) and mbox.startswith("mailto:") and "@" in mbox and " " not in mbox
    ):
        problems.append(f"{where}.mbox is not a mailto: IRI")
    if "mbox_sha1sum" in agent and not (
        isinstance(agent["mbox_sha1sum"], str) and _SHA1.fullmatch(agent["mbox_sha1sum"])
    ):
        problems.append(f"{where}.mbox_sha1sum is not 40 lower-case hex digits")
    if "openid" in agent and not _is_iri(agent["openid"]):
        problems.append(f"{where}.openid is not a URI")
    if "account" in agent:
        account = agent["account"]
        if not isinstance(account, Mapping) or set(account) != {"homePage", "name"}:
            problems.append(f"{where}.account needs exactly homePage and name")
        else:
            home, name = account["homePage"], account["name"]
            if not (isinstance(home, str) and _URL.fullmatch(home)):
                problems.append(f"{where}.account.homePage is not an absolute URL")
            if not (isinstance(name, str) and name):
                problems.append(f"{where}.account.name is not a non-empty string")
    return problems


def _extensions(value: object, where: str) -> list[str]:
    if not isinstance(value, Mapping):
        return [f"{where} is not an object"]
    problems = [f"{where} key {key!r} is not an IRI" for key in value if not _is_iri(key)]
    agent = value.get(REPLIED_TO_EXTENSION)
    if agent is not None:
        problems += agent_problems(agent, f"{where}[replied-to]")
    return problems


def activity_problems(activity: object, where: str = "object") -> list[str]:
    """What is wrong with an Activity (empty when it is valid)."""
    if not isinstance(activity, Mapping):
        return [f"{where} is not an object"]
    problems: list[str] = []
    if activity.get("objectType", "Activity") != "Activity":
        problems.append(f"{where} is not an Activity")
    if not _is_iri(activity.get("id")):
        problems.append(f"{where}.id is not an IRI")
    unknown = set(activity) - {"objectType", "id", "definition"}
    problems += [f"{where} has an unknown property {k!r}" for k in sorted(unknown)]
    definition = activity.get("definition")
    if definition is not None:
        if not isinstance(definition, Mapping):
            return [*problems, f"{where}.definition is not an object"]
        for key in ("name", "description"):
            if key in definition:
                problems += _language_map(definition[key], f"{where}.definition.{key}")
        if "type" in definition and not _is_iri(definition["type"]):
            problems.append(f"{where}.definition.type is not an IRI")
        if "extensions" in definition:
            problems += _extensions(definition["extensions"], f"{where}.definition.extensions")
    return problems


def _context(context: object) -> list[str]:
    if not isinstance(context, Mapping):
        return ["context is not an object"]
    problems = [f"context has an unknown property {k!r}" for k in context if k not in CONTEXT_KEYS]
    if "registration" in context and not _is_uuid(context["registration"]):
        problems.append("context.registration is not a UUID")
    activities = context.get("contextActivities")
    if activities is not None:
        if not isinstance(activities, Mapping):
            problems.append("context.contextActivities is not an object")
        else:
            for kind, value in activities.items():
                if kind not in ("parent", "grouping", "category", "other"):
                    problems.append(f"context.contextActivities has an unknown key {kind!r}")
                listed = value if isinstance(value, list) else [value]
                for index, activity in enumerate(listed):
                    where = f"context.contextActivities.{kind}[{index}]"
                    problems += activity_problems(activity, where)
    if "extensions" in context:
        problems += _extensions(context["extensions"], "context.extensions")
    return problems


def _timestamp(value: object) -> list[str]:
    if not isinstance(value, str) or not _ISO_TIME.fullmatch(value):
        return ["timestamp is not ISO 8601 with a time zone"]
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return ["timestamp is not a real date and time"]
    return []


def statement_problems(statement: object) -> list[str]:
    """Every rule one statement breaks (empty when it is valid)."""
    if not isinstance(statement, Mapping):
        return ["the statement is not an object"]
    problems = [f"unknown property {k!r}" for k in statement if k not in STATEMENT_KEYS]
    problems += [f"{k} is missing" for k in ("actor", "verb", "object") if k not in statement]
    if "id" in statement and not _is_uuid(statement["id"]):
        problems.append("id is not a UUID")
    if "actor" in statement:
        problems += agent_problems(statement["actor"])
    verb = statement.get("verb")
    if "verb" in statement:
        if not isinstance(verb, Mapping) or not _is_iri(verb.get("id")):
            problems.append("verb.id is not an IRI")
        elif "display" in verb:
            problems += _language_map(verb["display"], "verb.display")
    if "object" in statement:
        problems += activity_problems(statement["object"])
    if "timestamp" in statement:
        problems += _timestamp(statement["timestamp"])
    if "context" in statement:
        problems += _context(statement["context"])
    if "result" in statement and not isinstance(statement["result"], Mapping):
        problems.append("result is not an object")
    return problems


def file_problems(statements: object, limit: int = 20) -> list[str]:
    """The problems of a whole export (a JSON array), each with its statement's index."""
    if not isinstance(statements, list):
        return ["the file is not a JSON array of statements"]
    problems: list[str] = []
    ids: set[str] = set()
    for index, statement in enumerate(statements):
        problems += [f"statement {index}: {p}" for p in statement_problems(statement)]
        statement_id = statement.get("id") if isinstance(statement, Mapping) else None
        if isinstance(statement_id, str):
            if statement_id in ids:
                problems.append(f"statement {index}: id {statement_id} is used twice")
            ids.add(statement_id)
        if len(problems) >= limit:
            break
    return problems[:limit]


def all_valid(statements: Iterable[object]) -> bool:
    """Whether every statement is valid."""
    return all(not statement_problems(s) for s in statements)
