"""Finding the person a file names, within one cohort, or adding them.

An import names people in its own way (a Moodle user id, a Slack id, an email, a name). The
`PeopleMatcher` matches them to the cohort's members by source id, then email (case-insensitive),
then exact name, and otherwise creates a learner with a readable name ("Moodle user 5104").
Every new person gets the identity they were found by, so the next import finds them at once.
A batch of keys (`resolve_many`) is matched in memory against the cohort's people, loaded once;
the people and memberships it adds take their ids from the table's sequence in one query and
are written with one statement each (a first import of thousands of people is a few round
trips, not two per person, which on a server is most of the import); identities and "joined"
stage records are written together at the end (`finish`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from cohortdesk.core.enums import AccessStatus, Role, StageChangeSource
from cohortdesk.core.importers.base import PersonKey, PersonRecord, person_name
from cohortdesk.core.models import Identity, Membership, Person, StageChange
from cohortdesk.core.services.people.members import JOINED_REASON
from cohortdesk.core.storage import team_session as team_storage

#: the longest name kept, as everywhere a name is typed (`schemas.Name`)
MAX_NAME = 200
#: names the preview lists at most
NEW_NAMES_SHOWN = 200


class PeopleMatcher:
    """Resolves `PersonKey`s to person ids for one import into one cohort.

    Args:
        session: the import's session (everything it adds is part of the import).
        cohort_id: the cohort imported into.
        identity_source: what `PersonKey.source_id` means ("moodle", "slack"...).
        unnamed_label: how to name people the file gives no name ("Moodle user").
        batch_id: the import batch, recorded on the memberships it creates.
        joined_on: the join date of new members.
        now: the time recorded for their "joined" stage.
    """

    def __init__(
        self,
        session: Session,
        cohort_id: int,
        *,
        identity_source: str,
        unnamed_label: str,
        batch_id: int | None,
        joined_on: date,
        now: datetime,
    ) -> None:
        self._session = session
        self._cohort_id = cohort_id
        self._source = identity_source
        self._label = unnamed_label
        self._batch_id = batch_id
        self._joined_on = joined_on
        self._now = now
        self._cache: dict[PersonKey, int] = {}
        # Parsers hand the same PersonKey object for every row of a person: finding it by
        # identity skips hashing a dataclass per row. The entry holds the key, so its id
        # cannot be reused while the entry exists.
        self._by_object: dict[int, tuple[PersonKey, int]] = {}
        self.created: list[str] = []
        self.created_count = 0
        #: people found by their name alone (the row's email or id was new): for the summary
        self.matched_by_name: list[str] = []
        self.matched_by_name_count = 0
        #: names longer than a name may be, shortened (the summary says how many)
        self.shortened_names = 0
        self._members: set[int] = set()
        self._by_email: dict[str, int] = {}
        self._by_name: dict[str, int | None] = {}
        self._by_id: dict[str, int] = {}
        self._known_ids: set[tuple[int, str, str]] = set()
        self._emails: dict[int, str | None] = {}
        self._identity_rows: list[dict[str, object]] = []
        self._stage_rows: list[dict[str, object]] = []
        #: people of other cohorts found by email (lowercased), looked up a batch at a time
        self._elsewhere: dict[str, tuple[int, str, str | None]] = {}
        self._asked_emails: set[str] = set()
        self._person_ids = _NewIds(session, Person.__table__)  # type: ignore[arg-type]
        self._membership_ids = _NewIds(session, Membership.__table__)  # type: ignore[arg-type]
        #: rows of people and memberships added and not yet written, people by id
        self._new_people: dict[int, dict[str, Any]] = {}
        self._new_memberships: list[dict[str, Any]] = []
        self._load()

    def _load(self) -> None:
        members = self._session.execute(
            select(Person.id, Person.full_name, Person.email)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.cohort_id == self._cohort_id)
        ).all()
        for person_id, name, email in members:
            self._remember(person_id, name, email)
            self._emails[person_id] = email
        identities = self._session.execute(
            select(Identity.person_id, Identity.source, Identity.external_id)
            .join(Membership, Membership.person_id == Identity.person_id)
            .where(Membership.cohort_id == self._cohort_id)
        ).all()
        for person_id, source, external_id in identities:
            self._known_ids.add((person_id, source, external_id))
            if source == self._source:
                self._by_id.setdefault(external_id, person_id)

    def _remember(self, person_id: int, name: str, email: str | None) -> None:
        self._members.add(person_id)
        if email:
            self._by_email.setdefault(email.casefold(), person_id)
        if name in self._by_name and self._by_name[name] != person_id:
            self._by_name[name] = None  # two members share the name: never match on it
        else:
            self._by_name[name] = person_id

    def resolve(self, key: PersonKey) -> int:
        """The person id for `key`, matching or creating them (and their membership)."""
        fast = self._by_object.get(id(key))
        if fast is not None and fast[0] is key:
            return fast[1]
        cached = self._cache.get(key)
        if cached is not None:
            self._by_object[id(key)] = (key, cached)
            return cached
        return self.resolve_many([key])[0]

    def resolve_many(self, keys: Sequence[PersonKey]) -> list[int]:
        """The person ids for `keys`, in order: the same as `resolve` on each in turn, with
        the people and memberships added written together."""
        unknown = [key for key in keys if key not in self._cache]
        self._look_up_emails(unknown)
        # at most one new person (and membership) per key not found by its id or email
        fresh = sum(1 for key in unknown if not self._found_at_once(key))
        self._person_ids.reserve(fresh)
        self._membership_ids.reserve(fresh + len(self._elsewhere))
        found = [self._resolve_one(key) for key in keys]
        self._write_new()
        return found

    def _found_at_once(self, key: PersonKey) -> bool:
        if key.source_id and key.source_id in self._by_id:
            return True
        if key.email:
            email = key.email.casefold()
            return email in self._by_email or email in self._elsewhere
        return False

    def _resolve_one(self, key: PersonKey) -> int:
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        person_id = self._match(key)
        if person_id is None:
            person_id = self._create(key)
        self._link(person_id, key)
        self._cache[key] = person_id
        self._by_object[id(key)] = (key, person_id)
        return person_id

    def names_found(self, keys: Sequence[PersonKey]) -> dict[PersonKey, str]:
        """The names of the people `keys` were matched to or added as, for keys already
        resolved (others are left out)."""
        ids = {key: self._cache[key] for key in keys if key in self._cache}
        names = {pid: row["full_name"] for pid, row in self._new_people.items()}
        wanted = set(ids.values()) - names.keys()
        if wanted:
            rows = self._session.execute(
                select(Person.id, Person.full_name).where(Person.id.in_(wanted))
            )
            names.update((pid, name) for pid, name in rows)
        return {key: names[pid] for key, pid in ids.items() if pid in names}

    def _match(self, key: PersonKey) -> int | None:
        if key.source_id and key.source_id in self._by_id:
            return self._by_id[key.source_id]
        if key.email:
            found = self._by_email.get(key.email.casefold())
            if found is not None:
                return found
            elsewhere = self._elsewhere.get(key.email.casefold())
            if elsewhere is not None:
                person_id, name, email = elsewhere
                self._add_membership(person_id, Role.LEARNER)
                self._remember(person_id, name, email)
                self._emails[person_id] = email
                return person_id
        if key.name:
            found = self._by_name.get(key.name)
            if found is not None and not self._conflicts(found, key):
                if len(self.matched_by_name) < NEW_NAMES_SHOWN:
                    self.matched_by_name.append(key.name)
                self.matched_by_name_count += 1
                return found
        return None

    def _conflicts(self, person_id: int, key: PersonKey) -> bool:
        """Whether `key` says it is someone else than `person_id` despite the same name: a
        different email, or another id on this platform. Two Sam Lees with two addresses are
        two people; a name with nothing to contradict it is the same person."""
        known = self._emails.get(person_id)
        if key.email and known and known.casefold() != key.email.casefold():
            return True
        if key.source_id:
            kind = _id_kind(key.source_id)
            theirs = {
                i
                for p, s, i in self._known_ids
                if p == person_id and s == self._source and _id_kind(i) == kind
            }
            return bool(theirs) and key.source_id not in theirs
        return False

    def _create(self, key: PersonKey) -> int:
        name = person_name(key, self._label)
        if len(name) > MAX_NAME:
            self.shortened_names += 1
            name = name[: MAX_NAME - 1] + "…"
        person_id = self._person_ids.take()
        self._new_people[person_id] = {
            "id": person_id,
            "full_name": name,
            "email": key.email,
            "expertise": "",
            "created_at": self._now,
        }
        self._add_membership(person_id, Role.LEARNER)
        self._remember(person_id, name, key.email)
        self._emails[person_id] = key.email
        self.created_count += 1
        if len(self.created) < NEW_NAMES_SHOWN:
            self.created.append(name)
        return person_id

    def _look_up_emails(self, keys: Sequence[PersonKey]) -> None:
        """Find, in one query, the people of other cohorts that `keys`' emails (new to this
        cohort) name: the first made of each, as `_match` takes them."""
        wanted = {
            email
            for key in keys
            if key.email
            and (email := key.email.casefold()) not in self._by_email
            and email not in self._asked_emails
        }
        if not wanted:
            return
        self._asked_emails |= wanted
        lowered = func.lower(Person.email)
        rows = self._session.execute(
            select(Person.id, Person.full_name, Person.email, lowered)
            .where(lowered.in_(sorted(wanted)))
            .order_by(Person.id)
        )
        for person_id, name, email, email_key in rows:
            self._elsewhere.setdefault(email_key, (person_id, name, email))
        # on a team's server, people of a colleague's cohort are hidden from this login: the
        # server gives their ids alone, and they are known here by what the file calls them
        hidden = team_storage.hidden_person_ids_by_email(
            self._session, sorted(wanted - self._elsewhere.keys())
        )
        if hidden:
            named = {key.email.casefold(): key for key in keys if key.email}
            for email_key, person_id in hidden.items():
                key = named[email_key]
                self._elsewhere[email_key] = (person_id, key.name or key.email or "", key.email)

    def _write_new(self) -> None:
        """Write the people and memberships added since the last call, one statement each
        (plain Core on the connection: many times faster than an ORM flush)."""
        connection = self._session.connection()
        if self._new_people:
            connection.execute(insert(Person), list(self._new_people.values()))
            self._new_people = {}
        if self._new_memberships:
            connection.execute(insert(Membership), self._new_memberships)
            self._new_memberships = []

    def _add_membership(self, person_id: int, role: Role) -> None:
        membership_id = self._membership_ids.take()
        self._new_memberships.append(
            {
                "id": membership_id,
                "cohort_id": self._cohort_id,
                "person_id": person_id,
                "role": role,
                "stage": 1,
                "stage_since": self._now,
                "access": AccessStatus.NOT_YET,
                "joined_on": self._joined_on,
                "created_at": self._now,
                "import_batch_id": self._batch_id,
            }
        )
        self._stage_rows.append(
            {
                "membership_id": membership_id,
                "from_stage": None,
                "to_stage": 1,
                "changed_at": self._now,
                "reason": JOINED_REASON,
                "source": StageChangeSource.JOINED,
                "evidence": None,
            }
        )

    def _link(self, person_id: int, key: PersonKey) -> None:
        if key.source_id:
            self.add_identity(person_id, self._source, key.source_id)
        if key.email and person_id in self._emails and not self._emails[person_id]:
            self._emails[person_id] = key.email
            if person_id in self._new_people:
                self._new_people[person_id]["email"] = key.email
            else:
                self._session.execute(
                    update(Person).where(Person.id == person_id).values(email=key.email)
                )
            self._by_email.setdefault(key.email.casefold(), person_id)

    def add_identity(self, person_id: int, source: str, external_id: str) -> None:
        """Record that `person_id` is `external_id` on `source`, once."""
        marker = (person_id, source, external_id)
        if marker in self._known_ids:
            return
        self._known_ids.add(marker)
        self._identity_rows.append(
            {"person_id": person_id, "source": source, "external_id": external_id}
        )
        if source == self._source:
            self._by_id.setdefault(external_id, person_id)

    def apply(self, record: PersonRecord) -> int:
        """Match or create the person a roster row describes and take its details."""
        person_id = self.resolve(record.who)
        for source, external_id in record.identities:
            self.add_identity(person_id, source, external_id)
        if record.expertise:
            self._session.execute(
                update(Person).where(Person.id == person_id).values(expertise=record.expertise)
            )
        if record.role is not None:
            self._session.execute(
                update(Membership)
                .where(Membership.cohort_id == self._cohort_id, Membership.person_id == person_id)
                .values(role=record.role)
            )
        return person_id

    def finish(self) -> None:
        """Write the identities and "joined" stage records gathered on the way."""
        if self._identity_rows:
            self._session.execute(insert(Identity), self._identity_rows)
            self._identity_rows = []
        if self._stage_rows:
            self._session.execute(insert(StageChange), self._stage_rows)
            self._stage_rows = []


class _NewIds:
    """Primary keys for rows about to be inserted into `table`, many with one query.

    On PostgreSQL they come from the column's sequence (`reserve` takes a block with one
    `nextval` per row over `generate_series`; unused ones are gaps, as after any rollback).
    SQLite counts on from the largest id: the import holds the database's write lock, and
    an id taken meanwhile would fail the insert rather than be shared.
    """

    def __init__(self, session: Session, table: Table) -> None:
        self._session = session
        self._table = table
        self._sqlite = session.connection().dialect.name == "sqlite"
        self._free: deque[int] = deque()
        self._last: int | None = None

    def reserve(self, count: int) -> None:
        """Make sure `count` ids are at hand."""
        missing = count - len(self._free)
        if missing <= 0 or self._sqlite:
            return
        sequence = func.pg_get_serial_sequence(self._table.name, "id")
        series = func.generate_series(1, missing).table_valued("n")
        taken = self._session.scalars(select(func.nextval(sequence)).select_from(series))
        self._free.extend(taken)

    def take(self) -> int:
        """One new id."""
        if self._sqlite:
            if self._last is None:
                self._last = self._session.scalar(select(func.max(self._table.c.id))) or 0
            self._last += 1
            return self._last
        if not self._free:
            self.reserve(1)
        return self._free.popleft()


def _id_kind(external_id: str) -> str:
    """What kind of id this is on its platform: a Moodle user id and an xAPI account of one
    site are comparable, an xAPI mailbox and account are two ways to name one person."""
    if external_id.startswith("account:"):
        return external_id.split("|", 1)[0]
    return external_id.split(":", 1)[0] if ":" in external_id else ""
