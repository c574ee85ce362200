"""Moodle's course or site "Logs" report, downloaded as CSV, in any language.

The report's column names, event names and dates follow the downloading user's language, but
the Description column never does (Moodle writes it in English on every install, "for admin
use"), so rows are classified and people identified from Description alone:

- a person is the FIRST user id in Description (`The user with id '5104' ...`); later ids in
  the same text are other people (the user viewed, the user graded);
- a row with no id and no name (Turnitin's rows, `-` names) names nobody: unattributed; so
  does a row by Moodle's guest account (id 1) or by nobody logged in (id 0); a row with a name
  but no id (Turnitin's, on a site that shows names) is kept under that name;
- login-as rows ("Real Name as Other Name") are Moodle's way of saying the real user acted as
  the other one. Moodle stores such an event as the other user's (their id is the one in
  Description), so the row counts for the user logged in as, under that user's name, and the
  import notes how many rows were done that way.

Times carry no zone: they are in the downloading user's zone, `options.timezone`. Day-first
(`en`) or month-first (`en_us`) is decided once for the whole file from its values.

Staff: a log does not say who teaches, but teachers leave a trace learners rarely do (they look
at the participant list and other people's profiles, grade, read the course's reports). Someone
with at least `STAFF_MIN_ROWS` such rows making at least `STAFF_MIN_SHARE` of their rows is
PROPOSED as staff (`SourceFile.staff_proposals`); only the ids the facilitator confirms
(`ImportOptions.staff`) join as facilitators.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from cohortdesk.core.enums import EventKind, Role
from cohortdesk.core.importers.base import (
    ActivityRecord,
    BatchItem,
    EventBatch,
    ImportItem,
    ImportOptions,
    PersonKey,
    PersonRecord,
    Skipped,
    SourceFile,
    StaffProposal,
    one_line,
)
from cohortdesk.core.importers.columnar import (
    WHITESPACE,
    ColumnBatch,
    ColumnTimes,
    read_columns,
)
from cohortdesk.core.importers.textio import cell, decode_head, match_columns, read_csv
from cohortdesk.core.importers.times import (
    DAY_FIRST,
    MONTH_FIRST,
    Detection,
    FormatDetector,
    TimeFormat,
    strptime_format,
    suggest_pattern,
)
from cohortdesk.core.text import plural

if TYPE_CHECKING:
    import polars as pl

FORMAT = "moodle-log"
IDENTITY_SOURCE = "moodle"
UNNAMED_LABEL = "Moodle user"

#: the report's column names in the languages facilitators use most (matched ignoring case,
#: accents, spaces and punctuation); anything else falls back to the columns' positions
SYNONYMS: dict[str, tuple[str, ...]] = {
    "time": ("Time", "Hora", "Heure", "Zeit", "Uhrzeit", "Ora", "Date", "Datum", "Fecha"),
    "name": (
        "User full name",
        "Full name",
        "Nombre completo del usuario",
        "Nombre completo",
        "Nome completo",
        "Nome completo do utilizador",
        "Nome completo do usuário",
        "Nom complet de l'utilisateur",
        "Nom complet",
        "Vollständiger Name",
        "Vollständiger Name des Nutzers",
        "Nome completo utente",
    ),
    "affected": (
        "Affected user",
        "Usuario afectado",
        "Usuário afetado",
        "Utilizador afetado",
        "Utilisateur concerné",
        "Betroffene/r Nutzer/in",
        "Betroffener Nutzer",
        "Utente coinvolto",
    ),
    "context": (
        "Event context",
        "Contexto del evento",
        "Contexto do evento",
        "Contexte de l'événement",
        "Ereigniskontext",
        "Contesto dell'evento",
    ),
    "component": ("Component", "Componente", "Composant", "Komponente"),
    "event": (
        "Event name",
        "Nombre evento",
        "Nombre del evento",
        "Nome do evento",
        "Nom de l'événement",
        "Ereignisname",
        "Nome evento",
    ),
    "description": ("Description", "Descripción", "Descrição", "Beschreibung", "Descrizione"),
    "origin": ("Origin", "Origen", "Origem", "Origine", "Herkunft", "Ursprung"),
    "ip": ("IP address", "Dirección IP", "Endereço IP", "Adresse IP", "IP-Adresse", "Indirizzo IP"),
    "course": ("Course", "Curso", "Cours", "Kurs", "Corso"),
}
#: the report's columns in order (Moodle 2.8 and older site logs add a leading Course column)
POSITIONS = ("time", "name", "affected", "context", "component", "event", "description")
_REPORT_WIDTH = 9

#: "Real Name as Other Name" in the languages above (report_log's `eventloggedas`)
_LOGGED_AS = (" as ", " como ", " en tant que ", " als ", " come ")

_USER_ID = re.compile(r"[Uu]ser with (?:the )?id '(\d+)'")
_LEADING_ID = "The user with id '"
_DISCUSSION_CREATED = re.compile(r"has created the discussion with (?:the )?id '(\d+)'")
_IN_DISCUSSION = re.compile(r"in the discussion with (?:the )?id '(\d+)'")
_DETAIL_LIMIT = 120
#: Moodle's "not logged in" user (0) and its guest account (1: the first user an install makes)
_NOBODY_IDS = frozenset({"0", "1"})
#: What a teacher does and a learner rarely does, as Moodle's (never translated) Description
#: says it: a phrase in Description -> what the import summary calls it. Viewing one's own
#: profile is not among them.
STAFF_PATTERNS: dict[str, str] = {
    "viewed the list of users in the course": "viewed the participant list",
    "viewed the profile for the user with id": "viewed another person's profile",
    "viewed the grader report": "viewed the grader report",
    "viewed the grading table": "viewed the grading table",
    "viewed the grading form": "viewed the grading form",
    "has graded the submission": "graded a submission",
    "updated the grade with id": "graded someone",
    "viewed the log report": "viewed the course logs",
    "viewed the live log": "viewed the course logs",
    "viewed the outline activity report": "viewed a course report",
    "viewed the complete activity report": "viewed a course report",
    "viewed the participation report": "viewed a course report",
    "viewed the statistics": "viewed a course report",
    "viewed the user log report": "viewed a course report",
    "enrolled the user with id": "enrolled someone",
    "assigned the role with id": "assigned a role",
    "updated the course with id": "edited the course settings",
}
#: staff-like rows someone needs at least, and the share of their rows they must make, to be
#: proposed as staff (a learner may glance at the participant list once or twice)
STAFF_MIN_ROWS = 5
STAFF_MIN_SHARE = 0.10
#: rows kept in memory while looking for a time that settles day/month order
_KEEP_ROWS = 5_000
#: keys made by one KeyMaker before the next change of time starts a fresh one
_KEYS_PER_MAKER = 4_096
#: rows of the file a preview shows (the first ones)
SAMPLE_ROWS = 50


@dataclass(frozen=True, slots=True)
class _Columns:
    time: int
    description: int
    name: int | None
    event: int | None
    context: int | None


def detect(name: str, head: bytes) -> bool:
    """Whether the file starts with a Moodle Logs report header, in any language.

    Args:
        name: the file name (unused: Moodle names the file after the course).
        head: the first bytes of the file.
    """
    del name
    records = _first_records(head)
    if not records:
        return False
    found = match_columns(records[0], SYNONYMS)
    if {"time", "event", "description"} <= found.keys() and len(found) >= 6:
        return True
    # an unknown language: the report's shape and an English Description in the first row
    width = len(records[0])
    if width not in (_REPORT_WIDTH, _REPORT_WIDTH + 1) or len(records) < 2:
        return False
    description = cell(records[1], POSITIONS.index("description") + width - _REPORT_WIDTH)
    return _USER_ID.search(description) is not None


def _first_records(head: bytes) -> list[list[str]]:
    text = decode_head(head)
    lines = text.splitlines()[:2]
    try:
        return [row for row in csv.reader(io.StringIO("\n".join(lines))) if row][:2]
    except csv.Error:
        return []


def parse(source: SourceFile, options: ImportOptions) -> Iterator[ImportItem]:
    """The report's rows one by one, in file order (newest first), then the confirmed staff:
    `parse_batches` read row by row, for callers that want items.

    Raises:
        ImportRejectedError: not a Logs report, a time that cannot be read, a file whose day
            and month order contradicts itself.
    """
    for item in parse_batches(source, options):
        if isinstance(item, EventBatch):
            yield from item.as_items()
        else:
            yield item


class _StaffTally:
    """Everyone's rows and staff-like rows, for the staff proposal."""

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}
        self.first_row: dict[str, int] = {}
        self.names: dict[str, str | None] = {}
        self.patterns: dict[str, dict[str, int]] = {}

    def first_seen(self, uid: str, row: int, name: str | None) -> None:
        """The first row of `uid` (the caller counts their rows in `rows`)."""
        self.first_row[uid] = row
        self.names[uid] = name

    def proposals(self) -> list[StaffProposal]:
        found: list[StaffProposal] = []
        for uid, patterns in self.patterns.items():
            staffish = sum(patterns.values())
            if staffish >= STAFF_MIN_ROWS and staffish >= STAFF_MIN_SHARE * self.rows[uid]:
                ordered = sorted(patterns.items(), key=lambda item: (-item[1], item[0]))
                found.append(
                    StaffProposal(uid, self.names.get(uid), self.rows[uid], tuple(ordered))
                )
        return sorted(found, key=lambda p: (-p.rows, p.source_id))

    def finish(self, source: SourceFile, confirmed: frozenset[str]) -> Iterator[PersonRecord]:
        """Propose staff; make the confirmed ids facilitators.

        Raises:
            ImportRejectedError: a confirmed id is not in the file.
        """
        missing = sorted(confirmed - self.rows.keys())
        if missing:
            raise source.reject(
                None, f"no user with id {', '.join(repr(uid) for uid in missing)} in the file"
            )
        source.staff_proposals = self.proposals()
        waiting = [p.source_id for p in source.staff_proposals if p.source_id not in confirmed]
        if waiting:
            ids = ", ".join(waiting)
            source.note(
                f"{plural(len(waiting), 'person looks', 'people look')} like staff (participant "
                f"lists, profiles, grading or reports): user id {ids}. Nobody was made staff: "
                "confirm who is."
            )
        for uid in sorted(confirmed, key=lambda u: self.first_row[u]):
            who = PersonKey(source_id=uid, name=self.names.get(uid))
            yield PersonRecord(self.first_row[uid], who, role=Role.FACILITATOR)
        if confirmed:
            source.note(f"Made facilitators as confirmed: user id {', '.join(sorted(confirmed))}.")


