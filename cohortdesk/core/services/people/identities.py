"""Finding the person a file names, within one cohort, or adding them.

An import names people in its own way (a Moodle user id, a Slack id, an email, a name). The
`PeopleMatcher` matches them to the cohort's members by source id, then email (case-insensitive),
then exact name, and otherwise creates a learner with a readable name ("Moodle user 5104").
Every new person gets the identity they were found by, so the next import finds them at once.
People and memberships are inserted as they are met (events need their ids); identities and
"joined" stage records are written together at the end (`finish`), which keeps a first import
of thousands of people fast.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from cohortdesk.core.enums import AccessStatus, Role, StageChangeSource
from cohortdesk.core.importers.base import PersonKey, PersonRecord
from cohortdesk.core.models import Identity, Membership, Person, StageChange
from cohortdesk.core.services.people.members import JOINED_REASON, find_person_id

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
        person_id = self._match(key)
        if person_id is None:
            person_id = self._create(key)
        self._link(person_id, key)
        self._cache[key] = person_id
        self._by_object[id(key)] = (key, person_id)
        return person_id

    def _match(self, key: PersonKey) -> int | None:
        if key.source_id and key.source_id in self._by_id:
            return self._by_id[key.source_id]
        if key.email:
            found = self._by_email.get(key.email.casefold())
            if found is not None:
                return found
            known = find_person_id(self._session, key.email)
            if known is not None:
                self._add_membership(known, Role.LEARNER)  # theirs to see from now on
                person = self._session.get(Person, known)
                assert person is not None
                self._remember(person.id, person.full_name, person.email)
                self._emails[person.id] = person.email
                return person.id
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
        name = key.name or (f"{self._label} {key.source_id}" if key.source_id else None)
        name = name or (key.email.split("@")[0] if key.email else self._label)
        if len(name) > MAX_NAME:
            self.shortened_names += 1
            name = name[: MAX_NAME - 1] + "…"
        person_id = self._insert(
            Person.__table__,  # type: ignore[arg-type]
            {"full_name": name, "email": key.email, "expertise": "", "created_at": self._now},
        )
        self._add_membership(person_id, Role.LEARNER)
        self._remember(person_id, name, key.email)
        self._emails[person_id] = key.email
        self.created_count += 1
        if len(self.created) < NEW_NAMES_SHOWN:
            self.created.append(name)
        return person_id

    def _insert(self, table: Table, values: dict[str, Any]) -> int:
        # Plain Core on the connection: a few times faster per row than an ORM flush.
        result = self._session.connection().execute(insert(table), values)
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def _add_membership(self, person_id: int, role: Role) -> None:
        membership_id = self._insert(
            Membership.__table__,  # type: ignore[arg-type]
            {
                "cohort_id": self._cohort_id,
                "person_id": person_id,
                "role": role,
                "stage": 1,
                "stage_since": self._now,
                "access": AccessStatus.NOT_YET,
                "joined_on": self._joined_on,
                "created_at": self._now,
                "import_batch_id": self._batch_id,
            },
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


def _id_kind(external_id: str) -> str:
    """What kind of id this is on its platform: a Moodle user id and an xAPI account of one
    site are comparable, an xAPI mailbox and account are two ways to name one person."""
    if external_id.startswith("account:"):
        return external_id.split("|", 1)[0]
    return external_id.split(":", 1)[0] if ":" in external_id else ""
