"""What every importer yields, and the rules they share.

A parser turns a file into a stream of items:

- `ActivityRecord`: something a person did (login, view, post, reply...), with a stable key;
- `PersonRecord`: someone the file knows about even without activity (a roster row, a Slack
  user), so they can be matched or created with their details;
- `Skipped`: a row that is not imported, with the reason. `unattributed=True` when the row
  names nobody (a guest, an anonymised or system row): counted, never turned into a person.

A parser that meets a row it cannot understand raises `ImportRejectedError` naming the file, the
row and the reason; the whole import is then abandoned, so nothing is half-imported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple, Protocol
from zoneinfo import ZoneInfo

from cohortdesk.core.enums import EventKind, Role
from cohortdesk.core.errors import ErrorKind, KnownError

#: Files larger than this are refused before parsing (a million-row Moodle log is ~150 MB).
DEFAULT_MAX_BYTES = 512 * 1024 * 1024


class ImportRejectedError(KnownError):
    """The file cannot be imported: says which file, which row and why."""

    def __init__(self, file: str, row: int | None, reason: str) -> None:
        where = f"{file}: row {row}: " if row is not None else f"{file}: "
        super().__init__(where + reason, ErrorKind.BAD_FILE)
        self.file = file
        self.row = row
        self.reason = reason


@dataclass(frozen=True, slots=True)
class PersonKey:
    """How a file names a person; any part may be missing but not all of them.

    `source_id` is the platform's own id (a Moodle user id, a Slack user id, an xAPI account
    or mbox); `email` and `name` are used to match people the cohort already has.
    """

    source_id: str | None = None
    email: str | None = None
    name: str | None = None

    def __post_init__(self) -> None:
        if not (self.source_id or self.email or self.name):
            raise ValueError("a PersonKey needs a source id, an email or a name")


class ActivityRecord(NamedTuple):
    """One thing a person did, ready to be stored.

    A named tuple rather than a dataclass: a million-row import builds a million of them, and
    a tuple is built several times faster.

    Attributes:
        row: where it came from in the file (1-based, the header is row 1), for messages.
        who: the person who did it.
        occurred_at: when, timezone-aware (any zone; stored as UTC).
        kind: what sort of activity.
        key: the stable source key: the same event in a later, overlapping export gets the same
            key, so re-imports insert nothing new. Use `KeyMaker`.
        thread: the discussion or thread id, if any.
        replied_to: the person answered, for replies (the reply network).
        word_count: the size of a contribution, when known.
        detail: one short readable line ("Discussion created: Week 1"), never a whole message.
    """

    row: int
    who: PersonKey
    occurred_at: datetime
    kind: EventKind
    key: str
    thread: str | None = None
    replied_to: PersonKey | None = None
    word_count: int | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """Someone the file lists, with what it knows about them."""

    row: int
    who: PersonKey
    role: Role | None = None
    expertise: str = ""
    #: other platforms' ids for this person: (identity source, id), e.g. ("moodle", "5104")
    identities: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Skipped:
    """A row left out, and why ("bot message", "guest user")."""

    row: int
    reason: str
    unattributed: bool = False


@dataclass(slots=True)
class EventBatch:
    """Many rows of a tabular file at once, as columns (polars DataFrames).

    Attributes:
        events: one row per activity: `row`, `source_id`, `name`, `email` (the person, as a
            `PersonKey` would name them), `local` (the wall-clock time as read), `utc` (the
            moment, UTC, naive), `kind` (an `EventKind` value), `key`, `thread`, `word_count`,
            `detail`; in file order. A format whose rows answer someone adds `replied_source_id`,
            `replied_name` and `replied_email` (that person, as a `PersonKey` would name them;
            all null when a row answers nobody).
        skipped: one row per row left out: `row`, `reason`, `unattributed`.
        bytes_read: how far into the file these rows reach.
        size: the file's size.
        moment: the aware moment a value of the time column means, as the row-by-row
            reading gives it (`raw_time` of `events` holds the values).
        sample: the first rows as items, in file order (at most what a preview shows), for
            the preview of the import.
    """

    events: Any
    skipped: Any
    bytes_read: int
    moment: Callable[[str], datetime]
    sample: list[ActivityRecord | Skipped] = field(default_factory=list)

    @property
    def items(self) -> int:
        """The rows these stand for (each counts as one item read)."""
        return int(self.events.height) + int(self.skipped.height)

    def as_items(self) -> Iterator[ActivityRecord | Skipped]:
        """The rows one by one, in file order, as items."""
        events = self.events.iter_rows(named=True)
        skipped = iter(self.skipped.iter_rows())
        replies = "replied_source_id" in self.events.columns
        left = next(skipped, None)
        for values in events:
            row = values["row"]
            while left is not None and left[0] < row:
                yield Skipped(left[0], left[1], unattributed=left[2])
                left = next(skipped, None)
            yield ActivityRecord(
                row,
                PersonKey(
                    source_id=values["source_id"], email=values["email"], name=values["name"]
                ),
                self.moment(values["raw_time"]),
                EventKind(values["kind"]),
                values["key"],
                values["thread"],
                replied_to=_replied_to(values) if replies else None,
                word_count=values["word_count"],
                detail=values["detail"],
            )
        while left is not None:
            yield Skipped(left[0], left[1], unattributed=left[2])
            left = next(skipped, None)


def _replied_to(values: dict[str, Any]) -> PersonKey | None:
    """The person a row of `EventBatch.events` answers, if any."""
    source_id, name, email = (
        values["replied_source_id"],
        values["replied_name"],
        values["replied_email"],
    )
    if source_id is None and name is None and email is None:
        return None
    return PersonKey(source_id=source_id, email=email, name=name)


ImportItem = ActivityRecord | PersonRecord | Skipped
#: what a columnar parser yields
BatchItem = EventBatch | PersonRecord


@dataclass(slots=True)
class ImportOptions:
    """Choices the user makes for an import.

    Attributes:
        timezone: the zone of times written without one (Moodle's local times, for example).
        mapping: for `activity-csv`, which column holds what: keys `who`, `when`, `kind`,
            `replied_to`, `thread`; values are header names (or 1-based column numbers).
        kind: for `activity-csv` without a kind column, the kind of every row.
        time_format: a `strptime` format for times, when detection is not wanted.
        max_bytes: the size cap checked before parsing.
        staff: the file's ids of the people the facilitator confirmed as staff (from the
            import's proposal): they join as facilitators. Nobody else is ever made staff.
    """

    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    mapping: dict[str, str] | None = None
    kind: EventKind | None = None
    time_format: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    staff: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class StaffProposal:
    """Someone whose activity in the file looks like a teacher's, proposed as staff.

    Attributes:
        source_id: the file's id for them (what the facilitator confirms with).
        name: their name in the file, if it gives one.
        rows: all the file's rows that are theirs.
        patterns: the staff-like things they did, each with how many times, most first.
    """

    source_id: str
    name: str | None
    rows: int
    patterns: tuple[tuple[str, int], ...]


@dataclass(slots=True)
class SourceFile:
    """The file being read, and what the parser found out about it on the way.

    Attributes:
        path: the file.
        encoding: the text encoding used to decode it (for text formats), set by the reader.
        notes: things the user should know ("times without a zone were read as UTC").
        staff_proposals: people the file suggests are staff, for the facilitator to confirm.
    """

    path: Path
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    staff_proposals: list[StaffProposal] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    def reject(self, row: int | None, reason: str) -> ImportRejectedError:
        """The error to raise for a bad row (`raise source.reject(7, "no date")`)."""
        return ImportRejectedError(self.name, row, reason)

    def note(self, text: str) -> None:
        """Remember something worth telling the user, once."""
        if text not in self.notes:
            self.notes.append(text)

    def check_size(self, max_bytes: int) -> int:
        """Refuse a missing, unreadable or oversized file before reading it; return its size."""
        try:
            size = self.path.stat().st_size
        except OSError as exc:
            raise self.reject(None, f"cannot read the file ({exc.strerror or exc})") from exc
        if not self.path.is_file():
            raise self.reject(None, "not a file")
        if size > max_bytes:
            raise self.reject(
                None,
                f"the file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit",
            )
        return size


class KeyMaker:
    """Stable keys for events, so re-importing a file inserts nothing new.

    A key is a digest of the parts that identify an event in its source (time, person, what
    happened, the platform's own id when there is one). Rows that are identical in every part
    are distinct events (Moodle logs a double click twice), so the n-th repeat of the same parts
    in one file gets `#n` appended: a later export holding the same rows makes the same keys.
    """

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[bytes, int] = {}

    def make(self, *parts: object) -> str:
        digest = hashlib.blake2b(
            "\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8", "replace"),
            digest_size=15,
        ).digest()
        count = self._seen.get(digest, 0)
        self._seen[digest] = count + 1
        key = digest.hex()
        return key if count == 0 else f"{key}#{count}"


def one_line(text: str, limit: int) -> str:
    """`text` on one line (each run of whitespace one space), cut to `limit` characters with
    an ellipsis: for details and names shown in a row of a table."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def person_name(key: PersonKey, unnamed_label: str) -> str:
    """What cohortdesk calls someone a file names, before and after they are matched: the
    name the file gives; else the platform's label and id ("Moodle user 5104"); else the
    email's first part; else the label alone. A new member is added under this name, and the
    import's preview and proposals name people the same way."""
    if key.name:
        return key.name
    if key.source_id:
        return f"{unnamed_label} {key.source_id}"
    return key.email.split("@")[0] if key.email else unnamed_label


def aware(moment: datetime, zone: ZoneInfo) -> datetime:
    """`moment` with `zone` attached when it has none (times exported without a zone)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


ItemStream = Iterator[ImportItem]


class FormatModule(Protocol):
    """What each importer module provides (checked by the registry)."""

    #: the command-line name (`moodle-log`) and the event `source` stored with each event
    FORMAT: str
    #: the identity source for `PersonKey.source_id` ("moodle" for both Moodle formats)
    IDENTITY_SOURCE: str
    #: how to name someone the file gives no name for: "Moodle user" -> "Moodle user 5104"
    UNNAMED_LABEL: str

    def detect(self, name: str, head: bytes) -> bool:
        """Whether a file called `name` starting with `head` (first 64 KiB) is this format."""
        ...

    def parse(self, source: SourceFile, options: ImportOptions) -> ItemStream:
        """The file's items, in file order; raises ImportRejectedError on a bad row."""
        ...