def staff_like(uid: str, description: str) -> str | None:
    """What staff-like thing a row records (`STAFF_PATTERNS`), or None.

    Args:
        uid: the row's person (viewing one's own profile is not staff-like).
        description: the row's Description.
    """
    for phrase, label in STAFF_PATTERNS.items():
        if phrase in description:
            own = phrase.startswith("viewed the profile") and (
                _USER_ID.findall(description)[1:2] == [uid]
            )
            return None if own else label
    return None


def _columns(source: SourceFile, header: list[str]) -> _Columns:
    found = match_columns(header, SYNONYMS)
    if "time" in found and "description" in found:
        return _Columns(
            time=found["time"],
            description=found["description"],
            name=found.get("name"),
            event=found.get("event"),
            context=found.get("context"),
        )
    if len(header) not in (_REPORT_WIDTH, _REPORT_WIDTH + 1):
        shown = ", ".join(header[:12]) or "none"
        raise source.reject(
            1,
            "this does not look like a Moodle Logs report: no Time and Description columns "
            f"(the columns are: {shown})",
        )
    offset = len(header) - _REPORT_WIDTH  # the old leading Course column, or an index column
    source.note(
        "The column names are not ones cohortdesk knows, so the columns were taken by their "
        "position in Moodle's Logs report (Time, User full name, ..., Description)."
    )
    at = {fld: index + offset for index, fld in enumerate(POSITIONS)}
    return _Columns(
        time=at["time"],
        description=at["description"],
        name=at["name"],
        event=at["event"],
        context=at["context"],
    )


