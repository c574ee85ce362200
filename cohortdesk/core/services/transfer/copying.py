"""Copy cohorts from one database to another: a laptop's file to a team's server, the server
to a file for offline work, or one server to another.

A copy adds to the destination what it lacks and never changes or deletes what it holds; it is
one transaction there (all or nothing), and copying again adds nothing. Integer ids are each
database's own; records are matched by what identifies them everywhere:

- a cohort by its name;
- a person by their email (any case); someone without an email by their full name among the
  members of the same cohort in the destination (two namesakes pair up in the order they were
  added);
- a membership by its cohort and person; a platform identity by its person, source and id;
- an activity event by its cohort, source and the source's own key (the key that makes
  re-imports idempotent; one typed in by hand, which has none, by all its values), an import
  batch by its cohort, file checksum and time;
- a mentoring group or session by its uuid, which the copy keeps, so that a review pack's notes
  find their session on either side;
- a message template by its built-in key, or else its name (any case);
- a cohort's rules by the cohort;
- every other record (notes, check-ins, access issues, stage changes, nudges, highlights,
  mentor links and reviews, dismissed suggestions) by all its values: a record the destination
  holds as many times as the source is not added again.

The daily counts are not copied: the destination recounts them from the events it then holds.
A review pack's own record (which mentor it was made for) stays with its file, and a server's
logins (which person each is) with their server.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Column, Table, func, insert, select
from sqlalchemy.orm import Session

from cohortdesk.core.errors import KnownError, NotFoundError
from cohortdesk.core.models import Base
from cohortdesk.core.progress import JobProgress, step
from cohortdesk.core.schemas import CopySummary
from cohortdesk.core.services.activity import rollups
from cohortdesk.core.storage.db import Database

#: derived from the events (recounted), about one file (a review pack's record), or about one
#: server (its logins: each server has its own, made by `team add-user`)
NOT_COPIED = frozenset(
    {"daily_activity", "daily_totals", "daily_replies", "review_pack_info", "team_logins"}
)
#: the columns that identify a record in any database (see the module's docstring)
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "cohorts": ("name",),
    "memberships": ("cohort_id", "person_id"),
    "identities": ("person_id", "source", "external_id"),
    "import_batches": ("cohort_id", "sha256", "imported_at"),
    "activity_events": ("cohort_id", "source", "source_event_id"),
    "cohort_rules": ("cohort_id",),
    "mentoring_groups": ("uuid",),
    "mentoring_sessions": ("uuid",),
}
#: the column that says which cohort a record belongs to, directly or through a membership
OWNERS = ("cohort_id", "membership_id", "mentor_membership_id", "person_id")
#: records to copy: each one's id in the source (None: a table without one) and its values
Pending = list[tuple[int | None, dict[str, Any]]]
#: how many values go in one IN (...) list (SQLite allows 32,766 parameters)
CHUNK = 10_000
#: the summary's names for the tables, in the order they are copied
LABELS = {
    "cohorts": "cohorts",
    "people": "people",
    "prompt_templates": "templates",
    "cohort_rules": "cohort rules",
    "identities": "identities",
    "import_batches": "import batches",
    "memberships": "memberships",
    "activity_events": "events",
    "access_issues": "access issues",
    "highlights": "highlights",
    "interventions": "nudges",
    "member_notes": "notes",
    "mentor_reviews": "mentor reviews",
    "mentoring_groups": "mentoring groups",
    "motivation_checks": "check-ins",
    "stage_changes": "stage changes",
    "suggestion_dismissals": "dismissed suggestions",
    "mentor_links": "mentor links",
    "mentoring_sessions": "mentoring sessions",
}


def copy_cohorts(
    source: Database,
    destination: Database,
    names: Sequence[str] = (),
    progress: JobProgress | None = None,
) -> CopySummary:
    """Copy the cohorts named (all of them when none is) from `source` to `destination`.

    Both databases must be at the newest schema (`migrate.open_database`).

    Raises:
        KnownError: the two are one database.
        NotFoundError: a cohort named is not in the source; nothing is copied.
        Whatever `progress.check` raises: nothing is copied.
    """
    if source.url == destination.url:
        raise KnownError(f"{source.display_name} is both the source and the destination")
    with source.read() as reading, destination.write() as writing:
        copier = _Copier(reading, writing, progress)
        cohorts = copier.choose_cohorts(names)
        copier.copy()
        for cohort_id in sorted(copier.recount):
            rollups.rebuild(writing, cohort_id)
    return CopySummary(
        source=source.display_name,
        destination=destination.display_name,
        cohorts=cohorts,
        added={LABELS.get(t, t): n for t, n in copier.added.items()},
        matched={LABELS.get(t, t): n for t, n in copier.matched.items()},
    )


def _tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_COPIED]


def _hashable(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    chunk: list[Any] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Copier:
    """One copy: the source ids in scope and, per table, the source id -> destination id."""

    def __init__(self, source: Session, destination: Session, progress: JobProgress | None):
        self.source = source
        self.destination = destination
        self.progress = progress
        self.scope: dict[str, set[int]] = {}
        self.ids: dict[str, dict[int, int]] = defaultdict(dict)
        self.added: dict[str, int] = {}
        self.matched: dict[str, int] = {}
        self.recount: set[int] = set()
        self.done = 0
        self.total = 0

    # ---- what is copied ----

    def choose_cohorts(self, names: Sequence[str]) -> list[str]:
        cohorts = Base.metadata.tables["cohorts"]
        rows = self.source.execute(select(cohorts.c.id, cohorts.c.name)).all()
        by_name = {str(name): int(cohort_id) for cohort_id, name in rows}
        missing = [name for name in names if name not in by_name]
        if missing:
            known = ", ".join(repr(n) for n in sorted(by_name)) or "none"
            raise NotFoundError(f"No cohort named {missing[0]!r} to copy (the source has: {known})")
        chosen = list(dict.fromkeys(names)) if names else sorted(by_name)
        self.scope["cohorts"] = {by_name[name] for name in chosen}
        return chosen

    def _rows(self, table: Table) -> list[dict[str, Any]]:
        """The source's records of `table` that belong to the chosen cohorts."""
        if table.name == "cohorts":
            return self._select(table, table.c.id, self.scope["cohorts"])
        if table.name == "people":
            return self._select(table, table.c.id, self._people())
        if table.name == "prompt_templates":
            return self._select(table, table.c.id, self._templates())
        owner = next(table.c[name] for name in OWNERS if name in table.c)
        (key,) = owner.foreign_keys
        return self._select(table, owner, self.scope[key.column.table.name])

    def _people(self) -> set[int]:
        tables = Base.metadata.tables
        members = tables["memberships"]
        events = tables["activity_events"]
        people = self._values(members.c.person_id, members.c.cohort_id, "cohorts")
        people |= self._values(events.c.person_id, events.c.cohort_id, "cohorts")
        people |= self._values(events.c.replied_to_id, events.c.cohort_id, "cohorts")
        return people

    def _templates(self) -> set[int]:
        """The templates the chosen cohorts' nudges were written from."""
        nudges = Base.metadata.tables["interventions"]
        members = Base.metadata.tables["memberships"]
        found: set[int] = set()
        for chunk in _chunks(self.scope["cohorts"]):
            query = (
                select(nudges.c.template_id)
                .join(members, members.c.id == nudges.c.membership_id)
                .where(members.c.cohort_id.in_(chunk), nudges.c.template_id.is_not(None))
                .distinct()
            )
            found.update(int(v) for v in self.source.scalars(query))
        return found

    def _values(self, column: Column[Any], owner: Column[Any], scope: str) -> set[int]:
        found: set[int] = set()
        for chunk in _chunks(self.scope[scope]):
            query = select(column).where(owner.in_(chunk), column.is_not(None)).distinct()
            found.update(int(v) for v in self.source.scalars(query))
        return found

    def _select(self, table: Table, column: Column[Any], ids: set[int]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        order = table.c.id if "id" in table.c else column
        for chunk in _chunks(sorted(ids)):
            query = select(table).where(column.in_(chunk)).order_by(order)
            rows.extend(dict(row._mapping) for row in self.source.execute(query))
        if "id" in table.c:
            self.scope[table.name] = {int(row["id"]) for row in rows}
        return rows

    # ---- copying ----

    def copy(self) -> None:
        gathered = [(table, self._rows(table)) for table in _tables()]
        self.total = sum(len(rows) for _table, rows in gathered)
        for table, rows in gathered:
            label = LABELS.get(table.name, table.name)
            step(self.progress, self.done, self.total, f"Copying {label}")
            self._copy_table(table, rows)
            self.done += len(rows)
        step(self.progress, self.done, self.total, "Recounting the daily counts")

    def _remapped(self, table: Table, row: dict[str, Any]) -> dict[str, Any] | None:
        """`row` with its references turned into the destination's ids, without its own id;
        None when it refers to a record that was not copied and must not be left out."""
        values = {k: v for k, v in row.items() if k != "id"}
        for column in table.c:
            for key in column.foreign_keys:
                value = values.get(column.name)
                if value is None:
                    continue
                mapped = self.ids[key.column.table.name].get(int(value))
                if mapped is None and not column.nullable:
                    return None
                values[column.name] = mapped
        return values

    def _copy_table(self, table: Table, rows: list[dict[str, Any]]) -> None:
        pending: Pending = []
        for row in rows:
            values = self._remapped(table, row)
            if values is not None:
                pending.append((row.get("id"), values))
        if table.name == "people":
            found = self._match_people(pending)
        elif table.name == "prompt_templates":
            found = self._match_templates(pending)
        elif table.name in NATURAL_KEYS:
            found = self._match_by_key(table, NATURAL_KEYS[table.name], pending)
        else:
            found = self._match_by_values(table, pending)
        adding = [(old, v) for (old, v), m in zip(pending, found, strict=True) if m is None]
        for (old, _values), match in zip(pending, found, strict=True):
            if match is not None and old is not None:
                self.ids[table.name][old] = match
        self.matched[table.name] = sum(1 for m in found if m is not None)
        self.added[table.name] = len(adding)
        if not adding:
            return
        if "id" in table.c:
            statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            made = self.destination.scalars(statement, [v for _old, v in adding]).all()
            for (old, _values), new_id in zip(adding, made, strict=True):
                if old is not None:
                    self.ids[table.name][old] = int(new_id)
        else:
            self.destination.execute(insert(table), [v for _old, v in adding])
        if table.name in ("memberships", "activity_events"):
            self.recount.update(int(v["cohort_id"]) for _old, v in adding)

    # ---- matching: the destination's id of each pending record, or None to add it ----

    def _existing(self, table: Table, pending: Pending) -> list[dict[str, Any]]:
        """The destination's records of `table` that may match `pending`: those with the same
        name or uuid, or else those of the copied cohorts (through their owner column)."""
        for unique in ("name", "uuid"):
            if unique in NATURAL_KEYS.get(table.name, ()):
                return self._fetch(table, table.c[unique], {v[unique] for _old, v in pending})
        owner = next(table.c[name] for name in OWNERS if name in table.c)
        (key,) = owner.foreign_keys
        return self._fetch(table, owner, set(self.ids[key.column.table.name].values()))

    def _fetch(self, table: Table, column: Column[Any], keys: set[Any]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for chunk in _chunks(sorted(keys, key=str)):
            query = select(table).where(column.in_(chunk))
            rows.extend(dict(row._mapping) for row in self.destination.execute(query))
        return rows

    def _match_by_key(
        self, table: Table, key: tuple[str, ...], pending: Pending
    ) -> list[int | None]:
        """By the natural key; a record whose key is incomplete (an event typed in by hand
        has no source key) by all its values instead."""
        existing = {
            tuple(_hashable(row[k]) for k in key): row.get("id", 0)
            for row in self._existing(table, pending)
            if all(row[k] is not None for k in key)
        }
        loose = [i for i, (_old, v) in enumerate(pending) if any(v[k] is None for k in key)]
        matches = self._match_by_values(table, [pending[i] for i in loose])
        by_values = dict(zip(loose, matches, strict=True))
        found: list[int | None] = []
        for index, (_old, values) in enumerate(pending):
            if index in by_values:
                found.append(by_values[index])
                continue
            match = existing.get(tuple(_hashable(values[k]) for k in key))
            found.append(None if match is None else int(match))
        return found

    def _match_by_values(self, table: Table, pending: Pending) -> list[int | None]:
        if not pending:
            return []
        columns = [c.name for c in table.c if c.name != "id"]
        held: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        for row in self._existing(table, pending):
            held[tuple(_hashable(row[c]) for c in columns)].append(int(row.get("id") or 0))
        found: list[int | None] = []
        for _old, values in pending:
            same = held.get(tuple(_hashable(values[c]) for c in columns))
            found.append(same.pop(0) if same else None)
        return found

    def _match_people(self, pending: Pending) -> list[int | None]:
        people = Base.metadata.tables["people"]
        members = Base.metadata.tables["memberships"]
        emails = {str(v["email"]).lower() for _old, v in pending if v.get("email")}
        by_email: dict[str, int] = {}
        for chunk in _chunks(sorted(emails)):
            query = select(people.c.id, func.lower(people.c.email)).where(
                func.lower(people.c.email).in_(chunk)
            )
            for person_id, email in self.destination.execute(query.order_by(people.c.id)):
                by_email.setdefault(str(email), int(person_id))
        # Namesakes without an email among the destination's members of the copied cohorts.
        named: dict[str, list[int]] = defaultdict(list)
        cohorts = set(self.ids["cohorts"].values())
        for chunk in _chunks(sorted(cohorts)):
            query = (
                select(people.c.id, people.c.full_name)
                .join(members, members.c.person_id == people.c.id)
                .where(members.c.cohort_id.in_(chunk), people.c.email.is_(None))
                .distinct()
                .order_by(people.c.id)
            )
            for person_id, name in self.destination.execute(query):
                if int(person_id) not in named[str(name)]:
                    named[str(name)].append(int(person_id))
        found: list[int | None] = []
        for _old, values in pending:
            if values.get("email"):
                found.append(by_email.get(str(values["email"]).lower()))
            else:
                same = named.get(str(values["full_name"]))
                found.append(same.pop(0) if same else None)
        return found

    def _match_templates(self, pending: Pending) -> list[int | None]:
        templates = Base.metadata.tables["prompt_templates"]
        by_key: dict[str, int] = {}
        by_name: dict[str, int] = {}
        query = select(templates.c.id, templates.c.key, templates.c.name)
        for template_id, key, name in self.destination.execute(query.order_by(templates.c.id)):
            if key is not None:
                by_key[str(key)] = int(template_id)
            by_name.setdefault(str(name).casefold(), int(template_id))
        found: list[int | None] = []
        for _old, values in pending:
            if values.get("key") is not None:
                found.append(by_key.get(str(values["key"])))
            else:
                found.append(by_name.get(str(values["name"]).casefold()))
        return found
