"""xAPI statements (JSON): a JSON array, an LRS page `{"statements": [...], "more": ...}` or
JSON lines (one statement per line).

Row numbers: the 1-based statement index for an array or a page, the line number for JSON
lines.

Who: the actor's one identifier, made canonical by `canonical_actor_id` ("mbox:mailto:..." in
lower case, "account:<homePage>|<name>", "sha1:<hex>", "openid:<url>"), with the email taken
from `mbox` and the name from `name`. One person seen as `mbox` in one system and `account` in
another gets two source ids; the email lets the import match both to the same member. A group,
or an actor with no identifier or more than one, is refused.

What: the verb, by the last segment of its IRI (so ADL, Tin Can, Activity Streams, w3id and
Brindlewaye spellings all count; Activity Streams 1.0 writes its verbs in the present tense):

- replied, commented -> `reply`; create, created, posted, post -> `post`;
- logged-in, loggedin, launched, initialized -> `login`;
- experienced, viewed, accessed, access -> `view`; liked, like, reacted -> `reaction`;
- shared, share -> `share`; attended, attend -> `attend`;
- submitted, completed, answered -> `submit`: each says the person handed in or finished a
  piece of work (an answer to a question is work handed in, not a conversation);
- any other verb -> `Skipped("not participation: <verb>")`, without looking further at the
  statement (an LRS holds much that is not participation; it need not be valid for us).

A voiding statement (verb `http://adlnet.gov/expapi/verbs/voided`, object a `StatementRef`)
cancels its target wherever the two sit in the file: both are skipped as "voided".

Thread: the first `context.contextActivities.parent` activity (one object or an array), else,
for posts and replies, the object itself. Whom a reply answers is not standard xAPI: it is read
from the context extension `REPLIED_TO_EXTENSION`, an Agent. A timestamp without a zone is read
as UTC and the import says so (a statement without `timestamp` takes its `stored` time). The
word count of a post or reply is that of `result.response`, when the statement carries the text.
The key is the statement `id` (a UUID) when there is one, else a digest of actor, verb, object
and time; a statement id met twice in one file is skipped the second time.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime

from cohortdesk.core.enums import EventKind
from cohortdesk.core.importers.base import (
    ActivityRecord,
    ImportItem,
    ImportOptions,
    ImportRejectedError,
    KeyMaker,
    PersonKey,
    Skipped,
    SourceFile,
    one_line,
)
from cohortdesk.core.importers.jsonio import parse_json_text, read_text
from cohortdesk.core.importers.textio import decode_head
from cohortdesk.core.text import plural

FORMAT = "xapi"
IDENTITY_SOURCE = "xapi"
UNNAMED_LABEL = "xAPI actor"

#: the context extension naming whom a reply answers; its value is an Agent
REPLIED_TO_EXTENSION = "https://w3id.org/xapi/cohortdesk/extensions/replied-to"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"

DETAIL_MAX = 120
#: the longest source id or thread stored as is; longer ones are shortened with a digest
ID_MAX = 200

#: verb IRI's last segment -> kind
VERB_KINDS: Mapping[str, EventKind] = {
    "replied": EventKind.REPLY,
    "commented": EventKind.REPLY,
    "create": EventKind.POST,
    "created": EventKind.POST,
    "posted": EventKind.POST,
    "post": EventKind.POST,
    "logged-in": EventKind.LOGIN,
    "loggedin": EventKind.LOGIN,
    "launched": EventKind.LOGIN,
    "initialized": EventKind.LOGIN,
    "experienced": EventKind.VIEW,
    "viewed": EventKind.VIEW,
    "accessed": EventKind.VIEW,
    "access": EventKind.VIEW,
    "liked": EventKind.REACTION,
    "reacted": EventKind.REACTION,
    "like": EventKind.REACTION,
    "shared": EventKind.SHARE,
    "share": EventKind.SHARE,
    "attended": EventKind.ATTEND,
    "attend": EventKind.ATTEND,
    "submitted": EventKind.SUBMIT,
    "completed": EventKind.SUBMIT,
    "answered": EventKind.SUBMIT,
}

_IDENTIFIERS = ("mbox", "mbox_sha1sum", "openid", "account")
_LANGUAGES = ("en-US", "en", "en-GB", "und")
_TIME_CACHE_MAX = 4096

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_SHA1 = re.compile(r"[0-9a-fA-F]{40}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_SPACES = re.compile(r"\s+")
_LINE_START = re.compile(rb"\s*\{")
#: a \u escape of a letter of "voided": a voiding verb written without the plain word
_ESCAPED_VOIDED = re.compile(rb"\\u00(?:76|6[fF945])")


def canonical_actor_id(agent: Mapping[str, object]) -> tuple[str, str | None, str | None]:
    """The identity of one xAPI Agent: `(source_id, email, name)`.

    The source id is the Agent's single identifier in a canonical form:
    `mbox:mailto:ann@example.org` (lower case), `sha1:<hex>` (lower case), `openid:<url>` or
    `account:<homePage>|<name>`. The email comes from `mbox` (without `mailto:`), the name
    from `name`. The xAPI exporter uses the same rules, so a round trip keeps people apart.

    Args:
        agent: the Agent object (an actor, or the replied-to extension's value).

    Raises:
        ValueError: a group, or an agent with no identifier, several, or a malformed one;
            the message says which in plain words.
    """
    kind = agent.get("objectType")
    if kind == "Group":
        raise ValueError("it is a group, not one person")
    if kind not in (None, "Agent"):
        raise ValueError(f"its objectType {str(kind)[:40]!r} is not Agent")
    present = [name for name in _IDENTIFIERS if agent.get(name) is not None]
    if not present:
        raise ValueError("it has no identifier (mbox, mbox_sha1sum, openid or account)")
    if len(present) > 1:
        raise ValueError(
            f"it has {len(present)} identifiers ({', '.join(present)}); xAPI allows one"
        )
    raw_name = agent.get("name")
    name = one_line(raw_name, ID_MAX) if isinstance(raw_name, str) else ""
    email: str | None = None
    identifier = present[0]
    value = agent[identifier]
    if identifier == "mbox":
        address = value.strip().lower() if isinstance(value, str) else ""
        address = address.removeprefix("mailto:")
        if "@" not in address or _SPACES.search(address) or len(address) > 320:
            raise ValueError("its mbox is not a mailto: email address")
        source_id, email = f"mbox:mailto:{address}", address
    elif identifier == "mbox_sha1sum":
        if not isinstance(value, str) or not _SHA1.fullmatch(value.strip()):
            raise ValueError("its mbox_sha1sum is not 40 hexadecimal digits")
        source_id = f"sha1:{value.strip().lower()}"
    elif identifier == "openid":
        if not isinstance(value, str) or not value.strip() or _SPACES.search(value.strip()):
            raise ValueError("its openid is not a URL")
        source_id = f"openid:{value.strip()}"
    else:
        home = value.get("homePage") if isinstance(value, dict) else None
        user = value.get("name") if isinstance(value, dict) else None
        if not (isinstance(home, str) and home.strip() and isinstance(user, str) and user.strip()):
            raise ValueError("its account needs both a homePage and a name")
        source_id = f"account:{home.strip()}|{user.strip()}"
    return _fit(source_id), email, name or None


def detect(name: str, head: bytes) -> bool:
    """Whether the file looks like xAPI statements (array, LRS page or JSON lines).

    Args:
        name: the file name (unused: LRS exports have no fixed name).
        head: the first bytes of the file.
    """
    del name
    # Decoded as any text file is: a statement file in another encoding is then recognised, and
    # reading it says it is not UTF-8, as JSON must be.
    text = decode_head(head).lstrip()
    if text.startswith("["):
        first = _first_value(text, text.find("{", 1))
        if first is None:  # the head cuts the first statement: look at what is there
            window = text[:8192]
            return '"actor"' in window and '"verb"' in window
        return isinstance(first, dict) and _is_statement(first)
    if not text.startswith("{"):
        return False
    first = _first_value(text, 0)
    if isinstance(first, dict):
        return _is_statement(first) or isinstance(first.get("statements"), list)
    return re.match(r'\{\s*(?:"more"\s*:\s*"[^"]*"\s*,\s*)?"statements"\s*:\s*\[', text) is not None


def _first_value(text: str, start: int) -> object:
    if start < 0:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(text, start)
    except (ValueError, RecursionError):
        return None
    return value


def _is_statement(value: Mapping[str, object]) -> bool:
    return "actor" in value and "verb" in value


def parse(source: SourceFile, options: ImportOptions) -> Iterator[ImportItem]:
    """The statements as events, in file order.

    Args:
        source: the statements file.
        options: only `max_bytes` matters (xAPI times carry their zone, or are UTC).

    Raises:
        ImportRejectedError: invalid or hostile JSON, a statement that is not an object, a
            group or an ambiguous actor, a missing verb, object or timestamp, a bad id.
    """
    source.check_size(options.max_bytes)
    if _is_json_lines(source):
        statements: Iterator[tuple[int, object]] = _lines(source, voiding_only=False)
        voided = _voided_targets(_lines(source, voiding_only=True))
    else:
        listed = _document_statements(source)
        statements = enumerate(listed, start=1)
        voided = _voided_targets(enumerate(listed, start=1))
    reader = _Reader(source, voided)
    for row, statement in statements:
        yield reader.item(row, statement)
    unknown = len(voided - reader.ids)
    if unknown:
        what = plural(
            unknown, "voiding statement cancels a statement", "voiding statements cancel statements"
        )
        source.note(
            f"{what} not in this file; if an earlier import brought them in, "
            "undo that import and import both files again."
        )
    if reader.zoneless:
        source.note(
            f"{reader.zoneless} statement{'s' * (reader.zoneless > 1)} had no time zone and "
            "were read as UTC."
        )


def _is_json_lines(source: SourceFile) -> bool:
    """JSON lines: a first line that is a whole object by itself, and more content after it."""
    with source.path.open("rb") as handle:
        if not _LINE_START.match(handle.read(4096).removeprefix(b"\xef\xbb\xbf")):
            return False  # an array, or not JSON at all: read as one document
        handle.seek(0)
        first = b""
        for raw in handle:
            if raw.strip():
                first = raw
                break
        try:
            text = first.decode("utf-8-sig").strip()
        except UnicodeDecodeError:
            return False
        if not text.endswith("}") or not isinstance(_first_value(text, 0), dict):
            return False  # a pretty-printed document starts with a bare "{"
        return any(raw.strip() for raw in handle)


def _lines(source: SourceFile, *, voiding_only: bool) -> Iterator[tuple[int, object]]:
    """Each non-empty line as JSON, numbered; `voiding_only` parses only likely voiding ones."""
    source.encoding = "utf-8"
    with source.path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if voiding_only and b"voided" not in raw and not _ESCAPED_VOIDED.search(raw):
                continue
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                if voiding_only:
                    continue
                raise source.reject(number, f"not UTF-8 text (byte {exc.start})") from exc
            if voiding_only:
                try:
                    yield number, parse_json_text(source, text, number, unique_keys=True)
                except ImportRejectedError:  # reported with its row when the statements are read
                    continue
            else:
                yield number, parse_json_text(source, text, number, unique_keys=True)


def _document_statements(source: SourceFile) -> list[object]:
    text = read_text(source, source.path.read_bytes())
    if not text.strip():
        raise source.reject(None, "the file is empty")
    data = parse_json_text(source, text, unique_keys=True)
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if "statements" in data:
            statements = data["statements"]
            if not isinstance(statements, list):
                raise source.reject(None, "the LRS page's statements are not a JSON array")
            more = data.get("more")
            if isinstance(more, str) and more.strip():
                source.note(
                    "This is one page of an LRS answer: the rest is at "
                    f"{one_line(more, DETAIL_MAX)!r}; fetch and import it too."
                )
            return statements
        if _is_statement(data):
            return [data]
    raise source.reject(
        None, "not xAPI statements: expected a JSON array, an LRS page or JSON lines"
    )


def _voided_targets(statements: Iterator[tuple[int, object]]) -> set[str]:
    targets: set[str] = set()
    for _, statement in statements:
        target = _void_target(statement)
        if target is not None:
            targets.add(target)
    return targets


def _void_target(statement: object) -> str | None:
    """The id a voiding statement cancels, lower case; None for any other statement."""
    if not isinstance(statement, dict):
        return None
    verb = statement.get("verb")
    if not isinstance(verb, dict) or verb.get("id") != VOIDED:
        return None
    target = statement.get("object")
    if not isinstance(target, dict) or target.get("objectType") != "StatementRef":
        return None
    target_id = target.get("id")
    if not isinstance(target_id, str) or not _UUID.fullmatch(target_id):
        return None
    return target_id.lower()


class _Reader:
    """Turns statements into items, remembering ids, keys and times across the file."""

    def __init__(self, source: SourceFile, voided: set[str]) -> None:
        self._source = source
        self._voided = voided
        self._keys = KeyMaker()
        self._times: dict[str, tuple[datetime, bool]] = {}
        self._verbs: dict[str, tuple[EventKind | None, str]] = {}
        self._people: dict[str, PersonKey] = {}
        self.ids: set[str] = set()
        self.zoneless = 0

    def item(self, row: int, statement: object) -> ImportItem:
        source = self._source
        if not isinstance(statement, dict):
            raise source.reject(row, "the statement is not a JSON object")
        statement_id = statement.get("id")
        if statement_id is not None:
            if not isinstance(statement_id, str) or not _UUID.fullmatch(statement_id):
                raise source.reject(row, "the statement id is not a UUID")
            statement_id = statement_id.lower()
            if statement_id in self.ids:
                return Skipped(row, "statement repeated in the file")
            self.ids.add(statement_id)
            if statement_id in self._voided:
                return Skipped(row, "voided")
        verb = statement.get("verb")
        verb_id = verb.get("id") if isinstance(verb, dict) else None
        if not isinstance(verb_id, str) or not verb_id.strip():
            if "statements" in statement and "actor" not in statement:
                raise source.reject(row, "an LRS page where a single statement should be")
            raise source.reject(row, "the statement has no verb id")
        if verb_id == VOIDED:
            if _void_target(statement) is None:
                raise source.reject(
                    row, "a voiding statement must point at a statement (a StatementRef with an id)"
                )
            return Skipped(row, "voided")
        kind, verb_name = self._verb(verb_id)
        if kind is None:
            return Skipped(row, f"not participation: {verb_name}")
        who = self._agent(row, statement.get("actor"), "the actor")
        occurred_at = self._timestamp(row, statement)
        target = statement.get("object")
        if not isinstance(target, dict):
            raise source.reject(row, "the statement has no object")
        object_id = target.get("id")
        if not isinstance(object_id, str) or not object_id.strip():
            object_id = None
        thread, replied_to = self._context(row, statement.get("context"), kind)
        if thread is None and object_id is not None and kind in (EventKind.POST, EventKind.REPLY):
            thread = _fit(object_id.strip())
        if statement_id is not None:
            key = self._keys.make(statement_id)
        else:
            key = self._keys.make(
                who.source_id, verb_id, object_id, occurred_at.astimezone(UTC).isoformat()
            )
        return ActivityRecord(
            row=row,
            who=who,
            occurred_at=occurred_at,
            kind=kind,
            key=key,
            thread=thread,
            replied_to=replied_to,
            word_count=_words(statement.get("result"), kind),
            detail=_detail(verb, verb_name, target),
        )

    def _verb(self, verb_id: str) -> tuple[EventKind | None, str]:
        found = self._verbs.get(verb_id)
        if found is None:
            segment = re.split(r"[/#]", verb_id.strip().rstrip("/"))[-1]
            name = one_line(segment, 60) or one_line(verb_id, 60)
            found = self._verbs[verb_id] = (VERB_KINDS.get(segment.casefold()), name)
        return found

    def _agent(self, row: int, agent: object, what: str) -> PersonKey:
        if not isinstance(agent, dict):
            raise self._source.reject(row, f"{what} is missing or not an object")
        try:
            source_id, email, name = canonical_actor_id(agent)
        except ValueError as exc:
            raise self._source.reject(row, f"{what} cannot be imported: {exc}") from exc
        key = f"{source_id}\x1f{name or ''}"
        person = self._people.get(key)
        if person is None:
            person = self._people[key] = PersonKey(source_id=source_id, email=email, name=name)
        return person

    def _timestamp(self, row: int, statement: Mapping[str, object]) -> datetime:
        text = statement.get("timestamp")
        if text is None:
            text = statement.get("stored")
        if not isinstance(text, str) or not text.strip():
            raise self._source.reject(row, "the statement has no timestamp")
        parsed = self._times.get(text)
        if parsed is None:
            parsed = _parse_time(text.strip())
            if parsed is None:
                raise self._source.reject(
                    row, f"the timestamp {text[:60]!r} is not an ISO 8601 date and time"
                )
            if len(self._times) >= _TIME_CACHE_MAX:
                self._times.clear()
            self._times[text] = parsed
        moment, zoneless = parsed
        if zoneless:
            self.zoneless += 1
        return moment

    def _context(
        self, row: int, context: object, kind: EventKind
    ) -> tuple[str | None, PersonKey | None]:
        if context is None:
            return None, None
        if not isinstance(context, dict):
            raise self._source.reject(row, "the statement's context is not an object")
        thread: str | None = None
        activities = context.get("contextActivities")
        if activities is not None:
            if not isinstance(activities, dict):
                raise self._source.reject(row, "contextActivities is not an object")
            parents = activities.get("parent")
            if isinstance(parents, dict):
                parents = [parents]
            if parents is not None and not isinstance(parents, list):
                raise self._source.reject(row, "the parent activities are not an object or a list")
            if parents:
                first = parents[0]
                parent_id = first.get("id") if isinstance(first, dict) else None
                if not isinstance(parent_id, str) or not parent_id.strip():
                    raise self._source.reject(row, "a parent activity has no id")
                thread = _fit(parent_id.strip())
        replied_to: PersonKey | None = None
        extensions = context.get("extensions")
        if extensions is not None:
            if not isinstance(extensions, dict):
                raise self._source.reject(row, "the context extensions are not an object")
            agent = extensions.get(REPLIED_TO_EXTENSION)
            if agent is not None and kind is EventKind.REPLY:
                replied_to = self._agent(row, agent, "the person replied to")
        return thread, replied_to


def _parse_time(text: str) -> tuple[datetime, bool] | None:
    """An ISO 8601 timestamp, and whether it had no zone (then it is read as UTC)."""
    if len(text) > 40 or not _TIMESTAMP.match(text):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if not 1900 <= moment.year <= 2999:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC), True
    return moment, False


def _words(result: object, kind: EventKind) -> int | None:
    """Words in a post's or reply's `result.response` (the text written), when there is one."""
    if kind not in (EventKind.POST, EventKind.REPLY) or not isinstance(result, dict):
        return None
    response = result.get("response")
    if not isinstance(response, str):
        return None
    return len(_WORD.findall(response))


def _detail(verb: object, verb_name: str, target: Mapping[str, object]) -> str:
    """The verb's display and the object's name ("replied: Week 1 introductions")."""
    display = verb.get("display") if isinstance(verb, dict) else None
    action = _language_text(display) or verb_name
    definition = target.get("definition")
    name = _language_text(definition.get("name")) if isinstance(definition, dict) else ""
    return one_line(f"{action}: {name}" if name else action, DETAIL_MAX)


def _language_text(value: object) -> str:
    """The English (else the first) text of an xAPI language map."""
    if not isinstance(value, dict):
        return ""
    for language in _LANGUAGES:
        text = value.get(language)
        if isinstance(text, str) and text.strip():
            return text
    for text in value.values():
        if isinstance(text, str) and text.strip():
            return text
    return ""


def _fit(text: str) -> str:
    """`text` if it fits a stored id, else a stable shortened form (prefix and digest)."""
    if len(text) <= ID_MAX:
        return text
    digest = hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=16).hexdigest()
    return f"{text[: ID_MAX - len(digest) - 1]}#{digest}"