def _scan_times(source: SourceFile, options: ImportOptions, column: int) -> Detection:
    table = read_csv(source, options.max_bytes)
    rows = table.rows
    try:
        return FormatDetector((DAY_FIRST, MONTH_FIRST)).feed_all(
            ((row, cell(cells, column)) for row, cells in rows), stop_when_settled=True
        )
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def _clean_name(raw: str) -> tuple[str | None, bool]:
    """The name to keep and whether it was a login-as ("Real as Other" -> "Other")."""
    if not raw or raw == "-":
        return None, False
    for separator in _LOGGED_AS:
        real, found, other = raw.partition(separator)
        if found and real.strip() and other.strip():
            return other.strip(), True
    return raw, False


# --- the columnar reading: the same answers, a batch of rows at a time ---------------------


def parse_batches(source: SourceFile, options: ImportOptions) -> Iterator[BatchItem]:
    """The report's rows in batches of columns (`EventBatch`), then the confirmed staff.

    The same answers as `parse`, row for row: every test on a row is a column operation.

    Raises:
        ImportRejectedError: as `parse` does, for the same row and reason.
    """
    table = read_columns(source, options.max_bytes)
    columns = _columns(source, table.header)
    batches = table.batches
    if options.time_format:
        fmt = strptime_format(options.time_format)
    else:
        fmt, batches = _column_time_format(source, options, columns.time, batches)
    source.note(
        f"Moodle writes times in the downloading user's time zone; they were read as "
        f"{options.timezone.key}."
    )
    staff = _StaffTally()
    reader = _BatchReader(source, columns, fmt, options.timezone, staff)
    for batch in batches:
        yield reader.read(batch)
    if reader.logged_as:
        rows_text = plural(reader.logged_as, "row was", "rows were")
        source.note(
            f"{rows_text} done by someone logged in as another user ('Real Name as Other "
            "Name'); like Moodle, they count for the user logged in as."
        )
    yield from staff.finish(source, options.staff)


def _column_time_format(
    source: SourceFile, options: ImportOptions, column: int, batches: Iterator[ColumnBatch]
) -> tuple[TimeFormat, Iterator[ColumnBatch]]:
    """Day-first or month-first for the whole file, as `_time_format` decides it."""
    detector = FormatDetector((DAY_FIRST, MONTH_FIRST))
    first = next(batches, None)
    kept = 0
    if first is not None and f"c{column}" in first.frame.columns:
        rows = first.frame.get_column("row").to_list()
        values = first.frame.get_column(f"c{column}").to_list()
        for row, value in zip(rows, values, strict=True):
            kept += 1
            detector.feed(row, value)
            if detector.settled or kept >= _KEEP_ROWS:
                break
    found = detector.detection
    if not detector.settled and kept >= _KEEP_ROWS:
        found = _scan_times(source, options, column)
    if not found.fitting:
        row = found.emptied_by[0] if found.emptied_by else None
        raise source.reject(row, found.unfit_reason())
    rest = batches if first is None else itertools.chain([first], batches)
    if len(found.fitting) == 1:
        chosen = found.fitting[0]
        source.note(f"Times were read as {chosen.description} ({found.label(chosen)}).")
        return chosen, rest
    if found.values:
        example = found.first[1] if found.first else ""
        source.note(
            f"Every time in the file (e.g. {example!r}) could be day/month or month/day; they "
            "were read as day/month/year, Moodle's default English format. If the file comes "
            "from a US-English Moodle, import it again with --time-format "
            f"'{suggest_pattern(example, MONTH_FIRST)}'."
        )
    return DAY_FIRST, rest


#: EventKind values by name, for the kind column
_VIEW, _POST, _REPLY, _LOGIN, _SUBMIT = (
    k.value
    for k in (EventKind.VIEW, EventKind.POST, EventKind.REPLY, EventKind.LOGIN, EventKind.SUBMIT)
)
_GUEST_REASON = "names nobody: a guest or someone not logged in"


class _BatchReader:
    """Turns batches of the report's columns into events and skipped rows."""

    def __init__(
        self,
        source: SourceFile,
        columns: _Columns,
        fmt: TimeFormat,
        zone: ZoneInfo,
        staff: _StaffTally,
    ) -> None:
        self.source = source
        self.columns = columns
        self.times = ColumnTimes(fmt, zone, lambda raw: _unreadable(raw, fmt))
        self.staff = staff
        self.logged_as = 0
        self.names: dict[str, tuple[str | None, bool]] = {}
        self.sample_left = SAMPLE_ROWS
        # event keys: the state of `_items`' KeyMaker carried from batch to batch
        self.seen: dict[bytes, int] = {}
        self.made = 0
        self.run_stamp = ""

    def read(self, batch: ColumnBatch) -> EventBatch:
        import polars as pl

        frame = batch.frame
        width = len(frame.columns) - 1

        def text(index: int | None) -> pl.Expr:
            if index is None or index >= width:
                return pl.lit("", dtype=pl.String)
            return pl.col(f"c{index}")

        c = self.columns
        description = text(c.description).str.strip_chars(WHITESPACE)
        frame = frame.select(
            pl.col("row"),
            description.alias("description"),
            text(c.event).str.strip_chars(WHITESPACE).alias("event"),
            text(c.name).str.strip_chars(WHITESPACE).alias("raw_name"),
            text(c.context).str.strip_chars(WHITESPACE).alias("context"),
            text(c.time).alias("raw_time"),
        )
        d = pl.col("description")
        leading = d.str.starts_with(_LEADING_ID)
        closed = d.str.extract(r"^The user with id '([^']*)'", 1)
        unclosed = d.str.slice(18, (d.str.len_chars() - 19).clip(lower_bound=0))
        lead_uid = pl.coalesce(closed, unclosed)
        uid = (
            pl.when(leading & lead_uid.str.contains(r"^[0-9]+$"))
            .then(lead_uid)
            .when(d.str.contains("ser with", literal=True))
            .then(d.str.extract(_USER_ID.pattern, 1))
            .otherwise(pl.lit(None, dtype=pl.String))
        )
        frame = frame.with_columns(uid.alias("uid"))
        frame = self._with_names(frame)
        nobody = pl.col("uid").is_in(list(_NOBODY_IDS))
        anonymous = pl.col("uid").is_null() & pl.col("name").is_null()
        frame = frame.with_columns(
            pl.when(nobody)
            .then(pl.lit(_GUEST_REASON))
            .when(anonymous)
            .then(
                pl.lit("names nobody: ")
                + pl.when(pl.col("event") == "")
                .then(pl.lit("an unnamed event"))
                .otherwise(pl.col("event"))
            )
            .otherwise(pl.lit(None, dtype=pl.String))
            .alias("nobody")
        )
        self._count_people(frame.filter(pl.col("nobody").is_null()))
        frame = frame.with_columns(_kind_columns(d, pl.col("event")))
        frame = frame.with_columns(
            pl.when(pl.col("nobody").is_not_null())
            .then(pl.col("nobody"))
            .when(pl.col("kind").is_not_null())
            .then(pl.lit(None, dtype=pl.String))
            .when(pl.col("posted"))
            .then(pl.lit("duplicate notice of a post"))
            .otherwise(
                (
                    pl.lit("not participation: ")
                    + pl.when(pl.col("event") != "")
                    .then(pl.col("event"))
                    .when(d.str.slice(0, 60) != "")
                    .then(d.str.slice(0, 60))
                    .otherwise(pl.lit("an unnamed event"))
                ).str.slice(0, _DETAIL_LIMIT)
            )
            .alias("reason")
        )
        self._tally_staff(frame.filter(pl.col("reason").is_not_null() & pl.col("nobody").is_null()))
        skipped = frame.filter(pl.col("reason").is_not_null()).select(
            "row", "reason", pl.col("nobody").is_not_null().alias("unattributed")
        )
        events = frame.filter(pl.col("reason").is_null())
        events = self.times.read(self.source, events)
        events = self._finish_events(events)
        found = EventBatch(events, skipped, batch.bytes_read, self.times.aware)
        found.sample = self._sample(found)
        return found

    def _with_names(self, frame: pl.DataFrame) -> pl.DataFrame:
        import polars as pl

        raw = frame.get_column("raw_name").unique(maintain_order=True).to_list()
        for value in raw:
            if value not in self.names:
                self.names[value] = _clean_name(value)
        known = [(r, *self.names[r]) for r in raw]
        lookup = pl.DataFrame(
            {
                "raw_name": [k[0] for k in known],
                "name": [k[1] for k in known],
                "as_other": [k[2] for k in known],
            },
            schema={"raw_name": pl.String, "name": pl.String, "as_other": pl.Boolean},
        )
        return frame.join(lookup, on="raw_name", how="left", maintain_order="left")

    def _count_people(self, frame: pl.DataFrame) -> None:
        import polars as pl

        named = frame.filter(pl.col("uid").is_not_null())
        if named.height == 0:
            return
        counts = named.group_by("uid", maintain_order=True).agg(
            pl.len().alias("n"), pl.col("row").first(), pl.col("name").first()
        )
        rows = self.staff.rows
        for uid, n, row, name in counts.iter_rows():
            seen = rows.get(uid)
            if seen is None:
                rows[uid] = n
                self.staff.first_seen(uid, row, name)
            else:
                rows[uid] = seen + n

    def _tally_staff(self, frame: pl.DataFrame) -> None:
        import polars as pl

        d = pl.col("description")
        second = d.str.extract_all(_USER_ID.pattern).list.get(1, null_on_oob=True)
        second_id = second.str.extract(_USER_ID.pattern, 1)
        label: pl.Expr = pl.lit(None, dtype=pl.String)
        for phrase, text in reversed(STAFF_PATTERNS.items()):
            value: pl.Expr = pl.lit(text)
            if phrase.startswith("viewed the profile"):
                value = (
                    pl.when(second_id.is_not_null() & (second_id == pl.col("uid")))
                    .then(pl.lit(None, dtype=pl.String))
                    .otherwise(pl.lit(text))
                )
            label = pl.when(d.str.contains(phrase, literal=True)).then(value).otherwise(label)
        found = (
            frame.filter(pl.col("uid").is_not_null())
            .select("uid", label.alias("label"))
            .filter(pl.col("label").is_not_null())
        )
        if found.height == 0:
            return
        for uid, text, n in (
            found.group_by("uid", "label", maintain_order=True).agg(pl.len()).iter_rows()
        ):
            mine = self.staff.patterns.setdefault(uid, {})
            mine[text] = mine.get(text, 0) + n

    def _finish_events(self, events: pl.DataFrame) -> pl.DataFrame:
        import polars as pl

        self.logged_as += int(events.get_column("as_other").sum() or 0)
        context = pl.col("context")
        detail = (
            pl.when(context != "")
            .then(pl.col("event") + pl.lit(": ") + context)
            .otherwise(pl.col("event"))
        )
        events = events.with_columns(
            detail.alias("detail"),
            pl.when(pl.col("uid").is_not_null())
            .then(pl.col("uid"))
            .otherwise(pl.lit("name:") + pl.col("name"))
            .alias("actor"),
        )
        long = (pl.col("detail").str.len_chars() > _DETAIL_LIMIT) | pl.col("detail").str.contains(
            "[\r\n]"
        )
        events = events.with_columns(
            pl.when(long)
            .then(
                pl.col("detail").map_elements(
                    lambda value: one_line(value, _DETAIL_LIMIT), return_dtype=pl.String
                )
            )
            .otherwise(pl.col("detail"))
            .alias("detail")
        )
        events = events.with_columns(
            pl.Series("key", self._keys(events), dtype=pl.String),
        )
        return events.select(
            "row",
            pl.col("uid").alias("source_id"),
            "name",
            pl.lit(None, dtype=pl.String).alias("email"),
            "local",
            "utc",
            "kind",
            "key",
            "thread",
            pl.lit(None, dtype=pl.Int64).alias("word_count"),
            "detail",
            "raw_time",
        )

    def _keys(self, events: pl.DataFrame) -> list[str]:
        """The event keys `_items` makes: a digest of time, person and Description, with
        `#n` on the n-th repeat within a run of keys (see `_items`)."""
        import polars as pl

        texts = events.select(
            pl.concat_str(
                [pl.col("stamp"), pl.col("actor"), pl.col("description")], separator="\x1f"
            )
        ).to_series()
        stamps = events.get_column("stamp").to_list()
        keys: list[str] = []
        append = keys.append
        seen, made, run_stamp = self.seen, self.made, self.run_stamp
        blake2b = hashlib.blake2b
        for stamp, text in zip(stamps, texts.to_list(), strict=True):
            if stamp != run_stamp:
                run_stamp = stamp
                if made >= _KEYS_PER_MAKER:
                    seen = {}
                    made = 0
            made += 1
            digest = blake2b(text.encode("utf-8", "replace"), digest_size=15).digest()
            count = seen.get(digest, 0)
            seen[digest] = count + 1
            append(digest.hex() if count == 0 else f"{digest.hex()}#{count}")
        self.seen, self.made, self.run_stamp = seen, made, run_stamp
        return keys

    def _sample(self, batch: EventBatch) -> list[ActivityRecord | Skipped]:
        if self.sample_left <= 0:
            return []
        chosen = list(itertools.islice(batch.as_items(), self.sample_left))
        self.sample_left -= len(chosen)
        return chosen


def _kind_columns(d: pl.Expr, event: pl.Expr) -> list[pl.Expr]:
    """`kind`, `thread` and `posted` (a duplicate notice) from Description, as `_items`."""
    import polars as pl

    def has(text: str) -> pl.Expr:
        return d.str.contains(text, literal=True)

    none = pl.lit(None, dtype=pl.String)
    viewed = has("viewed the")
    created = ~viewed & has("has created the discussion with")
    replied = ~viewed & ~created & has("has created the post with")
    posted = ~viewed & ~created & ~replied & has("has posted content")
    earlier = viewed | created | replied | posted
    logged = ~earlier & has("has logged in")
    submitted = (
        ~earlier
        & ~logged
        & (
            has("has submitted")
            | (event == "Add Submission")
            | d.str.starts_with("User submission sent to Turnitin")
        )
    )
    kind = (
        pl.when(
            viewed
            & (
                has("viewed the course with id")
                | has("' activity with course module id")
                | has("viewed the discussion with id")
            )
        )
        .then(pl.lit(_VIEW))
        .when(created)
        .then(pl.lit(_POST))
        .when(replied)
        .then(pl.lit(_REPLY))
        .when(logged & ~has("has logged in as"))
        .then(pl.lit(_LOGIN))
        .when(submitted)
        .then(pl.lit(_SUBMIT))
        .otherwise(none)
    )
    thread = (
        pl.when(created)
        .then(d.str.extract(_DISCUSSION_CREATED.pattern, 1))
        .when(replied)
        .then(d.str.extract(_IN_DISCUSSION.pattern, 1))
        .otherwise(none)
    )
    return [kind.alias("kind"), thread.alias("thread"), posted.alias("posted")]


def _unreadable(raw: str, fmt: TimeFormat) -> str:
    raw = raw.strip()
    if not raw:
        return "the Time column is empty"
    return (
        f"the time {raw[:40]!r} is not {fmt.description} like the rows before it; give the "
        "format with --time-format"
    )
